//! What the API sends. Responses never carry the full ID number or its blind index.

use chrono::NaiveDate;
use dangwu_domain::member::{DuesCategory, Gender, MemberStatus};
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_store::{members, orgs};
use serde::Serialize;
use utoipa::ToSchema;

/// 党组织
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Org)]
pub struct OrgDto {
    /// 组织编号（UUID）
    pub id: String,
    /// 上级组织编号；顶级组织为 null
    pub parent_id: Option<String>,
    /// 组织名称
    pub name: String,
    /// 简称
    pub short_name: Option<String>,
    /// 组织类别标识（如 `branch`）
    pub kind: String,
    /// 组织类别名称（如“党支部”）
    pub kind_label: String,
    /// 所在单位
    pub unit: Option<String>,
    /// 物化路径 `/根编号/…/本组织编号/`，用于下级组织查询
    pub path: String,
    /// 成立日期
    pub established_on: Option<NaiveDate>,
    /// 撤销日期；未撤销为 null
    pub abolished_on: Option<NaiveDate>,
}

impl OrgDto {
    pub fn new(o: orgs::Org, catalogue: &OrgCatalogue) -> Self {
        let kind_label = catalogue.label(&o.kind).to_owned();
        Self {
            id: o.id,
            parent_id: o.parent_id,
            name: o.name,
            short_name: o.short_name,
            kind: o.kind,
            kind_label,
            unit: o.unit,
            path: o.path,
            established_on: o.established_on,
            abolished_on: o.abolished_on,
        }
    }
}

/// 党员（身份证号只给出脱敏形式）
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Member)]
pub struct MemberDto {
    /// 党员编号（UUID）
    pub id: String,
    /// 所在党组织编号
    pub org_id: String,
    /// 所在党组织名称
    pub org_name: String,
    /// 姓名
    pub name: String,
    /// 性别标识：`male` / `female`
    pub gender: String,
    /// 性别名称
    pub gender_label: String,
    /// 民族（全称，如“汉族”）
    pub ethnicity: Option<String>,
    /// 出生日期
    pub birth_date: NaiveDate,
    /// 脱敏身份证号（前6位和后4位）
    #[schema(example = "370602********1234")]
    pub id_card_masked: String,
    /// 学历（如“大学本科”）
    pub education: Option<String>,
    /// 联系电话
    pub phone: Option<String>,
    /// 入党日期
    pub joined_on: NaiveDate,
    /// 转正日期
    pub full_on: Option<NaiveDate>,
    /// 党员状态标识：`full`、`probationary`、`transferred_out` …
    pub status: String,
    /// 党员状态名称（如“正式党员”）
    pub status_label: String,
    /// 党费类别标识：`in_service`、`retired`、`student` …
    pub dues_category: String,
    /// 党费类别名称
    pub dues_category_label: String,
    /// 工作单位
    pub work_unit: Option<String>,
    /// 职务
    pub post: Option<String>,
    /// 是否党务工作者
    pub is_party_worker: bool,
}

impl From<members::MemberRow> for MemberDto {
    fn from(r: members::MemberRow) -> Self {
        let m = r.member;
        Self {
            gender_label: Gender::parse(&m.gender).map_or_else(|_| m.gender.clone(), |v| v.label().to_owned()),
            status_label: MemberStatus::parse(&m.status).map_or_else(|_| m.status.clone(), |v| v.label().to_owned()),
            dues_category_label: DuesCategory::parse(&m.dues_category)
                .map_or_else(|_| m.dues_category.clone(), |v| v.label().to_owned()),
            id: m.id,
            org_id: m.org_id,
            org_name: r.org_name,
            name: m.name,
            gender: m.gender,
            ethnicity: m.ethnicity,
            birth_date: m.birth_date,
            id_card_masked: m.id_card_masked,
            education: m.education,
            phone: m.phone,
            joined_on: m.joined_on,
            full_on: m.full_on,
            status: m.status,
            dues_category: m.dues_category,
            work_unit: m.work_unit,
            post: m.post,
            is_party_worker: m.is_party_worker,
        }
    }
}

/// 党员名册的一页
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MemberPage)]
pub struct MemberPageDto {
    pub items: Vec<MemberDto>,
    /// 符合条件的党员总数
    pub total: i64,
    /// 页码（从1开始）
    pub page: u32,
    /// 每页条数
    pub per_page: u32,
}

/// 错误：`code` 为稳定的机器可读代码，`message` 为中文说明，`field` 为出错的字段
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorDto {
    /// `unauthenticated`、`forbidden`、`csrf`、`not_found`、`conflict`、`invalid`、`rule`、`malformed_json` …
    pub code: String,
    /// 中文错误说明
    pub message: String,
    /// 出错的字段（如 `id_card_no`、`body`、`id`）；与具体字段无关时为 null
    #[schema(required = true)]
    pub field: Option<String>,
    /// 全部字段错误（校验失败时才有）
    #[schema(nullable = false)]
    pub errors: Option<Vec<FieldErrorDto>>,
}

/// 一个字段的错误
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorDto {
    pub field: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_dto_matches_the_web_error_shape() {
        let mut e = crate::WebError::bad_request("id_card_no", "身份证号不能为空");
        e.errors = vec![dangwu_domain::FieldError::new("id_card_no", "身份证号不能为空")];
        let v = serde_json::to_value(&e).unwrap();
        let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["code", "errors", "field", "message"]);
    }
}
