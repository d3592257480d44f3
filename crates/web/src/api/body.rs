//! What the API accepts: request bodies, turned into the domain's raw inputs, which validate them.
//! Every field is optional here so that a missing one is reported by the domain in Chinese.

use std::collections::BTreeMap;

use dangwu_domain::activity::{ActivityInput, AttendeeInput};
use dangwu_domain::member::MemberInput;
use dangwu_domain::org::OrgInput;
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;

/// 新建或修改党组织的请求体
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = OrgInput)]
pub struct OrgBody {
    /// 组织名称（必填，不超过100字）
    #[schema(required = true, example = "机关第一党支部")]
    pub name: Option<String>,
    /// 简称
    pub short_name: Option<String>,
    /// 组织类别标识（必填）：`party_group`、`committee`、`organ_committee`、`general_branch`、`branch`、`temporary_branch`、`cell`
    #[schema(required = true, example = "branch")]
    pub kind: Option<String>,
    /// 上级组织编号；修改时与现上级不同则整棵子树移到新上级之下
    pub parent_id: Option<String>,
    /// 成立日期
    #[schema(format = Date, example = "2020-07-01")]
    pub established_on: Option<String>,
    /// 所在单位
    pub unit: Option<String>,
}

impl From<OrgBody> for OrgInput {
    fn from(b: OrgBody) -> Self {
        OrgInput {
            name: b.name.unwrap_or_default(),
            short_name: b.short_name,
            kind: b.kind.unwrap_or_default(),
            parent_id: b.parent_id,
            established_on: b.established_on,
            unit: b.unit,
        }
    }
}

/// 登记或修改党员的请求体。字段可用标识或中文名称（如 `full` 或“正式党员”）
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = MemberInput)]
pub struct MemberBody {
    /// 姓名（必填）
    #[schema(required = true, example = "张三")]
    pub name: Option<String>,
    /// 性别：`male`/`female` 或“男”/“女”；不填则按身份证号
    pub gender: Option<String>,
    /// 民族全称，如“汉族”
    pub ethnicity: Option<String>,
    /// 出生日期；不填则按身份证号，填写须与身份证号一致
    #[schema(format = Date)]
    pub birth_date: Option<String>,
    /// 18位身份证号（必填，校验 GB 11643 校验码）
    #[schema(required = true)]
    pub id_card_no: Option<String>,
    /// 学历，如“大学本科”或 `bachelor`
    pub education: Option<String>,
    /// 联系电话
    pub phone: Option<String>,
    /// 入党日期（必填）
    #[schema(required = true, format = Date, example = "2010-07-01")]
    pub joined_on: Option<String>,
    /// 转正日期（正式党员必填）
    #[schema(format = Date)]
    pub full_on: Option<String>,
    /// 党员状态：`full` 或 `probationary`；修改时须与现状态相同（状态变动另行办理）
    pub status: Option<String>,
    /// 党费类别（必填）：`in_service`、`retired`、`student`、`farmer`、`unemployed`、`low_income`、`other`
    #[schema(required = true, example = "in_service")]
    pub dues_category: Option<String>,
    /// 工作单位
    pub work_unit: Option<String>,
    /// 职务
    pub post: Option<String>,
    /// 是否党务工作者（true/false，也接受“是”/“否”）
    #[serde(default, deserialize_with = "bool_or_text")]
    #[schema(value_type = Option<bool>)]
    pub is_party_worker: Option<String>,
    /// 所在党组织编号（登记时必填；修改时须与现组织相同，调整组织另行办理）
    pub org_id: Option<String>,
}

impl From<MemberBody> for MemberInput {
    fn from(b: MemberBody) -> Self {
        let s = |v: Option<String>| v.unwrap_or_default();
        MemberInput {
            name: s(b.name),
            gender: s(b.gender),
            ethnicity: s(b.ethnicity),
            birth_date: s(b.birth_date),
            id_card_no: s(b.id_card_no),
            education: s(b.education),
            phone: s(b.phone),
            joined_on: s(b.joined_on),
            full_on: s(b.full_on),
            status: s(b.status),
            dues_category: s(b.dues_category),
            work_unit: s(b.work_unit),
            post: s(b.post),
            is_party_worker: s(b.is_party_worker),
            org_id: s(b.org_id),
        }
    }
}

/// 记录一次活动的请求体。一次会议可同时计为多种活动（如支部党员大会 + 党课 + 主题党日）
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = ActivityInput)]
pub struct ActivityBody {
    /// 党组织编号（必填）
    #[schema(required = true, format = "uuid")]
    pub org_id: Option<String>,
    /// 活动类型标识（必填，至少一种），如 `branch_assembly`、`party_lecture`、`theme_day`
    #[schema(required = true, example = json!(["branch_assembly", "party_lecture"]))]
    pub kinds: Option<Vec<String>>,
    /// 活动名称（必填，不超过200字）
    #[schema(required = true, example = "2022年第一季度支部党员大会暨专题党课")]
    pub title: Option<String>,
    /// 活动日期（必填，不能晚于今天）
    #[schema(required = true, format = Date, example = "2022-03-25")]
    pub held_on: Option<String>,
    /// 开始时间，如 `09:30`
    pub start_time: Option<String>,
    /// 结束时间，如 `11:30`
    pub end_time: Option<String>,
    /// 地点
    pub place: Option<String>,
    /// 主持人
    pub host: Option<String>,
    /// 记录人
    pub recorder: Option<String>,
    /// 授课人（党课）
    pub lecturer: Option<String>,
    /// 议题/主题
    pub topics: Option<String>,
    /// 会议记录
    pub minutes: Option<String>,
    /// 决议事项
    pub decisions: Option<String>,
    /// 标记，如 `first_agenda_item`（第一议题，党组会、中心组学习）
    pub flags: Option<Vec<String>>,
    /// 活动类型定义的其他项目，如 `{"households": 5}`、`{"film": "《零容忍》"}`；值可为文本或数字
    #[serde(default, deserialize_with = "text_map")]
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub extra: Option<BTreeMap<String, String>>,
    /// 学习材料编号（学习材料目录中的）
    pub materials: Option<Vec<String>>,
    /// 作为“第一议题”学习的材料编号（有 `first_agenda_item` 标记时必填）
    pub first_agenda_material: Option<String>,
    /// 参加人员：本组织党员（出席或缺席，缺席须写原因）和列席人员
    pub attendees: Option<Vec<AttendeeBody>>,
}

/// 一名参加人员
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = AttendeeInput)]
pub struct AttendeeBody {
    /// 党员编号；本组织党员必填，列席人员可不填
    pub member_id: Option<String>,
    /// 姓名（列席人员必填；本组织党员按名册）
    pub name: Option<String>,
    /// 出席情况（必填）：`present`/“出席”、`absent`/“缺席”、`guest`/“列席”
    #[schema(required = true, example = "present")]
    pub attendance: Option<String>,
    /// 缺席原因（缺席时必填）
    pub reason: Option<String>,
}

impl From<ActivityBody> for ActivityInput {
    fn from(b: ActivityBody) -> Self {
        let s = |v: Option<String>| v.unwrap_or_default();
        ActivityInput {
            org_id: s(b.org_id),
            kinds: b.kinds.unwrap_or_default(),
            title: s(b.title),
            held_on: s(b.held_on),
            start_time: s(b.start_time),
            end_time: s(b.end_time),
            place: s(b.place),
            host: s(b.host),
            recorder: s(b.recorder),
            lecturer: s(b.lecturer),
            topics: s(b.topics),
            minutes: s(b.minutes),
            decisions: s(b.decisions),
            flags: b.flags.unwrap_or_default(),
            extra: b.extra.unwrap_or_default(),
            materials: b.materials.unwrap_or_default(),
            first_agenda_material: s(b.first_agenda_material),
            attendees: b
                .attendees
                .unwrap_or_default()
                .into_iter()
                .map(|a| AttendeeInput { member_id: s(a.member_id), name: s(a.name), attendance: s(a.attendance), reason: s(a.reason) })
                .collect(),
        }
    }
}

/// An object whose values are text or numbers (`{"households": 5}`), as text; `null` is none.
fn text_map<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BTreeMap<String, String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Int(i64),
        Float(f64),
    }
    let raw: Option<BTreeMap<String, TextOrNumber>> = Option::deserialize(d)?;
    Ok(raw.map(|m| {
        m.into_iter()
            .map(|(k, v)| {
                let v = match v {
                    TextOrNumber::Text(s) => s,
                    TextOrNumber::Int(n) => n.to_string(),
                    TextOrNumber::Float(x) => x.to_string(),
                };
                (k, v)
            })
            .collect()
    }))
}

/// `true`/`false`, `null` or text (“是”/“否”); the domain validates the text.
fn bool_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::extract::parse_json;

    #[test]
    fn member_body_accepts_bool_text_and_null() {
        for (json, want) in [("true", "true"), ("false", "false"), ("\"是\"", "是"), ("null", "")] {
            let b: MemberBody = parse_json(format!("{{\"is_party_worker\": {json}}}").as_bytes()).unwrap();
            assert_eq!(MemberInput::from(b).is_party_worker, want);
        }
        let e = parse_json::<MemberBody>(br#"{"is_party_worker": 1}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("is_party_worker"));
        assert!(e.message.contains("党务工作者") && e.message.contains("布尔值"), "{}", e.message);
    }

    #[test]
    fn activity_body_takes_numbers_in_extra() {
        let b: ActivityBody = parse_json(r#"{"kinds": ["care_visit"], "extra": {"households": 5, "community": "海韵社区", "hours": 1.5}}"#.as_bytes()).unwrap();
        let input = ActivityInput::from(b);
        assert_eq!(input.extra["households"], "5");
        assert_eq!(input.extra["hours"], "1.5");
        assert_eq!(input.kinds, ["care_visit"]);
        let e = parse_json::<ActivityBody>(br#"{"extra": {"households": [5]}}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("extra.households"), "{}", e.message);
        assert_eq!(e.message, "字段 走访户数（extra.households）类型不正确：应为文本或数字");
        let e = parse_json::<ActivityBody>(br#"{"attendees": [{"attendance": 1}]}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("attendees[0].attendance"), "{}", e.message);
    }

    #[test]
    fn missing_fields_become_empty_for_domain_validation() {
        let b: OrgBody = parse_json(b"{}").unwrap();
        let input = OrgInput::from(b);
        assert!(input.name.is_empty() && input.kind.is_empty());
    }
}
