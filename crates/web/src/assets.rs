//! Static assets compiled into the binary (the intranet has no CDN).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::AppState;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "no-cache")], CSS).into_response() }))
        .route("/static/app.js", get(|| async { ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], JS).into_response() }))
        .route("/healthz", get(|| async { "ok" }))
}
