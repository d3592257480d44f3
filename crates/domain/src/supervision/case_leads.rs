//! 问题线索: tracked by status only (the statuses and their moves are data, `[[case_status]]` in
//! rulebook/supervision.toml). A lead holds a number, the day it was received, its source, the
//! organisation concerned and a short summary — never the case file itself.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::SupervisionBook;
use crate::error::Errors;
use crate::{DomainError, OrgId};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStatusDef {
    pub id: String,
    pub label: String,
    /// The status a new lead gets (exactly one).
    #[serde(default)]
    pub initial: bool,
    /// The statuses a lead may move to; empty for a final status.
    #[serde(default)]
    pub next: Vec<String>,
    #[serde(default = "super::yes")]
    pub enabled: bool,
}

/// Longest summary: a lead is tracked here by status; its content stays in the case file.
pub const SUMMARY_MAX: usize = 200;

/// A lead as typed in a form, an API body or on the command line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseLeadInput {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub received_on: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub subject_org_id: String,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLeadDraft {
    pub number: String,
    pub received_on: NaiveDate,
    pub source: String,
    pub subject_org_id: OrgId,
    pub summary: String,
}

impl CaseLeadInput {
    /// Checks every field at once; `today`: a lead cannot be received in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<CaseLeadDraft, DomainError> {
        let mut e = Errors::default();
        let number = self.number.trim().to_owned();
        if number.is_empty() || number.chars().count() > 40 {
            e.push("number", "请填写线索编号（最多40字）");
        }
        let received_on = match crate::date::parse_date(self.received_on.trim()) {
            Some(d) if d > today => {
                e.push("received_on", format!("受理日期 {d} 晚于今天"));
                None
            }
            Some(d) => Some(d),
            None => {
                e.push("received_on", format!("受理日期格式不正确：“{}”，应为如 2022-03-01 的日期", self.received_on.trim()));
                None
            }
        };
        let source = self.source.trim().to_owned();
        if source.is_empty() || source.chars().count() > 100 {
            e.push("source", "请填写线索来源（最多100字），如 信访举报、巡察移交");
        }
        let subject_org_id = OrgId::parse(self.subject_org_id.trim()).map_err(|_| e.push("subject_org_id", "请选择涉及的党组织")).ok();
        let summary = self.summary.trim().to_owned();
        if summary.is_empty() {
            e.push("summary", "请填写简要情况");
        } else if summary.chars().count() > SUMMARY_MAX {
            e.push("summary", format!("简要情况过长（最多{SUMMARY_MAX}字，详情留在案卷中）"));
        }
        e.finish(|| CaseLeadDraft { number, received_on: received_on.expect("checked"), source, subject_org_id: subject_org_id.expect("checked"), summary })
    }
}

impl SupervisionBook {
    /// A case status by id or label.
    pub fn case_status(&self, s: &str) -> Option<&CaseStatusDef> {
        let s = s.trim();
        self.case_statuses.iter().find(|c| c.enabled && (c.id == s || c.label == s))
    }
    pub fn case_status_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.case_statuses.iter().find(|c| c.id == id).map_or(id, |c| c.label.as_str())
    }
    /// The status of a new lead (checked at load).
    pub fn initial_case_status(&self) -> &CaseStatusDef {
        self.case_statuses.iter().find(|c| c.enabled && c.initial).expect("checked at load")
    }
    /// The move `from → to`, or the error naming the moves allowed.
    pub fn check_case_move(&self, from: &str, to: &str) -> Result<&CaseStatusDef, DomainError> {
        let cur = self.case_status(from).ok_or_else(|| DomainError::field("status", format!("线索当前状态“{from}”已不在目录中")))?;
        let allowed: Vec<&str> = cur.next.iter().filter_map(|n| self.case_status(n)).map(|c| c.label.as_str()).collect();
        let Some(target) = self.case_status(to) else {
            let all: Vec<&str> = self.case_statuses.iter().filter(|c| c.enabled).map(|c| c.label.as_str()).collect();
            return Err(DomainError::field("status", format!("线索状态“{}”不存在，可选：{}", to.trim(), all.join("、"))));
        };
        if !cur.next.contains(&target.id) {
            let hint = if allowed.is_empty() { format!("“{}”已办结，不能再改变状态", cur.label) } else { format!("可改为：{}", allowed.join("、")) };
            return Err(DomainError::field("status", format!("线索状态不能从“{}”改为“{}”；{hint}", cur.label, target.label)));
        }
        Ok(target)
    }

    /// Load-time checks of `[[case_status]]`: one initial status, moves to known statuses.
    pub(super) fn check_case_statuses(&self) -> Result<(), (String, String)> {
        let on: Vec<&CaseStatusDef> = self.case_statuses.iter().filter(|c| c.enabled).collect();
        if on.iter().filter(|c| c.initial).count() != 1 {
            return Err(("case_status.initial".into(), "须有且只有一个线索初始状态（initial = true）".into()));
        }
        for c in &on {
            if let Some(n) = c.next.iter().find(|n| !on.iter().any(|o| &o.id == *n)) {
                return Err((format!("case_status.{}.next", c.id), format!("线索状态“{n}”不存在")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn moves_follow_the_catalogue() {
        let b = SupervisionBook::shipped();
        assert_eq!(b.initial_case_status().label, "受理");
        assert_eq!(b.check_case_move("accepted", "初核").unwrap().id, "preliminary_check");
        assert_eq!(b.check_case_move("preliminary_check", "filed").unwrap().label, "立案");
        let e = b.check_case_move("accepted", "filed").unwrap_err().to_string();
        assert!(e.contains("不能从“受理”改为“立案”") && e.contains("初核"), "{e}");
        assert!(b.check_case_move("closed", "accepted").unwrap_err().to_string().contains("已办结"));
        assert!(b.check_case_move("accepted", "nope").unwrap_err().to_string().contains("不存在"));
    }

    #[test]
    fn input_checks_every_field() {
        let ok = CaseLeadInput { number: "XS2022-001".into(), received_on: "2022-03-01".into(), source: "信访举报".into(), subject_org_id: OrgId::new().to_string(), summary: "反映某干部违规收受礼金".into() };
        assert_eq!(ok.validate(d("2022-03-31")).unwrap().received_on, d("2022-03-01"));
        let e = CaseLeadInput { received_on: "2022-04-01".into(), summary: "长".repeat(SUMMARY_MAX + 1), ..ok.clone() }.validate(d("2022-03-31")).unwrap_err().to_string();
        assert!(e.contains("晚于今天") && e.contains("过长"), "{e}");
        let DomainError::Invalid(fields) = CaseLeadInput::default().validate(d("2022-03-31")).unwrap_err() else { panic!() };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["number", "received_on", "source", "subject_org_id", "summary"]);
    }

    #[test]
    fn catalogue_needs_one_initial_status_and_known_moves() {
        use crate::rulebook::Source;
        let bad = "[[case_status]]\nid = \"inquiry\"\ninitial = true\n";
        let e = SupervisionBook::load(Some(Source { file: "x.toml", text: bad })).unwrap_err().to_string();
        assert!(e.contains("x.toml") && e.contains("初始状态"), "{e}");
        let bad = "[[case_status]]\nid = \"filed\"\nnext = [\"archived\"]\n";
        let e = SupervisionBook::load(Some(Source { file: "x.toml", text: bad })).unwrap_err().to_string();
        assert!(e.contains("case_status.filed.next") && e.contains("archived"), "{e}");
    }
}
