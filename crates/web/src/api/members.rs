//! `/api/v1/members`: the roster as the caller may see it; register, read and edit members.
//! Status and organisation changes go through status events, which the store enforces.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use dangwu_domain::MemberId;
use dangwu_domain::member::MemberInput;
use dangwu_store::members;

use super::body::MemberBody;
use super::dto::{ErrorDto, MemberDto, MemberPageDto};
use super::extract::{ApiJson, ApiQuery, IdPath};
use super::query::MemberQuery;
use super::{blame, today};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

/// 党员名册：按组织树、姓名排序，分页
#[utoipa::path(
    get, path = "/api/v1/members", tag = "members", operation_id = "list_members",
    params(MemberQuery),
    responses(
        (status = 200, description = "一页党员", body = MemberPageDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "org_id 指定的党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "查询参数有误", body = ErrorDto),
    )
)]
pub async fn list(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<MemberQuery>,
) -> Result<Json<MemberPageDto>, ApiError> {
    let filter = q.filter()?;
    let page = members::list(&state.store, &user.principal, &filter).await?;
    Ok(Json(MemberPageDto {
        items: page.items.into_iter().map(MemberDto::from).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// 登记党员（所在党组织须在本人管理范围内）
#[utoipa::path(
    post, path = "/api/v1/members", tag = "members", operation_id = "create_member",
    request_body(content = MemberBody, content_type = "application/json"),
    responses(
        (status = 201, description = "已登记", body = MemberDto, headers(("Location" = String, description = "新党员的地址"))),
        (status = 400, description = "请求体不是有效的 JSON", body = ErrorDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "所在党组织不在本人管理范围内", body = ErrorDto),
        (status = 409, description = "身份证号已登记在其他党员名下", body = ErrorDto),
        (status = 415, description = "请求体不是 JSON", body = ErrorDto),
        (status = 422, description = "字段有误（如身份证号校验码不正确）", body = ErrorDto),
    )
)]
pub async fn create(
    user: ApiUser,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<MemberBody>,
) -> Result<impl IntoResponse, ApiError> {
    let today = today();
    let draft = MemberInput::from(body).validate(today)?;
    let m = members::create(&state.store, &user.principal, &user.actor(), draft, today).await.map_err(blame("org_id"))?;
    let row = members::get(&state.store, &user.principal, m.member_id()).await?;
    let location = format!("/api/v1/members/{}", m.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(MemberDto::from(row))))
}

/// 查看一名党员
#[utoipa::path(
    get, path = "/api/v1/members/{id}", tag = "members", operation_id = "get_member",
    params(("id" = String, Path, format = "uuid", description = "党员编号")),
    responses(
        (status = 200, description = "党员", body = MemberDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "党员编号格式不正确", body = ErrorDto),
    )
)]
pub async fn get(
    user: ApiUser,
    State(state): State<AppState>,
    IdPath(id): IdPath<MemberId>,
) -> Result<Json<MemberDto>, ApiError> {
    let row = members::get(&state.store, &user.principal, id).await?;
    Ok(Json(MemberDto::from(row)))
}

/// 修改党员信息（状态和所在党组织须与现值相同，变动另行办理）
#[utoipa::path(
    put, path = "/api/v1/members/{id}", tag = "members", operation_id = "update_member",
    params(("id" = String, Path, format = "uuid", description = "党员编号")),
    request_body(content = MemberBody, content_type = "application/json"),
    responses(
        (status = 200, description = "修改后的党员", body = MemberDto),
        (status = 400, description = "请求体不是有效的 JSON", body = ErrorDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不能修改本人管理范围以外的党员", body = ErrorDto),
        (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto),
        (status = 409, description = "身份证号已登记在其他党员名下", body = ErrorDto),
        (status = 415, description = "请求体不是 JSON", body = ErrorDto),
        (status = 422, description = "字段有误，或试图直接修改状态、所在党组织", body = ErrorDto),
    )
)]
pub async fn update(
    user: ApiUser,
    State(state): State<AppState>,
    IdPath(id): IdPath<MemberId>,
    ApiJson(body): ApiJson<MemberBody>,
) -> Result<Json<MemberDto>, ApiError> {
    let draft = MemberInput::from(body).validate(today())?;
    members::update(&state.store, &user.principal, &user.actor(), id, draft).await?;
    let row = members::get(&state.store, &user.principal, id).await?;
    Ok(Json(MemberDto::from(row)))
}
