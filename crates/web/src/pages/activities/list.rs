//! The activity list (newest first, filtered by org, dates and kind) and its lines, which the
//! month calendar shows too.
//! A member account sees the sittings they took part in instead.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use dangwu_domain::activity::Attendance;
use dangwu_domain::auth::Role;
use dangwu_domain::date::parse_date;
use dangwu_store::activities::{self, ActivityFilter, ActivityRow};
use dangwu_store::orgs;
use serde::Deserialize;

use super::{kind_labels, needs_evidence, recording_orgs};
use crate::auth::{CurrentUser, urlencode};
use crate::pages::kit::{Opt, org_id, org_opts};
use crate::render::{Layout, html};
use crate::{AppState, WebError};

/// More rows than this are cut; the page says so and asks for a narrower filter.
pub const LIST_LIMIT: i64 = 100;

/// One sitting as a line of the list or the calendar.
pub struct Line {
    pub id: String,
    pub held_on: NaiveDate,
    pub time: String,
    pub org_name: String,
    pub kinds: Vec<String>,
    pub title: String,
    pub present: i64,
    pub expected: i64,
    /// `None` when none of its kinds asks for evidence.
    pub evidence_ok: Option<bool>,
}

impl Line {
    pub fn weekday(&self) -> &'static str {
        weekday(self.held_on)
    }
}

pub fn weekday(d: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][d.weekday().num_days_from_monday() as usize]
}

/// Lines for the rows; the list query already carries each record's evidence kinds.
pub async fn lines(state: &AppState, _user: &CurrentUser, rows: Vec<ActivityRow>) -> Result<Vec<Line>, WebError> {
    let book = &state.store.rulebook;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let evidence_ok = if needs_evidence(book, &r.kinds) {
            let have: Vec<&str> = r.evidence.iter().map(String::as_str).collect();
            Some(super::evidence_checks(book, &r.kinds, &have).iter().all(|c| c.met))
        } else {
            None
        };
        let a = r.activity;
        let time = match (&a.start_time, &a.end_time) {
            (Some(s), Some(e)) => format!("{s}–{e}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        };
        out.push(Line {
            kinds: kind_labels(book, &r.kinds),
            held_on: a.held_on,
            time,
            org_name: r.org_name,
            title: a.title,
            present: a.present_count,
            expected: a.expected_count,
            evidence_ok,
            id: a.id,
        });
    }
    Ok(out)
}

/// A member's own sittings: (id, date, title, how they took part).
pub struct OwnLine {
    pub id: String,
    pub held_on: NaiveDate,
    pub title: String,
    pub attendance: &'static str,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "activities_list.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<Line>,
    own: Vec<OwnLine>,
    is_member: bool,
    orgs: Vec<Opt>,
    kinds: Vec<Opt>,
    from: String,
    to: String,
    truncated: bool,
    /// Any filter set: the filter box opens.
    filtered: bool,
    problems: Vec<String>,
    can_record: bool,
    new_href: String,
    calendar_href: String,
}

/// The date filters; an unreadable one is reported and ignored.
fn date_filter(s: &str, label: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let d = parse_date(s);
    if d.is_none() {
        problems.push(format!("{label}“{s}”格式不正确，应为如 2022-03-01 的日期，已忽略"));
    }
    d
}

fn kind_opts(state: &AppState, selected: &str) -> Vec<Opt> {
    state.store.rulebook.kinds.iter().filter(|k| k.enabled).map(|k| Opt::new(k.id.clone(), k.label.clone(), selected)).collect()
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let p = &user.principal;
    let layout = Layout::new(&user, "组织生活", "activities").notice(q.ok.clone());
    if p.role == Role::Member {
        let own = match p.member_id {
            Some(m) => activities::attended_by(&state.store, m, 200).await?,
            None => vec![],
        };
        let own = own
            .into_iter()
            .map(|(a, att)| OwnLine {
                attendance: Attendance::parse(&att).map(Attendance::label).unwrap_or(""),
                id: a.id,
                held_on: a.held_on,
                title: a.title,
            })
            .collect();
        let page = ListPage {
            layout: Layout { title: "我参加的组织生活".into(), ..layout },
            lines: vec![], own, is_member: true, orgs: vec![], kinds: vec![], from: String::new(),
            to: String::new(), truncated: false, filtered: false, problems: vec![], can_record: false, new_href: String::new(), calendar_href: String::new(),
        };
        return Ok(html(&page));
    }
    let mut problems = Vec::new();
    let org = match q.org.trim() {
        "" => None,
        s => Some(org_id(s)?),
    };
    let from = date_filter(&q.from, "起始日期", &mut problems);
    let to = date_filter(&q.to, "截止日期", &mut problems);
    let kind = Some(q.kind.trim()).filter(|k| !k.is_empty()).map(str::to_owned);
    let filter = ActivityFilter { org_id: org, from, to, kind, limit: LIST_LIMIT + 1 };
    let mut rows = activities::list(&state.store, p, &filter).await?;
    let truncated = rows.len() as i64 > LIST_LIMIT;
    rows.truncate(LIST_LIMIT as usize);
    let writable = recording_orgs(&state, &user).await?;
    let org_q = urlencode(q.org.trim());
    let page = ListPage {
        layout,
        lines: lines(&state, &user, rows).await?,
        own: vec![],
        is_member: false,
        orgs: org_opts(&orgs::list(&state.store, p, false).await?, q.org.trim()),
        kinds: kind_opts(&state, q.kind.trim()),
        from: from.map(|d| d.to_string()).unwrap_or_default(),
        to: to.map(|d| d.to_string()).unwrap_or_default(),
        truncated,
        filtered: !(q.org.trim().is_empty() && q.kind.trim().is_empty() && q.from.trim().is_empty() && q.to.trim().is_empty()),
        problems,
        can_record: !writable.is_empty(),
        new_href: if writable.iter().any(|o| o.id == q.org.trim()) { format!("/activities/new?org={org_q}") } else { "/activities/new".into() },
        calendar_href: format!("/activities/calendar?org={org_q}"),
    };
    Ok(html(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_in_chinese() {
        assert_eq!(weekday(NaiveDate::from_ymd_opt(2022, 3, 4).unwrap()), "周五");
        assert_eq!(weekday(NaiveDate::from_ymd_opt(2022, 3, 6).unwrap()), "周日");
    }
}
