//! Emptying the data store for `dangwu demo`: every table, in one transaction, chain reset.

use anyhow::bail;
use dangwu_domain::audit::GENESIS_HASH;
use dangwu_store::Store;
use dangwu_store::db::Arg;

/// Known tables, children before parents. Tables added later by other migrations are emptied
/// first and, should one still be referenced, retried after the others (each try in a savepoint).
const ORDER: &[&str] = &[
    "dues_payments",
    "dues_remittances",
    "dues_verifications",
    "attachments",
    "blobs",
    "activity_materials",
    "activity_attendance",
    "activity_kinds",
    "activities",
    "study_plan_items",
    "study_plans",
    "materials",
    "sessions",
    "api_tokens",
    "login_attempts",
    "users",
    "committee_members",
    "org_terms",
    "member_events",
    "member_org_history",
    "members",
    "orgs",
    "audit_log",
];

/// Deletes every row of every table and resets the audit chain head to seq 0 / genesis.
/// Only for the demo: it erases the audit log too.
pub async fn wipe(store: &Store) -> anyhow::Result<()> {
    let mut tables: Vec<String> = Vec::new();
    for (t, _) in store.db.schema().await? {
        // Counters, not records: the roster counter must keep moving (the deletes bump it).
        if t != "audit_head" && t != "data_versions" && !tables.contains(&t) {
            tables.push(t);
        }
    }
    let mut pending: Vec<String> = tables.iter().filter(|t| !ORDER.contains(&t.as_str())).cloned().collect();
    pending.extend(ORDER.iter().filter(|t| tables.iter().any(|x| x == *t)).map(|t| t.to_string()));
    let mut tx = store.db.begin().await?;
    loop {
        let mut failed = Vec::new();
        for t in &pending {
            tx.exec("SAVEPOINT dangwu_wipe", vec![]).await?;
            let sql = format!("DELETE FROM \"{}\"", t.replace('"', "\"\""));
            if tx.exec(&sql, vec![]).await.is_err() {
                tx.exec("ROLLBACK TO SAVEPOINT dangwu_wipe", vec![]).await?;
                failed.push(t.clone());
            }
            tx.exec("RELEASE SAVEPOINT dangwu_wipe", vec![]).await?;
        }
        if failed.is_empty() {
            break;
        }
        if failed.len() == pending.len() {
            bail!("无法清空数据表：{}", failed.join("、"));
        }
        pending = failed;
    }
    tx.exec("UPDATE audit_head SET seq = 0, hash = $1 WHERE id = 1", vec![Arg::from(GENESIS_HASH)]).await?;
    tx.commit().await?;
    Ok(())
}
