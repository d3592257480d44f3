//! `/api/v1/orgs`: the organisation tree as the caller may see it; create, read, update (and move).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use dangwu_domain::org::{OrgDraft, OrgInput};
use dangwu_domain::OrgId;
use dangwu_store::orgs;

use super::body::OrgBody;
use super::dto::{ErrorDto, OrgDto};
use super::extract::{ApiJson, ApiQuery, IdPath};
use super::query::OrgListQuery;
use super::{blame, today};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

/// 列出可见的党组织（树序：上级在前，同级按排序）
#[utoipa::path(
    get, path = "/api/v1/orgs", tag = "orgs", operation_id = "list_orgs",
    params(OrgListQuery),
    responses(
        (status = 200, description = "党组织列表（树序）", body = [OrgDto]),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 422, description = "查询参数有误", body = ErrorDto),
    )
)]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OrgListQuery>,
) -> Result<Json<Vec<OrgDto>>, ApiError> {
    let include = q.include_abolished()?;
    let list = orgs::list(&state.store, &user.principal, include).await?;
    Ok(Json(list.into_iter().map(|o| OrgDto::new(o, &state.store.catalogue)).collect()))
}

/// 新建党组织
#[utoipa::path(
    post, path = "/api/v1/orgs", tag = "orgs", operation_id = "create_org",
    request_body(content = OrgBody, content_type = "application/json"),
    responses(
        (status = 201, description = "已新建", body = OrgDto, headers(("Location" = String, description = "新组织的地址"))),
        (status = 400, description = "请求体不是有效的 JSON", body = ErrorDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不能在本人管理范围以外新建", body = ErrorDto),
        (status = 415, description = "请求体不是 JSON", body = ErrorDto),
        (status = 422, description = "字段有误或不符合组织设置规则", body = ErrorDto),
    )
)]
pub async fn create(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<OrgBody>,
) -> Result<impl IntoResponse, ApiError> {
    let draft = OrgInput::from(body).validate(&state.store.catalogue, today())?;
    let org = orgs::create(&state.store, &user.principal, &user.actor(), draft).await.map_err(blame("parent_id"))?;
    let location = format!("/api/v1/orgs/{}", org.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(OrgDto::new(org, &state.store.catalogue))))
}

/// 查看一个党组织
#[utoipa::path(
    get, path = "/api/v1/orgs/{id}", tag = "orgs", operation_id = "get_org",
    params(("id" = String, Path, format = "uuid", description = "组织编号")),
    responses(
        (status = 200, description = "党组织", body = OrgDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "组织编号格式不正确", body = ErrorDto),
    )
)]
pub async fn get(
    user: ApiUser,
    State(state): State<AppState>,
    IdPath(id): IdPath<OrgId>,
) -> Result<Json<OrgDto>, ApiError> {
    let org = orgs::get(&state.store, &user.principal, id).await?;
    Ok(Json(OrgDto::new(org, &state.store.catalogue)))
}

/// 修改党组织；`parent_id` 与现上级不同时先把整棵子树移到新上级之下
#[utoipa::path(
    put, path = "/api/v1/orgs/{id}", tag = "orgs", operation_id = "update_org",
    params(("id" = String, Path, format = "uuid", description = "组织编号")),
    request_body(content = OrgBody, content_type = "application/json"),
    responses(
        (status = 200, description = "修改后的党组织", body = OrgDto),
        (status = 400, description = "请求体不是有效的 JSON", body = ErrorDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不能修改本人管理范围以外的党组织", body = ErrorDto),
        (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto),
        (status = 415, description = "请求体不是 JSON", body = ErrorDto),
        (status = 422, description = "字段有误或不符合组织设置规则（如移到自己的下级之下）", body = ErrorDto),
    )
)]
pub async fn update(
    user: ApiUser,
    State(state): State<AppState>,
    IdPath(id): IdPath<OrgId>,
    ApiJson(body): ApiJson<OrgBody>,
) -> Result<Json<OrgDto>, ApiError> {
    let (store, p, actor) = (&state.store, &user.principal, user.actor());
    let draft = OrgInput::from(body).validate(&store.catalogue, today())?;
    let current = orgs::get(store, p, id).await?;
    let current_parent = current.parent_id.as_deref().map(OrgId::parse).transpose()?;
    if draft.parent_id == current_parent && same_fields(&current, &draft) {
        // Nothing changes: no write, no audit entry.
        return Ok(Json(OrgDto::new(current, &store.catalogue)));
    }
    let current = orgs::update(store, p, &actor, id, draft).await?;
    Ok(Json(OrgDto::new(current, &store.catalogue)))
}

fn same_fields(o: &orgs::Org, d: &OrgDraft) -> bool {
    o.name == d.name && o.short_name == d.short_name && o.kind == d.kind && o.unit == d.unit && o.established_on == d.established_on
}
