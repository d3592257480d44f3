//! Audit retention: old entries may be purged, never younger than the retention period
//! (网络安全法 第二十一条: network logs kept no less than six months), and only from an intact
//! chain. Each purge leaves an anchor (seq and hash of the last entry removed) from which the
//! rest of the chain still verifies, and appends an `audit.purge` entry that repeats the anchor,
//! so an anchor inserted by hand is caught by `verify`.

use crate::audit::{self, Actor, Verification};
use crate::db::now_ms;
use crate::{Db, StoreError, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Checkpoint {
    pub through_seq: i64,
    pub through_hash: String,
    pub through_at: i64,
    pub purged_entries: i64,
    pub purged_at: i64,
    pub purged_by: String,
}

pub async fn latest_checkpoint(db: &Db) -> Result<Option<Checkpoint>, StoreError> {
    db.read().opt("SELECT * FROM audit_checkpoints ORDER BY through_seq DESC LIMIT 1", vec![]).await
}

/// Whether the chain holds the purge entry that vouches for `c`.
pub async fn anchored(db: &Db, c: &Checkpoint) -> Result<bool, StoreError> {
    let n: i64 = db
        .read()
        .scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'audit.purge' AND entity = 'audit' AND entity_id = $1 AND after_digest = $2 AND seq > $3",
            args![c.through_seq.to_string(), c.through_hash.clone(), c.through_seq],
        )
        .await?;
    Ok(n > 0)
}

/// What a purge removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    pub entries: i64,
    pub through_seq: i64,
}

/// Removes the entries older than `before_ms`, refusing when that reaches into the last
/// `retention_ms` before `now` or when the chain does not verify. `dry_run` only counts.
pub async fn purge(db: &Db, actor: &Actor, before_ms: i64, retention_ms: i64, now: i64, dry_run: bool) -> Result<Purged, StoreError> {
    let limit = now - retention_ms;
    if before_ms > limit {
        let days = retention_ms / 86_400_000;
        return Err(dangwu_domain::DomainError::field(
            "before",
            format!("审计日志至少保留{days}天（网络安全法要求不少于六个月）：只能清除{}之前的记录", day(limit)),
        )
        .into());
    }
    if let Verification::Broken(b) = audit::verify(db).await? {
        return Err(dangwu_domain::DomainError::field("before", format!("审计日志校验未通过，不能清除（先查明原因）：{b}")).into());
    }
    let mut tx = db.begin().await?;
    // The head lock (inside audit::append below) comes last; on SQLite the IMMEDIATE transaction
    // already excludes other writers, on PostgreSQL lock it first so no entry slips in between.
    if tx.backend() == crate::Backend::Postgres {
        tx.exec("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", vec![]).await?;
    }
    #[derive(sqlx::FromRow)]
    struct Last {
        seq: i64,
        hash: String,
        at: i64,
    }
    // Entries are appended in seq order with the clock at append time; the first entry at or
    // after the cut-off ends the purge, so a later clock step back never removes a young entry.
    let first_young: Option<i64> = tx.scalar("SELECT MIN(seq) FROM audit_log WHERE at >= $1", args![before_ms]).await?;
    let cut = match first_young {
        Some(s) => s - 1,
        None => tx.scalar::<Option<i64>>("SELECT MAX(seq) FROM audit_log", vec![]).await?.unwrap_or(0),
    };
    let last: Option<Last> = tx.opt("SELECT seq, hash, at FROM audit_log WHERE seq = $1", args![cut]).await?;
    let Some(last) = last else { return Ok(Purged { entries: 0, through_seq: cut }) };
    let entries: i64 = tx.scalar("SELECT COUNT(*) FROM audit_log WHERE seq <= $1", args![last.seq]).await?;
    if dry_run || entries == 0 {
        return Ok(Purged { entries, through_seq: last.seq });
    }
    tx.exec(
        "INSERT INTO audit_checkpoints (through_seq, through_hash, through_at, purged_entries, purged_at, purged_by) VALUES ($1, $2, $3, $4, $5, $6)",
        args![last.seq, last.hash.clone(), last.at, entries, now_ms(), actor.0.clone()],
    )
    .await?;
    tx.exec("DELETE FROM audit_log WHERE seq <= $1", args![last.seq]).await?;
    let detail = format!("清除第{}条及以前的{entries}条审计记录（早于{}）", last.seq, day(before_ms));
    audit::append(&mut tx, actor, "audit.purge", "audit", &last.seq.to_string(), String::new(), last.hash, &detail).await?;
    tx.commit().await?;
    Ok(Purged { entries, through_seq: last.seq })
}

fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}
