//! Training hours per member in a year against the targets of community.toml (32 学时 for
//! members, 56 for secretaries and committee members): two set-based queries over a subtree.

use chrono::NaiveDate;
use dangwu_domain::community::{TrainingStanding, hours_tenths, training_standings};
use dangwu_domain::org::OrgPath;
use std::collections::HashMap;

use crate::db::Arg;
use crate::{Store, StoreError};

/// A standing with the member's name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Named {
    pub name: String,
    pub standing: TrainingStanding,
}

/// Every active member of the subtree with their training hours from `from` to `to`.
pub async fn standings(store: &Store, root: &OrgPath, from: NaiveDate, to: NaiveDate) -> Result<Vec<Named>, StoreError> {
    let t = &store.community.training;
    let (cond, mut a) = crate::scope::subtree(root, 1);
    let roles: Vec<String> = (0..t.leader_roles.len()).map(|i| format!("${}", a.len() + 1 + i)).collect();
    a.extend(t.leader_roles.iter().map(Arg::from));
    #[derive(sqlx::FromRow)]
    struct M {
        id: String,
        name: String,
        is_party_worker: bool,
        leader: i64,
    }
    let members: Vec<M> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT m.id, m.name, m.is_party_worker, (SELECT COUNT(*) FROM committee_members c WHERE c.member_id = m.id \
                 AND c.ends_on IS NULL AND c.role IN ({})) AS leader FROM members m JOIN orgs o ON o.id = m.org_id \
                 WHERE {cond} AND m.status IN ('full', 'probationary') ORDER BY o.path, m.name",
                if roles.is_empty() { "''".to_owned() } else { roles.join(", ") }
            ),
            a,
        )
        .await?;
    let (cond, mut a) = crate::scope::subtree(root, 1);
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
    let names: HashMap<&str, &str> = members.iter().map(|m| (m.id.as_str(), m.name.as_str())).collect();
    Ok(training_standings(t, &list, &tenths)
        .into_iter()
        .map(|s| Named { name: names.get(s.member_id.as_str()).copied().unwrap_or("").to_owned(), standing: s })
        .collect())
}
