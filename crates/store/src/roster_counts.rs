//! Roster totals kept between requests. Counting a city's 100,000 members on every page of the
//! roster was most of the list's cost; a total is reused while `data_versions.roster` has not
//! moved (triggers on members and orgs bump it, migration 0011), so a page costs one indexed
//! lookup of the counter instead of a scan of the subtree.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::db::Arg;
use crate::{Store, StoreError};

/// Enough for every org × filter a bureau's staff page through; cleared when full rather than
/// tracking recency, since a recount is only one query.
const MAX_ENTRIES: usize = 4096;

#[derive(Debug, Default)]
pub struct RosterCounts {
    totals: Mutex<HashMap<String, (i64, i64)>>,
}

impl RosterCounts {
    /// `SELECT COUNT(*) FROM members m JOIN orgs o … WHERE {where_}`, from the cache when the
    /// roster has not changed since it was counted.
    pub(crate) async fn total(&self, store: &Store, where_: &str, args: &[Arg]) -> Result<i64, StoreError> {
        let version: i64 = store.db.read().scalar("SELECT version FROM data_versions WHERE name = 'roster'", vec![]).await?;
        let key = format!("{where_}\u{1f}{args:?}");
        if let Some(&(v, n)) = self.lock().get(&key)
            && v == version
        {
            return Ok(n);
        }
        // Counted after the version was read, so the count is at least as new as its label: a
        // write in between only causes one extra recount on the next page.
        let n: i64 = store
            .db
            .read()
            .scalar(&format!("SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE {where_}"), args.to_vec())
            .await?;
        let mut totals = self.lock();
        if totals.len() >= MAX_ENTRIES {
            totals.clear();
        }
        totals.insert(key, (version, n));
        Ok(n)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i64, i64)>> {
        // A panic while holding the lock cannot leave the map inconsistent (plain inserts).
        self.totals.lock().unwrap_or_else(|e| e.into_inner())
    }
}
