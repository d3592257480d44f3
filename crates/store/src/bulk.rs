//! Bulk writes for the synthetic-data generator (`dangwu gen`) and the roster import: rows go in
//! as multi-row INSERTs, chunked under both backends' bind-parameter limits, inside the caller's
//! transaction. The caller appends one audit entry per transaction, so the chain stays complete
//! and verifiable.

use crate::db::{Arg, Tx};
use crate::{Backend, StoreError};

/// Binds per statement. PostgreSQL allows 65,535. SQLite allows 32,766, but sqlx looks each
/// parameter up by name among all of a statement's parameters (quadratic), so its statements
/// stay small.
const MAX_BINDS_PG: usize = 30_000;
const MAX_BINDS_SQLITE: usize = 1_000;

/// The tables the generator may fill, with their columns in insert order. Keeping the list here
/// (not in the generator) keeps SQL inside the store.
pub const TABLES: &[(&str, &[&str])] = &[
    ("orgs", &["id", "parent_id", "path", "name", "short_name", "kind", "unit", "established_on", "sort_order", "created_at", "updated_at"]),
    ("org_terms", &["id", "org_id", "term_no", "starts_on", "ends_on", "elected_on", "note", "created_at"]),
    (
        "members",
        &[
            "id", "org_id", "name", "gender", "ethnicity", "birth_date", "id_card_enc", "id_card_index", "id_card_masked",
            "education", "phone", "joined_on", "full_on", "status", "dues_category", "work_unit", "post", "is_party_worker",
            "created_at", "updated_at", "cell_id",
        ],
    ),
    ("member_org_history", &["id", "member_id", "org_id", "from_date", "to_date", "reason"]),
    (
        "activities",
        &["id", "org_id", "title", "held_on", "topics", "flags", "expected_count", "present_count", "created_by", "created_at", "updated_at"],
    ),
    ("activity_kinds", &["activity_id", "kind"]),
    ("activity_attendance", &["id", "activity_id", "member_id", "name", "attendance", "reason"]),
    (
        "dues_verifications",
        &[
            "id", "member_id", "org_id", "year", "version", "effective_month", "person_type", "category", "base_fen",
            "bracket", "rate", "amount_fen", "status", "confirmed_by", "confirmed_at", "created_by", "created_at",
        ],
    ),
    (
        "dues_payments",
        &["id", "member_id", "org_id", "year", "month", "amount_fen", "paid_on", "payer", "method", "created_by", "created_at"],
    ),
    ("dues_remittances", &["id", "org_id", "period", "amount_fen", "remitted_on", "voucher", "created_by", "created_at"]),
    ("ledgers", &["id", "org_id", "kind", "title", "source", "feedback_on", "created_by", "created_at"]),
    (
        "ledger_items",
        &[
            "id", "ledger_id", "org_id", "no", "title", "category", "measures", "leader", "department", "owner_name",
            "owner_member_id", "due_on", "review_cycle_days", "acceptance", "status", "last_progress_on", "closed_on",
            "closed_by", "created_by", "created_at", "updated_at",
        ],
    ),
    ("ledger_notes", &["id", "item_id", "on_date", "text", "from_status", "to_status", "created_by", "created_at"]),
    (
        "registers",
        &["id", "org_id", "kind", "subkind", "name", "responsible", "description", "measures", "grade", "review_cycle_days", "created_by", "created_at"],
    ),
    ("campaigns", &["id", "org_id", "kind", "checklist", "title", "starts_on", "ends_on", "goals", "ledger_id", "created_by", "created_at"]),
    ("campaign_targets", &["campaign_id", "target_id", "target_kind", "org_id", "name"]),
    (
        "campaign_results",
        &["id", "campaign_id", "target_id", "item", "outcome", "grade", "note", "ledger_item_id", "checked_on", "created_by", "created_at"],
    ),
];

fn columns(table: &str) -> Result<&'static [&'static str], StoreError> {
    TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, c)| *c)
        .ok_or_else(|| StoreError::Io(format!("批量写入不支持表 {table}")))
}

/// Inserts `rows` (each in the column order of [`TABLES`]) into `table`; returns the row count.
pub async fn insert_rows(tx: &mut Tx, table: &str, rows: Vec<Vec<Arg>>) -> Result<u64, StoreError> {
    let cols = columns(table)?;
    let max = match tx.backend() {
        Backend::Postgres => MAX_BINDS_PG,
        Backend::Sqlite => MAX_BINDS_SQLITE,
    };
    let per_chunk = (max / cols.len()).max(1);
    let mut written = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(per_chunk).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut args = Vec::with_capacity(chunk.len() * cols.len());
        for (r, row) in chunk.into_iter().enumerate() {
            if row.len() != cols.len() {
                return Err(StoreError::Io(format!("批量写入 {table}：第{}行有{}列，应为{}列", r + 1, row.len(), cols.len())));
            }
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..cols.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&(args.len() + c + 1).to_string());
            }
            sql.push(')');
            args.extend(row);
        }
        written += tx.exec(&sql, args).await?;
    }
    Ok(written)
}
