//! 组织: the tree of organisations, one organisation's page, and the forms that change them.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dangwu_store::{orgs, stats};
use serde::Deserialize;
use std::collections::HashMap;

use crate::pages::kit::staff_only;
use crate::auth::CurrentUser;
use crate::render::{Layout, html};
use crate::{AppState, WebError};

mod actions;
mod detail;
mod edit;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(tree).post(edit::create))
        .route("/orgs/new", get(edit::new_form))
        .route("/orgs/{id}", get(detail::show).post(edit::update))
        .route("/orgs/{id}/edit", get(edit::edit_form))
        .route("/orgs/{id}/move", post(actions::move_org))
        .route("/orgs/{id}/abolish", post(actions::abolish))
        .route("/orgs/{id}/terms", post(actions::add_term))
        .route("/orgs/{id}/terms/{term_id}/members", post(actions::add_committee_member))
}

pub struct TreeRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Indentation relative to the shallowest visible organisation (capped for the CSS).
    pub depth: usize,
    /// Active members in the organisation and everything under it.
    pub members: i64,
    pub abolished: bool,
}

#[derive(Template)]
#[template(path = "orgs_tree.html")]
struct TreePage {
    layout: Layout,
    rows: Vec<TreeRow>,
    show_all: bool,
    can_create: bool,
}

#[derive(Deserialize, Default)]
struct TreeQuery {
    #[serde(default)]
    all: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

async fn tree(State(state): State<AppState>, user: CurrentUser, Query(q): Query<TreeQuery>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let p = &user.principal;
    let show_all = q.all.as_deref().is_some_and(|a| !a.is_empty() && a != "0");
    let list = orgs::list(&state.store, p, show_all).await?;
    let counts: HashMap<String, i64> =
        stats::members_per_org(&state.store, p).await?.into_iter().map(|c| (c.key, c.n)).collect();
    let top = list.iter().map(|o| o.depth()).min().unwrap_or(1);
    let cat = &state.store.catalogue;
    let rows = list
        .iter()
        .map(|o| TreeRow {
            id: o.id.clone(),
            name: o.name.clone(),
            kind: cat.label(&o.kind).to_owned(),
            depth: (o.depth() - top).min(5),
            // Paths nest, so the subtree is every visible org whose path starts with this one's.
            members: list.iter().filter(|d| d.path.starts_with(&o.path)).filter_map(|d| counts.get(&d.id)).sum(),
            abolished: !o.is_active(),
        })
        .collect();
    let can_create = p.can_create_org(None) || list.iter().any(|o| o.is_active() && p.can_write_org(&o.org_path()));
    let page = TreePage { layout: Layout::new(&user, "党组织", "orgs").notice(q.ok), rows, show_all, can_create };
    Ok(html(&page).into_response())
}
