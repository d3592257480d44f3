//! 党员: the roster (search, filter, paging), one member's record, registration and edits,
//! status events, and the roster as an Excel file.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dangwu_domain::member::{Gender, MemberStatus};
use dangwu_store::members::{self, MemberFilter, MemberRow, StatusFilter};
use dangwu_store::orgs;
use serde::Deserialize;

use crate::auth::{CurrentUser, urlencode};
use crate::render::{Layout, html};
use crate::{AppState, WebError};
use crate::pages::kit::{Opt, org_id, org_opts, staff_only};

mod detail;
mod export;
mod form;

pub const PER_PAGE: u32 = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/members", get(roster).post(form::create))
        .route("/members/new", get(form::new_form))
        .route("/members/export.xlsx", get(export::export))
        .route("/members/template.xlsx", get(export::template))
        .route("/members/{id}", get(detail::show).post(form::update))
        .route("/members/{id}/edit", get(form::edit_form))
        .route("/members/{id}/id-card", post(detail::reveal))
        .route("/members/{id}/events", post(detail::event))
}

pub struct RosterRow {
    pub id: String,
    pub name: String,
    pub gender: &'static str,
    pub org_name: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub joined_on: String,
    pub id_masked: String,
    pub phone: String,
}

impl RosterRow {
    fn from(r: MemberRow) -> Self {
        let m = r.member;
        let status = m.status();
        RosterRow {
            gender: Gender::parse(&m.gender).map(Gender::label).unwrap_or(""),
            status: status.label(),
            status_class: status_class(status),
            joined_on: m.joined_on.to_string(),
            id_masked: m.id_card_masked,
            phone: m.phone.unwrap_or_default(),
            org_name: r.org_name,
            name: m.name,
            id: m.id,
        }
    }
}

pub fn status_class(s: MemberStatus) -> &'static str {
    match s {
        MemberStatus::Full => "ok",
        MemberStatus::Probationary => "warn",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "members_list.html")]
struct RosterPage {
    layout: Layout,
    rows: Vec<RosterRow>,
    total: i64,
    page: u32,
    pages: u32,
    q: String,
    orgs: Vec<Opt>,
    statuses: Vec<Opt>,
    prev: Option<String>,
    next: Option<String>,
    export_href: String,
    can_register: bool,
}

#[derive(Deserialize, Default)]
struct RosterQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    ok: Option<String>,
}

fn status_filter(s: &str) -> StatusFilter {
    match s.trim() {
        "all" => StatusFilter::All,
        "" | "active" => StatusFilter::Active,
        other => MemberStatus::parse(other).map(StatusFilter::Only).unwrap_or_default(),
    }
}

async fn roster(State(state): State<AppState>, user: CurrentUser, Query(q): Query<RosterQuery>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let p = &user.principal;
    let org = match q.org.trim() {
        "" => None,
        s => Some(org_id(s)?),
    };
    let page_no = q.page.trim().parse::<u32>().unwrap_or(1).max(1);
    let filter = MemberFilter { org_id: org, q: Some(q.q.clone()), status: status_filter(&q.status), page: page_no, per_page: PER_PAGE };
    // The store limits the roster to the user's scope; an organisation outside it is "not found".
    let mut found = members::list(&state.store, p, &filter).await?;
    if found.items.is_empty() && found.total > 0 {
        // Past the last page (e.g. an old link after a search narrowed): show the last page.
        let last = MemberFilter { page: found.pages(), ..filter.clone() };
        found = members::list(&state.store, p, &last).await?;
    }
    let pages = found.pages().max(1);
    let visible = orgs::list(&state.store, p, false).await?;
    let cat = &state.store.catalogue;
    let can_register = visible
        .iter()
        .any(|o| p.can_write_member(&o.org_path()) && cat.kind(&o.kind).is_some_and(|k| k.holds_members));
    let status_code = match filter.status {
        StatusFilter::Active => "active",
        StatusFilter::All => "all",
        StatusFilter::Only(s) => s.code(),
    };
    let mut statuses = vec![Opt::new("active", "正式及预备党员", status_code), Opt::new("all", "全部（含已转出等）", status_code)];
    statuses.extend(MemberStatus::ALL.iter().map(|s| Opt::new(s.code(), s.label(), status_code)));
    let link = |n: u32| {
        format!("/members?q={}&org={}&status={}&page={n}", urlencode(q.q.trim()), urlencode(q.org.trim()), status_code)
    };
    let page = RosterPage {
        layout: Layout::new(&user, "党员名册", "members").notice(q.ok.clone()),
        total: found.total,
        page: found.page,
        pages,
        prev: (found.page > 1).then(|| link(found.page - 1)),
        next: (found.page < pages).then(|| link(found.page + 1)),
        rows: found.items.into_iter().map(RosterRow::from).collect(),
        q: q.q.trim().to_owned(),
        orgs: org_opts(&visible, q.org.trim()),
        statuses,
        export_href: format!("/members/export.xlsx?org={}", urlencode(q.org.trim())),
        can_register,
    };
    Ok(html(&page).into_response())
}
