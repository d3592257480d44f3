//! JSON API under /api/v1 with its OpenAPI document.

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
