//! 服务队 and 代表推选 pages: the teams (a member sees their own, on the phone), a team with its
//! members and service, the nominations and one nomination's rates per org and in total
//! (computed from the roster), with a CSRF-protected form to record everyone informed and taking part.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use dangwu_domain::auth::Role;
use dangwu_domain::community::{CommunityBook, Rates, hours_text, percent};
use dangwu_store::community::communities::{self, Community, CommunityDetail};
use dangwu_store::community::elections::{self, Election, ElectionDetail};
use dangwu_store::community::groups::{self, GroupDetail, GroupRow, Register};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::see_other;
use crate::render::{Layout, html};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/teams", get(teams))
        .route("/teams/{id}", get(team))
        .route("/elections", get(election_list))
        .route("/elections/{id}", get(election))
        .route("/elections/{id}/mark-all", post(mark_all))
        .route("/elections/{id}/marks", post(marks))
        .route("/communities", get(community_list))
        .route("/communities/{id}", get(community))
}

pub struct TeamLine {
    pub row: GroupRow,
    pub kind: String,
    pub hours: String,
}

#[derive(Template)]
#[template(path = "community_teams.html")]
struct TeamsPage {
    layout: Layout,
    teams: Vec<TeamLine>,
    posts: Vec<TeamLine>,
}

fn lines(rows: Vec<GroupRow>, kinds: &[dangwu_domain::community::Entry]) -> Vec<TeamLine> {
    rows.into_iter().map(|r| TeamLine { kind: CommunityBook::label(kinds, &r.group.kind).to_owned(), hours: hours_text(r.hours_tenths), row: r }).collect()
}

async fn teams(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let teams = lines(groups::list(store, p, Register::Team, None).await?, &store.community.team_kinds);
    let posts = lines(groups::list(store, p, Register::Post, None).await?, &store.community.post_kinds);
    let title = if p.role == Role::Member { "我的服务队和岗位" } else { "服务队和岗位" };
    Ok(html(&TeamsPage { layout: Layout::new(&user, title, "teams").notice(n.ok), teams, posts }))
}

#[derive(Template)]
#[template(path = "community_team.html")]
struct TeamPage {
    layout: Layout,
    d: GroupDetail,
    kind: String,
    hours: String,
    services: Vec<(String, String, String, i64, String)>,
}

async fn team(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let store = &state.store;
    let d = groups::get(store, &user.principal, Register::Team, &id).await?;
    let kind = CommunityBook::label(&store.community.team_kinds, &d.row.group.kind).to_owned();
    let services = d.services.iter().map(|s| (s.id.clone(), s.held_on.to_string(), s.title.clone(), s.present_count, hours_text(s.hours_tenths()))).collect();
    Ok(html(&TeamPage { layout: Layout::new(&user, d.row.group.name.clone(), "teams"), hours: hours_text(d.row.hours_tenths), kind, services, d }))
}

#[derive(Template)]
#[template(path = "community_elections.html")]
struct ElectionsPage {
    layout: Layout,
    list: Vec<(Election, usize, RateLine)>,
}

/// Every listed nomination with its total rates, computed for all of them at once.
async fn election_list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let list = elections::list_rates(&state.store, &user.principal).await?;
    let list = list.into_iter().map(|e| (e.election, e.targets.len(), RateLine::new("合计".into(), &e.total))).collect();
    Ok(html(&ElectionsPage { layout: Layout::new(&user, "代表推选", "elections"), list }))
}

pub struct RateLine {
    pub org: String,
    pub eligible: i64,
    pub informed: i64,
    pub took_part: i64,
    pub awareness: String,
    pub participation: String,
}

impl RateLine {
    fn new(org: String, r: &Rates) -> Self {
        RateLine {
            org,
            eligible: r.eligible,
            informed: r.informed,
            took_part: r.took_part,
            awareness: percent(r.awareness()),
            participation: percent(r.participation()),
        }
    }
}

#[derive(Template)]
#[template(path = "community_election.html")]
struct ElectionPage {
    layout: Layout,
    d: ElectionDetail,
    lines: Vec<RateLine>,
    total: RateLine,
    can_write: bool,
    /// The target org whose eligible members the marking form lists.
    org: String,
    orgs: Vec<crate::pages::kit::Opt>,
    marks: Vec<elections::MemberMark>,
}

#[derive(Deserialize)]
struct ElectionQ {
    ok: Option<String>,
    org: Option<String>,
}

async fn election(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<ElectionQ>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let d = elections::get(store, p, &id).await?;
    let name = |o: &str| d.targets.iter().find(|t| t.id == o).map_or(o.to_owned(), |t| t.name.clone());
    // Every target org is listed, also one holding no members itself (e.g. 机关党委).
    let lines = d
        .targets
        .iter()
        .map(|t| match d.per_org.iter().find(|r| r.org_id == t.id) {
            Some(r) => RateLine::new(name(&r.org_id), r),
            None => RateLine::new(t.name.clone(), &Rates::default()),
        })
        .collect();
    let total = RateLine::new("合计".into(), &d.total);
    let organiser = dangwu_store::orgs::find(store, dangwu_domain::OrgId::parse(&d.election.org_id)?).await?;
    let can_write = organiser.is_some_and(|o| p.can_write_member(&o.org_path()));
    let org = q.org.filter(|o| d.targets.iter().any(|t| t.id == *o)).or_else(|| d.targets.first().map(|t| t.id.clone())).unwrap_or_default();
    let orgs = d.targets.iter().map(|t| crate::pages::kit::Opt::new(t.id.clone(), t.name.clone(), &org)).collect();
    let marks = if can_write { d.members.iter().filter(|m| m.org_id == org).cloned().collect() } else { vec![] };
    let layout = Layout::new(&user, format!("{}推选", d.election.title), "elections").notice(q.ok);
    Ok(html(&ElectionPage { layout, lines, total, can_write, org, orgs, marks, d }))
}

#[derive(Deserialize)]
struct MarkAll {}

async fn mark_all(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<MarkAll>) -> Result<Response, WebError> {
    let n = elections::mark_all(&state.store, &f.user.principal, &f.user.actor(), &id, true, true).await?;
    Ok(see_other(&format!("/elections/{id}"), &format!("已将{n}名可参加党员记为知晓并参与")))
}

/// Per-member marks for the listed members (`member` repeated); a ticked 参与 without 知晓, or a
/// member not eligible, refuses the whole form.
async fn marks(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, body: axum::body::Bytes) -> Result<Response, WebError> {
    let f = crate::pages::activities::formdata::Pairs::parse(&body);
    if !crate::csrf::matches(f.get("csrf_token"), &user.csrf_token) {
        return Err(WebError::csrf());
    }
    let ticked = |k: &str, m: &str| f.0.iter().any(|(key, v)| key == k && v == m);
    let input: Vec<elections::MarkInput> = f
        .all("member")
        .into_iter()
        .map(|m| elections::MarkInput { informed: ticked("informed", &m), took_part: ticked("took_part", &m), member_id: m, recommended: String::new() })
        .collect();
    let n = elections::set_marks(&state.store, &user.principal, &user.actor(), &id, &input).await?;
    let org = crate::auth::urlencode(f.get("org"));
    Ok(see_other(&format!("/elections/{id}?org={org}"), &format!("已记录{n}名党员的知晓、参与情况")))
}

#[derive(Template)]
#[template(path = "community_list.html")]
struct CommunitiesPage {
    layout: Layout,
    list: Vec<(Community, i64, i64)>,
}

async fn community_list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let list = communities::list(&state.store, &user.principal).await?;
    Ok(html(&CommunitiesPage { layout: Layout::new(&user, "双报到社区", "teams"), list }))
}

#[derive(Template)]
#[template(path = "community_detail.html")]
struct CommunityPage {
    layout: Layout,
    d: CommunityDetail,
}

async fn community(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let d = communities::get(&state.store, &user.principal, &id).await?;
    Ok(html(&CommunityPage { layout: Layout::new(&user, d.community.name.clone(), "teams"), d }))
}
