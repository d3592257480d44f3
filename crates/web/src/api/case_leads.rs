//! `/api/v1/case-leads…`: 问题线索 for 纪检 accounts only (everyone else, administrators too,
//! gets 403): list, one lead with its status history, register one, change its status.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangwu_domain::supervision::CaseLeadInput;
use dangwu_store::Store;
use dangwu_store::case_leads::{self, CaseLead, CaseLeadDetail};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorDto;
use super::extract::{ApiJson, IdPath};
use super::ledger_dto::RowId;
use super::today;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CaseLead)]
pub struct CaseLeadDto {
    pub id: String,
    pub number: String,
    pub received_on: NaiveDate,
    pub source: String,
    pub subject_org_id: String,
    pub subject_org_name: String,
    pub summary: String,
    /// 状态编号（rulebook/supervision.toml 的 case_status）
    pub status: String,
    pub status_label: String,
    pub status_on: NaiveDate,
}

impl CaseLeadDto {
    fn new(l: &CaseLead, org_name: &str, store: &Store) -> Self {
        Self {
            id: l.id.clone(),
            number: l.number.clone(),
            received_on: l.received_on,
            source: l.source.clone(),
            subject_org_id: l.subject_org_id.clone(),
            subject_org_name: org_name.to_owned(),
            summary: l.summary.clone(),
            status: l.status.clone(),
            status_label: store.supervision.case_status_label(&l.status).to_owned(),
            status_on: l.status_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CaseLeadEvent)]
pub struct CaseEventDto {
    pub on_date: NaiveDate,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CaseLeadDetail)]
pub struct CaseLeadDetailDto {
    pub lead: CaseLeadDto,
    /// 状态变化，按日期先后
    pub history: Vec<CaseEventDto>,
}

impl CaseLeadDetailDto {
    fn new(d: &CaseLeadDetail, store: &Store) -> Self {
        Self {
            lead: CaseLeadDto::new(&d.lead, &d.org_name, store),
            history: d.history.iter().map(|e| CaseEventDto { on_date: e.on_date, from_status: e.from_status.clone(), to_status: e.to_status.clone(), note: e.note.clone() }).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CaseLeadInput)]
pub struct CaseLeadBody {
    pub number: String,
    /// 受理日期，如 2022-03-01
    pub received_on: String,
    /// 线索来源，如 信访举报
    pub source: String,
    pub subject_org_id: String,
    /// 简要情况（最多200字）
    pub summary: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CaseLeadStatusInput)]
pub struct StatusBody {
    /// 新状态（编号或名称），须是当前状态允许的下一步
    pub status: String,
    pub on_date: String,
    #[serde(default)]
    pub note: String,
}

/// 问题线索列表（仅纪检账号）
#[utoipa::path(get, path = "/api/v1/case-leads", tag = "case_leads", operation_id = "list_case_leads",
    responses((status = 200, description = "列表", body = [CaseLeadDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不是纪检账号", body = ErrorDto)))]
pub async fn list(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<CaseLeadDto>>, ApiError> {
    let rows = case_leads::list(&state.store, &user.principal).await?;
    Ok(Json(rows.iter().map(|(l, o)| CaseLeadDto::new(l, o, &state.store)).collect()))
}

/// 登记问题线索（状态为目录中的初始状态）
#[utoipa::path(post, path = "/api/v1/case-leads", tag = "case_leads", operation_id = "create_case_lead",
    request_body(content = CaseLeadBody, content_type = "application/json"),
    responses((status = 201, description = "已登记", body = CaseLeadDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不是纪检账号", body = ErrorDto), (status = 409, description = "线索编号已有", body = ErrorDto),
        (status = 422, description = "字段有误", body = ErrorDto)))]
pub async fn create(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<CaseLeadBody>) -> Result<impl IntoResponse, ApiError> {
    // The role is checked before the body, so a refused caller learns nothing from validation.
    case_leads::guard(&user.principal)?;
    let input = CaseLeadInput { number: b.number, received_on: b.received_on, source: b.source, subject_org_id: b.subject_org_id, summary: b.summary };
    let lead = case_leads::add(&state.store, &user.principal, &user.actor(), &input.validate(today())?).await?;
    let d = case_leads::get(&state.store, &user.principal, &lead.id).await?;
    Ok((StatusCode::CREATED, Json(CaseLeadDetailDto::new(&d, &state.store))))
}

/// 一条问题线索及其状态变化
#[utoipa::path(get, path = "/api/v1/case-leads/{id}", tag = "case_leads", operation_id = "get_case_lead", params(("id" = String, Path, description = "线索编号（内部）")),
    responses((status = 200, description = "线索", body = CaseLeadDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不是纪检账号", body = ErrorDto), (status = 404, description = "不存在", body = ErrorDto)))]
pub async fn get(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>) -> Result<Json<CaseLeadDetailDto>, ApiError> {
    let d = case_leads::get(&state.store, &user.principal, &id.0).await?;
    Ok(Json(CaseLeadDetailDto::new(&d, &state.store)))
}

/// 改变线索状态（只能改为目录允许的下一步状态）
#[utoipa::path(post, path = "/api/v1/case-leads/{id}/status", tag = "case_leads", operation_id = "set_case_lead_status", params(("id" = String, Path, description = "线索编号（内部）")),
    request_body(content = StatusBody, content_type = "application/json"),
    responses((status = 200, description = "已改变", body = CaseLeadDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不是纪检账号", body = ErrorDto), (status = 404, description = "不存在", body = ErrorDto),
        (status = 422, description = "不允许的状态变化、日期有误", body = ErrorDto)))]
pub async fn set_status(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<StatusBody>) -> Result<Json<CaseLeadDetailDto>, ApiError> {
    case_leads::guard(&user.principal)?;
    let on = dangwu_domain::date::parse_date(&b.on_date)
        .ok_or_else(|| dangwu_domain::DomainError::field("on_date", format!("日期（on_date）格式不正确：“{}”，应为如 2022-03-01 的日期", b.on_date)))?;
    case_leads::set_status(&state.store, &user.principal, &user.actor(), &id.0, &b.status, on, &b.note, today()).await?;
    let d = case_leads::get(&state.store, &user.principal, &id.0).await?;
    Ok(Json(CaseLeadDetailDto::new(&d, &state.store)))
}
