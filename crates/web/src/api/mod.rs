//! JSON API under /api/v1 with its OpenAPI document. Handlers are thin: parse (with extractors
//! whose rejections are JSON in Chinese), call one store function, map to a DTO.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::{ApiError, AppState, WebError};

mod activities;
pub mod body;
mod community;
pub mod campaigns;
pub mod case_leads;
mod registers;
mod compliance;
mod dues;
pub mod dues_body;
pub mod dues_dto;
pub mod dues_query;
pub mod dues_recon_dto;
#[cfg(test)]
mod dues_tests;
pub mod dto;
pub mod extract;
mod me;
mod ledger;
pub mod ledger_dto;
mod messages;
mod members;
pub mod openapi;
mod orgs;
mod places;
pub mod query;
mod reports;
mod training;
#[cfg(test)]
mod tests;

pub use openapi::ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(orgs::list).post(orgs::create))
        .route("/orgs/{id}", get(orgs::get).put(orgs::update))
        .route("/members", get(members::list).post(members::create))
        .route("/members/{id}", get(members::get).put(members::update))
        .route("/activities", get(activities::list).post(activities::create))
        .route("/activities/{id}", get(activities::get))
        .route("/compliance", get(compliance::get))
        .route("/dues/calc", get(dues::calculate))
        .route("/dues/verifications", get(dues::verifications))
        .route("/dues/payments", post(dues::pay))
        .route("/dues/arrears", get(dues::arrears))
        .route("/dues/reconciliation", get(dues::reconciliation))
        .route("/reports", post(reports::save))
        .route("/reports/generate", get(reports::generate))
        .route("/reports/{id}", get(reports::get))
        .route("/me/export", get(me::export))
        .route("/teams", get(community::list_teams).post(community::create_team))
        .route("/teams/{id}", get(community::get_team))
        .route("/elections", get(community::list_elections).post(community::create_election))
        .route("/elections/{id}", get(community::get_election))
        .route("/elections/{id}/marks", axum::routing::put(community::set_marks))
        .route("/elections/{id}/ballots", axum::routing::put(community::set_ballots))
        .route("/posts", get(places::list_posts).post(places::create_post))
        .route("/posts/{id}", get(places::get_post))
        .route("/communities", get(places::list_communities).post(places::create_community))
        .route("/communities/{id}", get(places::get_community))
        .route("/communities/{id}/links", post(places::link))
        .route("/communities/{id}/needs", post(places::add_need))
        .route("/needs/{id}", get(places::get_need))
        .route("/needs/{id}/claim", post(places::claim))
        .route("/needs/{id}/done", post(places::done))
        .route("/training/capabilities", get(training::capabilities))
        .route("/training/sessions", get(training::sessions).post(training::create_session))
        .route("/training/hours", get(training::hours))
        .route("/ledgers", get(ledger::list).post(ledger::create))
        .route("/ledgers/{id}", get(ledger::get))
        .route("/ledgers/{id}/items", post(ledger::add_item))
        .route("/ledgers/{id}/dispatch", post(ledger::dispatch))
        .route("/ledgers/{id}/reconciliation", post(ledger::reconcile))
        .route("/ledgers/{id}/report", get(ledger::report))
        .route("/ledger-items/{id}", get(ledger::item))
        .route("/ledger-items/{id}/progress", post(ledger::progress))
        .route("/ledger-items/{id}/evidence", post(ledger::evidence))
        .route("/ledger-items/{id}/close", post(ledger::close))
        .route("/dispatch/{id}", get(ledger::get_dispatch))
        .route("/campaigns", get(campaigns::list).post(registers::create_campaign))
        .route("/campaigns/{id}/activities", post(registers::link))
        .route("/registers", get(registers::list).post(registers::create))
        .route("/campaigns/{id}", get(campaigns::get))
        .route("/campaigns/{id}/results", post(campaigns::record))
        .route("/case-leads", get(case_leads::list).post(case_leads::create))
        .route("/case-leads/{id}", get(case_leads::get))
        .route("/case-leads/{id}/status", post(case_leads::set_status))
        .route("/openapi.json", get(openapi::openapi_json))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}

/// Dates in rules (not in the future, 18 at joining) are checked against the server's local day.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A refusal of where a new record would go names the field that chose the place
/// (`org_id` of a member or an activity, `parent_id` of an org), as the UI marks that field.
fn blame(field: &'static str) -> impl FnOnce(dangwu_store::StoreError) -> ApiError {
    move |e| {
        let mut w = WebError::from(e);
        if w.status == StatusCode::FORBIDDEN && w.field.is_none() {
            w.field = Some(field.to_owned());
        }
        ApiError(w)
    }
}

async fn not_found() -> ApiError {
    WebError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在，请查看 /api/v1/openapi.json").into()
}

async fn method_not_allowed() -> ApiError {
    WebError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "该接口不支持此请求方法，请查看 /api/v1/openapi.json").into()
}
