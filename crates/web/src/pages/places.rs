//! A post's page and a community need's page (linked from report provenance), and the forms to
//! create teams, posts, elections, communities and needs, and to claim a need and close it with
//! the claiming org's 为社区办实事 activity. Members of a team or post are chosen from the
//! in-scope roster, never typed.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use dangwu_domain::auth::Role;
use dangwu_domain::community::{CommunityBook, ElectionInput, GroupInput};
use dangwu_domain::date::parse_date;
use dangwu_domain::DomainError;
use dangwu_store::community::communities::{self, CommunityDetail, Need};
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_store::community::elections;
use dangwu_store::community::groups::{self, GroupDetail, Register};
use dangwu_store::orgs::{self, Org};

use crate::auth::CurrentUser;
use crate::pages::Notice;
use crate::pages::activities::formdata::Pairs;
use crate::pages::kit::{FieldErrors, Opt, org_id, org_opts, see_other, today};
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/posts/{id}", get(post_page))
        .route("/communities/needs/{id}", get(need_page))
        .route("/communities/needs/{id}/claim", post(claim))
        .route("/communities/needs/{id}/done", post(close_need))
        .route("/communities/{id}/needs", post(add_need))
        .route("/communities/new", get(new_community).post(create_community))
        .route("/teams/new", get(new_team).post(create_team))
        .route("/posts/new", get(new_post).post(create_post))
        .route("/elections/new", get(new_election).post(create_election))
}

fn posted(user: &CurrentUser, body: &Bytes) -> Result<Pairs, WebError> {
    let f = Pairs::parse(body);
    if !crate::csrf::matches(f.get("csrf_token"), &user.csrf_token) {
        return Err(WebError::csrf());
    }
    Ok(f)
}

async fn writable_orgs(state: &AppState, user: &CurrentUser) -> Result<Vec<Org>, WebError> {
    let p = &user.principal;
    Ok(orgs::list(&state.store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect())
}

#[derive(Template)]
#[template(path = "community_post.html")]
struct PostPage {
    layout: Layout,
    d: GroupDetail,
    kind: String,
}

async fn post_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let d = groups::get(&state.store, &user.principal, Register::Post, &id).await?;
    let kind = CommunityBook::label(&state.store.community.post_kinds, &d.row.group.kind).to_owned();
    Ok(html(&PostPage { layout: Layout::new(&user, d.row.group.name.clone(), "teams"), kind, d }))
}

#[derive(Template)]
#[template(path = "community_need.html")]
struct NeedPage {
    layout: Layout,
    n: Need,
    c: CommunityDetail,
    claimer: Option<String>,
    orgs: Vec<Opt>,
    /// Shown to who may close the claimed need: the claiming org's 为社区办实事 activities.
    closing: Option<Vec<Opt>>,
}

async fn need_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<Notice>) -> Result<Response, WebError> {
    let (n, c) = communities::need(&state.store, &user.principal, &id).await?;
    let claimer = match &n.org_id {
        Some(o) => orgs::find(&state.store, org_id(o)?).await?.map(|o| o.name),
        None => None,
    };
    let orgs = if n.status == "open" { org_opts(&writable_orgs(&state, &user).await?, "") } else { vec![] };
    let closing = match (n.status.as_str(), &n.org_id) {
        ("claimed", Some(o)) => done_choices(&state, &user, o).await?,
        _ => None,
    };
    Ok(html(&NeedPage { layout: Layout::new(&user, n.title.clone(), "teams").notice(q.ok), n, c, claimer, orgs, closing }))
}

/// The activities that may close a need claimed by `org` (as `communities::done` requires: the
/// org's own 为社区办实事 records), newest first; `None` if the user may not write for the org.
async fn done_choices(state: &AppState, user: &CurrentUser, org: &str) -> Result<Option<Vec<Opt>>, WebError> {
    let p = &user.principal;
    let Some(o) = orgs::find(&state.store, org_id(org)?).await? else { return Ok(None) };
    if !p.can_write_org(&o.org_path()) {
        return Ok(None);
    }
    let f = ActivityFilter { org_id: Some(o.org_id()), kind: Some(communities::PROJECT_KIND.into()), limit: 200, ..Default::default() };
    let rows = activities::list(&state.store, p, &f).await?;
    Ok(Some(rows.into_iter().filter(|r| r.activity.org_id == o.id).map(|r| Opt::new(r.activity.id, format!("{} {}", r.activity.held_on, r.activity.title), "")).collect()))
}

async fn close_need(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let activity = f.get("activity_id").trim();
    if activity.is_empty() {
        return Err(DomainError::field("activity_id", "请选择办结所关联的“为社区办实事”活动").into());
    }
    communities::done(&state.store, &user.principal, &user.actor(), &id, activity).await?;
    Ok(see_other(&format!("/communities/needs/{id}"), "已办结"))
}

async fn claim(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let org = org_id(f.get("org_id")).map_err(|_| WebError::from(DomainError::field("org_id", "请选择认领的党组织")))?;
    communities::claim(&state.store, &user.principal, &user.actor(), &id, org, None).await?;
    Ok(see_other(&format!("/communities/needs/{id}"), "已认领"))
}

async fn add_need(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let on = parse_date(f.get("raised_on")).ok_or_else(|| WebError::from(DomainError::field("raised_on", "提出日期格式不正确，应为如 2022-01-05 的日期")))?;
    let n = communities::add_need(&state.store, &user.principal, &user.actor(), &id, f.get("title"), on).await?;
    Ok(see_other(&format!("/communities/needs/{}", n.id), "已登记需求"))
}

/// One form page for every "new" record here: its fields are listed, the template draws them.
pub enum Field {
    Text { name: &'static str, label: &'static str, value: String, kind: &'static str },
    Select { name: &'static str, label: &'static str, opts: Vec<Opt> },
    Many { name: &'static str, label: &'static str, opts: Vec<Opt> },
}

#[derive(Template)]
#[template(path = "community_new.html")]
struct NewPage {
    layout: Layout,
    action: &'static str,
    back: &'static str,
    fields: Vec<Field>,
    errors: FieldErrors,
}

impl Field {
    fn name(&self) -> &str {
        match self {
            Field::Text { name, .. } | Field::Select { name, .. } | Field::Many { name, .. } => name,
        }
    }
}

fn text(name: &'static str, label: &'static str, f: &Pairs, kind: &'static str) -> Field {
    Field::Text { name, label, value: f.get(name).to_owned(), kind }
}

fn many(all: Vec<(String, String)>, chosen: &[String]) -> Vec<Opt> {
    all.into_iter().map(|(v, l)| Opt { selected: chosen.contains(&v), value: v, label: l }).collect()
}

async fn new_page(state: &AppState, user: &CurrentUser, what: &str, f: &Pairs, errors: FieldErrors) -> Result<NewPage, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let orgs = writable_orgs(state, user).await?;
    let org_sel = Field::Select { name: "org_id", label: "党组织", opts: org_opts(&orgs, f.get("org_id")) };
    let kinds = |list: &[dangwu_domain::community::Entry]| list.iter().filter(|k| k.enabled).map(|k| Opt::new(k.id.clone(), k.label.clone(), f.get("kind"))).collect();
    let roster = || async {
        let people = groups::choosable(store, p).await?;
        Ok::<_, WebError>(many(people.into_iter().map(|m| (m.member_id, format!("{}（{}）", m.name, m.org_name))).collect(), &f.all("member_ids")))
    };
    let (title, action, back, fields) = match what {
        "team" | "post" => {
            let team = what == "team";
            let mut v = vec![
                org_sel,
                Field::Select { name: "kind", label: "类型", opts: kinds(if team { &store.community.team_kinds } else { &store.community.post_kinds }) },
                text("name", "名称", f, "text"),
                text("purpose", if team { "任务" } else { "任务或服务对象（如 第25届省运会）" }, f, "text"),
            ];
            if team {
                let mut opts = vec![Opt::new("", "（不对接社区）", f.get("community_id"))];
                opts.extend(communities::list(store, p).await?.into_iter().map(|(c, _, _)| Opt::new(c.id, c.name, f.get("community_id"))));
                v.push(Field::Select { name: "community_id", label: "对接社区", opts });
            }
            v.extend([text("starts_on", "开始日期", f, "date"), text("ends_on", "结束日期（可不填）", f, "date")]);
            v.push(Field::Many { name: "member_ids", label: "成员（可多选，须为该党组织及其下级的党员）", opts: roster().await? });
            if team { ("组建服务队", "/teams/new", "/teams", v) } else { ("设立岗位", "/posts/new", "/teams", v) }
        }
        "election" => {
            let targets = many(orgs.iter().map(|o| (o.id.clone(), o.name.clone())).collect(), &f.all("org_ids"));
            let v = vec![
                Field::Select { name: "org_id", label: "组织推选的党组织", opts: org_opts(&orgs, f.get("org_id")) },
                text("title", "推选名称（如 党的二十大代表）", f, "text"),
                text("opens_on", "开始日期", f, "date"),
                text("closes_on", "结束日期", f, "date"),
                Field::Many { name: "org_ids", label: "参加推选的党组织（可多选）", opts: targets },
                text("note", "说明", f, "text"),
            ];
            ("发起代表推选", "/elections/new", "/elections", v)
        }
        _ => ("登记社区", "/communities/new", "/communities", vec![text("name", "社区名称", f, "text"), text("address", "地址", f, "text")]),
    };
    Ok(NewPage { layout: Layout::new(user, title, if what == "election" { "elections" } else { "teams" }), action, back, fields, errors })
}

fn blank() -> Pairs {
    Pairs(vec![("starts_on".into(), today().to_string()), ("opens_on".into(), today().to_string())])
}

async fn shown(state: &AppState, user: &CurrentUser, what: &str) -> Result<Response, WebError> {
    if user.principal.role == Role::Member {
        return Err(WebError::forbidden("党员账号不能登记"));
    }
    Ok(html(&new_page(state, user, what, &blank(), FieldErrors::default()).await?))
}

async fn new_team(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    shown(&state, &user, "team").await
}
async fn new_post(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    shown(&state, &user, "post").await
}
async fn new_election(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    shown(&state, &user, "election").await
}
async fn new_community(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    shown(&state, &user, "community").await
}

/// The outcome of a create: to the new record, or the form again with every problem beside its field.
async fn answer(state: &AppState, user: &CurrentUser, what: &str, f: &Pairs, r: Result<String, dangwu_store::StoreError>) -> Result<Response, WebError> {
    match r {
        Ok(to) => Ok(see_other(&to, "已保存")),
        Err(e) => {
            let page = new_page(state, user, what, f, FieldErrors::default()).await?;
            let names: Vec<&str> = page.fields.iter().map(Field::name).collect();
            let (status, errors) = FieldErrors::from_error(e.into(), &names)?;
            Ok(html_status(status, &NewPage { errors, ..page }))
        }
    }
}

fn group_input(f: &Pairs) -> GroupInput {
    GroupInput {
        org_id: f.get("org_id").into(),
        kind: f.get("kind").into(),
        name: f.get("name").into(),
        purpose: f.get("purpose").into(),
        community_id: f.get("community_id").into(),
        starts_on: f.get("starts_on").into(),
        ends_on: f.get("ends_on").into(),
        member_ids: f.all("member_ids"),
    }
}

async fn create_team(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let r = groups::create(&state.store, &user.principal, &user.actor(), Register::Team, &group_input(&f)).await.map(|g| format!("/teams/{}", g.id));
    answer(&state, &user, "team", &f, r).await
}

async fn create_post(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let r = groups::create(&state.store, &user.principal, &user.actor(), Register::Post, &group_input(&f)).await.map(|g| format!("/posts/{}", g.id));
    answer(&state, &user, "post", &f, r).await
}

async fn create_election(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let input = ElectionInput {
        org_id: f.get("org_id").into(),
        title: f.get("title").into(),
        opens_on: f.get("opens_on").into(),
        closes_on: f.get("closes_on").into(),
        org_ids: f.all("org_ids"),
        note: f.get("note").into(),
    };
    let r = elections::create(&state.store, &user.principal, &user.actor(), &input).await.map(|e| format!("/elections/{}", e.id));
    answer(&state, &user, "election", &f, r).await
}

async fn create_community(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, WebError> {
    let f = posted(&user, &body)?;
    let r = communities::create(&state.store, &user.principal, &user.actor(), f.get("name"), f.get("address")).await.map(|c| format!("/communities/{}", c.id));
    answer(&state, &user, "community", &f, r).await
}

