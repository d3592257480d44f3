//! Membership facts: who was in the subtree at the end of the period, with the status they had
//! then (later status events and transfers are undone: the first event after the period end
//! tells the status before it, the organisation history tells where the member was).

use dangwu_domain::facts::{FactDoc, FactSet, RecordRef};

use super::FactScope;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "members_total", label: "党员总数", doc: "期末子树内在册党员（正式党员和预备党员），按期末的组织关系和状态" },
    FactDoc { name: "members_full", label: "正式党员数", doc: "其中正式党员" },
    FactDoc { name: "members_probationary", label: "预备党员数", doc: "其中预备党员" },
    FactDoc { name: "members_joined", label: "新发展党员数", doc: "入党日期在本期内的党员（含预备党员）" },
    FactDoc { name: "members_changes", label: "党员变动次数", doc: "本期子树内党员的状态变动和组织关系调整（转正、转出、调整等）" },
];

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    status: String,
    joined_on: chrono::NaiveDate,
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (cond, mut a) = scope.subtree(1);
    a.push(scope.period.end().into());
    let sql = format!(
        "SELECT m.id, m.joined_on, COALESCE((SELECT e.from_status FROM member_events e WHERE e.member_id = m.id AND e.on_date > $3 \
         ORDER BY e.on_date, e.created_at LIMIT 1), m.status) AS status FROM members m \
         JOIN orgs o ON o.id = COALESCE((SELECT h.org_id FROM member_org_history h WHERE h.member_id = m.id AND h.from_date <= $3 \
         AND (h.to_date IS NULL OR h.to_date > $3) ORDER BY h.from_date DESC LIMIT 1), m.org_id) \
         WHERE {cond} AND m.joined_on <= $3 ORDER BY m.id"
    );
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
    let rows: Vec<Row> = rows.into_iter().filter(|r| r.status == "full" || r.status == "probationary").collect();
    let refs = |want: Option<&str>| {
        rows.iter()
            .filter(|r| want.is_none_or(|w| r.status == w))
            .map(|r| RecordRef::new("member", r.id.clone()))
            .collect::<Vec<_>>()
    };
    out.count("members_total", refs(None));
    out.count("members_full", refs(Some("full")));
    out.count("members_probationary", refs(Some("probationary")));
    let start = scope.period.start();
    out.count("members_joined", rows.iter().filter(|r| r.joined_on >= start).map(|r| RecordRef::new("member", r.id.clone())).collect());

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
