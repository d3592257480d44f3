//! 整改台账: the ledgers (巡察整改), a ledger with its items, the inspector's list imported from
//! Excel, 对账 against a list, the draft 整改情况报告, each item with its progress, evidence
//! versions and 销号, and the weekly dispatch rounds with their printable sheets.

use axum::Router;
use axum::routing::{get, post};
use dangwu_domain::supervision::LedgerStatus;

use crate::AppState;

mod book;
mod dispatch;
mod item;
pub mod sheets;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(book::list).post(book::create))
        .route("/ledger/template.xlsx", get(sheets::template))
        .route("/ledger/books/{id}", get(book::show))
        .route("/ledger/books/{id}/items", post(book::add_item))
        .route("/ledger/books/{id}/import", post(sheets::import))
        .route("/ledger/books/{id}/reconcile", post(sheets::reconcile))
        .route("/ledger/books/{id}/report", get(book::report))
        .route("/ledger/books/{id}/ledger.xlsx", get(sheets::export))
        .route("/ledger/books/{id}/dispatch", post(dispatch::freeze))
        .route("/ledger/dispatch/{id}", get(dispatch::show))
        .route("/ledger/dispatch/{id}/sheet.xlsx", get(dispatch::sheet))
        .route("/ledger/evidence/{id}", get(item::evidence_file))
        .route("/ledger/{id}", get(item::show))
        .route("/ledger/{id}/progress", post(item::progress))
        .route("/ledger/{id}/evidence", post(item::upload))
        .route("/ledger/{id}/close", post(item::close))
}

/// The tag class of a status: closed ok, awaiting verification warn, otherwise plain.
pub fn status_tag(code: &str) -> &'static str {
    match LedgerStatus::parse(code) {
        Ok(LedgerStatus::Closed) => "ok",
        Ok(LedgerStatus::AwaitingVerification) => "warn",
        _ => "",
    }
}

/// A store id from the URL: any malformed one names no record.
pub fn row_id(s: &str, what: &str) -> Result<String, crate::WebError> {
    dangwu_domain::OrgId::parse(s).map(|u| u.to_string()).map_err(|_| crate::WebError::not_found(what))
}
