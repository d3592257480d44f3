//! `/api/v1/teams` and `/api/v1/elections`: teams (党员先锋队, 志愿服务队) with members and service,
//! and delegate nominations with per-member marks. Rates are computed from the roster: a body that
//! carries a rate is refused.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use dangwu_domain::DomainError;
use dangwu_domain::community::{ElectionInput, GroupInput, Rates, hours_text, percent};
use dangwu_store::community::elections::{self, ElectionDetail, ElectionRates, MarkInput};
use dangwu_store::community::groups::{self, GroupDetail, GroupRow, Register};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::blame;
use super::dto::ErrorDto;
use super::extract::{ActivityId, ApiJson, IdPath};
use crate::auth::ApiUser;
use crate::{ApiError, AppState, WebError};

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamDto {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    /// vanguard, volunteer … (rulebook/community.toml)
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub purpose: Option<String>,
    pub community_id: Option<String>,
    pub community_name: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub starts_on: chrono::NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<chrono::NaiveDate>,
    pub members: i64,
    /// Service activities recorded for the team.
    pub services: i64,
    /// Their hours, e.g. "12.5".
    pub hours: String,
    /// Member ids (detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_ids: Option<Vec<String>>,
    /// Service activity ids (detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_ids: Option<Vec<String>>,
}

impl TeamDto {
    fn new(r: GroupRow, state: &AppState) -> Self {
        let g = r.group;
        TeamDto {
            kind_label: dangwu_domain::community::CommunityBook::label(&state.store.community.team_kinds, &g.kind).to_owned(),
            id: g.id,
            org_id: g.org_id,
            org_name: r.org_name,
            kind: g.kind,
            name: g.name,
            purpose: g.purpose,
            community_id: g.community_id,
            community_name: r.community_name,
            starts_on: g.starts_on,
            ends_on: g.ends_on,
            members: r.members,
            services: r.services,
            hours: hours_text(r.hours_tenths),
            member_ids: None,
            service_ids: None,
        }
    }
    fn detail(d: GroupDetail, state: &AppState) -> Self {
        let mut t = Self::new(d.row, state);
        t.member_ids = Some(d.members.into_iter().map(|m| m.member_id).collect());
        t.service_ids = Some(d.services.into_iter().map(|s| s.id).collect());
        t
    }
}

/// A new team: members must be active members of the org's subtree within the caller's scope.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TeamBody {
    pub org_id: String,
    pub kind: String,
    pub name: String,
    pub purpose: String,
    pub community_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub member_ids: Vec<String>,
}

/// 列出服务队（党员账号：本人所在的服务队）
#[utoipa::path(get, path = "/api/v1/teams", tag = "community", operation_id = "list_teams",
    responses((status = 200, description = "服务队", body = [TeamDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn list_teams(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<TeamDto>>, ApiError> {
    let rows = groups::list(&state.store, &user.principal, Register::Team, None).await?;
    Ok(Json(rows.into_iter().map(|r| TeamDto::new(r, &state)).collect()))
}

/// 组建服务队（全部校验通过才写入）
#[utoipa::path(post, path = "/api/v1/teams", tag = "community", operation_id = "create_team",
    request_body(content = TeamBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), 
        (status = 201, description = "已组建", body = TeamDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto),
        (status = 422, description = "字段有误：类型不存在、成员不在该党组织（含下级）在册党员中或不在本人管理范围内、日期等", body = ErrorDto),
    ))]
pub async fn create_team(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<TeamBody>) -> Result<impl IntoResponse, ApiError> {
    let d = create_group(&state, &user, Register::Team, b).await?;
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/teams/{}", d.row.group.id))], Json(TeamDto::detail(d, &state))))
}

/// A team or post from the same body, read back with its members (the post API shares it).
pub(super) async fn create_group(state: &AppState, user: &ApiUser, reg: Register, b: TeamBody) -> Result<GroupDetail, ApiError> {
    let input = GroupInput { org_id: b.org_id, kind: b.kind, name: b.name, purpose: b.purpose, community_id: b.community_id, starts_on: b.starts_on, ends_on: b.ends_on, member_ids: b.member_ids };
    let g = groups::create(&state.store, &user.principal, &user.actor(), reg, &input).await.map_err(blame("org_id"))?;
    Ok(groups::get(&state.store, &user.principal, reg, &g.id).await?)
}

/// 查看服务队：成员和服务记录
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "community", operation_id = "get_team",
    params(("id" = String, Path, format = "uuid", description = "服务队编号")),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "服务队", body = TeamDto), (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto)))]
pub async fn get_team(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>) -> Result<Json<TeamDto>, ApiError> {
    let d = groups::get(&state.store, &user.principal, Register::Team, &id).await?;
    Ok(Json(TeamDto::detail(d, &state)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatesDto {
    /// Empty for the total.
    pub org_id: String,
    pub eligible: i64,
    pub informed: i64,
    pub took_part: i64,
    /// e.g. "100%"; computed from the roster.
    pub awareness_rate: String,
    pub participation_rate: String,
}

impl From<&Rates> for RatesDto {
    fn from(r: &Rates) -> Self {
        RatesDto {
            org_id: r.org_id.clone(),
            eligible: r.eligible,
            informed: r.informed,
            took_part: r.took_part,
            awareness_rate: percent(r.awareness()),
            participation_rate: percent(r.participation()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ElectionDto {
    pub id: String,
    pub org_id: String,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub opens_on: chrono::NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub closes_on: chrono::NaiveDate,
    pub org_ids: Vec<String>,
    pub per_org: Vec<RatesDto>,
    pub total: RatesDto,
}

impl From<ElectionDetail> for ElectionDto {
    fn from(d: ElectionDetail) -> Self {
        ElectionRates::from(d).into()
    }
}

impl From<ElectionRates> for ElectionDto {
    fn from(d: ElectionRates) -> Self {
        ElectionDto {
            id: d.election.id,
            org_id: d.election.org_id,
            title: d.election.title,
            opens_on: d.election.opens_on,
            closes_on: d.election.closes_on,
            org_ids: d.targets.into_iter().map(|t| t.id).collect(),
            per_org: d.per_org.iter().map(RatesDto::from).collect(),
            total: RatesDto::from(&d.total),
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ElectionBody {
    pub org_id: String,
    pub title: String,
    pub opens_on: String,
    pub closes_on: String,
    pub org_ids: Vec<String>,
    pub note: String,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MarkBody {
    pub member_id: String,
    pub informed: bool,
    pub took_part: bool,
    pub recommended: String,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MarksBody {
    pub marks: Vec<MarkBody>,
}

/// 列出代表推选（含知晓率、参与率）
#[utoipa::path(get, path = "/api/v1/elections", tag = "community", operation_id = "list_elections",
    responses((status = 200, description = "代表推选", body = [ElectionDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn list_elections(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<ElectionDto>>, ApiError> {
    let list = elections::list_rates(&state.store, &user.principal).await?;
    Ok(Json(list.into_iter().map(ElectionDto::from).collect()))
}

/// 发起代表推选
#[utoipa::path(post, path = "/api/v1/elections", tag = "community", operation_id = "create_election",
    request_body(content = ElectionBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 201, description = "已发起", body = ElectionDto), (status = 422, description = "字段有误", body = ErrorDto)))]
pub async fn create_election(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<ElectionBody>) -> Result<impl IntoResponse, ApiError> {
    let input = ElectionInput { org_id: b.org_id, title: b.title, opens_on: b.opens_on, closes_on: b.closes_on, org_ids: b.org_ids, note: b.note };
    let e = elections::create(&state.store, &user.principal, &user.actor(), &input).await.map_err(blame("org_id"))?;
    let d = elections::get(&state.store, &user.principal, &e.id).await?;
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/elections/{}", e.id))], Json(ElectionDto::from(d))))
}

/// 查看代表推选：各党组织及合计的知晓率、参与率（由名册计算）
#[utoipa::path(get, path = "/api/v1/elections/{id}", tag = "community", operation_id = "get_election",
    params(("id" = String, Path, format = "uuid", description = "推选编号")),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 200, description = "代表推选", body = ElectionDto), (status = 404, description = "不存在或不在本人可见范围内", body = ErrorDto)))]
pub async fn get_election(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>) -> Result<Json<ElectionDto>, ApiError> {
    Ok(Json(elections::get(&state.store, &user.principal, &id).await?.into()))
}

/// 记录党员知晓、参与情况（全部为可参加党员才写入；率由名册计算，不能填写）
#[utoipa::path(put, path = "/api/v1/elections/{id}/marks", tag = "community", operation_id = "set_election_marks",
    params(("id" = String, Path, format = "uuid", description = "推选编号")),
    request_body(content = MarksBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto), 
        (status = 200, description = "已记录；返回重新计算的比率", body = ElectionDto),
        (status = 422, description = "有党员不是本次推选的参加对象、参与而未知晓，或请求体填写了比率", body = ErrorDto),
    ))]
pub async fn set_marks(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>, ApiJson(v): ApiJson<serde_json::Value>) -> Result<Json<ElectionDto>, ApiError> {
    if let Some(k) = v.as_object().and_then(|o| o.keys().find(|k| k.contains("rate")).cloned()) {
        return Err(WebError::from(DomainError::field(k, "知晓率、参与率由名册和每名党员的知晓、参与情况计算，不能直接填写")).into());
    }
    let b: MarksBody = super::extract::parse_json(v.to_string().as_bytes())?;
    let input: Vec<MarkInput> = b.marks.into_iter().map(|m| MarkInput { member_id: m.member_id, informed: m.informed, took_part: m.took_part, recommended: m.recommended }).collect();
    elections::set_marks(&state.store, &user.principal, &user.actor(), &id, &input).await?;
    Ok(Json(elections::get(&state.store, &user.principal, &id).await?.into()))
}

/// Paper-ballot counts: issued ≥ returned ≥ valid ≥ each name's votes.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BallotsBody {
    pub issued: u32,
    pub returned: u32,
    pub valid: u32,
    /// Recommended name → votes.
    pub votes: std::collections::BTreeMap<String, u32>,
}

/// 登记纸质推荐票数（可选）：发出、收回、有效票数和各人选得票
#[utoipa::path(put, path = "/api/v1/elections/{id}/ballots", tag = "community", operation_id = "set_election_ballots",
    params(("id" = String, Path, format = "uuid", description = "推选编号")),
    request_body(content = BallotsBody, content_type = "application/json"),
    responses(
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 204, description = "已登记"),
        (status = 422, description = "票数不一致：收回多于发出、有效多于收回、得票多于有效票", body = ErrorDto),
    ))]
pub async fn set_ballots(user: ApiUser, State(state): State<AppState>, IdPath(ActivityId(id)): IdPath<ActivityId>, ApiJson(b): ApiJson<BallotsBody>) -> Result<StatusCode, ApiError> {
    let ballots = dangwu_domain::community::Ballots { issued: b.issued, returned: b.returned, valid: b.valid, votes: b.votes };
    elections::set_ballots(&state.store, &user.principal, &user.actor(), &id, &ballots).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(
    paths(list_teams, create_team, get_team, list_elections, create_election, get_election, set_marks, set_ballots),
    components(schemas(TeamDto, TeamBody, ElectionDto, ElectionBody, RatesDto, MarkBody, MarksBody, BallotsBody)),
    tags((name = "community", description = "服务队、代表推选（知晓率、参与率由名册计算）"))
)]
pub struct CommunityDoc;
