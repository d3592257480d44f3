//! 每周调度: a weekly round freezes, per responsible department, each item's status as of the
//! round's date (from the notes' history), what changed since the previous round, what is overdue
//! and what falls due in the next seven days. The snapshot is stored as JSON, so a round reads
//! the same however the items change afterwards.

use chrono::{Days, NaiveDate};
use dangwu_domain::DomainError;
use dangwu_domain::OrgId;
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::{LedgerStatus, next_due};
use serde::{Deserialize, Serialize};

use super::{Item, find_ledger};
use crate::audit::{self, Actor};
use crate::db::now_ms;
use crate::orgs;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapLine {
    pub item_id: String,
    pub org_id: String,
    pub no: i64,
    pub title: String,
    pub leader: String,
    pub owner_name: String,
    pub status: String,
    pub status_label: String,
    pub next_due: Option<NaiveDate>,
    /// Progress notes dated since the previous round, in order.
    pub changes: Vec<String>,
    pub overdue: bool,
    pub due_next_week: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapSection {
    pub department: String,
    pub lines: Vec<SnapLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapTotals {
    pub total: i64,
    pub closed: i64,
    pub open: i64,
    pub overdue: i64,
    pub due_next_week: i64,
    pub changed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub ledger_title: String,
    pub as_of: NaiveDate,
    /// The previous round's date (changes are counted after it).
    pub since: Option<NaiveDate>,
    pub sections: Vec<SnapSection>,
    pub totals: SnapTotals,
}

#[derive(Debug, Clone, Serialize)]
pub struct DispatchRound {
    pub id: String,
    pub ledger_id: String,
    pub round_no: i64,
    pub as_of: NaiveDate,
    pub snapshot: Snapshot,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: String,
    ledger_id: String,
    round_no: i64,
    as_of: NaiveDate,
    snapshot: String,
    created_by: String,
    created_at: i64,
}

impl RoundRow {
    fn parse(self) -> Result<DispatchRound, StoreError> {
        let snapshot = serde_json::from_str(&self.snapshot).map_err(|e| StoreError::Io(format!("调度快照无法读取：{e}")))?;
        Ok(DispatchRound { id: self.id, ledger_id: self.ledger_id, round_no: self.round_no, as_of: self.as_of, snapshot, created_by: self.created_by, created_at: self.created_at })
    }
}

/// Builds the snapshot of `items` as of `as_of` from their notes (item id, date, text, new status).
pub fn build(store: &Store, title: &str, feedback_on: NaiveDate, items: &[Item], notes: &[(String, NaiveDate, String, String)], as_of: NaiveDate, since: Option<NaiveDate>) -> Snapshot {
    let mut sections: Vec<SnapSection> = Vec::new();
    let mut t = SnapTotals::default();
    for i in items {
        let mine: Vec<&(String, NaiveDate, String, String)> = notes.iter().filter(|n| n.0 == i.id && n.1 <= as_of).collect();
        let status = mine.last().and_then(|n| LedgerStatus::parse(&n.3).ok()).unwrap_or(LedgerStatus::Open);
        let last = mine.last().map(|n| n.1);
        let due = (status != LedgerStatus::Closed).then(|| next_due(i.due_on, i.review_cycle_days, last, feedback_on)).flatten();
        let changes: Vec<String> = mine.iter().filter(|n| since.is_none_or(|s| n.1 > s)).map(|n| format!("{} {}", n.1, n.2)).collect();
        let line = SnapLine {
            item_id: i.id.clone(),
            org_id: i.org_id.clone(),
            no: i.no,
            title: i.title.clone(),
            leader: i.leader.clone(),
            owner_name: i.owner_name.clone(),
            status: status.code().to_owned(),
            status_label: store.supervision.status_label(status).to_owned(),
            next_due: due,
            overdue: due.is_some_and(|d| d < as_of),
            due_next_week: due.is_some_and(|d| d >= as_of && d <= as_of + Days::new(7)),
            changes,
        };
        t.total += 1;
        t.closed += i64::from(status == LedgerStatus::Closed);
        t.open += i64::from(status != LedgerStatus::Closed);
        t.overdue += i64::from(line.overdue);
        t.due_next_week += i64::from(line.due_next_week);
        t.changed += i64::from(!line.changes.is_empty());
        match sections.iter_mut().find(|s| s.department == i.department) {
            Some(s) => s.lines.push(line),
            None => sections.push(SnapSection { department: i.department.clone(), lines: vec![line] }),
        }
    }
    Snapshot { ledger_title: title.to_owned(), as_of, since, sections, totals: t }
}

/// Freezes the next weekly round of a ledger as of `as_of` (after the previous round, not in the future).
pub async fn freeze_round(store: &Store, p: &Principal, actor: &Actor, ledger_id: &str, as_of: NaiveDate, today: NaiveDate) -> Result<DispatchRound, StoreError> {
    let ledger = find_ledger(store, ledger_id).await?;
    let org = orgs::get(store, p, OrgId::parse(&ledger.org_id)?).await?;
    if !p.can_write_org(&org.org_path()) {
        return Err(StoreError::forbidden("只有台账所属党组织的管理员可以调度"));
    }
    if as_of > today {
        return Err(DomainError::field("as_of", format!("调度日期 {as_of} 不能晚于今天")).into());
    }
    if as_of < ledger.feedback_on {
        return Err(DomainError::field("as_of", format!("调度日期 {as_of} 早于巡察反馈日期 {}", ledger.feedback_on)).into());
    }
    let prev: Option<(i64, NaiveDate)> =
        store.db.read().opt("SELECT round_no, as_of FROM dispatch_rounds WHERE ledger_id = $1 ORDER BY round_no DESC LIMIT 1", args![ledger_id]).await?;
    if let Some((_, d)) = prev.filter(|(_, d)| *d >= as_of) {
        return Err(DomainError::field("as_of", format!("调度日期应晚于上一轮（{d}）")).into());
    }
    let items: Vec<Item> = store.db.read().all("SELECT * FROM ledger_items WHERE ledger_id = $1 ORDER BY no", args![ledger_id]).await?;
    let notes: Vec<(String, NaiveDate, String, String)> = store
        .db
        .read()
        .all(
            "SELECT n.item_id, n.on_date, n.text, n.to_status FROM ledger_notes n JOIN ledger_items i ON i.id = n.item_id \
             WHERE i.ledger_id = $1 ORDER BY n.on_date, n.created_at",
            args![ledger_id],
        )
        .await?;
    let snap = build(store, &ledger.title, ledger.feedback_on, &items, &notes, as_of, prev.map(|p| p.1));
    let json = serde_json::to_string(&snap).expect("snapshot serialises");
    let id = dangwu_domain::ids::new_row_id();
    let round_no = prev.map_or(1, |p| p.0 + 1);
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO dispatch_rounds (id, ledger_id, round_no, as_of, snapshot, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![id.clone(), ledger_id, round_no, as_of, json.clone(), actor.0.clone(), now_ms()],
    )
    .await?;
    let d = dangwu_domain::audit::digest_json(&serde_json::from_str(&json).unwrap_or_default());
    audit::append(&mut tx, actor, "ledger.dispatch", "dispatch_round", &id, String::new(), d, &format!("{} 第{round_no}次调度 {as_of}", ledger.title)).await?;
    let row: RoundRow = tx.opt("SELECT * FROM dispatch_rounds WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("调度记录"))?;
    tx.commit().await?;
    row.parse()
}

/// A round, with only the lines of items the principal may see.
pub async fn get_round(store: &Store, p: &Principal, id: &str) -> Result<DispatchRound, StoreError> {
    let row: RoundRow = store.db.read().opt("SELECT * FROM dispatch_rounds WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("调度记录"))?;
    super::get(store, p, &row.ledger_id).await.map_err(|_| StoreError::NotFound("调度记录"))?;
    let mut r = row.parse()?;
    if p.visibility() != dangwu_domain::auth::Visibility::All {
        let visible: Vec<String> = orgs::list(store, p, true).await?.into_iter().map(|o| o.id).collect();
        for s in &mut r.snapshot.sections {
            s.lines.retain(|l| visible.contains(&l.org_id));
        }
        r.snapshot.sections.retain(|s| !s.lines.is_empty());
    }
    Ok(r)
}

/// The rounds of a ledger, newest first (the principal must see the ledger).
pub async fn rounds(store: &Store, p: &Principal, ledger_id: &str) -> Result<Vec<DispatchRound>, StoreError> {
    super::get(store, p, ledger_id).await?;
    let rows: Vec<RoundRow> = store.db.read().all("SELECT * FROM dispatch_rounds WHERE ledger_id = $1 ORDER BY round_no DESC", args![ledger_id]).await?;
    rows.into_iter().map(RoundRow::parse).collect()
}
