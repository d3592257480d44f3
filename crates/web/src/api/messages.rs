//! Chinese messages for what serde reports in English: a bad JSON body or query string
//! becomes `{code, message, field}` naming the field by its identifier and its Chinese name.

use axum::http::StatusCode;

use crate::WebError;

pub(super) fn malformed(message: String) -> WebError {
    let mut e = WebError::new(StatusCode::BAD_REQUEST, "malformed_json", message);
    e.field = Some("body".into());
    e
}

pub(super) fn json_error(path: &str, e: serde_json::Error) -> WebError {
    use serde_json::error::Category;
    let (line, col) = (e.line(), e.column());
    match e.classify() {
        Category::Syntax => malformed(format!("请求体不是有效的 JSON：第{line}行第{col}列附近有语法错误")),
        Category::Eof => malformed(format!("请求体 JSON 不完整：在第{line}行第{col}列意外结束")),
        Category::Io => malformed("无法读取请求体".into()),
        Category::Data => {
            let raw = e.to_string();
            let raw = raw.rfind(" at line ").map_or(raw.as_str(), |i| &raw[..i]);
            data_error(path, raw)
        }
    }
}

/// A JSON value of the wrong type or shape at `path` (`.` for the whole body).
fn data_error(path: &str, raw: &str) -> WebError {
    // A missing field is reported at its parent; name the field itself.
    if let Some(f) = raw.strip_prefix("missing field ").and_then(backticked) {
        return WebError::bad_request(f, format!("缺少必填字段 {}（{f}）", field_label(f)));
    }
    if path == "." || path.is_empty() {
        return WebError::bad_request("body", format!("请求体{}", translate(raw)));
    }
    let field = path.trim_start_matches('.');
    WebError::bad_request(field, format!("字段 {}（{field}）{}", field_label(field), translate(raw)))
}

/// serde's English message in Chinese, for the cases API clients meet.
fn translate(raw: &str) -> String {
    if let Some((found, expected)) = raw.strip_prefix("invalid type: ").and_then(|r| r.split_once(", expected ")) {
        return format!("类型不正确：应为{}，实际为{}", kind_zh(expected), kind_zh(found));
    }
    if raw.starts_with("data did not match any variant of untagged enum TextOrNumber") {
        return "类型不正确：应为文本或数字".into();
    }
    if raw.starts_with("data did not match any variant of untagged enum TextOrList") {
        return "类型不正确：应为文本（如 \"2022-01,2022-02\"）或文本数组".into();
    }
    if let Some((found, expected)) = raw.strip_prefix("invalid value: ").and_then(|r| r.split_once(", expected ")) {
        return format!("取值不正确：应为{}，实际为{}", kind_zh(expected), kind_zh(found));
    }
    format!("无效：{raw}")
}

fn kind_zh(s: &str) -> String {
    let value = backticked(s).map(|v| format!(" {v}")).unwrap_or_default();
    let s = s.trim();
    let zh = if s.starts_with("a string") || s.starts_with("string") {
        "文本"
    } else if s.starts_with("a boolean") || s.starts_with("boolean") {
        "布尔值（true/false）"
    } else if s.starts_with("integer") || s.starts_with("floating point") || s.starts_with("u32") || s.starts_with("i64") {
        "数字"
    } else if s.starts_with("null") || s == "unit value" {
        "null"
    } else if s.starts_with("sequence") || s.starts_with("a sequence") {
        "数组"
    } else if s.starts_with("map") || s.starts_with("a map") || s.starts_with("struct") {
        "JSON 对象"
    } else {
        return s.to_owned();
    };
    format!("{zh}{value}")
}

fn backticked(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

/// Chinese names of the fields the API accepts, for messages.
pub fn field_label(field: &str) -> &str {
    match field {
        "name" => "名称",
        "short_name" => "简称",
        "kind" => "组织类别",
        "parent_id" => "上级组织",
        "established_on" => "成立日期",
        "unit" => "所在单位",
        "gender" => "性别",
        "ethnicity" => "民族",
        "birth_date" => "出生日期",
        "id_card_no" => "身份证号",
        "education" => "学历",
        "phone" => "联系电话",
        "joined_on" => "入党日期",
        "full_on" => "转正日期",
        "status" => "党员状态",
        "dues_category" => "党费类别",
        "work_unit" => "工作单位",
        "post" => "职务",
        "is_party_worker" => "党务工作者",
        "org_id" => "所在党组织",
        "include_abolished" => "包含已撤销组织",
        "q" => "查询关键词",
        "page" => "页码",
        "per_page" => "每页条数",
        "id" => "编号",
        "kinds" => "活动类型",
        "title" => "活动名称",
        "held_on" => "活动日期",
        "start_time" => "开始时间",
        "end_time" => "结束时间",
        "place" => "地点",
        "host" => "主持人",
        "recorder" => "记录人",
        "lecturer" => "授课人",
        "topics" => "议题/主题",
        "minutes" => "会议记录",
        "decisions" => "决议事项",
        "flags" => "标记",
        "extra" => "其他项目",
        "materials" => "学习材料",
        "first_agenda_material" => "第一议题材料",
        "attendees" => "参加人员",
        "member_id" => "党员编号",
        "attendance" => "出席情况",
        "reason" => "缺席原因",
        "from" => "起始日期",
        "to" => "截止日期",
        "limit" => "最多返回条数",
        "period" => "期间",
        "months" => "交纳月份",
        "amount" => "金额",
        "voluntary" => "自愿多交金额",
        "paid_on" => "交纳日期",
        "payer" => "交纳人",
        "payer_name" => "代交人姓名",
        "method" => "交纳方式",
        "receipt_no" => "收据号",
        "category" => "党费类别",
        "base" => "计算基数",
        "flat" => "定额",
        "year" => "年度",
        "as_of" => "截至日期",
        _ => nested_label(field),
    }
}

/// `attendees[0].attendance` → the label of its last part; the fields activity kinds define
/// (`extra.households`) by the catalogue's names; unknown fields keep their identifier.
fn nested_label(field: &str) -> &str {
    match field.rsplit_once('.') {
        Some((_, last)) if !last.is_empty() => field_label(last),
        _ => dangwu_domain::activity::field_label(field),
    }
}

pub(super) fn query_error(text: &str) -> WebError {
    let raw = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(text);
    let field = backticked(raw).unwrap_or("query");
    let what = if raw.starts_with("duplicate field") { "重复出现".to_owned() } else { translate(raw) };
    WebError::bad_request(field, format!("查询参数 {}（{field}）{what}", field_label(field)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_errors_name_the_parameter() {
        let e = query_error("Failed to deserialize query string: duplicate field `page`");
        assert_eq!((e.field.as_deref(), e.message.as_str()), (Some("page"), "查询参数 页码（page）重复出现"));
    }
}
