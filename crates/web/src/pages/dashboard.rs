//! 工作台: what the signed-in user is responsible for, at a glance.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Days, NaiveDate};
use dangwu_domain::auth::Role;
use dangwu_domain::member::MemberStatus;
use dangwu_store::stats;
use dangwu_store::terms::{self, EndingTerm};

use super::Notice;
use crate::auth::CurrentUser;
use crate::render::{html, Layout};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(show))
}

pub struct Tally {
    pub label: String,
    pub n: i64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    layout: Layout,
    orgs: Vec<Tally>,
    members: Vec<Tally>,
    active_total: i64,
    ending: Vec<EndingTerm>,
    today: NaiveDate,
    warn_days: u64,
    due: Vec<DueLine>,
    due_days: u64,
    /// Members behind on dues: (name, org, months, tag class).
    arrears: Vec<(String, String, u32, &'static str)>,
    /// Open ledger items in scope that are overdue or due within `DUE_DAYS`.
    ledger_due: Vec<dangwu_store::supervision::DueItem>,
    /// 廉政风险点 in scope whose review cycle has lapsed.
    reviews_due: Vec<dangwu_store::risk_reviews::OverdueReview>,
}

/// An obligation of a running period not yet met.
pub struct DueLine {
    pub org_id: String,
    pub org_name: String,
    pub title: String,
    pub period: String,
    pub due_on: NaiveDate,
    pub days_left: i64,
    pub missing: u32,
}

pub const DUE_DAYS: u64 = 30;

pub const TERM_WARNING_DAYS: u64 = 90;

async fn show(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    let p = &user.principal;
    // A 纪检 account's work is the case leads: its 工作台 is their list.
    if p.role == Role::Discipline {
        return super::case_leads::home(&state, &user, n.ok).await;
    }
    if p.role == Role::Member {
        if let Some(m) = p.member_id {
            return Ok(Redirect::to(&format!("/members/{m}")).into_response());
        }
    }
    let cat = &state.store.catalogue;
    let orgs = stats::orgs_by_kind(&state.store, p)
        .await?
        .into_iter()
        .map(|c| Tally { label: cat.label(&c.key).to_owned(), n: c.n })
        .collect();
    let by_status = stats::members_by_status(&state.store, p).await?;
    let active_total = by_status
        .iter()
        .filter(|c| MemberStatus::parse(&c.key).is_ok_and(MemberStatus::is_active))
        .map(|c| c.n)
        .sum();
    let members = by_status
        .into_iter()
        .map(|c| Tally { label: MemberStatus::parse(&c.key).map(|s| s.label().to_owned()).unwrap_or(c.key), n: c.n })
        .collect();
    let today = chrono::Local::now().date_naive();
    let ending = terms::ending_between(&state.store, p, today, today + Days::new(TERM_WARNING_DAYS)).await?;
    let c = dangwu_store::compliance::due_soon(&state.store, p, today, DUE_DAYS).await?;
    let due = c
        .findings
        .iter()
        .filter_map(|f| {
            let org = c.orgs.iter().find(|o| o.id == f.org_id)?;
            let rule = state.store.rulebook.rule(&f.rule_id)?;
            Some(DueLine {
                org_id: org.id.clone(),
                org_name: org.name.clone(),
                title: rule.title.clone(),
                period: f.period.label(),
                due_on: f.period.end(),
                days_left: (f.period.end() - today).num_days(),
                missing: f.expected.saturating_sub(f.actual),
            })
        })
        .collect();
    let arrears = super::dues::arrears_summary(&state, &user).await?;
    let ledger_due = dangwu_store::supervision::due_soon(&state.store, p, today, DUE_DAYS).await?;
    let reviews_due = dangwu_store::risk_reviews::overdue(&state.store, p, today).await?;
    let page = Dashboard {
        reviews_due,
        ledger_due, arrears, layout: Layout::new(&user, "工作台", "home").notice(n.ok), orgs, members, active_total, ending, today, warn_days: TERM_WARNING_DAYS, due, due_days: DUE_DAYS };
    Ok(html(&page))
}
