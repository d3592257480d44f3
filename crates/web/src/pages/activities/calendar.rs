//! 月历: one month of sittings as a Monday-first grid (days with sittings link down the page)
//! followed by the sittings day by day, which is what reads well on a phone.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Days, Months, NaiveDate};
use dangwu_domain::auth::Role;
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_store::orgs;

use super::list::{Line, ListQuery, lines, weekday};
use crate::auth::{CurrentUser, urlencode};
use crate::pages::kit::{Opt, org_id, org_opts, today};
use crate::render::{Layout, html};
use crate::{AppState, WebError};

/// A day cell of the month grid (`None` pads the first and last week).
pub struct Cell {
    pub day: u32,
    pub count: usize,
    pub today: bool,
}

/// A day with sittings, for the list under the grid.
pub struct Day {
    pub date: NaiveDate,
    pub lines: Vec<Line>,
}

impl Day {
    pub fn weekday(&self) -> &'static str {
        weekday(self.date)
    }
}

#[derive(Template)]
#[template(path = "activities_calendar.html")]
struct CalendarPage {
    layout: Layout,
    month_label: String,
    weeks: Vec<Vec<Option<Cell>>>,
    days: Vec<Day>,
    total: usize,
    orgs: Vec<Opt>,
    month: String,
    prev_href: String,
    next_href: String,
    list_href: String,
}

/// `2022-03` → the first day of that month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// Monday-first weeks of the month starting at `first`, each day with its number of sittings.
pub fn month_grid(first: NaiveDate, count: impl Fn(NaiveDate) -> usize, today: NaiveDate) -> Vec<Vec<Option<Cell>>> {
    let last = first + Months::new(1) - Days::new(1);
    let mut weeks = Vec::new();
    let mut week: Vec<Option<Cell>> = (0..first.weekday().num_days_from_monday()).map(|_| None).collect();
    for d in first.iter_days().take_while(|d| *d <= last) {
        week.push(Some(Cell { day: d.day(), count: count(d), today: d == today }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        week.resize_with(7, || None);
        weeks.push(week);
    }
    weeks
}

pub async fn calendar(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let p = &user.principal;
    if p.role == Role::Member {
        return Ok(Redirect::to("/activities").into_response());
    }
    let today = today();
    let first = parse_month(&q.month).unwrap_or_else(|| today.with_day(1).expect("day 1"));
    let last = first + Months::new(1) - Days::new(1);
    let org = match q.org.trim() {
        "" => None,
        s => Some(org_id(s)?),
    };
    let filter = ActivityFilter { org_id: org, from: Some(first), to: Some(last), kind: None, limit: 5000 };
    let rows = activities::list(&state.store, p, &filter).await?;
    let mut all = lines(&state, &user, rows).await?;
    all.reverse();
    let total = all.len();
    let weeks = month_grid(first, |d| all.iter().filter(|l| l.held_on == d).count(), today);
    let mut days: Vec<Day> = Vec::new();
    for l in all {
        match days.last_mut() {
            Some(d) if d.date == l.held_on => d.lines.push(l),
            _ => days.push(Day { date: l.held_on, lines: vec![l] }),
        }
    }
    let org_q = urlencode(q.org.trim());
    let href = |m: NaiveDate| format!("/activities/calendar?org={org_q}&month={}", m.format("%Y-%m"));
    let page = CalendarPage {
        layout: Layout::new(&user, format!("{}年{}月 组织生活", first.year(), first.month()), "activities"),
        month_label: format!("{}年{}月", first.year(), first.month()),
        weeks,
        days,
        total,
        orgs: org_opts(&orgs::list(&state.store, p, false).await?, q.org.trim()),
        month: first.format("%Y-%m").to_string(),
        prev_href: href(first - Months::new(1)),
        next_href: href(first + Months::new(1)),
        list_href: format!("/activities?org={org_q}&from={first}&to={last}"),
    };
    Ok(html(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_grids_start_on_monday() {
        assert_eq!(parse_month("2022-03"), NaiveDate::from_ymd_opt(2022, 3, 1));
        assert_eq!(parse_month(" 2024-2 "), NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(parse_month("2022-13"), None);
        assert_eq!(parse_month("march"), None);
        // 2022-03-01 was a Tuesday; March has 31 days.
        let first = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
        let g = month_grid(first, |d| usize::from(d.day() == 4), first);
        assert_eq!(g.len(), 5);
        assert!(g[0][0].is_none());
        assert_eq!(g[0][1].as_ref().map(|c| c.day), Some(1));
        assert!(g[0][1].as_ref().unwrap().today);
        assert_eq!(g[0][4].as_ref().map(|c| c.count), Some(1));
        assert_eq!(g[4][3].as_ref().map(|c| c.day), Some(31));
        assert!(g.iter().all(|w| w.len() == 7));
        // Leap February 2024 starts on a Thursday and ends on the 29th.
        let feb = month_grid(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(), |_| 0, first);
        let days: Vec<u32> = feb.iter().flatten().flatten().map(|c| c.day).collect();
        assert_eq!(days.len(), 29);
    }
}
