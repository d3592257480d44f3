//! `/api/v1/activities`: organisational life as the caller may see it (meetings, study, visits);
//! record one (all of it validated against the kind catalogue and the org's roster, or nothing
//! is written) and read one with its attendance, materials and attachment metadata.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use dangwu_domain::activity::ActivityInput;
use dangwu_store::activities;

use super::body::ActivityBody;
use super::dto::{ActivityDto, ActivitySummaryDto, ErrorDto};
use super::extract::{ActivityId, ApiJson, ApiQuery, IdPath};
use super::query::ActivityQuery;
use super::{blame, today};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

/// 列出活动：新的在前，可按党组织（含下级）、日期范围和活动类型筛选
#[utoipa::path(
    get, path = "/api/v1/activities", tag = "activities", operation_id = "list_activities",
    params(ActivityQuery),
    responses(
        (status = 200, description = "活动列表（新的在前）", body = [ActivitySummaryDto]),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "org_id 指定的党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "查询参数有误（如日期格式、未知的活动类型）", body = ErrorDto),
    )
)]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> Result<Json<Vec<ActivitySummaryDto>>, ApiError> {
    let book = &state.store.rulebook;
    let filter = q.filter(book)?;
    let rows = activities::list(&state.store, &user.principal, &filter).await?;
    Ok(Json(rows.into_iter().map(|r| ActivitySummaryDto::new(r, book)).collect()))
}

/// 记录一次活动（全部校验通过才写入）
#[utoipa::path(
    post, path = "/api/v1/activities", tag = "activities", operation_id = "create_activity",
    request_body(content = ActivityBody, content_type = "application/json"),
    responses(
        (status = 201, description = "已记录", body = ActivityDto, headers(("Location" = String, description = "新活动的地址"))),
        (status = 400, description = "请求体不是有效的 JSON", body = ErrorDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto),
        (status = 404, description = "党组织不存在", body = ErrorDto),
        (status = 415, description = "请求体不是 JSON", body = ErrorDto),
        (status = 422, description = "字段有误：未知或不适用于该组织的活动类型、名册以外的参加人员（列席除外）、晚于今天的日期、缺少该类型要求的项目等", body = ErrorDto),
    )
)]
pub async fn create(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ActivityBody>,
) -> Result<impl IntoResponse, ApiError> {
    let (store, p) = (&state.store, &user.principal);
    let input = ActivityInput::from(body);
    let a = activities::create(store, p, &user.actor(), &input, today(), store.activity_future_days).await.map_err(blame("org_id"))?;
    let detail = activities::get(store, p, &a.id).await?;
    let location = format!("/api/v1/activities/{}", a.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(ActivityDto::new(detail, &store.rulebook))))
}

/// 查看一次活动：活动类型、出席情况、学习材料和附件（元数据）
#[utoipa::path(
    get, path = "/api/v1/activities/{id}", tag = "activities", operation_id = "get_activity",
    params(("id" = String, Path, format = "uuid", description = "活动编号")),
    responses(
        (status = 200, description = "活动", body = ActivityDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "活动编号格式不正确", body = ErrorDto),
    )
)]
pub async fn get(
    user: ApiUser,
    State(state): State<AppState>,
    IdPath(ActivityId(id)): IdPath<ActivityId>,
) -> Result<Json<ActivityDto>, ApiError> {
    let detail = activities::get(&state.store, &user.principal, &id).await?;
    Ok(Json(ActivityDto::new(detail, &state.store.rulebook)))
}
