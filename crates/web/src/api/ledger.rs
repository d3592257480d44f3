//! `/api/v1/ledgers…`: 整改台账 — ledgers, their items, progress and 销号, weekly dispatch
//! rounds, 对账 against the inspector's list and the draft report. Evidence is uploaded here as
//! multipart (as on the item's page) or with `dangwu ledger evidence`.

use axum::Json;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use dangwu_domain::date::parse_date;
use dangwu_domain::supervision::{ItemInput, LedgerStatus, ListLine};
use dangwu_domain::{DomainError, OrgId};
use dangwu_store::supervision::{self, LedgerInput};

use super::dto::ErrorDto;
use super::extract::{ApiJson, IdPath};
use super::ledger_dto::*;
use super::today;
use crate::auth::ApiUser;
use crate::upload::read_upload;
use crate::{ApiError, AppState, WebError};

pub(super) fn date(field: &str, label: &str, s: &str) -> Result<NaiveDate, DomainError> {
    parse_date(s).ok_or_else(|| DomainError::field(field, format!("{label}（{field}）格式不正确：“{s}”，应为如 2022-01-05 的日期")))
}

pub(super) fn org(field: &str, s: &str) -> Result<OrgId, DomainError> {
    OrgId::parse(s).map_err(|_| DomainError::field(field, format!("党组织编号（{field}）格式不正确：“{s}”")))
}

/// 整改台账列表：本人可见的台账及本人范围内的问题数、已销号数
#[utoipa::path(get, path = "/api/v1/ledgers", tag = "ledger", operation_id = "list_ledgers",
    responses((status = 200, description = "台账列表", body = [LedgerSummaryDto]), (status = 401, description = "未登录或令牌无效", body = ErrorDto)))]
pub async fn list(user: ApiUser, State(state): State<AppState>) -> Result<Json<Vec<LedgerSummaryDto>>, ApiError> {
    let rows = supervision::list(&state.store, &user.principal).await?;
    Ok(Json(rows.iter().map(LedgerSummaryDto::from).collect()))
}

/// 建立整改台账
#[utoipa::path(post, path = "/api/v1/ledgers", tag = "ledger", operation_id = "create_ledger",
    request_body(content = LedgerBody, content_type = "application/json"),
    responses((status = 201, description = "已建立", body = LedgerDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党组织不在本人管理范围内", body = ErrorDto), (status = 422, description = "字段有误", body = ErrorDto)))]
pub async fn create(user: ApiUser, State(state): State<AppState>, ApiJson(b): ApiJson<LedgerBody>) -> Result<impl IntoResponse, ApiError> {
    let input = LedgerInput { org_id: org("org_id", &b.org_id)?, title: b.title, source: b.source, feedback_on: date("feedback_on", "反馈日期", &b.feedback_on)? };
    let l = supervision::create_ledger(&state.store, &user.principal, &user.actor(), &input, today()).await?;
    let d = supervision::get(&state.store, &user.principal, &l.id).await?;
    Ok((StatusCode::CREATED, Json(LedgerDto::new(&d, &state.store))))
}

/// 一本台账及本人可见的问题
#[utoipa::path(get, path = "/api/v1/ledgers/{id}", tag = "ledger", operation_id = "get_ledger", params(("id" = String, Path, description = "台账编号")),
    responses((status = 200, description = "台账", body = LedgerDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 404, description = "台账不存在或不可见", body = ErrorDto)))]
pub async fn get(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>) -> Result<Json<LedgerDto>, ApiError> {
    let d = supervision::get(&state.store, &user.principal, &id.0).await?;
    Ok(Json(LedgerDto::new(&d, &state.store)))
}

/// 录入一个反馈问题
#[utoipa::path(post, path = "/api/v1/ledgers/{id}/items", tag = "ledger", operation_id = "add_ledger_item", params(("id" = String, Path, description = "台账编号")),
    request_body(content = ItemBody, content_type = "application/json"),
    responses((status = 201, description = "已录入", body = ItemDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "台账不在本人管理范围内", body = ErrorDto), (status = 404, description = "台账不存在", body = ErrorDto),
        (status = 409, description = "序号已有", body = ErrorDto), (status = 422, description = "字段有误：未知类别、完成时限早于反馈日期等", body = ErrorDto)))]
pub async fn add_item(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<ItemBody>) -> Result<impl IntoResponse, ApiError> {
    let org_id = b.org_id.as_deref().map(|s| org("org_id", s)).transpose()?;
    let input = ItemInput {
        no: b.no.to_string(), title: b.title, category: b.category, measures: b.measures, leader: b.leader, department: b.department,
        owner_name: b.owner_name, due_on: b.due_on.unwrap_or_default(), acceptance: b.acceptance,
    };
    let item = supervision::add_item(&state.store, &user.principal, &user.actor(), &id.0, org_id, &input).await?;
    let d = supervision::item(&state.store, &user.principal, &item).await?;
    Ok((StatusCode::CREATED, Json(ItemDetailDto::new(&d, &state.store))))
}

/// 一个问题：进展记录与佐证材料的全部版本
#[utoipa::path(get, path = "/api/v1/ledger-items/{id}", tag = "ledger", operation_id = "get_ledger_item", params(("id" = String, Path, description = "问题编号")),
    responses((status = 200, description = "问题", body = ItemDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 404, description = "不存在或不可见", body = ErrorDto)))]
pub async fn item(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>) -> Result<Json<ItemDetailDto>, ApiError> {
    let d = supervision::item(&state.store, &user.principal, &id.0).await?;
    Ok(Json(ItemDetailDto::new(&d, &state.store)))
}

/// 记录整改进展（可同时改变状态；提交核验须已有佐证材料）
#[utoipa::path(post, path = "/api/v1/ledger-items/{id}/progress", tag = "ledger", operation_id = "record_ledger_progress", params(("id" = String, Path, description = "问题编号")),
    request_body(content = ProgressBody, content_type = "application/json"),
    responses((status = 200, description = "已记录", body = ItemDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不在本人管理范围内", body = ErrorDto), (status = 404, description = "不存在", body = ErrorDto),
        (status = 422, description = "字段有误：不允许的状态变化、已销号、无佐证提交核验等", body = ErrorDto)))]
pub async fn progress(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<ProgressBody>) -> Result<Json<ItemDetailDto>, ApiError> {
    let on = date("on_date", "日期", &b.on_date)?;
    let to = b.status.as_deref().filter(|s| !s.trim().is_empty()).map(LedgerStatus::parse).transpose()?;
    supervision::progress(&state.store, &user.principal, &user.actor(), &id.0, on, &b.text, to, today()).await?;
    let d = supervision::item(&state.store, &user.principal, &id.0).await?;
    Ok(Json(ItemDetailDto::new(&d, &state.store)))
}

/// 上传佐证材料（multipart/form-data：file 为文件，title 为材料名称；同名即为新版本，旧版本保留在历史中）
#[utoipa::path(post, path = "/api/v1/ledger-items/{id}/evidence", tag = "ledger", operation_id = "upload_ledger_evidence", params(("id" = String, Path, description = "问题编号")),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "已上传，为该材料的新版本", body = EvidenceDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不在本人管理范围内", body = ErrorDto), (status = 404, description = "不存在或不可见", body = ErrorDto),
        (status = 413, description = "文件超过大小上限", body = ErrorDto), (status = 415, description = "请求体须为 multipart/form-data", body = ErrorDto),
        (status = 422, description = "未选择文件、文件类型不受理、已销号等", body = ErrorDto)))]
pub async fn evidence(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, mp: Result<Multipart, MultipartRejection>) -> Result<impl IntoResponse, ApiError> {
    let mp = mp.map_err(|_| {
        let mut e = WebError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "请求体应为 multipart/form-data：file 为佐证材料文件，title 为材料名称");
        e.field = Some("body".into());
        e
    })?;
    let max = state.config.max_upload_bytes;
    let up = read_upload(mp, max).await?;
    if up.too_big {
        let mut e = WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("佐证材料文件（file）超过大小上限 {} KB，未保存", max / 1024));
        e.field = Some("file".into());
        return Err(e.into());
    }
    let title = up.field("title").to_owned();
    let e = supervision::add_evidence(&state.store, &user.principal, &user.actor(), &id.0, &title, &up.filename, up.file, max).await?;
    Ok((StatusCode::CREATED, Json(EvidenceDto::new(&e, true))))
}

/// 核验销号：由责任人以外的核验人办理，须为待核验且有佐证材料
#[utoipa::path(post, path = "/api/v1/ledger-items/{id}/close", tag = "ledger", operation_id = "close_ledger_item", params(("id" = String, Path, description = "问题编号")),
    request_body(content = ProgressBody, content_type = "application/json"),
    responses((status = 200, description = "已销号", body = ItemDetailDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "责任人本人不能销号，或不在本人管理范围内", body = ErrorDto), (status = 404, description = "不存在", body = ErrorDto),
        (status = 422, description = "无佐证材料、尚未提交核验等", body = ErrorDto)))]
pub async fn close(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<ProgressBody>) -> Result<Json<ItemDetailDto>, ApiError> {
    let on = date("on_date", "销号日期", &b.on_date)?;
    supervision::close(&state.store, &user.principal, &user.actor(), &id.0, on, &b.text, today()).await?;
    let d = supervision::item(&state.store, &user.principal, &id.0).await?;
    Ok(Json(ItemDetailDto::new(&d, &state.store)))
}

/// 形成一轮每周调度（冻结快照）
#[utoipa::path(post, path = "/api/v1/ledgers/{id}/dispatch", tag = "ledger", operation_id = "freeze_ledger_dispatch", params(("id" = String, Path, description = "台账编号")),
    request_body(content = DispatchBody, content_type = "application/json"),
    responses((status = 201, description = "已形成", body = DispatchDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "不在本人管理范围内", body = ErrorDto), (status = 422, description = "日期有误（不晚于上一轮、晚于今天等）", body = ErrorDto)))]
pub async fn dispatch(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<DispatchBody>) -> Result<impl IntoResponse, ApiError> {
    let as_of = date("as_of", "调度日期", &b.as_of)?;
    let r = supervision::freeze_round(&state.store, &user.principal, &user.actor(), &id.0, as_of, today()).await?;
    Ok((StatusCode::CREATED, Json(DispatchDto::from(&r))))
}

/// 一轮调度，按形成时的快照
#[utoipa::path(get, path = "/api/v1/dispatch/{id}", tag = "ledger", operation_id = "get_ledger_dispatch", params(("id" = String, Path, description = "调度编号")),
    responses((status = 200, description = "调度快照", body = DispatchDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 404, description = "不存在或不可见", body = ErrorDto)))]
pub async fn get_dispatch(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>) -> Result<Json<DispatchDto>, ApiError> {
    let r = supervision::get_round(&state.store, &user.principal, &id.0).await?;
    Ok(Json(DispatchDto::from(&r)))
}

/// 对账：台账与巡察组清单逐项核对（缺少、多出、状态不一致）
#[utoipa::path(post, path = "/api/v1/ledgers/{id}/reconciliation", tag = "ledger", operation_id = "reconcile_ledger", params(("id" = String, Path, description = "台账编号")),
    request_body(content = ReconcileBody, content_type = "application/json"),
    responses((status = 200, description = "对账结果", body = ReconciliationDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "台账不存在或不可见", body = ErrorDto), (status = 422, description = "清单有误（未知状态）", body = ErrorDto)))]
pub async fn reconcile(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>, ApiJson(b): ApiJson<ReconcileBody>) -> Result<Json<ReconciliationDto>, ApiError> {
    let mut lines = Vec::new();
    for (i, l) in b.lines.into_iter().enumerate() {
        let status = l.status.as_deref().filter(|s| !s.trim().is_empty()).map(LedgerStatus::parse).transpose().map_err(|e| DomainError::field(format!("lines[{i}].status"), e.to_string()))?;
        lines.push(ListLine { row: i + 1, no: l.no, title: l.title, status });
    }
    let r = supervision::reconcile(&state.store, &user.principal, &id.0, &lines).await?;
    Ok(Json(ReconciliationDto::from(&r)))
}

/// 整改情况报告草稿：总数、已销号、正在整改、超期、完成率，报送期限及逐项情况
#[utoipa::path(get, path = "/api/v1/ledgers/{id}/report", tag = "ledger", operation_id = "get_ledger_report", params(("id" = String, Path, description = "台账编号")),
    responses((status = 200, description = "报告草稿", body = ReportDto), (status = 401, description = "未登录或令牌无效", body = ErrorDto), (status = 404, description = "台账不存在或不可见", body = ErrorDto)))]
pub async fn report(user: ApiUser, State(state): State<AppState>, IdPath(id): IdPath<RowId>) -> Result<Json<ReportDto>, ApiError> {
    let r = supervision::report(&state.store, &user.principal, &id.0, today()).await?;
    Ok(Json(ReportDto::from(&r)))
}
