//! Registering a member and editing a member's fields. Organisation and status are not edited
//! here: they change only through status events on the member's page (nothing is overwritten).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use dangwu_domain::ethnicity::ETHNICITIES;
use dangwu_domain::member::{DuesCategory, Education, Gender, MemberInput, MemberStatus};
use dangwu_store::members::{self, MemberRow};

use crate::pages::kit::{FieldErrors, Opt, Problems, Values, member_id, member_orgs, org_opts, see_other, staff_only, today};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &[
    "name", "gender", "ethnicity", "birth_date", "id_card_no", "education", "phone", "joined_on", "full_on", "status",
    "dues_category", "work_unit", "post", "is_party_worker", "org_id",
];

#[derive(Template)]
#[template(path = "members_form.html")]
struct FormPage {
    layout: Layout,
    /// The member being edited; `None` when registering.
    member: Option<MemberRow>,
    v: Values,
    errors: FieldErrors,
    orgs: Vec<Opt>,
    genders: Vec<Opt>,
    educations: Vec<Opt>,
    statuses: Vec<Opt>,
    dues: Vec<Opt>,
    ethnicities: &'static [&'static str],
}

fn values(i: &MemberInput) -> Values {
    let mut v = Values::default();
    for (k, s) in [
        ("name", &i.name), ("gender", &i.gender), ("ethnicity", &i.ethnicity), ("birth_date", &i.birth_date),
        ("id_card_no", &i.id_card_no), ("education", &i.education), ("phone", &i.phone), ("joined_on", &i.joined_on),
        ("full_on", &i.full_on), ("status", &i.status), ("dues_category", &i.dues_category), ("work_unit", &i.work_unit),
        ("post", &i.post), ("is_party_worker", &i.is_party_worker), ("org_id", &i.org_id),
    ] {
        v.set(k, s.clone());
    }
    v
}

async fn page(state: &AppState, user: &CurrentUser, member: Option<MemberRow>, v: Values, errors: FieldErrors) -> Result<FormPage, WebError> {
    let orgs = if member.is_none() {
        let list = member_orgs(state, user).await?;
        if list.is_empty() {
            return Err(WebError::forbidden("无权操作：本人管理范围内没有可以登记党员的党支部"));
        }
        org_opts(&list, v.get("org_id"))
    } else {
        vec![]
    };
    let opts = |all: Vec<(&'static str, &'static str)>, sel: &str| all.into_iter().map(|(c, l)| Opt::new(c, l, sel)).collect::<Vec<_>>();
    let genders = opts(Gender::ALL.iter().map(|g| (g.code(), g.label())).collect(), v.get("gender"));
    // Education is stored by its label, as the national system writes it.
    let educations = opts(Education::ALL.iter().map(|e| (e.label(), e.label())).collect(), v.get("education"));
    let statuses = opts([MemberStatus::Full, MemberStatus::Probationary].iter().map(|s| (s.code(), s.label())).collect(), v.get("status"));
    let dues = opts(DuesCategory::ALL.iter().map(|d| (d.code(), d.label())).collect(), v.get("dues_category"));
    let title = match &member {
        Some(m) => format!("编辑党员信息：{}", m.member.name),
        None => "登记党员".to_owned(),
    };
    Ok(FormPage { layout: Layout::new(user, title, "members"), member, v, errors, orgs, genders, educations, statuses, dues, ethnicities: &ETHNICITIES })
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let mut v = Values::default();
    v.set("status", MemberStatus::Full.code());
    v.set("dues_category", "in_service");
    let orgs = member_orgs(&state, &user).await?;
    if let [only] = orgs.as_slice() {
        v.set("org_id", only.id.clone());
    }
    Ok(html(&page(&state, &user, None, v, FieldErrors::default()).await?))
}

pub async fn create(State(state): State<AppState>, f: CsrfForm<MemberInput>) -> Result<Response, WebError> {
    let (user, input) = (f.user, f.form);
    let result = async {
        // Report a missing organisation together with the other problems, not after them.
        let draft = input.validate(today());
        let mut p = Problems::default();
        if let Err(e) = &draft {
            p.extend(e.clone());
        }
        if input.org_id.trim().is_empty() {
            p.push("org_id", "请选择所在党组织");
        }
        p.finish()?;
        let draft = draft?;
        Ok::<_, WebError>(members::create(&state.store, &user.principal, &user.actor(), draft, today()).await?)
    }
    .await;
    match result {
        Ok(m) => Ok(see_other(&format!("/members/{}", m.id), "已登记")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, FIELDS)?;
            let mut v = values(&input);
            v.set("id_card_no", input.id_card_no.trim());
            Ok(html_status(status, &page(&state, &user, None, v, errors).await?))
        }
    }
}

async fn load_writable(state: &AppState, user: &CurrentUser, id: &str) -> Result<MemberRow, WebError> {
    let row = members::get(&state.store, &user.principal, member_id(id)?).await?;
    let path = dangwu_domain::org::OrgPath::from_stored(row.org_path.clone());
    crate::auth::require(user.principal.can_write_member(&path), "不能修改本人管理范围以外的党员")?;
    Ok(row)
}

pub async fn edit_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let row = load_writable(&state, &user, &id).await?;
    let m = &row.member;
    let input = MemberInput {
        name: m.name.clone(),
        gender: m.gender.clone(),
        ethnicity: m.ethnicity.clone().unwrap_or_default(),
        birth_date: m.birth_date.to_string(),
        // Left empty: the full number is shown only on request (and audited); empty keeps it.
        id_card_no: String::new(),
        education: m.education.clone().unwrap_or_default(),
        phone: m.phone.clone().unwrap_or_default(),
        joined_on: m.joined_on.to_string(),
        full_on: m.full_on.map(|d| d.to_string()).unwrap_or_default(),
        status: m.status.clone(),
        dues_category: m.dues_category.clone(),
        work_unit: m.work_unit.clone().unwrap_or_default(),
        post: m.post.clone().unwrap_or_default(),
        is_party_worker: if m.is_party_worker { "是".into() } else { String::new() },
        org_id: String::new(),
    };
    Ok(html(&page(&state, &user, Some(row), values(&input), FieldErrors::default()).await?).into_response())
}

pub async fn update(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<MemberInput>) -> Result<Response, WebError> {
    let (user, mut input) = (f.user, f.form);
    let row = load_writable(&state, &user, &id).await?;
    let typed_id = input.id_card_no.trim().to_owned();
    let result = async {
        if typed_id.is_empty() {
            // Unchanged number: the stored one goes back to the store unseen (not a view, so not
            // logged as one; the update itself is audited).
            input.id_card_no = state.store.keys.decrypt(&row.member.id_card_enc).map_err(|_| WebError::internal())?;
        }
        // Status and organisation change only through events; keep the stored ones.
        let status = row.member.status();
        input.status = if status.is_active() { status.code().to_owned() } else { String::new() };
        input.org_id = String::new();
        let mut draft = input.validate(today())?;
        draft.status = status;
        Ok::<_, WebError>(members::update(&state.store, &user.principal, &user.actor(), row.member.member_id(), draft).await?)
    }
    .await;
    match result {
        Ok(m) => Ok(see_other(&format!("/members/{}", m.id), "已保存")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, FIELDS)?;
            let mut v = values(&input);
            v.set("id_card_no", typed_id);
            Ok(html_status(status, &page(&state, &user, Some(row), v, errors).await?))
        }
    }
}
