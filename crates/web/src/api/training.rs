//! `/api/v1/training`: sessions (activities of the training kinds, with 学时 and capability tags
//! from the rulebook catalogue) and each member's yearly hours against their target.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use dangwu_domain::community::training::{SessionInput, year_range};
use dangwu_domain::community::{CommunityBook, hours_text};
use dangwu_store::community::training::{self, Named, Session};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::dto::ErrorDto;
use super::extract::{ApiJson, ApiQuery};
use super::{blame, today};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// 年度，如 2022（默认：今年）
    pub year: Option<String>,
}

/// A session: every participant is recorded present; they must be members of the org.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SessionBody {
    pub org_id: String,
    /// training, expert_lecture, red_education_visit (rulebook/community.toml `training.kinds`)
    pub kind: String,
    pub title: String,
    /// e.g. 2022-03-11
    pub held_on: String,
    /// 学时, 0 to 24 with at most one decimal, e.g. "3" or "1.5"
    pub hours: String,
    /// Capability ids or labels from `/api/v1/training/capabilities`.
    pub capabilities: Vec<String>,
    pub topics: String,
    pub lecturer: String,
    pub place: String,
    pub participant_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapabilityDto {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDto {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    /// training, expert_lecture, red_education_visit …
    pub kind: String,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    pub held_on: chrono::NaiveDate,
    /// 学时, e.g. "3" or "1.5"
    pub hours: String,
    pub participants: i64,
    pub capabilities: Vec<CapabilityDto>,
}

impl SessionDto {
    pub fn new(s: Session, book: &CommunityBook) -> Self {
        let capabilities = s.capabilities().into_iter().map(|id| CapabilityDto { label: CommunityBook::label(&book.capabilities, &id).to_owned(), id }).collect();
        SessionDto { hours: hours_text(s.hours_tenths()), id: s.id, org_id: s.org_id, org_name: s.org_name, kind: s.kind, title: s.title, held_on: s.held_on, participants: s.present_count, capabilities }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandingDto {
    pub member_id: String,
    pub name: String,
    pub org_name: String,
    /// Secretary or committee member: the higher target.
    pub leader: bool,
    /// 党务工作者, shown separately.
    pub party_worker: bool,
    /// 学时 this year, e.g. "12.5"
    pub hours: String,
    pub target: u32,
    pub below_target: bool,
}

impl From<Named> for StandingDto {
    fn from(n: Named) -> Self {
        let s = n.standing;
        StandingDto { below_target: s.below(), member_id: s.member_id, name: n.name, org_name: n.org_name, leader: s.leader, party_worker: s.party_worker, hours: hours_text(s.tenths), target: s.target }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoursDto {
    pub year: i32,
    pub member_target: u32,
    pub leader_target: u32,
    pub members: Vec<StandingDto>,
}

/// 培训能力方向清单（rulebook/community.toml）
#[utoipa::path(get, path = "/api/v1/training/capabilities", tag = "training", operation_id = "list_training_capabilities",
    responses((status = 200, description = "能力方向", body = [CapabilityDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn capabilities(_user: ApiUser, State(state): State<AppState>) -> Json<Vec<CapabilityDto>> {
    Json(state.store.community.capabilities.iter().filter(|c| c.enabled).map(|c| CapabilityDto { id: c.id.clone(), label: c.label.clone() }).collect())
}

/// 列出年度培训（党员账号：本人参加的）
#[utoipa::path(get, path = "/api/v1/training/sessions", tag = "training", operation_id = "list_training_sessions", params(YearQuery),
    responses((status = 200, description = "培训", body = [SessionDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 422, description = "年度格式不正确", body = ErrorDto)))]
pub async fn sessions(user: ApiUser, State(state): State<AppState>, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<Vec<SessionDto>>, ApiError> {
    let (from, to) = year_range(q.year.as_deref(), today())?;
    let list = training::sessions(&state.store, &user.principal, from, to).await?;
    Ok(Json(list.into_iter().map(|s| SessionDto::new(s, &state.store.community)).collect()))
}

/// 记录一次培训（学时、能力方向、参训党员；全部校验通过才写入）
#[utoipa::path(post, path = "/api/v1/training/sessions", tag = "training", operation_id = "create_training_session",
    request_body(content = SessionBody, content_type = "application/json"),
    responses((status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 201, description = "已记录；返回该培训", body = SessionDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto),
        (status = 422, description = "字段有误：学时为负或超过一天、能力方向不在清单中、参训人员不是本组织党员等", body = ErrorDto),
    ))]
pub async fn create_session(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<SessionBody>) -> Result<impl IntoResponse, ApiError> {
    let store = &state.store;
    let input = SessionInput {
        org_id: b.org_id, kind: b.kind, title: b.title, held_on: b.held_on, hours: b.hours, capabilities: b.capabilities,
        topics: b.topics, lecturer: b.lecturer, place: b.place, participant_ids: b.participant_ids,
    };
    let a = training::record(store, &user.principal, &user.actor(), &input, today(), store.activity_future_days).await.map_err(blame("org_id"))?;
    let (from, to) = year_range(Some(&chrono::Datelike::year(&a.held_on).to_string()), today())?;
    let s = training::sessions(store, &user.principal, from, to).await?.into_iter().find(|s| s.id == a.id).ok_or(dangwu_store::StoreError::NotFound("培训"))?;
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/activities/{}", a.id))], Json(SessionDto::new(s, &store.community))))
}

/// 年度培训学时：每名党员的学时与目标（党员账号：本人）
#[utoipa::path(get, path = "/api/v1/training/hours", tag = "training", operation_id = "get_training_hours", params(YearQuery),
    responses((status = 200, description = "学时", body = HoursDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 422, description = "年度格式不正确", body = ErrorDto)))]
pub async fn hours(user: ApiUser, State(state): State<AppState>, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<HoursDto>, ApiError> {
    let (from, to) = year_range(q.year.as_deref(), today())?;
    let t = &state.store.community.training;
    let members = training::visible(&state.store, &user.principal, from, to).await?;
    Ok(Json(HoursDto { year: chrono::Datelike::year(&from), member_target: t.member_hours, leader_target: t.leader_hours, members: members.into_iter().map(StandingDto::from).collect() }))
}

#[derive(OpenApi)]
#[openapi(
    paths(capabilities, sessions, create_session, hours),
    components(schemas(CapabilityDto, SessionDto, SessionBody, StandingDto, HoursDto)),
    tags((name = "training", description = "培训：学时、能力方向，年度学时对照目标"))
)]
pub struct TrainingDoc;
