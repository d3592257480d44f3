//! `/api/v1/me/export`: the caller's own data (个人信息保护法 第四十五条), as the 我的账号 page offers it.

use axum::Json;
use axum::extract::State;

use super::dto::ErrorDto;
use crate::auth::ApiUser;
use crate::{ApiError, AppState, WebError};

/// 导出本人数据：党员档案（含完整身份证号）、组织关系、参加的活动、党费核定与交纳；记入审计日志
#[utoipa::path(
    get, path = "/api/v1/me/export", tag = "members", operation_id = "export_own_data",
    responses(
        (status = 200, description = "本人数据（JSON 文档）", body = Object),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "本账号没有关联党员信息", body = ErrorDto),
    )
)]
pub async fn export(user: ApiUser, State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let Some(id) = user.principal.member_id else {
        return Err(WebError::not_found("本账号关联的党员信息").into());
    };
    Ok(Json(dangwu_store::personal_data::export(&state.store, &user.principal, &user.actor(), id).await?))
}
