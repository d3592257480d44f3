//! `/api/v1/reports`: reports generated from the records with the templates in force, the
//! facts behind them (each with its record ids), and saved reports with what changed since.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use dangwu_domain::facts::FactSet;
use dangwu_domain::report::{markdown, plain};
use dangwu_store::reports::{self, Generated};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::ErrorDto;
use super::extract::{ApiJson, ApiQuery};
use super::query::ComplianceQuery;
use super::today;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// 党组织（默认：本人可见的最上一级）
    #[param(value_type = Option<String>, format = "uuid")]
    pub org_id: Option<String>,
    /// 期间（必填）：`2022Q1`（季度）、`2022`（年）或 `2022-03`（月）
    #[param(required = true, value_type = String, example = "2022Q1")]
    pub period: Option<String>,
    /// 模板：`quarterly`（默认）、`summary`、`rectification` 或部署方新增的模板
    #[param(value_type = Option<String>, example = "quarterly")]
    pub template: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ReportRequest)]
pub struct ReportBody {
    pub org_id: Option<String>,
    pub period: String,
    pub template: Option<String>,
}

/// 一份报告：正文（Markdown）和所用的事实
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Report)]
pub struct ReportDto {
    /// 已保存的报告的编号
    pub id: Option<String>,
    pub org_id: String,
    pub org_name: String,
    pub period: String,
    pub template: String,
    /// 模板文本的 SM3 摘要
    pub template_version: String,
    pub title: String,
    pub markdown: String,
    /// 事实：名称 → `{name, value: {type, value}, records: [{kind, id}]}`
    #[schema(value_type = Object)]
    pub facts: FactSet,
    /// 已保存的报告：与现在的记录相比变化了的事实
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<reports::Change>,
}

impl ReportDto {
    fn new(g: Generated, id: Option<String>, changes: Vec<reports::Change>) -> Self {
        Self {
            id,
            org_id: g.org.id,
            org_name: g.org.name,
            period: g.period.to_string(),
            template: g.template.name,
            template_version: g.template.version,
            title: plain(&g.doc.title),
            markdown: markdown(&g.doc),
            facts: g.facts,
            changes,
        }
    }
}

async fn build(state: &AppState, user: &ApiUser, org: Option<String>, period: Option<String>, template: Option<String>) -> Result<Generated, ApiError> {
    let (org, period) = ComplianceQuery { org_id: org, period }.parse()?;
    let name = template.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("quarterly");
    let t = reports::template(&state.store, name)?.clone();
    let scope = reports::scope(&state.store, &user.principal, org, period, today()).await?;
    Ok(reports::generate(&state.store, scope, &t, today()).await?)
}

/// 按模板从记录生成报告（不保存）
#[utoipa::path(
    get, path = "/api/v1/reports/generate", tag = "reports", operation_id = "generate_report",
    params(ReportQuery),
    responses(
        (status = 200, description = "报告", body = ReportDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党员账号不能生成报告", body = ErrorDto),
        (status = 404, description = "党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "期间有误或尚未开始、模板不存在", body = ErrorDto),
    )
)]
pub async fn generate(user: ApiUser, State(state): State<AppState>, ApiQuery(q): ApiQuery<ReportQuery>) -> Result<Json<ReportDto>, ApiError> {
    let g = build(&state, &user, q.org_id, q.period, q.template).await?;
    Ok(Json(ReportDto::new(g, None, vec![])))
}

/// 生成并保存报告（保存模板版本、事实和记录编号）
#[utoipa::path(
    post, path = "/api/v1/reports", tag = "reports", operation_id = "save_report",
    request_body = ReportBody,
    responses(
        (status = 201, description = "已保存的报告", body = ReportDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党员账号不能生成报告", body = ErrorDto),
        (status = 404, description = "党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "期间有误或尚未开始、模板不存在", body = ErrorDto),
    )
)]
pub async fn save(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<ReportBody>) -> Result<impl IntoResponse, ApiError> {
    let g = build(&state, &user, b.org_id, Some(b.period), b.template).await?;
    let id = reports::save(&state.store, &user.actor(), &g).await?;
    Ok((StatusCode::CREATED, [(LOCATION, format!("/api/v1/reports/{id}"))], Json(ReportDto::new(g, Some(id), vec![]))))
}

/// 已保存的报告（按保存时的事实），及其后记录的变化
#[utoipa::path(
    get, path = "/api/v1/reports/{id}", tag = "reports", operation_id = "get_report",
    params(("id" = String, Path, description = "报告编号")),
    responses(
        (status = 200, description = "报告", body = ReportDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "报告不存在或不在本人可见范围内", body = ErrorDto),
    )
)]
pub async fn get(user: ApiUser, State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ReportDto>, ApiError> {
    let (s, changes) = reports::changes(&state.store, &user.principal, &id).await?;
    Ok(Json(ReportDto::new(s.generated, Some(s.row.id), changes)))
}
