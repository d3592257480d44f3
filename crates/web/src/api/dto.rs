//! What the API sends. Responses never carry the full ID number or its blind index.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use dangwu_domain::activity::{Attendance, flag_label};
use dangwu_domain::compliance::{Finding, Status};
use dangwu_domain::member::{DuesCategory, Gender, MemberStatus};
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::rulebook::Rulebook;
use dangwu_store::activities::{ActivityDetail, ActivityRow};
use dangwu_store::compliance::Compliance;
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

/// 活动列表中的一项
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivitySummary)]
pub struct ActivitySummaryDto {
    /// 活动编号（UUID）
    pub id: String,
    /// 党组织编号
    pub org_id: String,
    /// 党组织名称
    pub org_name: String,
    /// 活动名称
    pub title: String,
    /// 活动日期
    pub held_on: NaiveDate,
    /// 开始时间（HH:MM）
    pub start_time: Option<String>,
    /// 地点
    pub place: Option<String>,
    /// 活动类型标识（一次会议可计为多种，如 `branch_assembly`、`party_lecture`、`theme_day`）
    pub kinds: Vec<String>,
    /// 活动类型名称，与 `kinds` 一一对应
    pub kind_labels: Vec<String>,
    /// 标记，如 `first_agenda_item`（第一议题）
    pub flags: Vec<String>,
    /// 议题/主题
    pub topics: Option<String>,
    /// 实到党员人数
    pub present_count: i64,
    /// 应到党员人数（出席与缺席之和，不含列席）；0 表示未记录出席情况
    pub expected_count: i64,
}

impl ActivitySummaryDto {
    pub fn new(r: ActivityRow, book: &Rulebook) -> Self {
        let a = r.activity;
        Self {
            kind_labels: r.kinds.iter().map(|k| book.kind_label(k).to_owned()).collect(),
            flags: a.flag_list(),
            id: a.id,
            org_id: a.org_id,
            org_name: r.org_name,
            title: a.title,
            held_on: a.held_on,
            start_time: a.start_time,
            place: a.place,
            kinds: r.kinds,
            topics: a.topics,
            present_count: a.present_count,
            expected_count: a.expected_count,
        }
    }
}

/// 一名参加人员
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivityAttendee)]
pub struct AttendeeDto {
    /// 党员编号；非党员列席人员为 null
    pub member_id: Option<String>,
    /// 姓名
    pub name: String,
    /// 出席情况：`present`（出席）、`absent`（缺席）、`guest`（列席）
    pub attendance: String,
    /// 出席情况名称
    pub attendance_label: String,
    /// 缺席原因
    pub reason: Option<String>,
}

/// 活动所学的一份材料
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivityMaterial)]
pub struct MaterialUseDto {
    /// 学习材料编号
    pub material_id: String,
    /// 材料名称
    pub title: String,
    /// 是否作为“第一议题”学习
    pub first_agenda: bool,
}

/// 附件（只含元数据；内容在网页中查看）
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivityAttachment)]
pub struct AttachmentDto {
    /// 附件编号
    pub id: String,
    /// 文件名
    pub filename: String,
    /// 内容类型（按文件内容判断）
    pub content_type: String,
    /// 字节数
    pub size: i64,
    /// 材料类别：`photo`（现场照片）、`sign_in_sheet`（签到表）、`scan`、`other`
    pub evidence: String,
    /// 内容的 SM3 摘要（十六进制）
    pub digest: String,
    /// 上传时间（Unix 毫秒）
    pub created_at: i64,
}

/// 一次活动的完整记录
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Activity)]
pub struct ActivityDto {
    /// 活动编号（UUID）
    pub id: String,
    /// 党组织编号
    pub org_id: String,
    /// 党组织名称
    pub org_name: String,
    /// 党组织类别标识
    pub org_kind: String,
    /// 活动名称
    pub title: String,
    /// 活动日期
    pub held_on: NaiveDate,
    /// 开始时间（HH:MM）
    pub start_time: Option<String>,
    /// 结束时间（HH:MM）
    pub end_time: Option<String>,
    /// 地点
    pub place: Option<String>,
    /// 主持人
    pub host: Option<String>,
    /// 记录人
    pub recorder: Option<String>,
    /// 授课人
    pub lecturer: Option<String>,
    /// 议题/主题
    pub topics: Option<String>,
    /// 会议记录
    pub minutes: Option<String>,
    /// 决议事项
    pub decisions: Option<String>,
    /// 活动类型标识
    pub kinds: Vec<String>,
    /// 活动类型名称，与 `kinds` 一一对应
    pub kind_labels: Vec<String>,
    /// 标记，如 `first_agenda_item`（第一议题）
    pub flags: Vec<String>,
    /// 标记名称，与 `flags` 一一对应
    pub flag_labels: Vec<String>,
    /// 活动类型定义的其他项目（如 `households` 走访户数、`film` 警示教育片）
    pub extra: BTreeMap<String, String>,
    /// 实到党员人数
    pub present_count: i64,
    /// 应到党员人数（不含列席）
    pub expected_count: i64,
    /// 参加人员
    pub attendance: Vec<AttendeeDto>,
    /// 学习材料（第一议题材料在前）
    pub materials: Vec<MaterialUseDto>,
    /// 附件元数据
    pub attachments: Vec<AttachmentDto>,
    /// 记录人账号
    pub created_by: String,
    /// 记录时间（Unix 毫秒）
    pub created_at: i64,
    /// 最后修改时间（Unix 毫秒）
    pub updated_at: i64,
}

impl ActivityDto {
    pub fn new(d: ActivityDetail, book: &Rulebook) -> Self {
        let a = d.activity;
        let flags = a.flag_list();
        Self {
            kind_labels: d.kinds.iter().map(|k| book.kind_label(k).to_owned()).collect(),
            flag_labels: flags.iter().map(|f| flag_label(f).to_owned()).collect(),
            extra: a.extra_map(),
            flags,
            id: a.id,
            org_id: a.org_id,
            org_name: d.org.name,
            org_kind: d.org.kind,
            title: a.title,
            held_on: a.held_on,
            start_time: a.start_time,
            end_time: a.end_time,
            place: a.place,
            host: a.host,
            recorder: a.recorder,
            lecturer: a.lecturer,
            topics: a.topics,
            minutes: a.minutes,
            decisions: a.decisions,
            kinds: d.kinds,
            present_count: a.present_count,
            expected_count: a.expected_count,
            attendance: d
                .attendance
                .into_iter()
                .map(|r| AttendeeDto {
                    attendance_label: Attendance::parse(&r.attendance).map_or_else(|_| r.attendance.clone(), |v| v.label().to_owned()),
                    member_id: r.member_id,
                    name: r.name,
                    attendance: r.attendance,
                    reason: r.reason,
                })
                .collect(),
            materials: d
                .materials
                .into_iter()
                .map(|m| MaterialUseDto { material_id: m.material_id, title: m.title, first_agenda: m.first_agenda })
                .collect(),
            attachments: d
                .attachments
                .into_iter()
                .map(|x| AttachmentDto {
                    id: x.id,
                    filename: x.filename,
                    content_type: x.content_type,
                    size: x.size,
                    evidence: x.evidence,
                    digest: x.digest,
                    created_at: x.created_at,
                })
                .collect(),
            created_by: a.created_by,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// 一项检查结果：某党组织在某期间对某条规则的落实情况
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Finding)]
pub struct FindingDto {
    /// 规则编号（见 `dangwu rules list`）
    pub rule_id: String,
    /// 规则标题
    pub rule_title: String,
    /// 党组织编号
    pub org_id: String,
    /// 党组织名称
    pub org_name: String,
    /// 期间：`2022-03`、`2022Q1` 或 `2022`（按规则的周期拆分）
    pub period: String,
    /// 期间名称，如“2022年3月”
    pub period_label: String,
    /// 应有次数（第一议题规则为本期会议数）
    pub expected: u32,
    /// 实有次数（计入的记录数）
    pub actual: u32,
    /// `ok`（已落实）、`pending`（期间未结束、尚未达到）、`insufficient`（次数不足）、`missing`（未开展）
    pub status: String,
    /// 状态名称
    pub status_label: String,
    /// 依据（文件及条款）
    pub citation: String,
    /// 计入或涉及的活动编号
    pub record_ids: Vec<String>,
    /// 说明（如未达到法定人数而未计入的会议）
    pub note: String,
}

impl FindingDto {
    /// Every finding of `c`, in tree order of the orgs, then rulebook order, then period.
    pub fn list(c: &Compliance, book: &Rulebook) -> Vec<FindingDto> {
        let org_pos: HashMap<&str, (usize, &str)> = c.orgs.iter().enumerate().map(|(i, o)| (o.id.as_str(), (i, o.name.as_str()))).collect();
        let rule_pos: HashMap<&str, usize> = book.rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        let mut sorted: Vec<&Finding> = c.findings.iter().collect();
        sorted.sort_by_key(|f| {
            (org_pos.get(f.org_id.as_str()).map_or(usize::MAX, |p| p.0), rule_pos.get(f.rule_id.as_str()).copied(), f.period)
        });
        sorted
            .into_iter()
            .map(|f| FindingDto {
                rule_id: f.rule_id.clone(),
                rule_title: book.rule(&f.rule_id).map_or_else(|| f.rule_id.clone(), |r| r.title.clone()),
                org_id: f.org_id.clone(),
                org_name: org_pos.get(f.org_id.as_str()).map_or_else(String::new, |p| p.1.to_owned()),
                period: f.period.to_string(),
                period_label: f.period.label(),
                expected: f.expected,
                actual: f.actual,
                status: status_code(f.status).to_owned(),
                status_label: f.status.label().to_owned(),
                citation: f.citation.clone(),
                record_ids: f.record_ids.clone(),
                note: f.note.clone(),
            })
            .collect()
    }
}

/// The identifier of a status, as the JSON of `Finding` spells it.
pub fn status_code(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Pending => "pending",
        Status::Insufficient => "insufficient",
        Status::Missing => "missing",
    }
}

/// 组织生活制度落实情况
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Compliance)]
pub struct ComplianceDto {
    /// 所查期间，如 `2022Q1`
    pub period: String,
    /// 期间名称，如“2022年第一季度”
    pub period_label: String,
    /// 检查结果（按组织树序、规则顺序、期间排列）
    pub findings: Vec<FindingDto>,
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
