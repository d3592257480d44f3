//! Supervision ledgers (巡察整改 first): a ledger of numbered items tracked to closure. Items are
//! scoped by the organisation that owns them; the ledger by its own organisation. Every write
//! appends to the audit chain in its transaction. See `dangwu_domain::supervision` for the rules.

mod dispatch;
mod items;
mod report;

pub use dispatch::{DispatchRound, Snapshot, SnapLine, SnapSection, SnapTotals, freeze_round, get_round, rounds};
pub(crate) use items::write_items;
pub use items::{EvidenceRow, ImportRow, ItemDetail, NoteRow, add_evidence, add_item, close, evidence_content, import_items, item, progress};
pub use report::{DueItem, Report, ReportLine, due_soon, reconcile, report};

use chrono::NaiveDate;
use dangwu_domain::DomainError;
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::{LedgerStatus, next_due};
use dangwu_domain::OrgId;
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::orgs::{self, Org, check_write};
use crate::scope::org_condition;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Ledger {
    pub id: String,
    pub org_id: String,
    pub kind: String,
    pub title: String,
    pub source: String,
    pub feedback_on: NaiveDate,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Item {
    pub id: String,
    pub ledger_id: String,
    pub org_id: String,
    pub no: i64,
    pub title: String,
    pub category: String,
    pub measures: String,
    pub leader: String,
    pub department: String,
    pub owner_name: String,
    pub owner_member_id: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub review_cycle_days: Option<i64>,
    pub acceptance: String,
    pub status: String,
    pub last_progress_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub closed_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Item {
    pub fn status(&self) -> LedgerStatus {
        LedgerStatus::parse(&self.status).unwrap_or(LedgerStatus::Open)
    }
    /// When the item next falls due (see `next_due`); `None` once closed.
    pub fn next_due(&self, feedback_on: NaiveDate) -> Option<NaiveDate> {
        (self.status() != LedgerStatus::Closed).then(|| next_due(self.due_on, self.review_cycle_days, self.last_progress_on, feedback_on)).flatten()
    }
    pub fn overdue(&self, feedback_on: NaiveDate, as_of: NaiveDate) -> bool {
        self.next_due(feedback_on).is_some_and(|d| d < as_of)
    }
}

/// A ledger line of a list, with its item counts within the viewer's scope.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerRow {
    pub ledger: Ledger,
    pub org_name: String,
    pub items: i64,
    pub closed: i64,
}

/// A ledger with the items the viewer may see (by number) and its org.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerDetail {
    pub ledger: Ledger,
    pub org: Org,
    pub items: Vec<Item>,
    /// Names of the items' orgs, by org id.
    pub org_names: Vec<(String, String)>,
    pub can_write: bool,
}

impl LedgerDetail {
    pub fn org_name(&self, id: &str) -> &str {
        self.org_names.iter().find(|(i, _)| i == id).map_or("", |(_, n)| n.as_str())
    }
}

pub struct LedgerInput {
    pub org_id: OrgId,
    pub title: String,
    pub source: String,
    pub feedback_on: NaiveDate,
}

pub async fn create_ledger(store: &Store, p: &Principal, actor: &Actor, input: &LedgerInput, today: NaiveDate) -> Result<Ledger, StoreError> {
    let org = orgs::get(store, p, input.org_id).await?;
    check_write(p, &org)?;
    let title = input.title.trim();
    if title.is_empty() {
        return Err(DomainError::field("title", "请填写台账名称").into());
    }
    if input.feedback_on > today {
        return Err(DomainError::field("feedback_on", format!("反馈日期 {} 不能晚于今天", input.feedback_on)).into());
    }
    let mut tx = store.db.begin().await?;
    let l = insert_ledger(&mut tx, actor, &org.id, "rectification", title, input.source.trim(), input.feedback_on).await?;
    tx.commit().await?;
    Ok(l)
}

/// Inserts a ledger of `kind` (rectification, or the kind of the campaign whose problems it holds).
pub(crate) async fn insert_ledger(tx: &mut crate::Tx, actor: &Actor, org_id: &str, kind: &str, title: &str, source: &str, feedback_on: NaiveDate) -> Result<Ledger, StoreError> {
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO ledgers (id, org_id, kind, title, source, feedback_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![id.clone(), org_id, kind, title, source, feedback_on, actor.0.clone(), now_ms()],
    )
    .await?;
    let l: Ledger = tx.opt("SELECT * FROM ledgers WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("台账"))?;
    audit::append(tx, actor, "ledger.create", "ledger", &id, String::new(), digest(Some(&l)), title).await?;
    Ok(l)
}

/// `(condition on the item's org `o`, args)` for what the principal may see.
fn item_scope(p: &Principal, first: usize) -> (String, Vec<crate::db::Arg>) {
    org_condition(&p.visibility(), first)
}

/// Ledgers whose org the principal sees or that hold items in the principal's scope, newest first.
pub async fn list(store: &Store, p: &Principal) -> Result<Vec<LedgerRow>, StoreError> {
    let (c1, mut all) = item_scope(p, 1);
    let (c2, a2) = item_scope(p, all.len() + 1);
    all.extend(a2);
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        ledger: Ledger,
        org_name: String,
    }
    let sql = format!(
        "SELECT l.*, lo.name AS org_name FROM ledgers l JOIN orgs lo ON lo.id = l.org_id WHERE l.id IN \
         (SELECT i.ledger_id FROM ledger_items i JOIN orgs o ON o.id = i.org_id WHERE {c1}) \
         OR l.org_id IN (SELECT o.id FROM orgs o WHERE {c2}) ORDER BY l.feedback_on DESC, l.id"
    );
    let rows: Vec<Row> = store.db.read().all(&sql, all).await?;
    let (cond, a) = item_scope(p, 1);
    let counts: Vec<(String, String, i64)> = store
        .db
        .read()
        .all(&format!("SELECT i.ledger_id, i.status, COUNT(*) FROM ledger_items i JOIN orgs o ON o.id = i.org_id WHERE {cond} GROUP BY i.ledger_id, i.status"), a)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = counts.iter().filter(|(l, _, _)| *l == r.ledger.id);
            let items = mine.clone().map(|c| c.2).sum();
            let closed = mine.filter(|c| c.1 == LedgerStatus::Closed.code()).map(|c| c.2).sum();
            LedgerRow { ledger: r.ledger, org_name: r.org_name, items, closed }
        })
        .collect())
}

pub async fn find_ledger(store: &Store, id: &str) -> Result<Ledger, StoreError> {
    store.db.read().opt("SELECT * FROM ledgers WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("台账"))
}

/// A ledger with the items the principal may see; not found when it sees neither the ledger's
/// org nor any of its items.
pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<LedgerDetail, StoreError> {
    let ledger = find_ledger(store, id).await?;
    let org = orgs::find(store, OrgId::parse(&ledger.org_id)?).await?.ok_or(StoreError::NotFound("党组织"))?;
    let (cond, mut a) = item_scope(p, 2);
    a.insert(0, id.into());
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        item: Item,
        org_name: String,
    }
    let rows: Vec<Row> = store
        .db
        .read()
        .all(&format!("SELECT i.*, o.name AS org_name FROM ledger_items i JOIN orgs o ON o.id = i.org_id WHERE i.ledger_id = $1 AND {cond} ORDER BY i.no"), a)
        .await?;
    if rows.is_empty() && !p.can_read_org(&org.org_path()) {
        return Err(StoreError::NotFound("台账"));
    }
    let mut org_names: Vec<(String, String)> = rows.iter().map(|r| (r.item.org_id.clone(), r.org_name.clone())).collect();
    org_names.sort();
    org_names.dedup();
    let can_write = p.can_write_org(&org.org_path());
    Ok(LedgerDetail { ledger, org, items: rows.into_iter().map(|r| r.item).collect(), org_names, can_write })
}
