//! Supervision ledgers: items tracked to closure (巡察整改 problems first), with the catalogue as
//! data (rulebook/supervision.toml, layered like the other rulebook files) and the rules of an
//! item's life: the lifecycle, who may close (销号) an item, the numbering of an inspector's list,
//! reconciliation (对账) against that list and the report deadline after feedback.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::error::Errors;
use crate::rulebook::{Confidence, Rulebook, RulebookError, Source, layered};
use crate::{DomainError, MemberId, labelled_enum};

pub mod case_leads;
pub mod registers;
pub use case_leads::{CaseLeadDraft, CaseLeadInput, CaseStatusDef};
pub use registers::{CampaignDraft, CampaignInput, RegisterDraft, RegisterInput, register_kind};

const SHIPPED: &str = include_str!("../../../rulebook/supervision.toml");
const FILE: &str = "supervision.toml";

labelled_enum!(
    /// Where an item is in its life. The labels shown come from the catalogue (`SupervisionBook::status_label`).
    LedgerStatus, "status", "整改状态" {
        Open = "open", "待整改" | "未整改" | "未开始";
        InProgress = "in_progress", "整改中" | "正在整改" | "未完成";
        AwaitingVerification = "awaiting_verification", "待核验" | "待验收";
        Closed = "closed", "已销号" | "已完成" | "已整改" | "完成";
    }
);

impl LedgerStatus {
    /// The moves the lifecycle allows. Closing is `AwaitingVerification → Closed` by a verifier
    /// (see [`check_close`]); a verifier may also send an item back to 整改中.
    pub fn may_move_to(self, to: LedgerStatus) -> bool {
        use LedgerStatus::*;
        matches!((self, to), (Open, InProgress) | (Open, AwaitingVerification) | (InProgress, AwaitingVerification) | (AwaitingVerification, InProgress) | (AwaitingVerification, Closed))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    pub id: String,
    pub label: String,
    /// The item has an end date (立行立改, 限期整改); otherwise a review cycle (长期坚持).
    pub due_date: bool,
    #[serde(default)]
    pub review_cycle_days: Option<u32>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub label: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineDef {
    pub id: String,
    pub label: String,
    pub months: u32,
    pub document: String,
    #[serde(default)]
    pub article: String,
    pub confidence: Confidence,
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl DeadlineDef {
    pub fn citation(&self) -> String {
        format!("{}{}", self.document, self.article)
    }
    pub fn due(&self, from: NaiveDate) -> NaiveDate {
        from + Months::new(self.months)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItemDef {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub kinds: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDef {
    pub id: String,
    pub label: String,
    pub items: Vec<ChecklistItemDef>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Org,
    Position,
    RiskPoint,
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignKindDef {
    pub id: String,
    pub label: String,
    pub targets: TargetKind,
    #[serde(default)]
    pub checklist: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

labelled_enum!(
    /// A checklist result for one target and item.
    CheckOutcome, "outcome", "检查结果" {
        Pass = "pass", "合格" | "通过" | "符合";
        Fail = "fail", "不合格" | "存在问题" | "不符合";
        NotApplicable = "na", "不适用";
    }
);

/// The item of results recorded without a checklist (a risk point's review).
pub const REVIEW_ITEM: &str = "review";

fn yes() -> bool {
    true
}

/// The supervision catalogue in force.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionBook {
    pub categories: Vec<CategoryDef>,
    pub statuses: Vec<Entry>,
    pub deadlines: Vec<DeadlineDef>,
    pub position_kinds: Vec<Entry>,
    pub risk_grades: Vec<Entry>,
    pub checklists: Vec<ChecklistDef>,
    pub campaign_kinds: Vec<CampaignKindDef>,
    pub case_statuses: Vec<CaseStatusDef>,
}

impl SupervisionBook {
    pub fn shipped() -> Self {
        Self::load(None).expect("shipped rulebook/supervision.toml is valid")
    }

    /// The shipped catalogue with a deployment's `DIR/rulebook/supervision.toml` layered over it.
    pub fn load(over: Option<Source>) -> Result<Self, RulebookError> {
        let o = || over.as_ref().map(|s| Source { file: s.file, text: s.text });
        let book = SupervisionBook {
            categories: layered(FILE, SHIPPED, o(), "category")?,
            statuses: layered(FILE, SHIPPED, o(), "status")?,
            deadlines: layered(FILE, SHIPPED, o(), "deadline")?,
            position_kinds: layered(FILE, SHIPPED, o(), "position_kind")?,
            risk_grades: layered(FILE, SHIPPED, o(), "risk_grade")?,
            checklists: layered(FILE, SHIPPED, o(), "checklist")?,
            campaign_kinds: layered(FILE, SHIPPED, o(), "campaign_kind")?,
            case_statuses: layered(FILE, SHIPPED, o(), "case_status")?,
        };
        let file = over.as_ref().map_or(FILE, |s| s.file);
        let err = |key: String, message: String| RulebookError { file: file.into(), line: None, key: Some(key), message };
        for s in LedgerStatus::ALL {
            if !book.statuses.iter().any(|e| e.id == s.code()) {
                return Err(err(format!("status.{}", s.code()), "整改状态的编号是固定的，不能删除或改名（可改 label）".into()));
            }
        }
        if let Some(e) = book.statuses.iter().find(|e| LedgerStatus::parse(&e.id).is_err()) {
            return Err(err(format!("status.{}", e.id), "未知的整改状态；可用：open、in_progress、awaiting_verification、closed".into()));
        }
        if book.deadline(REPORT_DEADLINE).is_none() {
            return Err(err(format!("deadline.{REPORT_DEADLINE}"), "须保留整改情况报告期限（不需要提醒可设较长的 months）".into()));
        }
        if let Some(c) = book.categories.iter().find(|c| !c.due_date && c.review_cycle_days.unwrap_or(0) == 0) {
            return Err(err(format!("category.{}.review_cycle_days", c.id), "无完成时限的类别须给出复查周期（天）".into()));
        }
        for k in book.campaign_kinds.iter().filter(|k| k.enabled) {
            if let Some(c) = k.checklist.as_deref().filter(|c| book.checklist(c).is_none()) {
                return Err(err(format!("campaign_kind.{}.checklist", k.id), format!("检查清单“{c}”不存在")));
            }
        }
        book.check_case_statuses().map_err(|(k, m)| err(k, m))?;
        Ok(book)
    }

    /// Checklist items name activity kinds (the records a checker sees): each must exist in
    /// activity-kinds.toml. `file`: the supervision file in force, named in the error.
    pub fn check_kinds(&self, rulebook: &Rulebook, file: &str) -> Result<(), RulebookError> {
        for c in self.checklists.iter().filter(|c| c.enabled) {
            for i in &c.items {
                if let Some(k) = i.kinds.iter().find(|k| rulebook.kind(k).is_none()) {
                    return Err(RulebookError {
                        file: file.into(),
                        line: None,
                        key: Some(format!("checklist.{}.items.{}.kinds", c.id, i.id)),
                        message: format!("检查清单“{}”的项目“{}”引用的活动类型“{k}”不存在（见 activity-kinds.toml）", c.label, i.label),
                    });
                }
            }
        }
        Ok(())
    }

    pub fn campaign_kind(&self, id: &str) -> Option<&CampaignKindDef> {
        self.campaign_kinds.iter().find(|c| c.enabled && c.id == id)
    }
    pub fn risk_grade(&self, s: &str) -> Option<&Entry> {
        let s = s.trim();
        self.risk_grades.iter().find(|c| c.enabled && (c.id == s || c.label == s))
    }

    /// The grade's id, or the error on field `grade` listing the catalogue's enabled grades.
    pub fn risk_grade_id(&self, s: &str) -> Result<String, DomainError> {
        self.risk_grade(s).map(|g| g.id.clone()).ok_or_else(|| {
            let options: Vec<&str> = self.risk_grades.iter().filter(|g| g.enabled).map(|g| g.label.as_str()).collect();
            DomainError::field("grade", format!("风险等级“{}”无效，可选：{}", s.trim(), options.join("、")))
        })
    }

    /// A checklist item of `checklist`, or the error naming it when the checklist has no such item.
    pub fn checklist_item<'a>(&'a self, checklist: Option<&str>, item: &str) -> Result<&'a str, DomainError> {
        match checklist.and_then(|c| self.checklist(c)) {
            None if item == REVIEW_ITEM => Ok("复查"),
            None => Err(DomainError::field("item", format!("检查项目“{item}”不存在：该活动没有检查清单，只能记录复查（review）"))),
            Some(c) => c.items.iter().find(|i| i.id == item || i.label == item).map(|i| i.label.as_str()).ok_or_else(|| {
                let ids: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
                DomainError::field("item", format!("检查项目“{item}”不在清单“{}”中，可选：{}", c.label, ids.join("、")))
            }),
        }
    }

    pub fn category(&self, id: &str) -> Option<&CategoryDef> {
        self.categories.iter().find(|c| c.enabled && c.id == id)
    }
    /// A category by id or label, as typed in a sheet or form.
    pub fn category_named(&self, s: &str) -> Option<&CategoryDef> {
        let s = s.trim();
        self.categories.iter().find(|c| c.enabled && (c.id == s || c.label == s))
    }
    pub fn category_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.categories.iter().find(|c| c.id == id).map_or(id, |c| c.label.as_str())
    }
    pub fn status_label(&self, s: LedgerStatus) -> &str {
        self.statuses.iter().find(|e| e.id == s.code()).map_or(s.label(), |e| e.label.as_str())
    }
    pub fn deadline(&self, id: &str) -> Option<&DeadlineDef> {
        self.deadlines.iter().find(|d| d.enabled && d.id == id)
    }
    /// The 整改情况报告 deadline rule (always present, see `load`).
    pub fn report_deadline(&self) -> &DeadlineDef {
        self.deadline(REPORT_DEADLINE).expect("checked at load")
    }
    pub fn checklist(&self, id: &str) -> Option<&ChecklistDef> {
        self.checklists.iter().find(|c| c.enabled && c.id == id)
    }
    pub fn position_kind(&self, id: &str) -> Option<&Entry> {
        self.position_kinds.iter().find(|c| c.enabled && c.id == id)
    }
}

/// When an open item next falls due: its end date, or (长期坚持) one review cycle after its last
/// progress note (or the feedback, before any note).
pub fn next_due(due_on: Option<NaiveDate>, review_cycle_days: Option<i64>, last_progress_on: Option<NaiveDate>, feedback_on: NaiveDate) -> Option<NaiveDate> {
    due_on.or_else(|| review_cycle_days.map(|d| last_progress_on.unwrap_or(feedback_on) + chrono::Days::new(d.max(0) as u64)))
}

pub const REPORT_DEADLINE: &str = "rectification_report";

/// One problem as typed in a form, a sheet row or an API body.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub no: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner_name: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub acceptance: String,
}

/// A validated problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDraft {
    pub no: i64,
    pub title: String,
    pub category: String,
    pub measures: String,
    pub leader: String,
    pub department: String,
    pub owner_name: String,
    pub due_on: Option<NaiveDate>,
    pub review_cycle_days: Option<i64>,
    pub acceptance: String,
}

impl ItemInput {
    /// Checks every field (all problems at once). `feedback_on`: the inspector's feedback date,
    /// before which no due date may lie.
    pub fn validate(&self, book: &SupervisionBook, feedback_on: NaiveDate) -> Result<ItemDraft, DomainError> {
        let mut e = Errors::default();
        let no = match self.no.trim().parse::<i64>() {
            Ok(n) if n >= 1 => n,
            _ => {
                e.push("no", format!("序号应为正整数，实际为“{}”", self.no.trim()));
                0
            }
        };
        let text = |e: &mut Errors, field: &str, label: &str, s: &str, required: bool| {
            let t = s.trim().to_owned();
            if required && t.is_empty() {
                e.push(field, format!("请填写{label}"));
            }
            if t.chars().count() > 2000 {
                e.push(field, format!("{label}过长（最多2000字）"));
            }
            t
        };
        let title = text(&mut e, "title", "问题描述", &self.title, true);
        let measures = text(&mut e, "measures", "整改措施", &self.measures, false);
        let leader = text(&mut e, "leader", "责任领导", &self.leader, false);
        let department = text(&mut e, "department", "责任部门", &self.department, true);
        let owner_name = text(&mut e, "owner_name", "责任人", &self.owner_name, false);
        let acceptance = text(&mut e, "acceptance", "验收标准", &self.acceptance, false);
        let cat = book.category_named(&self.category);
        if cat.is_none() {
            let labels: Vec<&str> = book.categories.iter().filter(|c| c.enabled).map(|c| c.label.as_str()).collect();
            e.push("category", format!("整改类别“{}”无效，可选：{}", self.category.trim(), labels.join("、")));
        }
        let due_on = match self.due_on.trim() {
            "" => None,
            s => match crate::date::parse_date(s) {
                Some(d) => Some(d),
                None => {
                    e.push("due_on", format!("完成时限格式不正确：“{s}”，应为如 2022-03-31 的日期"));
                    None
                }
            },
        };
        if let Some(d) = due_on.filter(|d| *d < feedback_on) {
            e.push("due_on", format!("完成时限 {d} 早于巡察反馈日期 {feedback_on}"));
        }
        if cat.is_some_and(|c| c.due_date) && due_on.is_none() && self.due_on.trim().is_empty() {
            e.push("due_on", format!("“{}”类问题须填写完成时限", cat.map_or("", |c| c.label.as_str())));
        }
        let review_cycle_days = cat.filter(|c| !c.due_date).and_then(|c| c.review_cycle_days).map(i64::from);
        let category = cat.map(|c| c.id.clone()).unwrap_or_default();
        e.finish(|| ItemDraft { no, title, category, measures, leader, department, owner_name, due_on, review_cycle_days, acceptance })
    }
}

/// Numbering problems of an inspector's list: `(row, message)` for duplicates and gaps
/// (the list must be numbered 1…n). `rows` are (sheet row, number) pairs.
pub fn check_numbering(rows: &[(usize, i64)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut seen: std::collections::BTreeMap<i64, usize> = Default::default();
    for &(row, no) in rows {
        match seen.get(&no) {
            Some(first) => out.push((row, format!("序号 {no} 重复（第{first}行已有）"))),
            None => {
                seen.insert(no, row);
            }
        }
    }
    let max = seen.keys().next_back().copied().unwrap_or(0);
    let missing: Vec<String> = (1..=max).filter(|n| !seen.contains_key(n)).map(|n| n.to_string()).collect();
    if !missing.is_empty() {
        let row = rows.last().map_or(0, |r| r.0);
        out.push((row, format!("序号不连续：缺少 {}", missing.join("、"))));
    }
    out
}

/// 销号 needs a verifier who is not the item's owner, and evidence.
pub fn check_close(verifier: &Principal, owner: Option<MemberId>, evidence: usize) -> Result<(), DomainError> {
    if owner.is_some_and(|o| verifier.member_id == Some(o)) {
        return Err(DomainError::Forbidden("责任人不能为本人负责的问题销号，须由其他核验人核验".into()));
    }
    if evidence == 0 {
        return Err(DomainError::field("evidence", "销号须有整改佐证材料，请先上传"));
    }
    Ok(())
}

/// One line of the inspector's list as given for 对账 (status optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListLine {
    pub row: usize,
    pub no: i64,
    pub title: String,
    pub status: Option<LedgerStatus>,
}

/// One item of the ledger as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerLine {
    pub id: String,
    pub no: i64,
    pub title: String,
    pub status: LedgerStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// On the inspector's list, not in the ledger.
    pub missing: Vec<ListLine>,
    /// In the ledger, not on the list.
    pub extra: Vec<LedgerLine>,
    /// On both, with a different status: (list line, ledger status).
    pub mismatched: Vec<(ListLine, LedgerLine)>,
    pub matched: usize,
}

impl Reconciliation {
    pub fn ok(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.mismatched.is_empty()
    }
}

/// 对账: the ledger against the inspector's list, matched by number.
pub fn reconcile(list: &[ListLine], ledger: &[LedgerLine]) -> Reconciliation {
    let mut r = Reconciliation::default();
    for l in list {
        match ledger.iter().find(|i| i.no == l.no) {
            None => r.missing.push(l.clone()),
            Some(i) if l.status.is_some_and(|s| s != i.status) => r.mismatched.push((l.clone(), i.clone())),
            Some(_) => r.matched += 1,
        }
    }
    r.extra = ledger.iter().filter(|i| !list.iter().any(|l| l.no == i.no)).cloned().collect();
    r
}

#[cfg(test)]
mod tests;

/// When a 廉政风险点 is next to be reviewed: one cycle after its last review (or after it was
/// registered, before any review).
pub fn review_due(last_review: Option<NaiveDate>, registered_on: NaiveDate, cycle_days: i64) -> NaiveDate {
    last_review.unwrap_or(registered_on) + chrono::Days::new(cycle_days.max(0) as u64)
}
