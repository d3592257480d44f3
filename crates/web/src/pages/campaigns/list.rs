//! The campaigns list (with the form to start one over chosen targets), the positions register
//! and the integrity view (risk points and the education activities of the catalogue).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_domain::supervision::{CampaignInput, RegisterInput};
use dangwu_store::campaigns::{self, Campaign, Register};
use dangwu_store::orgs;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, org_id, org_opts, see_other, staff_only};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "campaigns_list.html")]
struct CampaignsPage {
    layout: Layout,
    rows: Vec<(Campaign, String)>,
    kinds: Vec<Opt>,
    orgs: Vec<Opt>,
    /// Candidate targets: (id, label, group).
    targets: Vec<(String, String, &'static str)>,
    can_create: bool,
    v: Values,
    errors: FieldErrors,
}

async fn render(state: &AppState, user: &CurrentUser, v: Values, (status, errors): (StatusCode, FieldErrors), notice: Option<String>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let book = &store.supervision;
    let rows = campaigns::campaigns(store, p, None).await?.into_iter().map(|c| {
        let label = book.campaign_kind(&c.kind).map_or(c.kind.clone(), |k| k.label.clone());
        (c, label)
    }).collect();
    let writable: Vec<orgs::Org> = orgs::list(store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect();
    let mut targets: Vec<(String, String, &'static str)> = orgs::list(store, p, false).await?.into_iter().filter(|o| o.kind == "branch").map(|o| (o.id, o.name, "党组织")).collect();
    for (kind, group) in [("position", "意识形态阵地"), ("risk_point", "廉政风险点")] {
        targets.extend(campaigns::registers(store, p, kind).await?.into_iter().map(|(r, _)| (r.id, r.name, group)));
    }
    let kinds = book.campaign_kinds.iter().filter(|k| k.enabled).map(|k| Opt::new(k.id.clone(), k.label.clone(), v.get("kind"))).collect();
    let page = CampaignsPage {
        layout: Layout::new(user, "检查与专项工作", "campaigns").notice(notice),
        rows,
        kinds,
        can_create: !writable.is_empty(),
        orgs: org_opts(&writable, v.get("org_id")),
        targets,
        v,
        errors,
    };
    Ok(html_status(status, &page))
}

pub async fn campaigns(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    render(&state, &user, Values::default(), (StatusCode::OK, FieldErrors::default()), n.ok).await
}

/// The form has repeated `targets` boxes, which `axum::Form` cannot collect: read it as pairs.
pub async fn create(State(state): State<AppState>, user: CurrentUser, body: axum::body::Bytes) -> Result<Response, WebError> {
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.as_str()).trim().to_owned();
    if !crate::csrf::matches(&get("csrf_token"), &user.csrf_token) {
        return Err(WebError::csrf());
    }
    let mut p = Problems::default();
    let starts_on = p.date("starts_on", "开始日期", &get("starts_on"), true);
    let ends_on = p.date("ends_on", "结束日期", &get("ends_on"), true);
    if get("org_id").is_empty() {
        p.push("org_id", "请选择党组织");
    }
    let result = async {
        p.finish()?;
        let input = CampaignInput {
            org_id: org_id(&get("org_id"))?,
            kind: get("kind"),
            title: get("title"),
            starts_on: starts_on.expect("checked"),
            ends_on: ends_on.expect("checked"),
            goals: get("goals"),
            targets: form.iter().filter(|(n, _)| n == "targets").map(|(_, v)| v.clone()).collect(),
        };
        Ok::<_, WebError>(campaigns::create_campaign(&state.store, &user.principal, &user.actor(), &input).await?)
    }
    .await;
    match result {
        Ok(c) => Ok(see_other(&format!("/campaigns/{}", c.id), "已建立")),
        Err(e) => {
            let errors = FieldErrors::from_error(e, &["org_id", "kind", "title", "starts_on", "ends_on", "targets"])?;
            let mut v = Values::default();
            for k in ["org_id", "kind", "title", "starts_on", "ends_on", "goals"] {
                v.set(k, get(k));
            }
            render(&state, &user, v, errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "registers.html")]
struct RegistersPage {
    layout: Layout,
    kind: &'static str,
    rows: Vec<(Register, String, String)>,
    subkinds: Vec<Opt>,
    grades: Vec<Opt>,
    orgs: Vec<Opt>,
    /// Education activities (integrity view): (id, date, title, kind label).
    education: Vec<(String, String, String, String)>,
    campaigns: Vec<Campaign>,
}

async fn registers_page(state: &AppState, user: &CurrentUser, kind: &'static str, notice: Option<String>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let book = &store.supervision;
    let label = |r: &Register| match kind {
        "position" => book.position_kinds.iter().find(|k| k.id == r.subkind).map_or(r.subkind.clone(), |k| k.label.clone()),
        _ => r.subkind.clone(),
    };
    let rows = campaigns::registers(store, p, kind).await?.into_iter().map(|(r, o)| {
        let l = label(&r);
        (r, o, l)
    }).collect();
    let mut education = Vec::new();
    if kind == "risk_point" {
        for k in ["warning_education", "integrity_letter", "festival_discipline_notice"] {
            let list = activities::list(store, p, &ActivityFilter { kind: Some(k.into()), limit: 50, ..Default::default() }).await?;
            education.extend(list.into_iter().map(|a| (a.activity.id, a.activity.held_on.to_string(), a.activity.title, store.rulebook.kind_label(k).to_owned())));
        }
        education.sort_by(|a, b| b.1.cmp(&a.1));
    }
    let ckind = if kind == "position" { "risk_screening" } else { "integrity_review" };
    let writable: Vec<orgs::Org> = orgs::list(store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect();
    let page = RegistersPage {
        layout: Layout::new(user, if kind == "position" { "意识形态阵地" } else { "党风廉政" }, "campaigns").notice(notice),
        kind,
        rows,
        subkinds: book.position_kinds.iter().filter(|k| k.enabled).map(|k| Opt::new(k.id.clone(), k.label.clone(), "")).collect(),
        grades: book.risk_grades.iter().filter(|k| k.enabled).map(|k| Opt::new(k.id.clone(), k.label.clone(), "")).collect(),
        orgs: org_opts(&writable, ""),
        education,
        campaigns: campaigns::campaigns(store, p, Some(ckind)).await?,
    };
    Ok(html_status(StatusCode::OK, &page))
}

pub async fn positions(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    registers_page(&state, &user, "position", n.ok).await
}

pub async fn integrity(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    registers_page(&state, &user, "risk_point", n.ok).await
}

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    subkind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    grade: String,
}

pub async fn add_register(State(state): State<AppState>, f: CsrfForm<RegisterForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let back = if form.kind == "position" { "/positions" } else { "/integrity" };
    let input = RegisterInput {
        org_id: form.org_id, kind: form.kind.clone(), subkind: form.subkind, name: form.name, responsible: form.responsible, description: String::new(),
        measures: form.measures, grade: Some(form.grade).filter(|g| !g.is_empty()), review_cycle_days: (form.kind == "risk_point").then_some(180),
    };
    let r = campaigns::add_register(&state.store, &user.principal, &user.actor(), &input).await?;
    Ok(see_other(back, &format!("已登记“{}”", r.name)))
}
