//! The branch's dues sheets as .xlsx, in the layout branches print and sign: the year's
//! verification table and the monthly collection ledger.

use axum::extract::{Query, State};
use axum::response::Response;
use dangwu_store::dues;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::pages::kit::{download, org_id, today};
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct Q {
    org: String,
    year: i32,
}

fn sheet_error(e: dangwu_docgen::SheetError) -> WebError {
    tracing::error!(error = %e, "dues sheet");
    WebError::internal()
}

pub async fn ledger(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    let l = dues::ledger(&state.store, &user.principal, org_id(&q.org)?, q.year, today()).await?;
    let bytes = dangwu_docgen::dues_ledger::write_ledger(&l).map_err(sheet_error)?;
    Ok(download(bytes, "dues-ledger.xlsx", &format!("{}{}年党费收缴登记表.xlsx", l.org_name, q.year)))
}

pub async fn verification(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    let rows = dues::for_org(&state.store, &user.principal, org_id(&q.org)?, q.year).await?;
    let bytes = dangwu_docgen::dues_ledger::write_verification_table(&state.store.dues, &rows).map_err(sheet_error)?;
    Ok(download(bytes, "dues-verification.xlsx", &format!("{}年党费核定表.xlsx", q.year)))
}
