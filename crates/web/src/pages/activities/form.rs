//! 记录活动 / 编辑活动: one form for a sitting of one or more kinds of one organisation, with the
//! roster pre-filled as present. Everything typed comes back with every problem on a 422.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Days;
use dangwu_domain::activity::{ActivityInput, AttendeeInput, field_label, flag_label};
use dangwu_domain::OrgId;
use dangwu_store::activities::{self, ActivityDetail};
use dangwu_store::materials;
use dangwu_store::orgs::{self, Org};
use serde::Deserialize;

use super::formdata::{AttRow, Pairs, activity_input, attendance_rows};
use super::recording_orgs;
use crate::auth::{CurrentUser, require};
use crate::pages::kit::{FieldErrors, Opt, org_id, org_opts, see_other, today};
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &[
    "org_id", "kinds", "title", "held_on", "start_time", "end_time", "place", "host", "recorder", "lecturer", "topics",
    "minutes", "decisions", "flags", "materials", "first_agenda_material", "attendees", "attendance",
];

/// A checkbox with a short note (what a kind requires, which kinds offer a flag).
pub struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub note: String,
}

pub struct ExtraField {
    pub key: String,
    pub label: String,
    pub value: String,
    pub kinds: String,
}

#[derive(Template)]
#[template(path = "activities_form.html")]
struct FormPage {
    layout: Layout,
    activity_id: Option<String>,
    org: Org,
    i: ActivityInput,
    errors: FieldErrors,
    kinds: Vec<Check>,
    flags: Vec<Check>,
    extras: Vec<ExtraField>,
    materials: Vec<Check>,
    first_agenda: Vec<Opt>,
    show_first_agenda: bool,
    /// “其他事项” starts open when it has something in it, or the org's kinds offer flags.
    open_more: bool,
    rows: Vec<AttRow>,
    guests: Vec<String>,
    max_date: String,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.activity_id {
            Some(id) => format!("/activities/{id}"),
            None => "/activities".into(),
        }
    }
    fn cancel(&self) -> String {
        match &self.activity_id {
            Some(id) => format!("/activities/{id}"),
            None => format!("/activities?org={}", self.org.id),
        }
    }
}

/// The form for `org` showing `i` (a new record, a stored one, or what was just posted).
async fn page(state: &AppState, user: &CurrentUser, org: Org, activity_id: Option<String>, i: ActivityInput, errors: FieldErrors) -> Result<FormPage, WebError> {
    let book = &state.store.rulebook;
    let defs = book.kinds_for(&org.kind);
    let kinds = defs
        .iter()
        .map(|d| Check {
            value: d.id.clone(),
            label: d.label.clone(),
            checked: i.kinds.contains(&d.id),
            note: d.required.iter().map(|r| field_label(r)).collect::<Vec<_>>().join("、"),
        })
        .collect();
    let mut flags: Vec<Check> = Vec::new();
    let mut extras: Vec<ExtraField> = Vec::new();
    for d in &defs {
        for f in &d.flags {
            match flags.iter_mut().find(|c| &c.value == f) {
                Some(c) => c.note = format!("{}、{}", c.note, d.label),
                None => flags.push(Check { value: f.clone(), label: flag_label(f).to_owned(), checked: i.flags.contains(f), note: d.label.clone() }),
            }
        }
        for f in &d.fields {
            match extras.iter_mut().find(|x| &x.key == f) {
                Some(x) => x.kinds = format!("{}、{}", x.kinds, d.label),
                None => extras.push(ExtraField {
                    key: f.clone(),
                    label: field_label(f).to_owned(),
                    value: i.extra.get(f).cloned().unwrap_or_default(),
                    kinds: d.label.clone(),
                }),
            }
        }
    }
    let catalogue = materials::list(&state.store).await?;
    let material_label = |m: &materials::Material| match m.issued_on {
        Some(d) => format!("{}（{d}）", m.title),
        None => m.title.clone(),
    };
    let materials = catalogue
        .iter()
        .map(|m| Check { value: m.id.clone(), label: material_label(m), checked: i.materials.contains(&m.id), note: String::new() })
        .collect();
    let first_agenda = catalogue.iter().map(|m| Opt::new(m.id.clone(), material_label(m), i.first_agenda_material.trim())).collect();
    let show_first_agenda = flags.iter().any(|f| f.value == "first_agenda_item") || !i.first_agenda_material.trim().is_empty();
    let open_more = !flags.is_empty()
        || extras.iter().any(|x| !x.value.trim().is_empty() || errors.get(&x.key).is_some())
        || errors.get("flags").is_some();
    let (rows, guests) = attendance_rows(&activities::roster(&state.store, &org.id).await?, &i.attendees);
    let title = match &activity_id {
        Some(_) => format!("编辑活动记录：{}", org.name),
        None => format!("记录活动：{}", org.name),
    };
    Ok(FormPage {
        layout: Layout::new(user, title, "activities"),
        activity_id,
        org,
        i,
        errors,
        kinds,
        flags,
        extras,
        materials,
        first_agenda,
        show_first_agenda,
        open_more,
        rows,
        guests,
        max_date: (today() + Days::new(state.store.activity_future_days)).to_string(),
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    org: String,
}

#[derive(Template)]
#[template(path = "activities_pick.html")]
struct PickPage {
    layout: Layout,
    orgs: Vec<Opt>,
}

/// An org the user may record activities for, or the reason they may not.
async fn recording_org(state: &AppState, user: &CurrentUser, id: OrgId) -> Result<Org, WebError> {
    let org = orgs::get(&state.store, &user.principal, id).await?;
    require(user.principal.can_write_org(&org.org_path()), "不能为本人管理范围以外的党组织记录活动")?;
    if !org.is_active() {
        return Err(WebError::bad_request("org_id", format!("“{}”已撤销，不能再记录活动", org.name)));
    }
    if state.store.rulebook.kinds_for(&org.kind).is_empty() {
        return Err(WebError::bad_request("org_id", format!("“{}”这类组织没有可记录的活动类型", org.name)));
    }
    Ok(org)
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, Query(q): Query<NewQuery>) -> Result<Response, WebError> {
    let org = match q.org.trim() {
        "" => {
            let list = recording_orgs(&state, &user).await?;
            match list.as_slice() {
                [] => return Err(WebError::forbidden("无权操作：本人管理范围内没有可以记录组织生活的党组织")),
                [only] => only.clone(),
                _ => {
                    let page = PickPage { layout: Layout::new(&user, "记录活动", "activities"), orgs: org_opts(&list, "") };
                    return Ok(html(&page));
                }
            }
        }
        s => recording_org(&state, &user, org_id(s)?).await?,
    };
    let i = ActivityInput { org_id: org.id.clone(), held_on: today().to_string(), ..Default::default() };
    Ok(html(&page(&state, &user, org, None, i, FieldErrors::default()).await?))
}

/// The posted form, after its CSRF token is checked.
fn posted(user: &CurrentUser, body: &Bytes) -> Result<ActivityInput, WebError> {
    let pairs = Pairs::parse(body);
    if !crate::csrf::matches(pairs.get("csrf_token"), &user.csrf_token) {
        return Err(WebError::csrf());
    }
    Ok(activity_input(&pairs))
}

fn shown_fields(state: &AppState) -> Vec<&str> {
    let mut v = FIELDS.to_vec();
    v.extend(state.store.rulebook.kinds.iter().flat_map(|k| k.fields.iter().map(String::as_str)));
    v
}

pub async fn create(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, WebError> {
    let input = posted(&user, &body)?;
    match activities::create(&state.store, &user.principal, &user.actor(), &input, today(), state.store.activity_future_days).await {
        Ok(a) => Ok(see_other(&format!("/activities/{}", a.id), "已保存")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e.into(), &shown_fields(&state))?;
            // Without a readable organisation there is no form to show again.
            let org = recording_org(&state, &user, org_id(&input.org_id)?).await?;
            Ok(html_status(status, &page(&state, &user, org, None, input, errors).await?))
        }
    }
}

async fn load_writable(state: &AppState, user: &CurrentUser, id: &str) -> Result<ActivityDetail, WebError> {
    let d = activities::get(&state.store, &user.principal, id).await?;
    require(user.principal.can_write_org(&d.org.org_path()), "不能修改本人管理范围以外的活动记录")?;
    Ok(d)
}

/// A stored record as the form's input.
pub fn input_of(d: &ActivityDetail) -> ActivityInput {
    let a = &d.activity;
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    ActivityInput {
        org_id: a.org_id.clone(),
        kinds: d.kinds.clone(),
        title: a.title.clone(),
        held_on: a.held_on.to_string(),
        start_time: s(&a.start_time),
        end_time: s(&a.end_time),
        place: s(&a.place),
        host: s(&a.host),
        recorder: s(&a.recorder),
        lecturer: s(&a.lecturer),
        topics: s(&a.topics),
        minutes: s(&a.minutes),
        decisions: s(&a.decisions),
        flags: a.flag_list(),
        extra: a.extra_map(),
        materials: d.materials.iter().filter(|m| !m.first_agenda).map(|m| m.material_id.clone()).collect(),
        first_agenda_material: d.materials.iter().find(|m| m.first_agenda).map(|m| m.material_id.clone()).unwrap_or_default(),
        attendees: d
            .attendance
            .iter()
            .map(|r| AttendeeInput { member_id: s(&r.member_id), name: r.name.clone(), attendance: r.attendance.clone(), reason: s(&r.reason) })
            .collect(),
    }
}

pub async fn edit_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let d = load_writable(&state, &user, &id).await?;
    let i = input_of(&d);
    Ok(html(&page(&state, &user, d.org, Some(id), i, FieldErrors::default()).await?))
}

pub async fn update(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, body: Bytes) -> Result<Response, WebError> {
    let mut input = posted(&user, &body)?;
    let d = load_writable(&state, &user, &id).await?;
    // The organisation of a record does not change.
    input.org_id = d.activity.org_id.clone();
    match activities::update(&state.store, &user.principal, &user.actor(), &id, &input, today(), state.store.activity_future_days).await {
        Ok(a) => Ok(see_other(&format!("/activities/{}", a.id), "已保存")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e.into(), &shown_fields(&state))?;
            Ok(html_status(status, &page(&state, &user, d.org, Some(id), input, errors).await?))
        }
    }
}
