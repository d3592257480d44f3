//! `/api/v1/compliance`: the rulebook evaluated over an org subtree for a period — expected
//! against actual per org and obligation, each finding citing its rule and the records counted.

use axum::Json;
use axum::extract::State;
use dangwu_store::compliance;

use super::dto::{ComplianceDto, ErrorDto, FindingDto};
use super::extract::ApiQuery;
use super::query::ComplianceQuery;
use super::today;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

/// 组织生活制度落实情况：每个党组织、每条规则、每个期间一项
#[utoipa::path(
    get, path = "/api/v1/compliance", tag = "compliance", operation_id = "get_compliance",
    params(ComplianceQuery),
    responses(
        (status = 200, description = "检查结果", body = ComplianceDto),
        (status = 401, description = "未登录或令牌无效", body = ErrorDto),
        (status = 404, description = "org_id 指定的党组织不存在或不在本人可见范围内", body = ErrorDto),
        (status = 422, description = "查询参数有误（如缺少或写错期间）", body = ErrorDto),
    )
)]
pub async fn get(
    user: ApiUser,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ComplianceQuery>,
) -> Result<Json<ComplianceDto>, ApiError> {
    let (org, period) = q.parse()?;
    let c = compliance::check(&state.store, &user.principal, org, period, today()).await?;
    Ok(Json(ComplianceDto {
        period: period.to_string(),
        period_label: period.label(),
        findings: FindingDto::list(&c, &state.store.rulebook),
    }))
}
