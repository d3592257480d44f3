//! Items of a ledger: entering one or importing the inspector's numbered list (all rows or none),
//! progress notes with status changes, evidence in versions, and close-out (销号) by a verifier
//! who is not the owner.

use chrono::NaiveDate;
use dangwu_domain::DomainError;
use dangwu_domain::auth::Principal;
use dangwu_domain::crypto::sm3_hex;
use dangwu_domain::supervision::{ItemDraft, ItemInput, LedgerStatus, check_close, check_numbering};
use dangwu_domain::{MemberId, OrgId};
use serde::Serialize;
use std::collections::HashMap;

use super::{Item, Ledger, find_ledger};
use crate::attachments::sniff;
use crate::audit::{self, Actor, digest};
use crate::db::{Arg, Tx, now_ms};
use crate::import::{ImportError, RowError};
use crate::orgs::{self, Org};
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct NoteRow {
    pub id: String,
    pub on_date: NaiveDate,
    pub text: String,
    pub from_status: String,
    pub to_status: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EvidenceRow {
    pub id: String,
    pub title: String,
    pub version: i64,
    pub digest: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_by: String,
    pub created_at: i64,
}

/// An item with its ledger, org, notes (oldest first) and every evidence version.
#[derive(Debug, Clone, Serialize)]
pub struct ItemDetail {
    pub item: Item,
    pub ledger: Ledger,
    pub org: Org,
    pub notes: Vec<NoteRow>,
    pub evidence: Vec<EvidenceRow>,
    pub can_write: bool,
}

impl ItemDetail {
    /// The latest version of each evidence document.
    pub fn current_evidence(&self) -> Vec<&EvidenceRow> {
        self.evidence.iter().filter(|e| !self.evidence.iter().any(|o| o.title == e.title && o.version > e.version)).collect()
    }
}

/// One row of an imported list (Excel row number as the user sees it).
#[derive(Debug, Clone, Default)]
pub struct ImportRow {
    pub row: usize,
    pub input: ItemInput,
    /// 责任党组织 by name or short name; empty: the ledger's org.
    pub org: String,
}

/// The item with its ledger and org, if the principal may see the item's org.
pub async fn item(store: &Store, p: &Principal, id: &str) -> Result<ItemDetail, StoreError> {
    let item: Item = store.db.read().opt("SELECT * FROM ledger_items WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("台账事项"))?;
    let org = orgs::find(store, OrgId::parse(&item.org_id)?).await?.ok_or(StoreError::NotFound("党组织"))?;
    if !p.can_read_org(&org.org_path()) {
        return Err(StoreError::NotFound("台账事项"));
    }
    let ledger = find_ledger(store, &item.ledger_id).await?;
    let notes = store.db.read().all("SELECT id, on_date, text, from_status, to_status, created_by, created_at FROM ledger_notes WHERE item_id = $1 ORDER BY on_date, created_at", args![id]).await?;
    let evidence = store
        .db
        .read()
        .all("SELECT id, title, version, digest, filename, content_type, size, created_by, created_at FROM ledger_evidence WHERE item_id = $1 ORDER BY title, version", args![id])
        .await?;
    let can_write = p.can_write_org(&org.org_path());
    Ok(ItemDetail { item, ledger, org, notes, evidence, can_write })
}

/// Members by (org id, name) for resolving the 责任人 typed as a name: one query for all orgs.
async fn owners(store: &Store, org_ids: &[String]) -> Result<HashMap<(String, String), Vec<String>>, StoreError> {
    let mut out: HashMap<(String, String), Vec<String>> = HashMap::new();
    for chunk in org_ids.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT id, org_id, name FROM members WHERE status IN ('full', 'probationary') AND org_id IN ({}) ORDER BY id", marks.join(", "));
        let rows: Vec<(String, String, String)> = store.db.read().all(&sql, chunk.iter().map(Arg::from).collect()).await?;
        for (id, org, name) in rows {
            out.entry((org, name)).or_default().push(id);
        }
    }
    Ok(out)
}

/// Validates rows against the ledger and inserts them in `tx` (numbers must be new in the ledger).
pub(crate) async fn write_items(tx: &mut Tx, actor: &Actor, ledger: &Ledger, items: &[(ItemDraft, String, Option<String>)]) -> Result<Vec<String>, StoreError> {
    let now = now_ms();
    let mut ids = Vec::new();
    for (d, org_id, owner) in items {
        let id = dangwu_domain::ids::new_row_id();
        tx.exec(
            "INSERT INTO ledger_items (id, ledger_id, org_id, no, title, category, measures, leader, department, owner_name, owner_member_id, \
             due_on, review_cycle_days, acceptance, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, $16, $16)",
            args![id.clone(), ledger.id.clone(), org_id.clone(), d.no, d.title.clone(), d.category.clone(), d.measures.clone(), d.leader.clone(),
                  d.department.clone(), d.owner_name.clone(), owner.clone(), d.due_on, d.review_cycle_days, d.acceptance.clone(), actor.0.clone(), now],
        )
        .await?;
        audit::append(tx, actor, "ledger_item.create", "ledger_item", &id, String::new(), digest(Some(d)), &format!("{} 第{}项", ledger.title, d.no)).await?;
        ids.push(id);
    }
    Ok(ids)
}

async fn writable_ledger(store: &Store, p: &Principal, ledger_id: &str) -> Result<(Ledger, Org), StoreError> {
    let ledger = find_ledger(store, ledger_id).await?;
    let org = orgs::get(store, p, OrgId::parse(&ledger.org_id)?).await?;
    if !p.can_write_org(&org.org_path()) {
        return Err(StoreError::forbidden("只有台账所属党组织的管理员可以录入问题"));
    }
    Ok((ledger, org))
}

/// Validates every row (fields, numbering 1…n without gaps or duplicates, numbers new to the
/// ledger, orgs within scope), then writes all of them or none.
pub async fn import_items(store: &Store, p: &Principal, actor: &Actor, ledger_id: &str, rows: &[ImportRow], dry_run: bool) -> Result<usize, ImportError> {
    let (ledger, lorg) = writable_ledger(store, p, ledger_id).await?;
    let visible = orgs::list(store, p, false).await?;
    let existing: Vec<(i64,)> = store.db.read().all("SELECT no FROM ledger_items WHERE ledger_id = $1", args![ledger.id.clone()]).await?;
    let mut errors = Vec::new();
    let mut ok = Vec::new();
    for r in rows {
        let org = match r.org.trim() {
            "" => Some(lorg.clone()),
            name => visible.iter().find(|o| o.name == name || o.short_name.as_deref() == Some(name)).cloned(),
        };
        if org.is_none() {
            errors.push(RowError { row: r.row, field: "org_id".into(), message: format!("责任党组织“{}”不存在或不在本人管理范围内", r.org.trim()) });
        }
        match r.input.validate(&store.supervision, ledger.feedback_on) {
            Ok(d) => {
                if existing.iter().any(|(n,)| *n == d.no) {
                    errors.push(RowError { row: r.row, field: "no".into(), message: format!("序号 {} 在台账中已有", d.no) });
                }
                if let Some(o) = org {
                    ok.push((r.row, d, o));
                }
            }
            Err(DomainError::Invalid(v)) => errors.extend(v.into_iter().map(|f| RowError { row: r.row, field: f.field, message: f.message })),
            Err(e) => return Err(StoreError::from(e).into()),
        }
    }
    let numbers: Vec<(usize, i64)> = rows.iter().filter_map(|r| r.input.no.trim().parse().ok().map(|n| (r.row, n))).collect();
    // Numbering runs on from the items already entered (row 0); clashes with those are reported above.
    let mut all: Vec<(usize, i64)> = existing.iter().map(|(n,)| (0, *n)).collect();
    all.extend(numbers);
    let numbering = check_numbering(&all).into_iter().filter(|(row, m)| *row != 0 && !m.contains("第0行"));
    errors.extend(numbering.map(|(row, message)| RowError { row, field: "no".into(), message }));
    if rows.is_empty() {
        errors.push(RowError { row: 1, field: "no".into(), message: "表中没有问题".into() });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(ImportError::Rows(errors));
    }
    if dry_run {
        return Ok(ok.len());
    }
    let org_ids: Vec<String> = ok.iter().map(|(_, _, o)| o.id.clone()).collect();
    let people = owners(store, &org_ids).await?;
    let items: Vec<(ItemDraft, String, Option<String>)> = ok
        .into_iter()
        .map(|(_, d, o)| {
            let owner = people.get(&(o.id.clone(), d.owner_name.clone())).filter(|v| v.len() == 1).map(|v| v[0].clone());
            (d, o.id, owner)
        })
        .collect();
    let mut tx = store.db.begin().await?;
    write_items(&mut tx, actor, &ledger, &items).await?;
    tx.commit().await?;
    Ok(items.len())
}

/// Enters one problem (owned by `org_id`, the ledger's org when `None`).
pub async fn add_item(store: &Store, p: &Principal, actor: &Actor, ledger_id: &str, org_id: Option<OrgId>, input: &ItemInput) -> Result<String, StoreError> {
    let (ledger, lorg) = writable_ledger(store, p, ledger_id).await?;
    let org = match org_id {
        Some(id) if id.to_string() != lorg.id => orgs::get(store, p, id).await?,
        _ => lorg,
    };
    let d = input.validate(&store.supervision, ledger.feedback_on)?;
    let taken: i64 = store.db.read().scalar("SELECT COUNT(*) FROM ledger_items WHERE ledger_id = $1 AND no = $2", args![ledger.id.clone(), d.no]).await?;
    if taken > 0 {
        return Err(StoreError::conflict("no", format!("序号 {} 在台账中已有", d.no)));
    }
    let people = owners(store, std::slice::from_ref(&org.id)).await?;
    let owner = people.get(&(org.id.clone(), d.owner_name.clone())).filter(|v| v.len() == 1).map(|v| v[0].clone());
    let mut tx = store.db.begin().await?;
    let ids = write_items(&mut tx, actor, &ledger, &[(d, org.id, owner)]).await?;
    tx.commit().await?;
    Ok(ids.into_iter().next().expect("one item"))
}

async fn writable_item(store: &Store, p: &Principal, id: &str) -> Result<ItemDetail, StoreError> {
    let d = item(store, p, id).await?;
    if !d.can_write {
        return Err(StoreError::forbidden("只能更新本人管理范围内的台账事项"));
    }
    if d.item.status() == LedgerStatus::Closed {
        return Err(DomainError::field("status", "该问题已销号，不能再更改").into());
    }
    Ok(d)
}

fn check_on(d: &ItemDetail, on: NaiveDate, today: NaiveDate) -> Result<(), StoreError> {
    if on > today {
        return Err(DomainError::field("on_date", format!("日期 {on} 不能晚于今天")).into());
    }
    if on < d.ledger.feedback_on {
        return Err(DomainError::field("on_date", format!("日期 {on} 早于巡察反馈日期 {}", d.ledger.feedback_on)).into());
    }
    Ok(())
}

async fn write_note(tx: &mut Tx, actor: &Actor, d: &ItemDetail, on: NaiveDate, text: &str, to: LedgerStatus) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO ledger_notes (id, item_id, on_date, text, from_status, to_status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![dangwu_domain::ids::new_row_id(), d.item.id.clone(), on, text, d.item.status.clone(), to.code(), actor.0.clone(), now_ms()],
    )
    .await?;
    Ok(())
}

/// A progress note (每周调度 reports it), optionally moving the item on in its lifecycle.
/// Submitting for verification needs evidence; closing goes through [`close`].
#[allow(clippy::too_many_arguments)]
pub async fn progress(store: &Store, p: &Principal, actor: &Actor, id: &str, on: NaiveDate, text: &str, to: Option<LedgerStatus>, today: NaiveDate) -> Result<Item, StoreError> {
    let d = writable_item(store, p, id).await?;
    check_on(&d, on, today)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::field("text", "请填写整改进展").into());
    }
    let from = d.item.status();
    let to = to.unwrap_or(if from == LedgerStatus::Open { LedgerStatus::InProgress } else { from });
    if to == LedgerStatus::Closed {
        return Err(DomainError::field("status", "销号须由核验人在“核验销号”中办理").into());
    }
    if to != from && !from.may_move_to(to) {
        return Err(DomainError::field("status", format!("不能从“{}”改为“{}”", store.supervision.status_label(from), store.supervision.status_label(to))).into());
    }
    if to == LedgerStatus::AwaitingVerification && d.evidence.is_empty() {
        return Err(DomainError::field("evidence", "提交核验须先上传整改佐证材料").into());
    }
    let mut tx = store.db.begin().await?;
    write_note(&mut tx, actor, &d, on, text, to).await?;
    let last = d.item.last_progress_on.map_or(on, |l| l.max(on));
    tx.exec("UPDATE ledger_items SET status = $1, last_progress_on = $2, updated_at = $3 WHERE id = $4", args![to.code(), last, now_ms(), id]).await?;
    let after: Item = tx.opt("SELECT * FROM ledger_items WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("台账事项"))?;
    audit::append(&mut tx, actor, "ledger_item.progress", "ledger_item", id, digest(Some(&d.item)), digest(Some(&after)), text).await?;
    tx.commit().await?;
    Ok(after)
}

/// 销号: by a verifier who is not the owner, with evidence, from 待核验.
pub async fn close(store: &Store, p: &Principal, actor: &Actor, id: &str, on: NaiveDate, text: &str, today: NaiveDate) -> Result<Item, StoreError> {
    let d = writable_item(store, p, id).await?;
    check_on(&d, on, today)?;
    let owner = d.item.owner_member_id.as_deref().map(MemberId::parse).transpose()?;
    check_close(p, owner, d.evidence.len())?;
    if d.item.status() != LedgerStatus::AwaitingVerification {
        return Err(DomainError::field("status", format!("须先提交核验（{}）才能销号", store.supervision.status_label(LedgerStatus::AwaitingVerification))).into());
    }
    let text = match text.trim() {
        "" => "经核验，整改到位，予以销号",
        t => t,
    };
    let mut tx = store.db.begin().await?;
    write_note(&mut tx, actor, &d, on, text, LedgerStatus::Closed).await?;
    tx.exec(
        "UPDATE ledger_items SET status = 'closed', closed_on = $1, closed_by = $2, updated_at = $3 WHERE id = $4",
        args![on, actor.0.clone(), now_ms(), id],
    )
    .await?;
    let after: Item = tx.opt("SELECT * FROM ledger_items WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("台账事项"))?;
    audit::append(&mut tx, actor, "ledger_item.close", "ledger_item", id, digest(Some(&d.item)), digest(Some(&after)), text).await?;
    tx.commit().await?;
    Ok(after)
}

/// Adds evidence; a file under a title already used becomes that document's next version
/// (earlier versions stay in the history).
#[allow(clippy::too_many_arguments)]
pub async fn add_evidence(store: &Store, p: &Principal, actor: &Actor, id: &str, title: &str, filename: &str, bytes: Vec<u8>, max_bytes: usize) -> Result<EvidenceRow, StoreError> {
    writable_item(store, p, id).await?;
    if bytes.is_empty() {
        return Err(DomainError::field("file", "请选择要上传的文件").into());
    }
    if bytes.len() > max_bytes {
        return Err(DomainError::field("file", format!("文件过大：{} KB，上限 {} KB", bytes.len() / 1024, max_bytes / 1024)).into());
    }
    let Some(ct) = sniff(&bytes) else {
        return Err(DomainError::field("file", "只接受 JPG、PNG、WebP 图片或 PDF 文件").into());
    };
    let name: String = filename.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(120).collect();
    let name = if name.trim().is_empty() { "佐证材料".to_owned() } else { name };
    let title = match title.trim() {
        "" => name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s).to_owned(),
        t => t.chars().take(100).collect(),
    };
    let digest_hex = sm3_hex(&bytes);
    let size = bytes.len() as i64;
    let now = now_ms();
    let mut tx = store.db.begin().await?;
    let have: i64 = tx.scalar("SELECT COUNT(*) FROM blobs WHERE digest = $1", args![digest_hex.clone()]).await?;
    if have == 0 {
        tx.exec("INSERT INTO blobs (digest, content, size, created_at) VALUES ($1, $2, $3, $4)", args![digest_hex.clone(), bytes, size, now]).await?;
    }
    let version: i64 = tx.scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM ledger_evidence WHERE item_id = $1 AND title = $2", args![id, title.clone()]).await?;
    let eid = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO ledger_evidence (id, item_id, title, version, digest, filename, content_type, size, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![eid.clone(), id, title.clone(), version, digest_hex.clone(), name.clone(), ct, size, actor.0.clone(), now],
    )
    .await?;
    audit::append(&mut tx, actor, "ledger_item.evidence", "ledger_item", id, String::new(), digest_hex, &format!("{title} 第{version}版")).await?;
    let row: EvidenceRow = tx
        .opt("SELECT id, title, version, digest, filename, content_type, size, created_by, created_at FROM ledger_evidence WHERE id = $1", args![eid])
        .await?
        .ok_or(StoreError::NotFound("佐证材料"))?;
    tx.commit().await?;
    Ok(row)
}

/// (filename, content type, bytes) of an evidence version the principal may see.
pub async fn evidence_content(store: &Store, p: &Principal, evidence_id: &str) -> Result<(String, String, Vec<u8>), StoreError> {
    let row: Option<(String, String, String, String)> =
        store.db.read().opt("SELECT item_id, digest, filename, content_type FROM ledger_evidence WHERE id = $1", args![evidence_id]).await?;
    let (item_id, digest_hex, filename, ct) = row.ok_or(StoreError::NotFound("佐证材料"))?;
    item(store, p, &item_id).await?;
    let (bytes,): (Vec<u8>,) = store.db.read().opt("SELECT content FROM blobs WHERE digest = $1", args![digest_hex]).await?.ok_or(StoreError::NotFound("佐证材料"))?;
    Ok((filename, ct, bytes))
}
