//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, built from the handlers' annotations.

use axum::Json;
use axum::response::IntoResponse;
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::body::{ActivityBody, AttendeeBody, MemberBody, OrgBody};
use super::dto::{
    ActivityDto, ActivitySummaryDto, AttachmentDto, AttendeeDto, ComplianceDto, ErrorDto, FieldErrorDto, FindingDto, MaterialUseDto,
    MemberDto, MemberPageDto, OrgDto,
};
use super::dues_dto::{ArrearsDto, CalcDto, PayItemDto, PaymentBody, PaymentDto, VerificationDto, VerificationListDto, VerificationRowDto};
use super::dues_recon_dto::{LargeVoluntaryDto, ReconciliationDto, RemittanceDto};
use super::ledger_dto::{
    DispatchBody, DispatchDto, EvidenceDto, EvidenceUpload, ItemBody, ItemDetailDto, ItemDto, LedgerBody, LedgerDto, LedgerSummaryDto, ListLineBody, NoteDto, ProgressBody,
    ReconcileBody, ReconciliationDto as LedgerReconciliationDto, ReportDto,
};
use super::campaigns::{CampaignDetailDto, CampaignDto, LinkedActivityDto, ResultBody, ResultDto, TargetDto};
use super::case_leads::{CaseEventDto, CaseLeadBody, CaseLeadDetailDto, CaseLeadDto, StatusBody as CaseStatusBody};
use super::registers::{CampaignBody, LinkBody, RegisterBody, RegisterDto};
use super::{activities, campaigns, case_leads, registers, compliance, dues, ledger, me, members, orgs, reports};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dangwu 党务 API",
        description = "党组织、党员、组织生活（活动）、制度落实情况和党费的 JSON 接口。用 `Authorization: Bearer <令牌>` 调用（令牌由 `dangwu user token 用户名` 生成），\
权限与该用户在网页中的权限相同：支部书记只能看到和修改本支部。浏览器会话也可调用，但修改类请求须带 `X-CSRF-Token` 请求头。\
出错时返回 `Error`：`code` 为机器可读代码，`message` 为中文说明，`field` 为出错的字段。",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        orgs::list, orgs::create, orgs::get, orgs::update,
        members::list, members::create, members::get, members::update,
        activities::list, activities::create, activities::get,
        compliance::get,
        dues::calculate, dues::verifications, dues::pay, dues::arrears, dues::reconciliation,
        reports::generate, reports::save, reports::get,
        me::export,
        ledger::list, ledger::create, ledger::get, ledger::add_item, ledger::item, ledger::progress, ledger::evidence, ledger::close, ledger::dispatch,
        ledger::get_dispatch, ledger::reconcile, ledger::report,
        campaigns::list, campaigns::get, campaigns::record,
        registers::list, registers::create, registers::create_campaign, registers::link,
        case_leads::list, case_leads::create, case_leads::get, case_leads::set_status,
        openapi_json,
    ),
    components(schemas(
        OrgDto, OrgBody, MemberDto, MemberBody, MemberPageDto, ErrorDto, FieldErrorDto,
        ActivitySummaryDto, ActivityDto, ActivityBody, AttendeeBody, AttendeeDto, MaterialUseDto, AttachmentDto,
        FindingDto, ComplianceDto,
        CalcDto, PayItemDto, VerificationDto, VerificationRowDto, VerificationListDto, PaymentBody, PaymentDto, ArrearsDto,
        RemittanceDto, LargeVoluntaryDto, ReconciliationDto,
        reports::ReportDto, reports::ReportBody,
        LedgerBody, ItemBody, ProgressBody, DispatchBody, ListLineBody, ReconcileBody, LedgerSummaryDto, ItemDto, LedgerDto, NoteDto, EvidenceDto, EvidenceUpload,
        ItemDetailDto, DispatchDto, LedgerReconciliationDto, ReportDto, CampaignDto, ResultDto, TargetDto, CampaignDetailDto, LinkedActivityDto, ResultBody,
        RegisterDto, RegisterBody, CampaignBody, LinkBody,
        CaseLeadDto, CaseEventDto, CaseLeadDetailDto, CaseLeadBody, CaseStatusBody,
    )),
    modifiers(&BearerAuth),
    security(("bearerAuth" = [])),
    tags(
        (name = "orgs", description = "党组织"),
        (name = "members", description = "党员"),
        (name = "activities", description = "活动（三会一课、主题党日、中心组学习、民主生活会等）"),
        (name = "compliance", description = "组织生活制度落实情况"),
        (name = "dues", description = "党费：计算、核定、交纳、欠交和上缴核对（金额以元为单位的文本给出，另附以分为单位的整数）"),
        (name = "reports", description = "工作报告：按模板从记录生成，每个事实附其记录编号"),
        (name = "ledger", description = "整改台账：巡察反馈问题、整改进展、核验销号、每周调度、对账和整改情况报告"),
        (name = "case_leads", description = "问题线索：只按状态跟踪，仅纪检账号可以查看和办理（系统管理员也不能）"),
        (name = "meta", description = "接口说明"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let http = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("`dangwu user token 用户名` 生成的 API 令牌；令牌的权限即该用户的权限"))
            .build();
        components.add_security_scheme("bearerAuth", SecurityScheme::Http(http));
    }
}

static DOCUMENT: LazyLock<serde_json::Value> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(ApiDoc::openapi().merge_from(super::community::CommunityDoc::openapi()).merge_from(super::training::TrainingDoc::openapi()).merge_from(super::places::PlacesDoc::openapi())).expect("the OpenAPI document serialises");
    add_common_errors(&mut doc);
    doc
});

/// The answers every handler can give through the shared extractors, documented once here rather
/// than on each handler: a body that is not JSON (400) or not `application/json` (415), a path id
/// that is not a UUID (422) or names nothing visible (404). A handler's own wording wins.
fn add_common_errors(doc: &mut serde_json::Value) {
    let error = |text: &str| {
        serde_json::json!({
            "description": text,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
        })
    };
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else { return };
    for (path, item) in paths.iter_mut() {
        let has_id = path.contains('{');
        let Some(ops) = item.as_object_mut() else { continue };
        for (method, op) in ops.iter_mut() {
            if !matches!(method.as_str(), "get" | "post" | "put" | "delete" | "patch") {
                continue;
            }
            let has_body = op.get("requestBody").is_some();
            let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else { continue };
            let mut add = |code: &str, text: &str| {
                responses.entry(code.to_owned()).or_insert_with(|| error(text));
            };
            if has_body {
                add("400", "请求体不是有效的 JSON");
                add("415", "请求体须为 application/json");
                add("422", "字段有误（field 指明出错的字段）");
            }
            if has_id {
                add("404", "不存在或不在本人可见范围内");
                add("422", "路径中的编号格式不正确");
            }
        }
    }
}

/// 本 OpenAPI 文档（无需登录）
#[utoipa::path(
    get, path = "/api/v1/openapi.json", tag = "meta", operation_id = "openapi",
    security(()),
    responses((status = 200, description = "OpenAPI 3.1 文档", content_type = "application/json", body = Object))
)]
pub async fn openapi_json() -> impl IntoResponse {
    Json(&*DOCUMENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn document_lists_every_path_and_method() {
        let doc: &Value = &DOCUMENT;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
        let paths = doc["paths"].as_object().unwrap();
        let expect: &[(&str, &[&str])] = &[
            ("/api/v1/orgs", &["get", "post"]),
            ("/api/v1/orgs/{id}", &["get", "put"]),
            ("/api/v1/members", &["get", "post"]),
            ("/api/v1/members/{id}", &["get", "put"]),
            ("/api/v1/activities", &["get", "post"]),
            ("/api/v1/activities/{id}", &["get"]),
            ("/api/v1/compliance", &["get"]),
            ("/api/v1/dues/calc", &["get"]),
            ("/api/v1/dues/verifications", &["get"]),
            ("/api/v1/dues/payments", &["post"]),
            ("/api/v1/dues/arrears", &["get"]),
            ("/api/v1/dues/reconciliation", &["get"]),
            ("/api/v1/reports", &["post"]),
            ("/api/v1/reports/generate", &["get"]),
            ("/api/v1/reports/{id}", &["get"]),
            ("/api/v1/me/export", &["get"]),
            ("/api/v1/ledgers", &["get", "post"]),
            ("/api/v1/ledgers/{id}", &["get"]),
            ("/api/v1/ledgers/{id}/items", &["post"]),
            ("/api/v1/ledgers/{id}/dispatch", &["post"]),
            ("/api/v1/ledgers/{id}/reconciliation", &["post"]),
            ("/api/v1/ledgers/{id}/report", &["get"]),
            ("/api/v1/ledger-items/{id}", &["get"]),
            ("/api/v1/ledger-items/{id}/progress", &["post"]),
            ("/api/v1/ledger-items/{id}/evidence", &["post"]),
            ("/api/v1/ledger-items/{id}/close", &["post"]),
            ("/api/v1/dispatch/{id}", &["get"]),
            ("/api/v1/campaigns", &["get", "post"]),
            ("/api/v1/campaigns/{id}/activities", &["post"]),
            ("/api/v1/registers", &["get", "post"]),
            ("/api/v1/case-leads", &["get", "post"]),
            ("/api/v1/case-leads/{id}", &["get"]),
            ("/api/v1/case-leads/{id}/status", &["post"]),
            ("/api/v1/campaigns/{id}", &["get"]),
            ("/api/v1/campaigns/{id}/results", &["post"]),
            ("/api/v1/openapi.json", &["get"]),
            ("/api/v1/teams", &["get", "post"]),
            ("/api/v1/teams/{id}", &["get"]),
            ("/api/v1/elections", &["get", "post"]),
            ("/api/v1/elections/{id}", &["get"]),
            ("/api/v1/elections/{id}/marks", &["put"]),
            ("/api/v1/elections/{id}/ballots", &["put"]),
            ("/api/v1/posts", &["get", "post"]),
            ("/api/v1/posts/{id}", &["get"]),
            ("/api/v1/communities", &["get", "post"]),
            ("/api/v1/communities/{id}", &["get"]),
            ("/api/v1/communities/{id}/links", &["post"]),
            ("/api/v1/communities/{id}/needs", &["post"]),
            ("/api/v1/needs/{id}", &["get"]),
            ("/api/v1/needs/{id}/claim", &["post"]),
            ("/api/v1/needs/{id}/done", &["post"]),
            ("/api/v1/training/capabilities", &["get"]),
            ("/api/v1/training/sessions", &["get", "post"]),
            ("/api/v1/training/hours", &["get"]),
        ];
        assert_eq!(paths.len(), expect.len(), "{:?}", paths.keys().collect::<Vec<_>>());
        for (path, methods) in expect {
            let item = paths.get(*path).unwrap_or_else(|| panic!("{path} missing"));
            let mut have: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
            have.sort();
            assert_eq!(&have, methods, "{path}");
            for m in *methods {
                let op = &item[*m];
                assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{m} {path} has responses");
                if *path != "/api/v1/openapi.json" {
                    assert!(op["responses"]["401"].is_object(), "{m} {path} documents 401");
                    assert_eq!(op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error");
                }
                if path.ends_with("{id}") {
                    assert_eq!(op["parameters"][0]["name"], "id");
                    assert_eq!(op["parameters"][0]["in"], "path");
                }
                // Evidence is a file upload; every other write takes a JSON body.
                let media = if path.ends_with("/evidence") { "multipart/form-data" } else { "application/json" };
                if *m == "post" || *m == "put" {
                    assert!(op["requestBody"]["content"][media]["schema"]["$ref"].is_string(), "{m} {path} body");
                }
            }
        }
        assert_eq!(paths["/api/v1/openapi.json"]["get"]["security"], serde_json::json!([{}]));
        let member_params: Vec<&str> =
            paths["/api/v1/members"]["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(member_params, ["org_id", "q", "status", "page", "per_page"]);
        let names = |path: &str| -> Vec<String> {
            paths[path]["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(names("/api/v1/activities"), ["org_id", "from", "to", "kind", "limit"]);
        assert_eq!(names("/api/v1/compliance"), ["org_id", "period"]);
        assert_eq!(names("/api/v1/dues/calc"), ["category", "base", "flat"]);
        assert_eq!(names("/api/v1/dues/verifications"), ["org_id", "year"]);
        assert_eq!(names("/api/v1/dues/arrears"), ["org_id", "as_of"]);
        assert_eq!(names("/api/v1/dues/reconciliation"), ["org_id", "period"]);
        assert_eq!(paths["/api/v1/dues/payments"]["post"]["responses"]["409"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error");
        let period = &paths["/api/v1/compliance"]["get"]["parameters"][1];
        assert_eq!(period["required"], true, "{period}");
        let created = &paths["/api/v1/activities"]["post"]["responses"]["201"];
        assert_eq!(created["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Activity");
        assert!(created["headers"]["Location"].is_object());
        let upload = &paths["/api/v1/ledger-items/{id}/evidence"]["post"];
        assert_eq!(upload["responses"]["415"]["description"], "请求体须为 multipart/form-data", "the handler's wording, not the JSON default");
        assert_eq!(doc["components"]["schemas"]["LedgerEvidenceInput"]["properties"]["file"]["format"], "binary");
        let listed = &paths["/api/v1/activities"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(listed["items"]["$ref"], "#/components/schemas/ActivitySummary", "{listed}");
    }

    #[test]
    fn document_has_bearer_auth_and_schemas() {
        let doc: &Value = &DOCUMENT;
        let scheme = &doc["components"]["securitySchemes"]["bearerAuth"];
        assert_eq!(scheme["type"], "http");
        assert_eq!(scheme["scheme"], "bearer");
        assert_eq!(doc["security"], serde_json::json!([{ "bearerAuth": [] }]));
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in [
            "Org", "Member", "MemberPage", "Error", "OrgInput", "MemberInput", "Activity", "ActivitySummary", "ActivityInput",
            "AttendeeInput", "ActivityAttendee", "ActivityMaterial", "ActivityAttachment", "Finding", "Compliance",
            "DuesCalc", "DuesVerification", "DuesVerificationRow", "DuesVerifications", "DuesPaymentInput", "DuesPayment", "DuesArrears",
            "DuesReconciliation", "DuesRemittance", "DuesLargeVoluntary", "DuesPayItem",
        ] {
            assert!(schemas.contains_key(name), "schema {name} missing: {:?}", schemas.keys().collect::<Vec<_>>());
        }
        let member = schemas["Member"]["properties"].as_object().unwrap();
        assert!(member.contains_key("id_card_masked"));
        assert!(!member.contains_key("id_card_no") && !member.contains_key("id_card_index"));
        let finding = schemas["Finding"]["properties"].as_object().unwrap();
        for k in ["rule_id", "rule_title", "org_id", "org_name", "period", "expected", "actual", "status", "citation", "record_ids", "note"] {
            assert!(finding.contains_key(k), "Finding.{k}");
        }
        // Money is yuan text next to integer fen, never a float.
        let calc = schemas["DuesCalc"]["properties"].as_object().unwrap();
        assert_eq!(calc["amount"]["type"], "string", "{:?}", calc["amount"]);
        assert_eq!(calc["amount_fen"]["type"], "integer");
        let rec = schemas["DuesReconciliation"]["properties"].as_object().unwrap();
        for k in ["collected", "owed", "remitted", "difference", "deadline", "on_time", "status", "remittances", "large_voluntary"] {
            assert!(rec.contains_key(k), "DuesReconciliation.{k}");
        }
        let input = schemas["ActivityInput"]["properties"].as_object().unwrap();
        assert!(input.contains_key("attendees") && input.contains_key("kinds") && input.contains_key("first_agenda_material"));
    }
}
