//! Counts for 工作台: one grouped query each, scoped to what the principal sees.

use dangwu_domain::auth::Principal;
use serde::Serialize;

use crate::scope::{member_condition, org_condition};
use crate::{Store, StoreError};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Count {
    pub key: String,
    pub n: i64,
}

pub async fn orgs_by_kind(store: &Store, p: &Principal) -> Result<Vec<Count>, StoreError> {
    let (cond, a) = org_condition(&p.visibility(), 1);
    let sql = format!("SELECT o.kind AS key, COUNT(*) AS n FROM orgs o WHERE o.abolished_on IS NULL AND {cond} GROUP BY o.kind ORDER BY o.kind");
    store.db.read().all(&sql, a).await
}

pub async fn members_by_status(store: &Store, p: &Principal) -> Result<Vec<Count>, StoreError> {
    let (cond, a) = member_condition(&p.visibility(), 1);
    let sql = format!(
        "SELECT m.status AS key, COUNT(*) AS n FROM members m JOIN orgs o ON o.id = m.org_id WHERE {cond} GROUP BY m.status ORDER BY m.status"
    );
    store.db.read().all(&sql, a).await
}

/// Active members per organisation (by org id), for the tree view.
pub async fn members_per_org(store: &Store, p: &Principal) -> Result<Vec<Count>, StoreError> {
    let (cond, a) = member_condition(&p.visibility(), 1);
    let sql = format!(
        "SELECT m.org_id AS key, COUNT(*) AS n FROM members m JOIN orgs o ON o.id = m.org_id \
         WHERE m.status IN ('full', 'probationary') AND {cond} GROUP BY m.org_id"
    );
    store.db.read().all(&sql, a).await
}
