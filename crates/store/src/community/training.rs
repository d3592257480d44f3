//! Training (培训): sessions are activities of the training kinds of community.toml, with their
//! `hours` and capability tags; hours per member in a year against the targets there (32 学时
//! for members, 56 for secretaries and committee members): set-based queries over a subtree or
//! over what a principal may see.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::community::training::SessionInput;
use dangwu_domain::community::{TrainingStanding, hours_tenths, training_standings};
use dangwu_domain::org::OrgPath;
use std::collections::HashMap;

use crate::db::Arg;
use crate::scope::{member_condition, org_condition};
use crate::{Store, StoreError};

/// A standing with the member's name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Named {
    pub name: String,
    pub org_name: String,
    pub standing: TrainingStanding,
}

/// Every active member of the subtree with their training hours from `from` to `to`.
pub async fn standings(store: &Store, root: &OrgPath, from: NaiveDate, to: NaiveDate) -> Result<Vec<Named>, StoreError> {
    standings_where(store, || crate::scope::subtree(root, 1), from, to).await
}

/// The members the principal may see (a member: themselves) with their hours from `from` to `to`.
pub async fn visible(store: &Store, p: &Principal, from: NaiveDate, to: NaiveDate) -> Result<Vec<Named>, StoreError> {
    let v = p.visibility();
    standings_where(store, || member_condition(&v, 1), from, to).await
}

/// `scope` restricts members `m` (in orgs `o`); it is built twice, once per query.
async fn standings_where(store: &Store, scope: impl Fn() -> (String, Vec<Arg>), from: NaiveDate, to: NaiveDate) -> Result<Vec<Named>, StoreError> {
    let t = &store.community.training;
    let (cond, mut a) = scope();
    let roles: Vec<String> = (0..t.leader_roles.len()).map(|i| format!("${}", a.len() + 1 + i)).collect();
    a.extend(t.leader_roles.iter().map(Arg::from));
    #[derive(sqlx::FromRow)]
    struct M {
        id: String,
        name: String,
        org_name: String,
        is_party_worker: bool,
        leader: i64,
    }
    let members: Vec<M> = store
        .db
        .read()
        .all(
            &format!(
                // The sitting committee members counted once, joined to the members: a count per
                // member was 100,000 correlated lookups for a city's report.
                "SELECT m.id, m.name, o.name AS org_name, m.is_party_worker, CAST(COALESCE(c.n, 0) AS BIGINT) AS leader \
                 FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN (SELECT member_id, COUNT(*) AS n FROM committee_members \
                 WHERE ends_on IS NULL AND role IN ({}) GROUP BY member_id) c ON c.member_id = m.id \
                 WHERE {cond} AND m.status IN ('full', 'probationary') ORDER BY o.path, m.name",
                if roles.is_empty() { "''".to_owned() } else { roles.join(", ") }
            ),
            a,
        )
        .await?;
    let (cond, mut a) = scope();
    let n = a.len();
    a.push(from.into());
    a.push(to.into());
    let kinds: Vec<String> = (0..t.kinds.len()).map(|i| format!("${}", n + 3 + i)).collect();
    a.extend(t.kinds.iter().map(Arg::from));
    let rows: Vec<(String, String)> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT t.member_id, a.extra FROM activity_attendance t JOIN activities a ON a.id = t.activity_id \
                 JOIN members m ON m.id = t.member_id JOIN orgs o ON o.id = m.org_id \
                 WHERE {cond} AND t.attendance = 'present' AND a.held_on >= ${} AND a.held_on <= ${} \
                 AND a.id IN (SELECT activity_id FROM activity_kinds WHERE kind IN ({}))",
                n + 1,
                n + 2,
                kinds.join(", ")
            ),
            a,
        )
        .await?;
    let mut tenths: HashMap<String, i64> = HashMap::new();
    for (m, extra) in rows {
        let e: HashMap<String, String> = serde_json::from_str(&extra).unwrap_or_default();
        *tenths.entry(m).or_default() += e.get("hours").and_then(|h| hours_tenths(h)).unwrap_or(0);
    }
    let list: Vec<(String, bool, bool)> = members.iter().map(|m| (m.id.clone(), m.leader > 0, m.is_party_worker)).collect();
    Ok(training_standings(t, &list, &tenths)
        .into_iter()
        .zip(members)
        .map(|(s, m)| Named { name: m.name, org_name: m.org_name, standing: s })
        .collect())
}

/// A training session: an activity of a training kind, its hours and capability tags.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Session {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub kind: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub present_count: i64,
    #[serde(skip)]
    pub extra: String,
}

impl Session {
    fn field(&self, k: &str) -> Option<String> {
        serde_json::from_str::<HashMap<String, String>>(&self.extra).ok()?.remove(k)
    }
    pub fn hours_tenths(&self) -> i64 {
        self.field("hours").and_then(|h| hours_tenths(&h)).unwrap_or(0)
    }
    /// Catalogue ids.
    pub fn capabilities(&self) -> Vec<String> {
        self.field("capabilities").map(|c| c.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
    }
}

/// Sessions from `from` to `to` held by orgs the principal may see (a member: those they attended).
pub async fn sessions(store: &Store, p: &Principal, from: NaiveDate, to: NaiveDate) -> Result<Vec<Session>, StoreError> {
    let kinds = &store.community.training.kinds;
    let (cond, mut a) = match p.member_id.filter(|_| p.role == dangwu_domain::auth::Role::Member) {
        Some(m) => ("a.id IN (SELECT activity_id FROM activity_attendance WHERE member_id = $1 AND attendance = 'present')".to_owned(), vec![Arg::from(m.to_string())]),
        None => org_condition(&p.visibility(), 1),
    };
    let n = a.len();
    a.push(from.into());
    a.push(to.into());
    let ks: Vec<String> = (0..kinds.len()).map(|i| format!("${}", n + 3 + i)).collect();
    a.extend(kinds.iter().map(Arg::from));
    let ks = if ks.is_empty() { "''".to_owned() } else { ks.join(", ") };
    store
        .db
        .read()
        .all(
            &format!(
                "SELECT a.id, a.org_id, o.name AS org_name, (SELECT MIN(k.kind) FROM activity_kinds k WHERE k.activity_id = a.id AND k.kind IN ({ks})) AS kind, \
                 a.title, a.held_on, a.present_count, a.extra FROM activities a JOIN orgs o ON o.id = a.org_id \
                 WHERE {cond} AND a.held_on >= ${} AND a.held_on <= ${} AND a.id IN (SELECT activity_id FROM activity_kinds WHERE kind IN ({ks})) \
                 ORDER BY a.held_on DESC, o.path",
                n + 1,
                n + 2
            ),
            a,
        )
        .await
}

/// Records a session as an activity (validated and audited like every activity).
pub async fn record(store: &Store, p: &Principal, actor: &crate::audit::Actor, input: &SessionInput, today: NaiveDate, future_days: u64) -> Result<crate::activities::Activity, StoreError> {
    let book = &store.rulebook;
    let activity = input.activity(&store.community.training, |k| book.kind(k).map_or(k.to_owned(), |d| d.label.clone()))?;
    crate::activities::create(store, p, actor, &activity, today, future_days).await
}
