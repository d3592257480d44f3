//! 培训 pages: the year's sessions with their 学时 and capability tags, each member's hours against
//! their target (party-affairs staff shown apart; a member sees their own, on the phone), and the
//! form to record a session for one organisation with its roster to tick.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use dangwu_domain::community::training::{SessionInput, year_range};
use dangwu_domain::community::{CommunityBook, hours_text};
use dangwu_store::community::training::{self, Named};
use dangwu_store::orgs::Org;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::pages::activities::formdata::Pairs;
use crate::pages::kit::{FieldErrors, Opt, org_id, org_opts, see_other, today};
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/training", get(page)).route("/training/new", get(new).post(create))
}

pub struct SessionLine {
    pub id: String,
    pub held_on: String,
    pub title: String,
    pub org: String,
    pub kind: String,
    pub hours: String,
    pub participants: i64,
    pub tags: String,
}

pub struct StandingLine {
    pub name: String,
    pub org: String,
    pub hours: String,
    pub target: u32,
    pub leader: bool,
    pub below: bool,
}

impl From<&Named> for StandingLine {
    fn from(n: &Named) -> Self {
        let s = &n.standing;
        StandingLine { name: n.name.clone(), org: n.org_name.clone(), hours: hours_text(s.tenths), target: s.target, leader: s.leader, below: s.below() }
    }
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingPage {
    layout: Layout,
    year: i32,
    member_target: u32,
    leader_target: u32,
    sessions: Vec<SessionLine>,
    /// 党务工作者 first, then the other members.
    groups: Vec<(&'static str, Vec<StandingLine>)>,
    below: usize,
    can_record: bool,
}

#[derive(Deserialize)]
struct YearQ {
    year: Option<String>,
    ok: Option<String>,
}

async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<YearQ>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let (from, to) = year_range(q.year.as_deref(), today())?;
    let book = &store.community;
    let kind_label = |k: &str| store.rulebook.kind(k).map_or(k.to_owned(), |d| d.label.clone());
    let sessions = training::sessions(store, p, from, to)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            hours: hours_text(s.hours_tenths()),
            tags: s.capabilities().iter().map(|c| CommunityBook::label(&book.capabilities, c)).collect::<Vec<_>>().join("、"),
            kind: kind_label(&s.kind),
            id: s.id,
            held_on: s.held_on.to_string(),
            title: s.title,
            org: s.org_name,
            participants: s.present_count,
        })
        .collect();
    let all = training::visible(store, p, from, to).await?;
    let below = all.iter().filter(|n| n.standing.below()).count();
    let (workers, others): (Vec<&Named>, Vec<&Named>) = all.iter().partition(|n| n.standing.party_worker);
    let title = if p.role == dangwu_domain::auth::Role::Member { "我的培训" } else { "培训" };
    Ok(html(&TrainingPage {
        layout: Layout::new(&user, title, "training").notice(q.ok),
        year: from.year(),
        member_target: book.training.member_hours,
        leader_target: book.training.leader_hours,
        sessions,
        groups: vec![("党务工作者", workers.into_iter().map(StandingLine::from).collect()), ("党员", others.into_iter().map(StandingLine::from).collect())],
        below,
        can_record: !recording_orgs(&state, &user).await?.is_empty(),
    }))
}

/// Orgs the user may record a session for.
async fn recording_orgs(state: &AppState, user: &CurrentUser) -> Result<Vec<Org>, WebError> {
    let p = &user.principal;
    Ok(dangwu_store::orgs::list(&state.store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect())
}

pub struct Tick {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "training_form.html")]
struct FormPage {
    layout: Layout,
    /// None: pick the organisation first.
    org: Option<Org>,
    orgs: Vec<Opt>,
    i: SessionInput,
    kinds: Vec<Opt>,
    tags: Vec<Tick>,
    people: Vec<Tick>,
    errors: FieldErrors,
}

const FIELDS: &[&str] = &["org_id", "kind", "title", "held_on", "hours", "capabilities", "topics", "lecturer", "place", "attendees", "attendance"];

async fn form(state: &AppState, user: &CurrentUser, org: Option<Org>, i: SessionInput, errors: FieldErrors) -> Result<FormPage, WebError> {
    let store = &state.store;
    let orgs = recording_orgs(state, user).await?;
    let kinds = store.community.training.kinds.iter().map(|k| Opt::new(k.clone(), store.rulebook.kind(k).map_or(k.clone(), |d| d.label.clone()), &i.kind)).collect();
    let tags = store
        .community
        .capabilities
        .iter()
        .filter(|c| c.enabled)
        .map(|c| Tick { checked: i.capabilities.iter().any(|x| *x == c.id || *x == c.label), value: c.id.clone(), label: c.label.clone() })
        .collect();
    let people = match &org {
        Some(o) => dangwu_store::activities::roster(store, &o.id)
            .await?
            .into_iter()
            .map(|(m, name)| Tick { checked: i.participant_ids.contains(&m.to_string()), value: m.to_string(), label: name })
            .collect(),
        None => vec![],
    };
    Ok(FormPage { layout: Layout::new(user, "记录培训", "training"), orgs: org_opts(&orgs, &i.org_id), org, i, kinds, tags, people, errors })
}

#[derive(Deserialize)]
struct NewQ {
    org: Option<String>,
}

async fn new(State(state): State<AppState>, user: CurrentUser, Query(q): Query<NewQ>) -> Result<Response, WebError> {
    let org = match q.org.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(dangwu_store::orgs::get(&state.store, &user.principal, org_id(s)?).await?),
        None => None,
    };
    let i = SessionInput { org_id: org.as_ref().map(|o| o.id.clone()).unwrap_or_default(), kind: "training".into(), held_on: today().to_string(), ..Default::default() };
    Ok(html(&form(&state, &user, org, i, FieldErrors::default()).await?))
}

async fn create(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, WebError> {
    let f = Pairs::parse(&body);
    if !crate::csrf::matches(f.get("csrf_token"), &user.csrf_token) {
        return Err(WebError::csrf());
    }
    let i = SessionInput {
        org_id: f.get("org_id").to_owned(),
        kind: f.get("kind").to_owned(),
        title: f.get("title").to_owned(),
        held_on: f.get("held_on").to_owned(),
        hours: f.get("hours").to_owned(),
        capabilities: f.all("capabilities"),
        topics: f.get("topics").to_owned(),
        lecturer: f.get("lecturer").to_owned(),
        place: f.get("place").to_owned(),
        participant_ids: f.all("participant"),
    };
    let store = &state.store;
    match training::record(store, &user.principal, &user.actor(), &i, today(), store.activity_future_days).await {
        Ok(a) => Ok(see_other(&format!("/training?year={}", a.held_on.year()), &format!("已记录培训“{}”", a.title))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e.into(), FIELDS)?;
            let org = dangwu_store::orgs::get(store, &user.principal, org_id(&i.org_id)?).await?;
            Ok(html_status(status, &form(&state, &user, Some(org), i, errors).await?))
        }
    }
}
