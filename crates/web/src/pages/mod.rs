//! Server-rendered pages, one module per resource.

use axum::Router;

use crate::AppState;

mod account;
mod activities;
mod admin;
mod community;
mod campaigns;
mod case_leads;
mod compliance;
mod dashboard;
mod dues;
mod import;
pub mod kit;
pub mod ledger;
mod login;
mod members;
mod orgs;
mod places;
pub mod report_html;
mod reports;
mod training;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(login::router())
        .merge(dashboard::router())
        .merge(orgs::router())
        .merge(members::router())
        .merge(import::router())
        .merge(admin::router())
        .merge(activities::router())
        .merge(compliance::router())
        .merge(dues::router())
        .merge(reports::router())
        .merge(account::router())
        .merge(community::router())
        .merge(training::router())
        .merge(places::router())
        .merge(ledger::router())
        .merge(campaigns::router())
        .merge(case_leads::router())
}

/// `?ok=…` after a redirect becomes the page's notice line.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub ok: Option<String>,
}
