//! 问题线索: leads tracked by status only, with the history of every status change. Only 纪检
//! accounts read or change them (`Principal::can_handle_case_leads`); the audit log, which
//! administrators read, names a lead by its number only, never its subject or summary.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::CaseLeadDraft;
use dangwu_domain::DomainError;
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct CaseLead {
    pub id: String,
    pub number: String,
    pub received_on: NaiveDate,
    pub source: String,
    pub subject_org_id: String,
    pub summary: String,
    pub status: String,
    /// The day of the latest status change (the day received, at first).
    pub status_on: NaiveDate,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct CaseEvent {
    pub on_date: NaiveDate,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseLeadDetail {
    pub lead: CaseLead,
    pub org_name: String,
    pub history: Vec<CaseEvent>,
}

/// Refuses everyone but 纪检 accounts (every function here calls it first).
pub fn guard(p: &Principal) -> Result<(), StoreError> {
    if p.can_handle_case_leads() { Ok(()) } else { Err(StoreError::forbidden("问题线索仅纪检账号可以查看和办理")) }
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    lead: CaseLead,
    org_name: String,
}

/// Every lead, newest first, with the subject organisation's name.
pub async fn list(store: &Store, p: &Principal) -> Result<Vec<(CaseLead, String)>, StoreError> {
    guard(p)?;
    let rows: Vec<Row> = store
        .db
        .read()
        .all("SELECT c.*, o.name AS org_name FROM case_leads c JOIN orgs o ON o.id = c.subject_org_id ORDER BY c.received_on DESC, c.number", vec![])
        .await?;
    Ok(rows.into_iter().map(|r| (r.lead, r.org_name)).collect())
}

pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<CaseLeadDetail, StoreError> {
    guard(p)?;
    let row: Row = store
        .db
        .read()
        .opt("SELECT c.*, o.name AS org_name FROM case_leads c JOIN orgs o ON o.id = c.subject_org_id WHERE c.id = $1", args![id])
        .await?
        .ok_or(StoreError::NotFound("问题线索"))?;
    let history = store
        .db
        .read()
        .all("SELECT on_date, from_status, to_status, note, created_by FROM case_lead_events WHERE lead_id = $1 ORDER BY on_date, created_at", args![id])
        .await?;
    Ok(CaseLeadDetail { lead: row.lead, org_name: row.org_name, history })
}

/// The organisations a lead may concern: every one not abolished (纪检 oversees the whole bureau,
/// though its accounts see no roster).
pub async fn subject_orgs(store: &Store, p: &Principal) -> Result<Vec<(String, String)>, StoreError> {
    guard(p)?;
    store.db.read().all("SELECT id, name FROM orgs WHERE abolished_on IS NULL ORDER BY path", vec![]).await
}

/// Registers a lead with the catalogue's initial status.
pub async fn add(store: &Store, p: &Principal, actor: &Actor, d: &CaseLeadDraft) -> Result<CaseLead, StoreError> {
    guard(p)?;
    crate::orgs::find(store, d.subject_org_id).await?.ok_or_else(|| DomainError::field("subject_org_id", "涉及的党组织不存在"))?;
    let status = store.supervision.initial_case_status().id.clone();
    let mut tx = store.db.begin().await?;
    let taken: i64 = tx.scalar("SELECT COUNT(*) FROM case_leads WHERE number = $1", args![d.number.clone()]).await?;
    if taken > 0 {
        return Err(StoreError::conflict("number", format!("线索编号“{}”已登记", d.number)));
    }
    let id = dangwu_domain::ids::new_row_id();
    let now = now_ms();
    tx.exec(
        "INSERT INTO case_leads (id, number, received_on, source, subject_org_id, summary, status, status_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $3, $8, $9, $9)",
        args![id.clone(), d.number.clone(), d.received_on, d.source.clone(), d.subject_org_id, d.summary.clone(), status.clone(), actor.0.clone(), now],
    )
    .await?;
    tx.exec(
        "INSERT INTO case_lead_events (id, lead_id, on_date, from_status, to_status, note, created_by, created_at) VALUES ($1, $2, $3, NULL, $4, '', $5, $6)",
        args![dangwu_domain::ids::new_row_id(), id.clone(), d.received_on, status, actor.0.clone(), now],
    )
    .await?;
    let lead: CaseLead = tx.opt("SELECT * FROM case_leads WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("问题线索"))?;
    audit::append(&mut tx, actor, "case_lead.create", "case_lead", &id, String::new(), digest(Some(&lead)), &lead.number).await?;
    tx.commit().await?;
    Ok(lead)
}

/// Moves a lead to `to` (id or label) on `on`, if the catalogue allows that move.
#[allow(clippy::too_many_arguments)]
pub async fn set_status(store: &Store, p: &Principal, actor: &Actor, id: &str, to: &str, on: NaiveDate, note: &str, today: NaiveDate) -> Result<CaseLead, StoreError> {
    guard(p)?;
    let before = get(store, p, id).await?.lead;
    let target = store.supervision.check_case_move(&before.status, to)?.id.clone();
    if on < before.status_on {
        return Err(DomainError::field("on_date", format!("日期 {on} 早于上一次状态变化（{}）", before.status_on)).into());
    }
    if on > today {
        return Err(DomainError::field("on_date", format!("日期 {on} 晚于今天")).into());
    }
    if note.trim().chars().count() > 200 {
        return Err(DomainError::field("note", "说明过长（最多200字）").into());
    }
    let now = now_ms();
    let mut tx = store.db.begin().await?;
    // The status guard makes a concurrent change of the same lead fail instead of skipping a step.
    let n = tx
        .exec("UPDATE case_leads SET status = $1, status_on = $2, updated_at = $3 WHERE id = $4 AND status = $5", args![target.clone(), on, now, id, before.status.clone()])
        .await?;
    if n == 0 {
        return Err(StoreError::conflict("status", "线索状态已被他人改变，请刷新后重试"));
    }
    tx.exec(
        "INSERT INTO case_lead_events (id, lead_id, on_date, from_status, to_status, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![dangwu_domain::ids::new_row_id(), id, on, before.status.clone(), target.clone(), note.trim(), actor.0.clone(), now],
    )
    .await?;
    let lead: CaseLead = tx.opt("SELECT * FROM case_leads WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("问题线索"))?;
    let book = &store.supervision;
    let summary = format!("{} {} → {}", lead.number, book.case_status_label(&before.status), book.case_status_label(&target));
    audit::append(&mut tx, actor, "case_lead.status", "case_lead", id, digest(Some(&before)), digest(Some(&lead)), &summary).await?;
    tx.commit().await?;
    Ok(lead)
}
