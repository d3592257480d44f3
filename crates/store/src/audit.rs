//! Appending to and verifying the SM3 audit chain. Appends run inside the caller's transaction,
//! after locking the chain head, so the chain stays linear with concurrent writers.

use dangwu_domain::audit::{AuditEntry, ChainBreak, ChainVerifier, StoredEntry, digest_json};
use serde::Serialize;

use crate::db::{Tx, now_ms};
use crate::{Db, StoreError, args};

/// Who did it, as recorded in the log: a username, or `cli:…` / `system:…`.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

/// Digest of a record's state for the log (the log holds digests, not personal data).
pub fn digest<T: Serialize>(v: Option<&T>) -> String {
    match v {
        None => String::new(),
        Some(v) => digest_json(&serde_json::to_value(v).unwrap_or(serde_json::Value::Null)),
    }
}

#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    hash: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn append(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before_digest: String,
    after_digest: String,
    detail: &str,
) -> Result<i64, StoreError> {
    // Locks the head row on PostgreSQL; on SQLite the IMMEDIATE transaction already serialises writers.
    let lock = match tx.backend() {
        crate::Backend::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
    };
    let head: Head = tx.opt(lock, vec![]).await?.ok_or(StoreError::NotFound("审计日志链头"))?;
    let entry = AuditEntry {
        seq: head.seq + 1,
        at_ms: now_ms(),
        actor: actor.0.clone(),
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_owned(),
        before_digest,
        after_digest,
        detail: detail.to_owned(),
    };
    let hash = entry.chain_hash(&head.hash);
    tx.exec(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before_digest, after_digest, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![entry.seq, entry.at_ms, entry.actor, entry.action, entry.entity, entry.entity_id,
              entry.before_digest, entry.after_digest, entry.detail, head.hash, hash.clone()],
    )
    .await?;
    tx.exec("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", args![entry.seq, hash]).await?;
    Ok(entry.seq)
}

/// One log row as stored.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LogRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_digest: String,
    pub after_digest: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<LogRow> for StoredEntry {
    fn from(r: LogRow) -> Self {
        StoredEntry {
            entry: AuditEntry {
                seq: r.seq,
                at_ms: r.at,
                actor: r.actor,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                before_digest: r.before_digest,
                after_digest: r.after_digest,
                detail: r.detail,
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Outcome of recomputing the whole chain.
#[derive(Debug)]
pub enum Verification {
    Intact { entries: u64 },
    Broken(ChainBreak),
}

/// Recomputes the chain page by page (bounded memory) and checks the head row agrees with it.
pub async fn verify(db: &Db) -> Result<Verification, StoreError> {
    const PAGE: i64 = 5_000;
    // After a retention purge the chain starts at its latest anchor (see audit_retention).
    let anchor = crate::audit_retention::latest_checkpoint(db).await?;
    let mut verifier = match &anchor {
        Some(c) => ChainVerifier::resume_after(c.through_seq, &c.through_hash),
        None => ChainVerifier::new(),
    };
    let mut after = anchor.as_ref().map_or(0, |c| c.through_seq);
    let mut last: Option<LogRow> = None;
    loop {
        let rows: Vec<LogRow> = db
            .read()
            .all("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", args![after, PAGE])
            .await?;
        let n = rows.len();
        for r in rows {
            after = r.seq;
            let stored = StoredEntry::from(r.clone());
            if let Err(b) = verifier.push(&stored) {
                return Ok(Verification::Broken(b));
            }
            last = Some(r);
        }
        if (n as i64) < PAGE {
            break;
        }
    }
    let head: Head = db.read().opt("SELECT seq, hash FROM audit_head WHERE id = 1", vec![]).await?.ok_or(StoreError::NotFound("审计日志链头"))?;
    let start = anchor.as_ref().map_or((0, dangwu_domain::audit::GENESIS_HASH.to_owned()), |c| (c.through_seq, c.through_hash.clone()));
    let (seq, hash) = last.map(|l| (l.seq, l.hash)).unwrap_or(start);
    if head.seq != seq || head.hash != hash {
        // Entries after the last one were deleted, or the head was edited.
        return Ok(Verification::Broken(ChainBreak::Truncated { head_seq: head.seq, last_seq: seq }));
    }
    if let Some(c) = &anchor
        && !crate::audit_retention::anchored(db, c).await?
    {
        return Ok(Verification::Broken(ChainBreak::Unanchored { seq: c.through_seq }));
    }
    Ok(Verification::Intact { entries: verifier.count() })
}

pub async fn recent(db: &Db, entity: Option<(&str, &str)>, limit: i64) -> Result<Vec<LogRow>, StoreError> {
    match entity {
        Some((e, id)) => {
            db.read()
                .all("SELECT * FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY seq DESC LIMIT $3", args![e, id, limit])
                .await
        }
        None => db.read().all("SELECT * FROM audit_log ORDER BY seq DESC LIMIT $1", args![limit]).await,
    }
}
