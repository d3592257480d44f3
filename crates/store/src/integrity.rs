//! Database consistency checks for restore and the crash harness: SQLite's own
//! `integrity_check` and `foreign_key_check`; on PostgreSQL (which checks pages itself and
//! enforces foreign keys) every table must be readable to the end.

use crate::{Db, StoreError};

/// Problems found; empty when the database is consistent.
pub async fn check(db: &Db) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    match db {
        Db::Sqlite(_) => {
            let rows: Vec<(String,)> = db.read().all("PRAGMA integrity_check", vec![]).await?;
            problems.extend(rows.into_iter().map(|(r,)| r).filter(|r| r != "ok"));
            let fk: Vec<(String, Option<i64>, String, i64)> = db.read().all("PRAGMA foreign_key_check", vec![]).await?;
            problems.extend(fk.into_iter().map(|(t, row, parent, _)| format!("{t} 第{}行引用的 {parent} 记录不存在", row.unwrap_or(0))));
        }
        Db::Pg(_) => {
            let mut tables: Vec<String> = db.schema().await?.into_iter().map(|(t, _)| t).collect();
            tables.dedup();
            for t in tables {
                // Table names come from the catalogue, never from input.
                let sql = format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', ""));
                if let Err(e) = db.read().scalar::<i64>(&sql, vec![]).await {
                    problems.push(format!("{t}: {e}"));
                }
            }
        }
    }
    Ok(problems)
}
