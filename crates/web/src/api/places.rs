//! `/api/v1/posts`, `/api/v1/communities` and `/api/v1/needs`: posts (党员示范岗 …) with members,
//! communities with 双报到 links and their needs list — raised, claimed, followed to done.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangwu_domain::community::CommunityBook;
use dangwu_domain::date::parse_date;
use dangwu_domain::{DomainError, MemberId, OrgId};
use dangwu_store::community::communities::{self, CommunityDetail, Need};
use dangwu_store::community::groups::{self, GroupDetail, GroupRow, Register};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::blame;
use super::community::{TeamBody, create_group};
use super::dto::ErrorDto;
use super::extract::{ActivityId, ApiJson, IdPath};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

#[derive(Debug, Serialize, ToSchema)]
pub struct PostDto {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    /// model_post, volunteer_post, women_post … (rulebook/community.toml)
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub purpose: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<NaiveDate>,
    pub members: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<String>>,
    /// Pledges and sign-ups (倡议书, 签名) recorded for the post: activity ids (detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pledge_ids: Option<Vec<String>>,
}

impl PostDto {
    fn new(r: GroupRow, book: &CommunityBook) -> Self {
        let g = r.group;
        PostDto { kind_label: CommunityBook::label(&book.post_kinds, &g.kind).to_owned(), id: g.id, org_id: g.org_id, org_name: r.org_name, kind: g.kind, name: g.name,
            purpose: g.purpose, starts_on: g.starts_on, ends_on: g.ends_on, members: r.members, member_ids: None, pledge_ids: None }
    }
    fn detail(d: GroupDetail, book: &CommunityBook) -> Self {
        let mut p = Self::new(d.row, book);
        p.member_ids = Some(d.members.into_iter().map(|m| m.member_id).collect());
        p.pledge_ids = Some(d.services.into_iter().map(|s| s.id).collect());
        p
    }
}

fn date(field: &str, label: &str, s: &str) -> Result<NaiveDate, ApiError> {
    parse_date(s).ok_or_else(|| DomainError::field(field, format!("{label}“{}”格式不正确，应为如 2022-01-05 的日期", s.trim())).into())
}

fn ids(org: &str, member: &str) -> Result<(OrgId, Option<MemberId>), ApiError> {
    let o = OrgId::parse(org.trim()).map_err(|_| DomainError::field("org_id", "请选择党组织"))?;
    let m = match member.trim() {
        "" => None,
        s => Some(MemberId::parse(s).map_err(|_| DomainError::field("member_id", format!("党员编号“{s}”无效")))?),
    };
    Ok((o, m))
}

/// 列出岗位（党员账号：本人所在的岗位）
#[utoipa::path(get, path = "/api/v1/posts", tag = "community", operation_id = "list_posts",
    responses((status = 200, description = "岗位", body = [PostDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn list_posts(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<PostDto>>, ApiError> {
    let rows = groups::list(&state.store, &user.principal, Register::Post, None).await?;
    Ok(Json(rows.into_iter().map(|r| PostDto::new(r, &state.store.community)).collect()))
}

/// 设立岗位（党员示范岗、志愿服务岗、巾帼文明岗等；成员须为该党组织及其下级的在册党员）
#[utoipa::path(post, path = "/api/v1/posts", tag = "community", operation_id = "create_post",
    request_body(content = TeamBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 201, description = "已设立", body = PostDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto), (status = 422, description = "字段有误", body = ErrorDto)))]
pub async fn create_post(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<TeamBody>) -> Result<impl IntoResponse, ApiError> {
    let d = create_group(&state, &user, Register::Post, b).await?;
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/posts/{}", d.row.group.id))], Json(PostDto::detail(d, &state.store.community))))
}

/// 查看岗位
#[utoipa::path(get, path = "/api/v1/posts/{id}", tag = "community", operation_id = "get_post",
    params(("id" = String, Path, format = "uuid", description = "岗位编号")),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "岗位", body = PostDto), (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto)))]
pub async fn get_post(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>) -> Result<Json<PostDto>, ApiError> {
    Ok(Json(PostDto::detail(groups::get(&state.store, &user.principal, Register::Post, &id).await?, &state.store.community)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeedDto {
    pub id: String,
    pub community_id: String,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub raised_on: NaiveDate,
    /// open, claimed, done
    pub status: String,
    pub status_label: String,
    pub org_id: Option<String>,
    pub member_id: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub done_on: Option<NaiveDate>,
    /// The 为社区办实事 activity that did it.
    pub activity_id: Option<String>,
}

impl From<Need> for NeedDto {
    fn from(n: Need) -> Self {
        NeedDto { status_label: n.status_label().to_owned(), id: n.id, community_id: n.community_id, title: n.title, raised_on: n.raised_on, status: n.status,
            org_id: n.org_id, member_id: n.member_id, done_on: n.done_on, activity_id: n.activity_id }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkDto {
    pub org_id: String,
    pub org_name: String,
    pub member_id: Option<String>,
    pub member_name: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub since: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityDto {
    pub id: String,
    pub name: String,
    pub address: Option<String>,
    pub links: usize,
    pub open_needs: usize,
    /// Detail only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporting: Option<Vec<LinkDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<Vec<NeedDto>>,
}

impl From<CommunityDetail> for CommunityDto {
    fn from(d: CommunityDetail) -> Self {
        CommunityDto {
            id: d.community.id,
            name: d.community.name,
            address: d.community.address,
            links: d.links.len(),
            open_needs: d.needs.iter().filter(|n| n.status != "done").count(),
            reporting: Some(d.links.into_iter().map(|l| LinkDto { org_id: l.org_id, org_name: l.org_name, member_id: l.member_id, member_name: l.member_name, since: l.since }).collect()),
            needs: Some(d.needs.into_iter().map(NeedDto::from).collect()),
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CommunityBody {
    pub name: String,
    pub address: String,
}

/// 双报到: an org, or one of its in-service members, reporting to the community.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LinkBody {
    pub org_id: String,
    pub member_id: String,
    /// e.g. 2022-01-05
    pub since: String,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NeedBody {
    pub title: String,
    pub raised_on: String,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimBody {
    pub org_id: String,
    pub member_id: String,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DoneBody {
    /// The claiming org's 为社区办实事 activity.
    pub activity_id: String,
}

/// 列出双报到社区
#[utoipa::path(get, path = "/api/v1/communities", tag = "community", operation_id = "list_communities",
    responses((status = 200, description = "社区", body = [CommunityDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn list_communities(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<CommunityDto>>, ApiError> {
    let list = communities::list(&state.store, &user.principal).await?;
    Ok(Json(list.into_iter().map(|(c, links, open)| CommunityDto { id: c.id, name: c.name, address: c.address, links: links as usize, open_needs: open as usize, reporting: None, needs: None }).collect()))
}

/// 登记社区
#[utoipa::path(post, path = "/api/v1/communities", tag = "community", operation_id = "create_community",
    request_body(content = CommunityBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 201, description = "已登记", body = CommunityDto),
        (status = 403, description = "党员账号不能登记社区", body = ErrorDto), (status = 422, description = "名称为空或已登记", body = ErrorDto)))]
pub async fn create_community(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<CommunityBody>) -> Result<impl IntoResponse, ApiError> {
    let c = communities::create(&state.store, &user.principal, &user.actor(), &b.name, &b.address).await?;
    let dto = CommunityDto { id: c.id.clone(), name: c.name, address: c.address, links: 0, open_needs: 0, reporting: Some(vec![]), needs: Some(vec![]) };
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/communities/{}", c.id))], Json(dto)))
}

/// 查看社区：报到的党组织和党员、需求清单
#[utoipa::path(get, path = "/api/v1/communities/{id}", tag = "community", operation_id = "get_community",
    params(("id" = String, Path, format = "uuid", description = "社区编号")),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "社区", body = CommunityDto), (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto)))]
pub async fn get_community(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>) -> Result<Json<CommunityDto>, ApiError> {
    Ok(Json(communities::get(&state.store, &user.principal, &id).await?.into()))
}

/// 双报到：党组织（或其在职党员）到社区报到
#[utoipa::path(post, path = "/api/v1/communities/{id}/links", tag = "community", operation_id = "link_community",
    params(("id" = String, Path, format = "uuid", description = "社区编号")), request_body(content = LinkBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "已报到；返回社区", body = CommunityDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto), (status = 422, description = "字段有误：党员不是该组织的在职党员、日期等", body = ErrorDto)))]
pub async fn link(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>, ApiJson(b): ApiJson<LinkBody>) -> Result<Json<CommunityDto>, ApiError> {
    let (org, member) = ids(&b.org_id, &b.member_id)?;
    let since = date("since", "报到日期", &b.since)?;
    communities::link(&state.store, &user.principal, &user.actor(), &id, org, member, since).await.map_err(blame("org_id"))?;
    Ok(Json(communities::get(&state.store, &user.principal, &id).await?.into()))
}

/// 登记社区需求
#[utoipa::path(post, path = "/api/v1/communities/{id}/needs", tag = "community", operation_id = "add_community_need",
    params(("id" = String, Path, format = "uuid", description = "社区编号")), request_body(content = NeedBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 201, description = "已登记", body = NeedDto),
        (status = 403, description = "党员账号不能登记社区需求", body = ErrorDto), (status = 422, description = "需求内容为空、日期格式不正确", body = ErrorDto)))]
pub async fn add_need(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>, ApiJson(b): ApiJson<NeedBody>) -> Result<impl IntoResponse, ApiError> {
    let on = date("raised_on", "提出日期", &b.raised_on)?;
    let n = communities::add_need(&state.store, &user.principal, &user.actor(), &id, &b.title, on).await?;
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/needs/{}", n.id))], Json(NeedDto::from(n))))
}

/// 查看社区需求
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "community", operation_id = "get_community_need",
    params(("id" = String, Path, format = "uuid", description = "需求编号")),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "需求", body = NeedDto), (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto)))]
pub async fn get_need(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>) -> Result<Json<NeedDto>, ApiError> {
    Ok(Json(communities::need(&state.store, &user.principal, &id).await?.0.into()))
}

/// 认领社区需求（党组织，可指定其党员）
#[utoipa::path(post, path = "/api/v1/needs/{id}/claim", tag = "community", operation_id = "claim_community_need",
    params(("id" = String, Path, format = "uuid", description = "需求编号")), request_body(content = ClaimBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "已认领", body = NeedDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto), (status = 422, description = "需求已认领或已办结、党员不属于该组织（含下级党组织）或已不在册", body = ErrorDto)))]
pub async fn claim(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>, ApiJson(b): ApiJson<ClaimBody>) -> Result<Json<NeedDto>, ApiError> {
    let (org, member) = ids(&b.org_id, &b.member_id)?;
    Ok(Json(communities::claim(&state.store, &user.principal, &user.actor(), &id, org, member).await.map_err(blame("org_id"))?.into()))
}

/// 办结社区需求：关联认领组织记录的“为社区办实事”活动
#[utoipa::path(post, path = "/api/v1/needs/{id}/done", tag = "community", operation_id = "close_community_need",
    params(("id" = String, Path, format = "uuid", description = "需求编号")), request_body(content = DoneBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "已办结", body = NeedDto),
        (status = 403, description = "不在本人管理范围内", body = ErrorDto), (status = 422, description = "尚未认领、已办结，或活动不是认领组织的“为社区办实事”活动", body = ErrorDto)))]
pub async fn done(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>, ApiJson(b): ApiJson<DoneBody>) -> Result<Json<NeedDto>, ApiError> {
    Ok(Json(communities::done(&state.store, &user.principal, &user.actor(), &id, b.activity_id.trim()).await?.into()))
}

#[derive(OpenApi)]
#[openapi(
    paths(list_posts, create_post, get_post, list_communities, create_community, get_community, link, add_need, get_need, claim, done),
    components(schemas(PostDto, NeedDto, LinkDto, CommunityDto, CommunityBody, LinkBody, NeedBody, ClaimBody, DoneBody))
)]
pub struct PlacesDoc;
