//! Register entries (意识形态阵地, 廉政风险点) and campaigns (排查, 专项检查, 廉政风险点排查,
//! 实施方案) as typed, checked against the catalogue — every problem at once — before the store
//! writes them. Whether the organisation and each target exist and lie in the caller's scope is
//! the store's to check: that needs the database.

use chrono::NaiveDate;

use super::{CampaignKindDef, SupervisionBook, TargetKind};
use crate::error::Errors;
use crate::{DomainError, OrgId};

pub const POSITION: &str = "position";
pub const RISK_POINT: &str = "risk_point";

/// A register kind as given in a query or a form: `position` or `risk_point`.
pub fn register_kind(s: &str) -> Result<&'static str, DomainError> {
    match s.trim() {
        POSITION => Ok(POSITION),
        RISK_POINT => Ok(RISK_POINT),
        k => Err(DomainError::field("kind", format!("台账类别“{k}”无效，可选：position（意识形态阵地）、risk_point（廉政风险点）"))),
    }
}

/// A register entry as typed: `kind` is `position` (subkind: a position kind of the catalogue) or
/// `risk_point` (subkind: the department or post, with a risk grade and a review cycle).
#[derive(Debug, Clone, Default)]
pub struct RegisterInput {
    pub org_id: String,
    pub kind: String,
    pub subkind: String,
    pub name: String,
    pub responsible: String,
    pub description: String,
    pub measures: String,
    pub grade: Option<String>,
    pub review_cycle_days: Option<i64>,
}

/// A checked register entry, text trimmed, the grade by its catalogue id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterDraft {
    pub org_id: OrgId,
    pub kind: &'static str,
    pub subkind: String,
    pub name: String,
    pub responsible: String,
    pub description: String,
    pub measures: String,
    pub grade: Option<String>,
    pub review_cycle_days: Option<i64>,
}

impl RegisterInput {
    pub fn validate(&self, book: &SupervisionBook) -> Result<RegisterDraft, DomainError> {
        let mut e = Errors::default();
        let org_id = OrgId::parse(&self.org_id).map_err(|_| e.push("org_id", "请选择党组织")).ok();
        let given = self.grade.as_deref().map(str::trim).filter(|g| !g.is_empty());
        let grade = match given.map(|g| book.risk_grade_id(g)) {
            Some(Err(DomainError::Invalid(v))) => {
                e.0.extend(v);
                None
            }
            other => other.and_then(Result::ok),
        };
        let subkind = self.subkind.trim().to_owned();
        let kind = match register_kind(&self.kind) {
            Ok(POSITION) if book.position_kind(&subkind).is_none() => {
                e.push("subkind", format!("阵地类别“{subkind}”不存在"));
                POSITION
            }
            Ok(RISK_POINT) => {
                if given.is_none() {
                    e.push("grade", "请填写风险等级");
                }
                if self.review_cycle_days.is_none_or(|d| d < 1) {
                    e.push("review_cycle_days", "请填写复查周期（天，正整数）");
                }
                RISK_POINT
            }
            Ok(k) => k,
            Err(DomainError::Invalid(v)) => {
                e.0.extend(v);
                ""
            }
            Err(other) => return Err(other),
        };
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            e.push("name", "请填写名称");
        }
        e.finish(|| RegisterDraft {
            org_id: org_id.expect("checked"),
            kind,
            subkind,
            name,
            responsible: self.responsible.trim().to_owned(),
            description: self.description.trim().to_owned(),
            measures: self.measures.trim().to_owned(),
            grade,
            review_cycle_days: self.review_cycle_days,
        })
    }
}

/// A campaign as typed (dates already read by the caller, which names their fields).
#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub org_id: OrgId,
    pub kind: String,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub goals: String,
    /// Org ids (targets = org) or register ids (position, risk_point); none for a program.
    pub targets: Vec<String>,
}

/// A checked campaign: its kind from the catalogue, text trimmed, org targets in canonical form.
#[derive(Debug, Clone)]
pub struct CampaignDraft {
    pub org_id: OrgId,
    pub kind: CampaignKindDef,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub goals: String,
    pub targets: Vec<String>,
}

impl CampaignInput {
    pub fn validate(&self, book: &SupervisionBook) -> Result<CampaignDraft, DomainError> {
        let mut e = Errors::default();
        let kind = book.campaign_kind(self.kind.trim()).cloned();
        if kind.is_none() {
            e.push("kind", format!("活动类别“{}”不存在", self.kind.trim()));
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            e.push("title", "请填写名称");
        }
        if self.ends_on < self.starts_on {
            e.push("ends_on", "结束日期不能早于开始日期");
        }
        let mut targets = Vec::new();
        for t in self.targets.iter().map(|t| t.trim()) {
            match kind.as_ref().map(|k| k.targets) {
                Some(TargetKind::Org) => match OrgId::parse(t) {
                    Ok(id) => targets.push(id.to_string()),
                    Err(_) => e.push("targets", format!("检查对象编号“{t}”格式不正确")),
                },
                Some(TargetKind::Position | TargetKind::RiskPoint) => targets.push(t.to_owned()),
                Some(TargetKind::None) => {
                    e.push("targets", "该类活动没有检查对象");
                    break;
                }
                None => break,
            }
        }
        e.finish(|| CampaignDraft {
            org_id: self.org_id,
            kind: kind.expect("checked"),
            title,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            goals: self.goals.trim().to_owned(),
            targets,
        })
    }
}
