//! Supervision campaigns and registers: 意识形态阵地 and their 风险隐患排查, 党风廉政 (risk points with
//! their reviews and the education activities of the catalogue), 专项检查 of branches with the
//! branch's existing records beside each checklist item, and 实施方案 with tasks and activities.

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

mod detail;
mod list;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list::campaigns).post(list::create))
        .route("/campaigns/{id}", get(detail::show))
        .route("/campaigns/{id}/results", post(detail::record))
        .route("/campaigns/{id}/activities", post(detail::link))
        .route("/programs/{id}", get(detail::program))
        .route("/positions", get(list::positions))
        .route("/integrity", get(list::integrity))
        .route("/registers", post(list::add_register))
        .route("/positions/{id}", get(detail::register))
        .route("/integrity/risks/{id}", get(detail::register))
}

/// 合格 ok, 不合格 bad, 不适用 plain.
pub fn outcome_tag(code: &str) -> &'static str {
    match code {
        "pass" => "ok",
        "fail" => "bad",
        _ => "",
    }
}
