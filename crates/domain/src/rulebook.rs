//! The rulebook: activity kinds and obligations as data (rulebook/*.toml), with a deployment's
//! override files layered over the shipped ones. A broken override is an error naming the file,
//! the line and the key, so the server refuses to start rather than run with wrong rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::org_catalogue::OrgCatalogue;
use crate::period::Granularity;

const SHIPPED_RULES: &str = include_str!("../../../rulebook/rules.toml");
const SHIPPED_KINDS: &str = include_str!("../../../rulebook/activity-kinds.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
    Low,
    Local,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "高（条文明确）",
            Confidence::Medium => "中（条号或表述待核）",
            Confidence::Low => "低（未见中央统一规定）",
            Confidence::Local => "本地规定",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    #[default]
    Always,
    HasCommittee,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    #[default]
    Count,
    FlagEach,
    Term,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quorum {
    #[default]
    None,
    /// present voting members > entitled / 2
    MoreThanHalf,
    /// present ≥ 2/3 of expected
    TwoThirds,
}

impl Quorum {
    /// Whether a sitting with `present` of `expected` attendees may proceed.
    pub fn met(self, present: u32, expected: u32) -> bool {
        match self {
            Quorum::None => true,
            Quorum::MoreThanHalf => 2 * present > expected,
            Quorum::TwoThirds => 3 * present >= 2 * expected,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Quorum::None => "",
            Quorum::MoreThanHalf => "应到会有表决权党员半数以上到会",
            Quorum::TwoThirds => "到会人数达到应到会人数的三分之二以上",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub title: String,
    pub document: String,
    #[serde(default)]
    pub article: String,
    pub confidence: Confidence,
    pub applies_to: Vec<String>,
    #[serde(default)]
    pub condition: Condition,
    #[serde(default)]
    pub measure: Measure,
    #[serde(default)]
    pub counts: Vec<String>,
    #[serde(default)]
    pub flag: Option<String>,
    pub period: Granularity,
    #[serde(default = "one")]
    pub minimum: u32,
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl RuleDef {
    /// 《中国共产党支部工作条例（试行）》第十一条
    pub fn citation(&self) -> String {
        format!("{}{}", self.document, self.article)
    }
    pub fn in_force(&self, on: NaiveDate) -> bool {
        self.enabled && self.effective_from.is_none_or(|f| f <= on) && self.effective_to.is_none_or(|t| on <= t)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub id: String,
    pub label: String,
    pub org_kinds: Vec<String>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub evidence: Vec<Vec<String>>,
    #[serde(default)]
    pub quorum: Quorum,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}

/// A problem in a rulebook file, located for the person who edits it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("规则文件 {file}{}{}：{message}", .line.map(|l| format!(" 第{l}行")).unwrap_or_default(), .key.as_ref().map(|k| format!(" 键“{k}”")).unwrap_or_default())]
pub struct RulebookError {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

/// An override file's name and text.
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rulebook {
    pub rules: Vec<RuleDef>,
    pub kinds: Vec<KindDef>,
}

impl Rulebook {
    pub fn shipped(catalogue: &OrgCatalogue) -> Self {
        Self::load(None, None, catalogue).expect("shipped rulebook is valid")
    }

    pub fn load(rules: Option<Source>, kinds: Option<Source>, catalogue: &OrgCatalogue) -> Result<Self, RulebookError> {
        let kinds: Vec<KindDef> = layered("activity-kinds.toml", SHIPPED_KINDS, kinds, "kind")?;
        let rules: Vec<RuleDef> = layered("rules.toml", SHIPPED_RULES, rules, "rule")?;
        let book = Rulebook { rules, kinds };
        book.check(catalogue)?;
        Ok(book)
    }

    fn check(&self, catalogue: &OrgCatalogue) -> Result<(), RulebookError> {
        let err = |file: &str, id: &str, key: &str, message: String| RulebookError {
            file: file.into(),
            line: None,
            key: Some(format!("{id}.{key}")),
            message,
        };
        for k in &self.kinds {
            for ok in &k.org_kinds {
                if catalogue.kind(ok).is_none() {
                    return Err(err("activity-kinds.toml", &k.id, "org_kinds", format!("组织类别“{ok}”不存在")));
                }
            }
        }
        for r in self.rules.iter().filter(|r| r.enabled) {
            for ok in &r.applies_to {
                if catalogue.kind(ok).is_none() {
                    return Err(err("rules.toml", &r.id, "applies_to", format!("组织类别“{ok}”不存在")));
                }
            }
            for c in &r.counts {
                if self.kind(c).is_none() {
                    return Err(err("rules.toml", &r.id, "counts", format!("活动类型“{c}”不存在")));
                }
            }
            if r.measure != Measure::Term && r.counts.is_empty() {
                return Err(err("rules.toml", &r.id, "counts", "须列出计入本规则的活动类型".into()));
            }
            if r.measure == Measure::FlagEach {
                let Some(f) = &r.flag else { return Err(err("rules.toml", &r.id, "flag", "flag_each 规则须指定 flag".into())) };
                if !r.counts.iter().filter_map(|c| self.kind(c)).all(|k| k.flags.contains(f)) {
                    return Err(err("rules.toml", &r.id, "flag", format!("所计活动类型未定义标记“{f}”")));
                }
            }
            if r.measure == Measure::Count && r.minimum == 0 {
                return Err(err("rules.toml", &r.id, "minimum", "最低次数应至少为1（不需要的规则请写 enabled = false）".into()));
            }
        }
        Ok(())
    }

    /// An enabled activity kind.
    pub fn kind(&self, id: &str) -> Option<&KindDef> {
        self.kinds.iter().find(|k| k.id == id && k.enabled)
    }

    pub fn kind_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.kinds.iter().find(|k| k.id == id).map(|k| k.label.as_str()).unwrap_or(id)
    }

    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Enabled kinds an org of `org_kind` may hold.
    pub fn kinds_for(&self, org_kind: &str) -> Vec<&KindDef> {
        self.kinds.iter().filter(|k| k.enabled && k.org_kinds.iter().any(|o| o == org_kind)).collect()
    }
}

/// Shipped entries, with the override's entries merged key by key (same id) or appended.
pub(crate) fn layered<T: serde::de::DeserializeOwned>(
    file: &str,
    shipped: &str,
    over: Option<Source>,
    array: &str,
) -> Result<Vec<T>, RulebookError> {
    let mut entries = entries_of(file, shipped, array)?;
    let mut over_text = "";
    let mut over_file = file.to_owned();
    if let Some(src) = over {
        over_text = src.text;
        over_file = src.file.to_owned();
        for e in entries_of(src.file, src.text, array)? {
            let id = e.get("id").and_then(|v| v.as_str()).map(str::to_owned).ok_or_else(|| RulebookError {
                file: src.file.into(),
                line: None,
                key: Some("id".into()),
                message: format!("每个 [[{array}]] 都须有 id"),
            })?;
            match entries.iter_mut().find(|s| s.get("id").and_then(|v| v.as_str()) == Some(id.as_str())) {
                Some(base) => base.extend(e),
                None => entries.push(e),
            }
        }
    }
    entries
        .into_iter()
        .map(|t| {
            let id = t.get("id").and_then(|v| v.as_str()).unwrap_or("").to_owned();
            serde_path_to_error::deserialize(toml::Value::Table(t)).map_err(|e| {
                let key = e.path().to_string();
                let key = if key == "." { unknown_field(e.inner().message()).unwrap_or_default() } else { key };
                let from_override = !over_text.is_empty() && over_text.contains(&format!("\"{id}\""));
                let (f, text) = if from_override { (over_file.as_str(), over_text) } else { (file, shipped) };
                RulebookError {
                    file: f.into(),
                    line: line_of_key(text, &id, &key),
                    key: Some(if key.is_empty() { id.clone() } else { format!("{id}.{key}") }),
                    message: chinese(e.inner().message()),
                }
            })
        })
        .collect()
}

/// The line of `key = …` inside the entry whose id is `id` (or of the id itself).
fn line_of_key(text: &str, id: &str, key: &str) -> Option<usize> {
    let start = text.find(&format!("\"{id}\""))?;
    let id_line = text[..start].matches('\n').count() + 1;
    if key.is_empty() {
        return Some(id_line);
    }
    let entry_start = text[..start].rfind("[[").unwrap_or(0);
    let rest = &text[entry_start..];
    let end = rest[2..].find("[[").map(|i| i + 2).unwrap_or(rest.len());
    let entry = &rest[..end];
    let first = text[..entry_start].matches('\n').count() + 1;
    entry
        .lines()
        .position(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        .map(|i| first + i)
        .or(Some(id_line))
}

fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// serde's English messages, said in Chinese for the person editing the file.
fn chinese(msg: &str) -> String {
    let kind = |t: &str| -> String {
        match t.trim() {
            "u32" | "u64" | "i64" | "usize" => "非负整数".into(),
            "a boolean" => "true 或 false".into(),
            "a string" => "文本（加引号）".into(),
            "a sequence" => "列表，如 [\"a\", \"b\"]".into(),
            other => other.replace("a valid date", "日期，如 2022-01-01"),
        }
    };
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            let got = got.replace("string ", "文本 ").replace("integer ", "整数 ").replace("boolean ", "布尔值 ");
            return format!("类型不正确：应为{}，实际为{}", kind(want), got);
        }
    }
    if let Some(f) = unknown_field(msg) {
        return format!("未知的键“{f}”（请检查拼写）");
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return format!("缺少必填的键“{}”", rest.trim_end_matches('`'));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        if let Some((v, opts)) = rest.split_once("`, expected ") {
            return format!("取值“{v}”无效，可选：{}", opts.replace("one of ", "").replace('`', ""));
        }
    }
    format!("内容有误：{msg}")
}

fn entries_of(file: &str, text: &str, array: &str) -> Result<Vec<toml::Table>, RulebookError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| RulebookError {
        file: file.into(),
        line: e.span().map(|s| text[..s.start].matches('\n').count() + 1),
        key: None,
        message: format!("TOML 格式错误：{}", e.message()),
    })?;
    match table.get(array) {
        None => Ok(vec![]),
        Some(toml::Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                toml::Value::Table(t) => Ok(t.clone()),
                _ => Err(RulebookError { file: file.into(), line: None, key: Some(array.into()), message: format!("[[{array}]] 的每一项都应是表") }),
            })
            .collect(),
        Some(_) => Err(RulebookError { file: file.into(), line: None, key: Some(array.into()), message: format!("应写作 [[{array}]] 数组") }),
    }
}


#[cfg(test)]
mod tests;
