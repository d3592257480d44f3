//! Membership facts: who is in the subtree at the end of the period.

use dangwu_domain::facts::{FactDoc, FactSet, RecordRef};

use super::FactScope;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "members_total", label: "党员总数", doc: "子树内在册党员（正式党员和预备党员），入党日期不晚于期末" },
    FactDoc { name: "members_full", label: "正式党员数", doc: "其中正式党员" },
    FactDoc { name: "members_probationary", label: "预备党员数", doc: "其中预备党员" },
    FactDoc { name: "members_joined", label: "新发展党员数", doc: "入党日期在本期内的党员（含预备党员）" },
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
        "SELECT m.id, m.status, m.joined_on FROM members m JOIN orgs o ON o.id = m.org_id \
         WHERE {cond} AND m.status IN ('full', 'probationary') AND m.joined_on <= $3 ORDER BY m.id"
    );
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
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
    Ok(())
}
