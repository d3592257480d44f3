//! 问题线索 pages, for 纪检 accounts only (the store refuses everyone else, administrators too):
//! the list with the form to register a lead, and one lead with its status history and the form
//! to move it on (only to the statuses the catalogue allows from where it stands).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use dangwu_domain::supervision::CaseLeadInput;
use dangwu_store::case_leads::{self, CaseLead, CaseLeadDetail};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, see_other, today};
use crate::pages::ledger::row_id;
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/case-leads", get(list).post(add))
        .route("/case-leads/{id}", get(show))
        .route("/case-leads/{id}/status", post(status))
}

const FIELDS: &[&str] = &["number", "received_on", "source", "subject_org_id", "summary", "status", "on_date", "note"];

#[derive(Template)]
#[template(path = "case_leads.html")]
struct ListPage {
    layout: Layout,
    /// (lead, subject org, status label)
    rows: Vec<(CaseLead, String, String)>,
    orgs: Vec<Opt>,
    today: String,
    v: Values,
    errors: FieldErrors,
}

async fn render_list(state: &AppState, user: &CurrentUser, v: Values, (status, errors): (StatusCode, FieldErrors), notice: Option<String>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let book = &store.supervision;
    let rows = case_leads::list(store, p).await?.into_iter().map(|(l, o)| {
        let s = book.case_status_label(&l.status).to_owned();
        (l, o, s)
    }).collect();
    let orgs = case_leads::subject_orgs(store, p).await?.into_iter().map(|(id, name)| Opt::new(id, name, v.get("subject_org_id"))).collect();
    let page = ListPage { layout: Layout::new(user, "问题线索", "case_leads").notice(notice), rows, orgs, today: today().to_string(), v, errors };
    Ok(html_status(status, &page))
}

async fn list(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    home(&state, &user, n.ok).await
}

/// The list as first shown (also the 纪检 account's 工作台).
pub async fn home(state: &AppState, user: &CurrentUser, notice: Option<String>) -> Result<Response, WebError> {
    render_list(state, user, Values::default(), (StatusCode::OK, FieldErrors::default()), notice).await
}

async fn add(State(state): State<AppState>, f: CsrfForm<CaseLeadInput>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    case_leads::guard(&user.principal)?;
    let result = async {
        let d = form.validate(today())?;
        Ok::<_, WebError>(case_leads::add(&state.store, &user.principal, &user.actor(), &d).await?)
    }
    .await;
    match result {
        Ok(l) => Ok(see_other(&format!("/case-leads/{}", l.id), &format!("已登记线索 {}", l.number))),
        Err(e) => {
            let errors = FieldErrors::from_error(e, FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("number", &form.number), ("received_on", &form.received_on), ("source", &form.source), ("subject_org_id", &form.subject_org_id), ("summary", &form.summary)] {
                v.set(k, s.trim());
            }
            render_list(&state, &user, v, errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "case_lead.html")]
struct DetailPage {
    layout: Layout,
    d: CaseLeadDetail,
    status_label: String,
    /// (date, from, to, note, by)
    history: Vec<(String, String, String, String, String)>,
    moves: Vec<Opt>,
    today: String,
    v: Values,
    errors: FieldErrors,
}

async fn render_one(state: &AppState, user: &CurrentUser, id: &str, v: Values, (status, errors): (StatusCode, FieldErrors), notice: Option<String>) -> Result<Response, WebError> {
    let d = case_leads::get(&state.store, &user.principal, id).await?;
    let book = &state.store.supervision;
    let label = |s: &str| book.case_status_label(s).to_owned();
    let history = d.history.iter().map(|e| (e.on_date.to_string(), e.from_status.as_deref().map(label).unwrap_or_default(), label(&e.to_status), e.note.clone(), e.created_by.clone())).collect();
    let moves = book.case_status(&d.lead.status).map_or(vec![], |c| c.next.iter().filter_map(|n| book.case_status(n)).map(|n| Opt::new(n.id.clone(), n.label.clone(), v.get("status"))).collect());
    let page = DetailPage {
        layout: Layout::new(user, format!("问题线索 {}", d.lead.number), "case_leads").notice(notice),
        status_label: label(&d.lead.status),
        history,
        moves,
        today: today().to_string(),
        d,
        v,
        errors,
    };
    Ok(html_status(status, &page))
}

async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    let id = row_id(&id, "问题线索")?;
    render_one(&state, &user, &id, Values::default(), (StatusCode::OK, FieldErrors::default()), n.ok).await
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    on_date: String,
    #[serde(default)]
    note: String,
}

async fn status(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<StatusForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "问题线索")?;
    case_leads::guard(&user.principal)?;
    let mut p = Problems::default();
    let on = p.date("on_date", "日期", &form.on_date, true);
    let result = async {
        p.finish()?;
        Ok::<_, WebError>(case_leads::set_status(&state.store, &user.principal, &user.actor(), &id, &form.status, on.expect("checked"), &form.note, today()).await?)
    }
    .await;
    match result {
        Ok(l) => Ok(see_other(&format!("/case-leads/{id}"), &format!("线索状态已改为“{}”", state.store.supervision.case_status_label(&l.status)))),
        Err(e) => {
            let errors = FieldErrors::from_error(e, FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("status", &form.status), ("on_date", &form.on_date), ("note", &form.note)] {
                v.set(k, s.trim());
            }
            render_one(&state, &user, &id, v, errors, None).await
        }
    }
}
