//! `/api/v1/dues/…`: the dues calculator, the year's verification table, recording payments
//! (all months or none), arrears, and the remittance reconciliation of an org and period.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use dangwu_domain::dues::calc;
use dangwu_store::dues::{self, PaymentForm};

use super::dues_dto::{ArrearsDto, CalcDto, PaymentBody, PaymentDto, ReconciliationDto, VerificationListDto};
use super::dues_query::{ArrearsQuery, CalcQuery, ReconciliationQuery, VerificationQuery};
use super::dto::ErrorDto;
use super::extract::{ApiJson, ApiQuery};
use super::{blame, today};
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

/// 计算党费：按类别和计算基数得出档次、比例和每月交纳额（全额累进，不是超额累进）
#[utoipa::path(
    get, path = "/api/v1/dues/calc", tag = "dues", operation_id = "dues_calc",
    params(CalcQuery),
    responses(
        (status = 200, description = "计算结果", body = CalcDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 422, description = "参数有误（未知类别、基数不是金额或为负数、缺少基数）", body = ErrorDto),
    )
)]
pub async fn calculate(_user: ApiUser, State(state): State<AppState>, ApiQuery(q): ApiQuery<CalcQuery>) -> Result<Json<CalcDto>, ApiError> {
    let (category, base, flat) = q.parse()?;
    let c = calc(&state.store.dues, category, base, flat)?;
    Ok(Json(c.into()))
}

/// 党费核定表：党组织（含下级）每名党员本年度的现行核定及确认情况
#[utoipa::path(
    get, path = "/api/v1/dues/verifications", tag = "dues", operation_id = "list_dues_verifications",
    params(VerificationQuery),
    responses(
        (status = 200, description = "核定表", body = VerificationListDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "参数有误", body = ErrorDto),
    )
)]
pub async fn verifications(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<VerificationQuery>,
) -> Result<Json<VerificationListDto>, ApiError> {
    let (org, year) = q.parse()?;
    let rows = dues::for_org(&state.store, &user.principal, org, year).await?;
    Ok(Json(VerificationListDto::new(year, &rows)))
}

/// 登记党费交纳：一次可交一个或多个月，全部通过校验才写入
#[utoipa::path(
    post, path = "/api/v1/dues/payments", tag = "dues", operation_id = "record_dues_payment",
    request_body(content = PaymentBody, content_type = "application/json"),
    responses(
        (status = 201, description = "已登记（每月一条）", body = [PaymentDto]),
        (status = 400, description = "请求体不是有效的 JSON", body = ErrorDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 403, description = "党员不在本人管理范围内", body = ErrorDto),
        (status = 404, description = "党员不存在", body = ErrorDto),
        (status = 409, description = "该月党费已登记交纳", body = ErrorDto),
        (status = 415, description = "请求体不是 JSON", body = ErrorDto),
        (status = 422, description = "字段有误：金额为负数或不是数字、早于入党的月份、补交超过6个月、预交、尚未核定且未填金额等", body = ErrorDto),
    )
)]
pub async fn pay(user: ApiUser, State(state): State<AppState>, ApiJson(body): ApiJson<PaymentBody>) -> Result<impl IntoResponse, ApiError> {
    let today = today();
    let input = PaymentForm::from(body).parse(today)?;
    let rows = dues::record(&state.store, &user.principal, &user.actor(), &input, today).await.map_err(blame("member_id"))?;
    Ok((StatusCode::CREATED, Json(rows.iter().map(PaymentDto::from).collect::<Vec<_>>())))
}

/// 欠交党费：连续未交的月数，满3个月提醒，满6个月提示支部大会研究（党章第九条），不会自动改变党员状态
#[utoipa::path(
    get, path = "/api/v1/dues/arrears", tag = "dues", operation_id = "list_dues_arrears",
    params(ArrearsQuery),
    responses(
        (status = 200, description = "有未交月份的党员（连续未交月数多的在前）", body = [ArrearsDto]),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "参数有误", body = ErrorDto),
    )
)]
pub async fn arrears(user: ApiUser, State(state): State<AppState>, ApiQuery(q): ApiQuery<ArrearsQuery>) -> Result<Json<Vec<ArrearsDto>>, ApiError> {
    let (org, as_of) = q.parse(today())?;
    let list = dues::arrears(&state.store, &user.principal, org, as_of).await?;
    Ok(Json(list.iter().map(ArrearsDto::from).collect()))
}

/// 党费上缴核对：收缴、应上缴、已上缴（可多笔），是否按期足额上缴，或缺少什么
#[utoipa::path(
    get, path = "/api/v1/dues/reconciliation", tag = "dues", operation_id = "get_dues_reconciliation",
    params(ReconciliationQuery),
    responses(
        (status = 200, description = "核对结果", body = ReconciliationDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "参数有误（如期间与上缴周期不符）", body = ErrorDto),
    )
)]
pub async fn reconciliation(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ReconciliationQuery>,
) -> Result<Json<ReconciliationDto>, ApiError> {
    let (org, period) = q.parse()?;
    let r = dues::reconcile(&state.store, &user.principal, org, period, today()).await?;
    Ok(Json(ReconciliationDto::from(&r)))
}
