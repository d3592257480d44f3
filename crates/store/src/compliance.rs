//! Loads the facts compliance needs for an org subtree with six set-based queries (never one
//! per org), then hands them to the pure engine in `dangwu_domain::compliance`.

use chrono::{Days, NaiveDate};
use dangwu_domain::OrgId;
use dangwu_domain::auth::Principal;
use dangwu_domain::compliance::{ActivityFacts, Finding, OrgFacts, Status, TeamFacts, evaluate, evaluate_teams};
use dangwu_domain::period::{Granularity, Period};
use std::collections::HashMap;

use crate::db::Arg;
use crate::orgs::{self, Org};
use crate::scope::{org_condition, subtree};
use crate::{Store, StoreError};

pub struct Compliance {
    pub period: Period,
    pub orgs: Vec<Org>,
    pub findings: Vec<Finding>,
}

/// Scope condition on `o` for either the given org's subtree or everything the principal sees.
async fn scope(store: &Store, p: &Principal, org: Option<OrgId>, first: usize) -> Result<(String, Vec<Arg>), StoreError> {
    Ok(match org {
        Some(id) => subtree(&orgs::get(store, p, id).await?.org_path(), first),
        None => org_condition(&p.visibility(), first),
    })
}

pub async fn check(
    store: &Store,
    p: &Principal,
    org: Option<OrgId>,
    period: Period,
    today: NaiveDate,
) -> Result<Compliance, StoreError> {
    let (cond, a) = scope(store, p, org, 1).await?;
    let mut r = store.db.read();
    let org_rows: Vec<Org> = r.all(&format!("SELECT o.* FROM orgs o WHERE {cond}"), a.clone()).await?;
    let full: Vec<(String, i64)> = r
        .all(&format!("SELECT m.org_id, COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.status = 'full' AND {cond} GROUP BY m.org_id"), a.clone())
        .await?;
    let terms: Vec<(String, i64, NaiveDate)> = r
        .all(
            &format!(
                "SELECT t.org_id, t.term_no, t.ends_on FROM org_terms t JOIN orgs o ON o.id = t.org_id WHERE {cond} \
                 AND NOT EXISTS (SELECT 1 FROM org_terms n WHERE n.org_id = t.org_id AND n.starts_on > t.starts_on)"
            ),
            a.clone(),
        )
        .await?;
    // Yearly rules judged within a shorter period need the whole year's records.
    let from = Period::containing(period.start(), Granularity::Year).start();
    let to = Period::containing(period.end(), Granularity::Year).end();
    let n = a.len();
    let mut ra = a.clone();
    ra.push(Arg::from(from));
    ra.push(Arg::from(to));
    let range = format!("a.held_on >= ${} AND a.held_on <= ${}", n + 1, n + 2);
    // One row per activity and kind (most activities have one kind); `extra` only where it can
    // name a team, since it is parsed per row.
    #[derive(sqlx::FromRow)]
    struct ActRow {
        id: String,
        org_id: String,
        held_on: NaiveDate,
        flags: String,
        present_count: i64,
        expected_count: i64,
        extra: Option<String>,
        kind: String,
    }
    let rows: Vec<ActRow> = r
        .all(
            &format!(
                "SELECT a.id, a.org_id, a.held_on, a.flags, a.present_count, a.expected_count, \
                 CASE WHEN a.extra LIKE '%\"team\"%' THEN a.extra END AS extra, k.kind FROM activities a \
                 JOIN orgs o ON o.id = a.org_id JOIN activity_kinds k ON k.activity_id = a.id WHERE {cond} AND {range}"
            ),
            ra,
        )
        .await?;
    let mut act_facts: Vec<ActivityFacts> = Vec::with_capacity(rows.len());
    let mut at: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    // A team's service names the team in the activity's kind fields.
    let mut team_of: HashMap<String, String> = HashMap::new();
    for a in rows {
        if let Some(&i) = at.get(&a.id) {
            act_facts[i].kinds.push(a.kind);
            continue;
        }
        at.insert(a.id.clone(), act_facts.len());
        if let Some(t) = a.extra.as_deref().and_then(|e| serde_json::from_str::<HashMap<String, String>>(e).ok()).and_then(|mut m| m.remove("team")) {
            team_of.insert(a.id.clone(), t);
        }
        act_facts.push(ActivityFacts {
            kinds: vec![a.kind],
            flags: a.flags.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            id: a.id,
            org_id: a.org_id,
            date: a.held_on,
            present: a.present_count as u32,
            expected: a.expected_count as u32,
        });
    }
    // Findings list their records and notes in date order, whatever plan the database chose.
    act_facts.sort_by(|x, y| (x.date, &x.id).cmp(&(y.date, &y.id)));
    let mut served: HashMap<String, Vec<String>> = HashMap::new();
    for a in &act_facts {
        if let Some(t) = team_of.get(&a.id) {
            served.entry(t.clone()).or_default().push(a.id.clone());
        }
    }
    #[derive(sqlx::FromRow)]
    struct TeamRow {
        id: String,
        org_id: String,
        kind: String,
        name: String,
        starts_on: NaiveDate,
        ends_on: Option<NaiveDate>,
    }
    let team_rows: Vec<TeamRow> = r
        .all(&format!("SELECT t.id, t.org_id, t.kind, t.name, t.starts_on, t.ends_on FROM teams t JOIN orgs o ON o.id = t.org_id WHERE {cond}"), a.clone())
        .await?;
    let team_facts: Vec<TeamFacts> = team_rows
        .into_iter()
        .map(|t| TeamFacts { activity_ids: served.remove(&t.id).unwrap_or_default(), id: t.id, org_id: t.org_id, kind: t.kind, name: t.name, starts_on: t.starts_on, ends_on: t.ends_on })
        .collect();
    let full: HashMap<String, i64> = full.into_iter().collect();
    let terms: HashMap<String, (i64, NaiveDate)> = terms.into_iter().map(|(o, no, e)| (o, (no, e))).collect();
    let org_facts: Vec<OrgFacts> = org_rows
        .iter()
        .map(|o| OrgFacts {
            id: o.id.clone(),
            kind: o.kind.clone(),
            established_on: o.established_on,
            abolished_on: o.abolished_on,
            full_members: full.get(&o.id).copied().unwrap_or(0) as u32,
            latest_term: terms.get(&o.id).copied(),
        })
        .collect();
    let mut findings = evaluate(&store.rulebook, &store.catalogue, &org_facts, &act_facts, period, today);
    findings.extend(evaluate_teams(&store.rulebook, &team_facts, &act_facts, period, today));
    Ok(Compliance { period, orgs: orgs::tree_order(org_rows), findings })
}

/// What falls due within `days`: obligations of the running periods not yet met, due soonest first.
pub async fn due_soon(store: &Store, p: &Principal, today: NaiveDate, days: u64) -> Result<Compliance, StoreError> {
    let horizon = today + Days::new(days);
    let period = Period::containing(today, Granularity::Year);
    let mut c = check(store, p, None, period, today).await?;
    c.findings.retain(|f| f.status == Status::Pending && f.period.end() <= horizon);
    c.findings.sort_by_key(|f| f.period.end());
    Ok(c)
}
