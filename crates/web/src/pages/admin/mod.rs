//! Administration (系统管理员 only): user accounts and the audit log.

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

mod audit;
mod users;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(users::show).post(users::create))
        .route("/users/{id}/password", post(users::reset_password))
        .route("/audit", get(audit::show))
        .route("/audit/verify", post(audit::verify))
}
