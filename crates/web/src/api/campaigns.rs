//! `/api/v1/campaigns…`: 风险隐患排查, 专项检查, 廉政风险点排查 and 实施方案 — list, one with its
//! targets, results and raised items, and recording a checklist result (a failure becomes a
//! ledger item).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangwu_domain::date::parse_date;
use dangwu_domain::supervision::CheckOutcome;
use dangwu_domain::DomainError;
use dangwu_store::campaigns::{self, Campaign, CampaignDetail, ResultRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorDto;
use super::extract::{ApiJson, IdPath};
use super::ledger_dto::{ItemDto, RowId};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Campaign)]
pub struct CampaignDto {
    pub id: String,
    pub org_id: String,
    /// risk_screening、special_inspection、integrity_review、program（rulebook/supervision.toml）
    pub kind: String,
    pub checklist: Option<String>,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub goals: String,
    /// 问题（或任务）台账编号
    pub ledger_id: String,
}

impl From<&Campaign> for CampaignDto {
    fn from(c: &Campaign) -> Self {
        Self { id: c.id.clone(), org_id: c.org_id.clone(), kind: c.kind.clone(), checklist: c.checklist.clone(), title: c.title.clone(), starts_on: c.starts_on, ends_on: c.ends_on, goals: c.goals.clone(), ledger_id: c.ledger_id.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CampaignResult)]
pub struct ResultDto {
    pub target_id: String,
    pub item: String,
    /// pass、fail、na
    pub outcome: String,
    pub grade: Option<String>,
    pub note: String,
    pub ledger_item_id: Option<String>,
    pub checked_on: NaiveDate,
}

impl From<&ResultRow> for ResultDto {
    fn from(r: &ResultRow) -> Self {
        Self { target_id: r.target_id.clone(), item: r.item.clone(), outcome: r.outcome.clone(), grade: r.grade.clone(), note: r.note.clone(), ledger_item_id: r.ledger_item_id.clone(), checked_on: r.checked_on }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CampaignTarget)]
pub struct TargetDto {
    pub target_id: String,
    pub target_kind: String,
    pub org_id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CampaignDetail)]
pub struct CampaignDetailDto {
    pub campaign: CampaignDto,
    pub targets: Vec<TargetDto>,
    pub results: Vec<ResultDto>,
    /// 发现的问题（实施方案为任务）
    pub items: Vec<ItemDto>,
    /// 关联的活动（实施方案的活动）
    pub activities: Vec<LinkedActivityDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CampaignActivity)]
pub struct LinkedActivityDto {
    pub activity_id: String,
    pub org_id: String,
    pub title: String,
    pub held_on: NaiveDate,
}

impl CampaignDetailDto {
    pub(super) fn new(d: &CampaignDetail, store: &dangwu_store::Store) -> Self {
        Self {
            campaign: (&d.campaign).into(),
            targets: d.targets.iter().map(|t| TargetDto { target_id: t.target_id.clone(), target_kind: t.target_kind.clone(), org_id: t.org_id.clone(), name: t.name.clone() }).collect(),
            results: d.results.iter().map(ResultDto::from).collect(),
            items: d.items.iter().map(|i| ItemDto::new(i, store)).collect(),
            activities: d.activities.iter().map(|a| LinkedActivityDto { activity_id: a.activity_id.clone(), org_id: a.org_id.clone(), title: a.title.clone(), held_on: a.held_on }).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CampaignResultInput)]
pub struct ResultBody {
    pub target_id: String,
    /// 检查清单项目编号或名称（无清单时为 review）
    pub item: String,
    /// pass（合格）、fail（不合格，须有 note）、na（不适用）
    pub outcome: String,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub note: String,
    pub checked_on: String,
}

/// 检查与专项工作列表
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "ledger", operation_id = "list_campaigns",
    responses((status = 200, description = "列表", body = [CampaignDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn list(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<CampaignDto>>, ApiError> {
    let rows = campaigns::campaigns(&state.store, &user.principal, None).await?;
    Ok(Json(rows.iter().map(CampaignDto::from).collect()))
}

/// 一次检查或专项工作：对象、检查结果和发现的问题
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "ledger", operation_id = "get_campaign", params(("id" = String, Path, description = "编号")),
    responses((status = 200, description = "详情", body = CampaignDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 404, description = "不存在或不可见", body = ErrorDto)))]
pub async fn get(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>) -> Result<Json<CampaignDetailDto>, ApiError> {
    let d = campaigns::campaign(&state.store, &user.principal, &id.0).await?;
    Ok(Json(CampaignDetailDto::new(&d, &state.store)))
}

/// 记录检查结果（不合格项转为问题台账事项）
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/results", tag = "ledger", operation_id = "record_campaign_result", params(("id" = String, Path, description = "编号")),
    request_body(content = ResultBody, content_type = "application/json"),
    responses((status = 201, description = "已记录", body = ResultDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不在本人管理范围内", body = ErrorDto), (status = 404, description = "不存在", body = ErrorDto),
        (status = 409, description = "该对象该项目已记录", body = ErrorDto), (status = 422, description = "未知的检查项目、对象不在检查范围、不合格未写明问题等", body = ErrorDto)))]
pub async fn record(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<ResultBody>) -> Result<impl IntoResponse, ApiError> {
    let on = parse_date(&b.checked_on).ok_or_else(|| DomainError::field("checked_on", format!("检查日期（checked_on）格式不正确：“{}”", b.checked_on)))?;
    let outcome = CheckOutcome::parse(&b.outcome)?;
    let r = campaigns::record_result(&state.store, &user.principal, &user.actor(), &id.0, &b.target_id, &b.item, outcome, b.grade.as_deref(), &b.note, on).await?;
    Ok((StatusCode::CREATED, Json(ResultDto::from(&r))))
}
