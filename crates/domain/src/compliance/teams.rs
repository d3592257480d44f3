//! Rules whose subject is a team (e.g. each 志愿服务队 serves its community monthly): the same
//! counting as for organisations, over the activities recorded as the team's service.

use chrono::NaiveDate;

use super::{ActivityFacts, Finding, OrgFacts, count_finding};
use crate::period::Period;
use crate::rulebook::{Measure, Rulebook, Subject};

/// What compliance needs to know about one team.
#[derive(Debug, Clone)]
pub struct TeamFacts {
    pub id: String,
    pub org_id: String,
    pub kind: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Activities recorded as this team's service.
    pub activity_ids: Vec<String>,
}

/// Findings of the team rules over `period`; a team is judged on a sub-period it existed throughout.
pub fn evaluate_teams(book: &Rulebook, teams: &[TeamFacts], acts: &[ActivityFacts], period: Period, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in book.rules.iter().filter(|r| r.enabled && r.subject == Subject::Team && r.measure == Measure::Count) {
        for team in teams.iter().filter(|t| rule.applies_to.contains(&t.kind)) {
            // The engine judges an org; the team stands in as one, named in the note.
            let org = OrgFacts { id: team.org_id.clone(), kind: String::new(), established_on: Some(team.starts_on), abolished_on: team.ends_on, full_members: 0, latest_term: None };
            for p in period.split(rule.period) {
                if !rule.in_force(p.end()) || !super::alive_throughout(&org, p) {
                    continue;
                }
                let mine: Vec<&ActivityFacts> = acts
                    .iter()
                    .filter(|a| team.activity_ids.contains(&a.id) && p.contains(a.date) && a.kinds.iter().any(|k| rule.counts.contains(k)))
                    .collect();
                let mut f = count_finding(book, rule, &org, p, &mine, today);
                f.note = if f.note.is_empty() { team.name.clone() } else { format!("{}：{}", team.name, f.note) };
                f.team_id = Some(team.id.clone());
                out.push(f);
            }
        }
    }
    out
}
