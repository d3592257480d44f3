//! `/api/v1/registers` and the writes of `/api/v1/campaigns`: register 意识形态阵地 and
//! 廉政风险点, start a 排查, 专项检查 or 实施方案 over chosen targets, link an activity to one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangwu_domain::supervision::{CampaignInput, RegisterInput, register_kind};
use dangwu_store::campaigns::{self, Register};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::campaigns::{CampaignDetailDto, CampaignDto};
use super::dto::ErrorDto;
use super::extract::{ApiJson, ApiQuery, IdPath};
use super::ledger::{date, org};
use super::ledger_dto::RowId;
use super::blame;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Register)]
pub struct RegisterDto {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    /// position（意识形态阵地）或 risk_point（廉政风险点）
    pub kind: String,
    /// 阵地类别（rulebook/supervision.toml 的 position_kind），或风险点所在科室、单位、岗位
    pub subkind: String,
    pub name: String,
    pub responsible: String,
    pub description: String,
    pub measures: String,
    /// red、yellow、blue
    pub grade: Option<String>,
    pub review_cycle_days: Option<i64>,
}

impl RegisterDto {
    fn new(r: &Register, org_name: &str) -> Self {
        Self {
            id: r.id.clone(), org_id: r.org_id.clone(), org_name: org_name.to_owned(), kind: r.kind.clone(), subkind: r.subkind.clone(), name: r.name.clone(),
            responsible: r.responsible.clone(), description: r.description.clone(), measures: r.measures.clone(), grade: r.grade.clone(), review_cycle_days: r.review_cycle_days,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// position 或 risk_point
    pub kind: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = RegisterInput)]
pub struct RegisterBody {
    pub org_id: String,
    /// position 或 risk_point
    pub kind: String,
    pub subkind: String,
    pub name: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub measures: String,
    /// 风险等级（风险点必填）：red、yellow、blue 或 红、黄、蓝
    #[serde(default)]
    pub grade: Option<String>,
    /// 复查周期（天，风险点必填）
    #[serde(default)]
    pub review_cycle_days: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CampaignInput)]
pub struct CampaignBody {
    /// 开展的党组织
    pub org_id: String,
    /// risk_screening、special_inspection、integrity_review、program
    pub kind: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub goals: String,
    /// 检查对象：党组织编号（专项检查）或台账条目编号（排查）；实施方案为空
    #[serde(default)]
    pub targets: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CampaignActivityInput)]
pub struct LinkBody {
    pub activity_id: String,
}

/// 阵地或廉政风险点台账
#[utoipa::path(get, path = "/api/v1/registers", tag = "ledger", operation_id = "list_registers", params(RegisterQuery),
    responses((status = 200, description = "本人范围内的台账条目", body = [RegisterDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 422, description = "kind 无效", body = ErrorDto)))]
pub async fn list(user: ApiUser, State(state): State<AppState>, ApiQuery(q): ApiQuery<RegisterQuery>) -> Result<Json<Vec<RegisterDto>>, ApiError> {
    let kind = register_kind(&q.kind)?;
    let rows = campaigns::registers(&state.store, &user.principal, kind).await?;
    Ok(Json(rows.iter().map(|(r, o)| RegisterDto::new(r, o)).collect()))
}

/// 登记阵地或廉政风险点
#[utoipa::path(post, path = "/api/v1/registers", tag = "ledger", operation_id = "create_register",
    request_body(content = RegisterBody, content_type = "application/json"),
    responses((status = 201, description = "已登记", body = RegisterDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto), (status = 422, description = "字段有误", body = ErrorDto)))]
pub async fn create(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<RegisterBody>) -> Result<impl IntoResponse, ApiError> {
    let input = RegisterInput {
        org_id: b.org_id, kind: b.kind, subkind: b.subkind, name: b.name, responsible: b.responsible, description: b.description, measures: b.measures,
        grade: b.grade, review_cycle_days: b.review_cycle_days,
    };
    let r = campaigns::add_register(&state.store, &user.principal, &user.actor(), &input).await.map_err(blame("org_id"))?;
    let (_, o, _) = campaigns::register(&state.store, &user.principal, &r.id).await?;
    Ok((StatusCode::CREATED, Json(RegisterDto::new(&r, &o.name))))
}

/// 开展排查、专项检查或实施方案（同时建立其问题或任务台账）
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "ledger", operation_id = "create_campaign",
    request_body(content = CampaignBody, content_type = "application/json"),
    responses((status = 201, description = "已建立", body = CampaignDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto), (status = 422, description = "未知类别、日期有误、对象不存在等", body = ErrorDto)))]
pub async fn create_campaign(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<CampaignBody>) -> Result<impl IntoResponse, ApiError> {
    let input = CampaignInput {
        org_id: org("org_id", &b.org_id)?,
        kind: b.kind,
        title: b.title,
        starts_on: date("starts_on", "开始日期", &b.starts_on)?,
        ends_on: date("ends_on", "结束日期", &b.ends_on)?,
        goals: b.goals,
        targets: b.targets,
    };
    let c = campaigns::create_campaign(&state.store, &user.principal, &user.actor(), &input).await.map_err(blame("org_id"))?;
    Ok((StatusCode::CREATED, Json(CampaignDto::from(&c))))
}

/// 关联活动（实施方案的活动）
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/activities", tag = "ledger", operation_id = "link_campaign_activity", params(("id" = String, Path, description = "编号")),
    request_body(content = LinkBody, content_type = "application/json"),
    responses((status = 200, description = "已关联", body = CampaignDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不在本人管理范围内", body = ErrorDto), (status = 404, description = "不存在或不可见", body = ErrorDto)))]
pub async fn link(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<LinkBody>) -> Result<Json<CampaignDetailDto>, ApiError> {
    let activity = dangwu_domain::OrgId::parse(&b.activity_id).map_err(|_| dangwu_domain::DomainError::field("activity_id", format!("活动编号（activity_id）格式不正确：“{}”", b.activity_id)))?;
    campaigns::link_activity(&state.store, &user.principal, &user.actor(), &id.0, &activity.to_string()).await?;
    let d = campaigns::campaign(&state.store, &user.principal, &id.0).await?;
    Ok(Json(CampaignDetailDto::new(&d, &state.store)))
}
