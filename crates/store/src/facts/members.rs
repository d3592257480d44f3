//! Membership facts: who was in the subtree at the end of the period, with the status they had
//! then (later status events and transfers are undone: the first event after the period end
//! tells the status before it, the organisation history tells where the member was).

use dangwu_domain::facts::{FactDoc, FactSet, RecordRef};

use super::FactScope;
use crate::db::split_ids;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "members_total", label: "党员总数", doc: "期末子树内在册党员（正式党员和预备党员），按期末的组织关系和状态" },
    FactDoc { name: "members_full", label: "正式党员数", doc: "其中正式党员" },
    FactDoc { name: "members_probationary", label: "预备党员数", doc: "其中预备党员" },
    FactDoc { name: "members_joined", label: "新发展党员数", doc: "入党日期在本期内的党员（含预备党员）" },
    FactDoc { name: "members_changes", label: "党员变动次数", doc: "本期子树内党员的状态变动和组织关系调整（转正、转出、调整等）" },
];

#[derive(sqlx::FromRow)]
struct Group {
    status: String,
    joined: i64,
    ids: Option<String>,
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (cond, mut a) = scope.subtree(1);
    a.push(scope.period.end().into());
    a.push(scope.period.start().into());
    // Most members are where they were at the period end, with the status they had then; only
    // those transferred or with a status event since are looked up in the history, so a city's
    // 100,000 members are not 200,000 correlated lookups. Ids come grouped, a few rows in all.
    let later_moved = "SELECT h.member_id FROM member_org_history h WHERE h.from_date > $3";
    let status = "CASE WHEN m.id IN (SELECT e.member_id FROM member_events e WHERE e.on_date > $3) THEN COALESCE((SELECT e.from_status \
         FROM member_events e WHERE e.member_id = m.id AND e.on_date > $3 ORDER BY e.on_date, e.created_at LIMIT 1), m.status) ELSE m.status END";
    let cols = format!("m.id, {status} AS status, CAST(CASE WHEN m.joined_on >= $4 THEN 1 ELSE 0 END AS BIGINT) AS joined");
    let sql = format!(
        "SELECT s.status, s.joined, {ids} AS ids FROM (\
           SELECT {cols} FROM orgs o \
           JOIN members m ON m.org_id = o.id WHERE {cond} AND m.joined_on <= $3 AND m.id NOT IN ({later_moved}) \
           UNION ALL \
           SELECT {cols} FROM members m \
           JOIN orgs o ON o.id = COALESCE((SELECT h.org_id FROM member_org_history h WHERE h.member_id = m.id AND h.from_date <= $3 \
           AND (h.to_date IS NULL OR h.to_date > $3) ORDER BY h.from_date DESC LIMIT 1), m.org_id) \
           WHERE {cond} AND m.joined_on <= $3 AND m.id IN ({later_moved})\
         ) s WHERE s.status IN ('full', 'probationary') GROUP BY s.status, s.joined",
        ids = store.db.backend().join_ids("s.id"),
    );
    let groups: Vec<Group> = store.db.read().all(&sql, a).await?;
    let refs = |keep: &dyn Fn(&Group) -> bool| -> Vec<RecordRef> {
        groups.iter().filter(|g| keep(g)).flat_map(|g| split_ids(g.ids.as_deref()).map(|id| RecordRef::new("member", id))).collect()
    };
    out.count("members_total", refs(&|_| true));
    out.count("members_full", refs(&|g| g.status == "full"));
    out.count("members_probationary", refs(&|g| g.status == "probationary"));
    out.count("members_joined", refs(&|g| g.joined == 1));

    let (cond, a) = scope.subtree_and_dates("e.on_date");
    let events: Vec<(String,)> = store
        .db
        .read()
        .all(&format!("SELECT e.member_id FROM member_events e JOIN orgs o ON o.id = e.org_id WHERE {cond} ORDER BY e.member_id"), a)
        .await?;
    let n = events.len() as i64;
    out.insert("members_changes", dangwu_domain::facts::FactValue::Count(n), events.into_iter().map(|(id,)| RecordRef::new("member", id)).collect());
    Ok(())
}
