//! A training session as typed on the training page, API or CLI: recorded as an activity of one
//! of the training kinds (community.toml `training.kinds`), every participant present.

use serde::{Deserialize, Serialize};

use super::TrainingTargets;
use crate::DomainError;
use crate::activity::{ActivityInput, AttendeeInput};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionInput {
    pub org_id: String,
    /// training, expert_lecture, red_education_visit … (community.toml `training.kinds`)
    pub kind: String,
    pub title: String,
    pub held_on: String,
    /// 学时, e.g. "3" or "1.5"
    pub hours: String,
    /// Capability ids or labels from community.toml.
    pub capabilities: Vec<String>,
    pub topics: String,
    pub lecturer: String,
    pub place: String,
    pub participant_ids: Vec<String>,
}

impl SessionInput {
    /// The activity to record; its own validation then checks dates, hours, tags and participants.
    pub fn activity(&self, t: &TrainingTargets, kind_label: impl Fn(&str) -> String) -> Result<ActivityInput, DomainError> {
        let kind = self.kind.trim();
        if !t.kinds.iter().any(|k| k == kind) {
            let opts: Vec<String> = t.kinds.iter().map(|k| format!("{k}（{}）", kind_label(k))).collect();
            return Err(DomainError::field("kind", format!("培训类型“{kind}”不计学时，可选：{}", opts.join("、"))));
        }
        if self.hours.trim().is_empty() {
            return Err(DomainError::field("hours", "请填写学时（小时数，如 3 或 1.5）"));
        }
        let mut extra = std::collections::BTreeMap::new();
        extra.insert("hours".to_owned(), self.hours.trim().to_owned());
        let tags: Vec<&str> = self.capabilities.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        if !tags.is_empty() {
            extra.insert("capabilities".to_owned(), tags.join("、"));
        }
        let attendees = self
            .participant_ids
            .iter()
            .map(|m| m.trim())
            .filter(|m| !m.is_empty())
            .map(|m| AttendeeInput { member_id: m.to_owned(), attendance: "present".into(), ..Default::default() })
            .collect();
        Ok(ActivityInput {
            org_id: self.org_id.clone(),
            kinds: vec![kind.to_owned()],
            title: self.title.clone(),
            held_on: self.held_on.clone(),
            topics: self.topics.clone(),
            lecturer: self.lecturer.clone(),
            place: self.place.clone(),
            extra,
            attendees,
            ..Default::default()
        })
    }
}

/// The year asked for (`2022`; empty: the year of `today`) as its first and last day.
pub fn year_range(s: Option<&str>, today: chrono::NaiveDate) -> Result<(chrono::NaiveDate, chrono::NaiveDate), DomainError> {
    use chrono::Datelike;
    let y = match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => today.year(),
        Some(t) => match t.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => return Err(DomainError::field("year", format!("年度“{t}”格式不正确，应为如 2022 的年份"))),
        },
    };
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid day");
    Ok((day(1, 1), day(12, 31)))
}
