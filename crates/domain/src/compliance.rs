//! Compliance: the rulebook evaluated over the records of an org subtree for a period.
//! Pure: the store loads the facts with a few set-based queries; this turns them into findings.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

use crate::org_catalogue::OrgCatalogue;
use crate::period::Period;
use crate::rulebook::{Condition, Measure, RuleDef, Rulebook, Subject};

mod teams;
pub use teams::{TeamFacts, evaluate_teams};

/// What compliance needs to know about one organisation.
#[derive(Debug, Clone)]
pub struct OrgFacts {
    pub id: String,
    pub kind: String,
    pub established_on: Option<NaiveDate>,
    pub abolished_on: Option<NaiveDate>,
    pub full_members: u32,
    /// End of the latest committee term, with its number, if any term is recorded.
    pub latest_term: Option<(i64, NaiveDate)>,
}

/// What compliance needs to know about one activity.
#[derive(Debug, Clone)]
pub struct ActivityFacts {
    pub id: String,
    pub org_id: String,
    pub kinds: Vec<String>,
    pub date: NaiveDate,
    pub flags: Vec<String>,
    /// Attendance as recorded; `expected == 0` means none was recorded.
    pub present: u32,
    pub expected: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// The period is still running and the minimum is not reached yet.
    Pending,
    Insufficient,
    Missing,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "已落实",
            Status::Pending => "待完成",
            Status::Insufficient => "次数不足",
            Status::Missing => "未开展",
        }
    }
    /// Traffic-light class for pages: green, amber, red.
    pub fn colour(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Pending => "warn",
            Status::Insufficient | Status::Missing => "bad",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub org_id: String,
    pub period: Period,
    pub expected: u32,
    pub actual: u32,
    pub status: Status,
    pub citation: String,
    pub record_ids: Vec<String>,
    /// Why, in Chinese, including records that did not count (e.g. no quorum).
    pub note: String,
    /// Set when the rule's subject is a team (the finding's org is the team's org).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

/// Evaluates every enabled rule for every org it applies to, over `period`.
/// Orgs that did not exist for the whole of a sub-period are not judged on it.
pub fn evaluate(
    book: &Rulebook,
    catalogue: &OrgCatalogue,
    orgs: &[OrgFacts],
    acts: &[ActivityFacts],
    period: Period,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut by_org: HashMap<&str, Vec<&ActivityFacts>> = HashMap::new();
    for a in acts {
        by_org.entry(a.org_id.as_str()).or_default().push(a);
    }
    let mut out = Vec::new();
    for org in orgs {
        let mine = by_org.get(org.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        for rule in book.rules.iter().filter(|r| r.enabled && r.subject == Subject::Org && r.applies_to.contains(&org.kind)) {
            if !condition_holds(rule.condition, catalogue, org) {
                continue;
            }
            if rule.measure == Measure::Term {
                if let Some(f) = term_finding(rule, org, period, today) {
                    out.push(f);
                }
                continue;
            }
            for p in period.split(rule.period) {
                if !rule.in_force(p.end()) || !alive_throughout(org, p) {
                    continue;
                }
                let in_p: Vec<&ActivityFacts> =
                    mine.iter().copied().filter(|a| p.contains(a.date) && a.kinds.iter().any(|k| rule.counts.contains(k))).collect();
                out.push(match rule.measure {
                    Measure::FlagEach => flag_finding(rule, org, p, &in_p),
                    _ => count_finding(book, rule, org, p, &in_p, today),
                });
            }
        }
    }
    out
}

fn condition_holds(c: Condition, catalogue: &OrgCatalogue, org: &OrgFacts) -> bool {
    match c {
        Condition::Always => true,
        Condition::HasCommittee => match catalogue.kind(&org.kind).and_then(|k| k.committee_min_full_members) {
            Some(min) => org.full_members >= min,
            None => true,
        },
    }
}

fn alive_throughout(org: &OrgFacts, p: Period) -> bool {
    org.established_on.is_none_or(|e| e <= p.start()) && org.abolished_on.is_none_or(|a| a >= p.end())
}

fn finding(rule: &RuleDef, org: &OrgFacts, p: Period, expected: u32, actual: u32, status: Status, ids: Vec<String>, note: String) -> Finding {
    Finding { rule_id: rule.id.clone(), org_id: org.id.clone(), period: p, expected, actual, status, citation: rule.citation(), record_ids: ids, note, team_id: None }
}

fn count_finding(book: &Rulebook, rule: &RuleDef, org: &OrgFacts, p: Period, acts: &[&ActivityFacts], today: NaiveDate) -> Finding {
    let mut ids = Vec::new();
    let mut notes = Vec::new();
    for a in acts {
        // A sitting counts for a rule if, for the kind it is counted as, the quorum was met.
        let quorum_kinds: Vec<_> =
            a.kinds.iter().filter(|k| rule.counts.contains(k)).filter_map(|k| book.kind(k)).map(|k| k.quorum).collect();
        let ok = quorum_kinds.iter().any(|q| *q == crate::rulebook::Quorum::None)
            || quorum_kinds.iter().any(|q| a.expected > 0 && q.met(a.present, a.expected));
        if ok {
            ids.push(a.id.clone());
        } else if a.expected == 0 {
            notes.push(format!("{}的会议未记录出席情况，无法确认到会人数，未计入", a.date));
        } else {
            notes.push(format!("{}的会议应到{}人、实到{}人，未达到法定人数，未计入", a.date, a.expected, a.present));
        }
    }
    let actual = ids.len() as u32;
    let status = if actual >= rule.minimum {
        Status::Ok
    } else if today <= p.end() {
        Status::Pending
    } else if actual == 0 {
        Status::Missing
    } else {
        Status::Insufficient
    };
    if status == Status::Pending {
        notes.push(format!("{}截止，还需{}次", p.end(), rule.minimum - actual));
    }
    finding(rule, org, p, rule.minimum, actual, status, ids, notes.join("；"))
}

fn flag_finding(rule: &RuleDef, org: &OrgFacts, p: Period, acts: &[&ActivityFacts]) -> Finding {
    let flag = rule.flag.as_deref().unwrap_or_default();
    let (with, without): (Vec<&&ActivityFacts>, Vec<&&ActivityFacts>) = acts.iter().partition(|a| a.flags.iter().any(|f| f == flag));
    let note = if acts.is_empty() {
        "本期无相关会议".to_owned()
    } else if without.is_empty() {
        String::new()
    } else {
        let dates: Vec<String> = without.iter().map(|a| a.date.to_string()).collect();
        format!("{}的会议未记录第一议题", dates.join("、"))
    };
    let status = if without.is_empty() { Status::Ok } else { Status::Insufficient };
    let mut ids: Vec<String> = without.iter().map(|a| a.id.clone()).collect();
    ids.extend(with.iter().map(|a| a.id.clone()));
    finding(rule, org, p, acts.len() as u32, with.len() as u32, status, ids, note)
}

fn term_finding(rule: &RuleDef, org: &OrgFacts, period: Period, today: NaiveDate) -> Option<Finding> {
    let (no, ends) = org.latest_term?;
    if !rule.in_force(period.end()) || !alive_throughout(org, period) && org.abolished_on.is_some() {
        return None;
    }
    let judged_on = period.end().min(today);
    let (status, note) = if ends < judged_on {
        (Status::Missing, format!("第{no}届已于{ends}届满，未见新一届任期记录"))
    } else if ends <= period.end() {
        (Status::Pending, format!("第{no}届将于{ends}届满，请按期换届"))
    } else {
        (Status::Ok, format!("第{no}届至{ends}"))
    };
    Some(finding(rule, org, period, 1, u32::from(status == Status::Ok), status, vec![], note))
}

#[cfg(test)]
mod tests;
