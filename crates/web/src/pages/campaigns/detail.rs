//! One campaign: its targets against the checklist (result, grade, note), the branch's existing
//! records beside each item (nothing uploaded again), the problems it raised (ledger items), a
//! program's tasks and linked activities; the forms to record a result and to link an activity.
//! And a register entry.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dangwu_domain::OrgId;
use dangwu_domain::supervision::{CheckOutcome, ChecklistItemDef, REVIEW_ITEM};
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_store::campaigns::{self, CampaignDetail, Register, ResultRow};
use dangwu_store::orgs::Org;
use serde::Deserialize;

use super::outcome_tag;
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, see_other, staff_only, today};
use crate::pages::ledger::row_id;
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "campaigns_detail.html")]
struct DetailPage {
    layout: Layout,
    d: CampaignDetail,
    kind_label: String,
    items: Vec<ChecklistItemDef>,
    target_opts: Vec<Opt>,
    item_opts: Vec<Opt>,
    outcome_opts: Vec<Opt>,
    /// Activities of the campaign's organisation in its period not yet linked (writers only).
    activity_opts: Vec<Opt>,
    today: String,
    v: Values,
    errors: FieldErrors,
}

impl DetailPage {
    fn cell(&self, target: &str, item: &str) -> Option<&ResultRow> {
        self.d.result(target, item)
    }
    fn tag(&self, code: &str) -> &'static str {
        outcome_tag(code)
    }
    fn outcome_label(&self, code: &str) -> &'static str {
        CheckOutcome::parse(code).map_or("", |o| o.label())
    }
    fn status_label(&self, code: &str) -> String {
        dangwu_domain::supervision::LedgerStatus::parse(code).map_or(code.to_owned(), |s| s.label().to_owned())
    }
    /// Tasks (or problems) closed, of all: a program's progress.
    fn progress(&self) -> String {
        let done = self.d.items.iter().filter(|i| i.status == "closed").count();
        format!("{done}/{}", self.d.items.len())
    }
    /// The target org's records of the item's activity kinds.
    fn records(&self, org_id: &str, item: &ChecklistItemDef) -> Vec<&campaigns::Evidence> {
        self.d.records.iter().filter(|r| r.org_id == org_id && item.kinds.contains(&r.kind)).collect()
    }
}

async fn render(state: &AppState, user: &CurrentUser, id: &str, v: Values, (status, errors): (StatusCode, FieldErrors), notice: Option<String>) -> Result<Response, WebError> {
    let d = campaigns::campaign(&state.store, &user.principal, id).await?;
    let book = &state.store.supervision;
    let items = match book.checklist(d.campaign.checklist.as_deref().unwrap_or("")) {
        Some(c) => c.items.clone(),
        None if d.targets.is_empty() => vec![],
        None => vec![ChecklistItemDef { id: REVIEW_ITEM.into(), label: "复查".into(), kinds: vec![] }],
    };
    let mut activity_opts = Vec::new();
    if d.can_write {
        let f = ActivityFilter { org_id: Some(OrgId::parse(&d.campaign.org_id)?), from: Some(d.campaign.starts_on), to: Some(d.campaign.ends_on), ..Default::default() };
        for a in activities::list(&state.store, &user.principal, &f).await? {
            if !d.activities.iter().any(|l| l.activity_id == a.activity.id) {
                activity_opts.push(Opt::new(a.activity.id, format!("{} {}（{}）", a.activity.held_on, a.activity.title, a.org_name), v.get("activity_id")));
            }
        }
    }
    let page = DetailPage {
        layout: Layout::new(user, d.campaign.title.clone(), "campaigns").notice(notice),
        activity_opts,
        kind_label: book.campaign_kind(&d.campaign.kind).map_or(d.campaign.kind.clone(), |k| k.label.clone()),
        target_opts: d.targets.iter().map(|t| Opt::new(t.target_id.clone(), t.name.clone(), v.get("target_id"))).collect(),
        item_opts: items.iter().map(|i| Opt::new(i.id.clone(), i.label.clone(), v.get("item"))).collect(),
        outcome_opts: CheckOutcome::ALL.iter().map(|o| Opt::new(o.code(), o.label(), v.get("outcome"))).collect(),
        items,
        today: today().to_string(),
        d,
        v,
        errors,
    };
    Ok(html_status(status, &page))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let id = row_id(&id, "检查或活动")?;
    render(&state, &user, &id, Values::default(), (StatusCode::OK, FieldErrors::default()), n.ok).await
}

/// A program's address in report links.
pub async fn program(Path(id): Path<String>) -> Result<Response, WebError> {
    let id = row_id(&id, "实施方案")?;
    Ok(Redirect::to(&format!("/campaigns/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct ResultForm {
    #[serde(default)]
    target_id: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    checked_on: String,
}

pub async fn record(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<ResultForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "检查或活动")?;
    let mut p = Problems::default();
    let on = p.date("checked_on", "检查日期", &form.checked_on, true);
    let outcome = CheckOutcome::parse(&form.outcome).map_err(|e| p.extend(e)).ok();
    let result = async {
        p.finish()?;
        let r = campaigns::record_result(&state.store, &user.principal, &user.actor(), &id, &form.target_id, &form.item, outcome.expect("checked"), Some(&form.grade), &form.note, on.expect("checked")).await?;
        Ok::<_, WebError>(r)
    }
    .await;
    match result {
        Ok(r) if r.ledger_item_id.is_some() => Ok(see_other(&format!("/campaigns/{id}"), "已记录，不合格项已转为问题台账事项")),
        Ok(_) => Ok(see_other(&format!("/campaigns/{id}"), "已记录检查结果")),
        Err(e) => {
            let errors = FieldErrors::from_error(e, &["target_id", "item", "outcome", "grade", "note", "checked_on"])?;
            let mut v = Values::default();
            for (k, s) in [("target_id", &form.target_id), ("item", &form.item), ("outcome", &form.outcome), ("grade", &form.grade), ("note", &form.note), ("checked_on", &form.checked_on)] {
                v.set(k, s.trim());
            }
            render(&state, &user, &id, v, errors, None).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    activity_id: String,
}

pub async fn link(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<LinkForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "检查或活动")?;
    let result = async {
        let activity = OrgId::parse(form.activity_id.trim()).map_err(|_| dangwu_domain::DomainError::field("activity_id", "请选择要关联的活动"))?;
        campaigns::link_activity(&state.store, &user.principal, &user.actor(), &id, &activity.to_string()).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/campaigns/{id}"), "已关联活动")),
        Err(e) => {
            let errors = FieldErrors::from_error(e, &["activity_id"])?;
            let mut v = Values::default();
            v.set("activity_id", form.activity_id.trim());
            render(&state, &user, &id, v, errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "register_detail.html")]
struct RegisterPage {
    layout: Layout,
    r: Register,
    org: Org,
    kind_label: String,
    results: Vec<(String, ResultRow)>,
}

impl RegisterPage {
    fn tag(&self, code: &str) -> &'static str {
        outcome_tag(code)
    }
    fn outcome_label(&self, code: &str) -> &'static str {
        CheckOutcome::parse(code).map_or("", |o| o.label())
    }
}

pub async fn register(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let id = row_id(&id, "台账条目")?;
    let (r, org, results) = campaigns::register(&state.store, &user.principal, &id).await?;
    let book = &state.store.supervision;
    let kind_label = book.position_kinds.iter().find(|k| k.id == r.subkind).map_or(r.subkind.clone(), |k| k.label.clone());
    Ok(html(&RegisterPage { layout: Layout::new(&user, r.name.clone(), "campaigns"), r, org, kind_label, results }))
}
