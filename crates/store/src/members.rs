//! Members: roster queries (scoped, paged), registration, edits, status events, ID-number reveal.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::idcard::IdCardNo;
use dangwu_domain::member::{MemberDraft, MemberEventKind, MemberStatus};
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::{Arg, Backend, Tx, now_ms};
use crate::orgs::{self, Org};
use crate::scope::member_condition;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Member {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub gender: String,
    pub ethnicity: Option<String>,
    pub birth_date: NaiveDate,
    #[serde(skip)]
    pub id_card_enc: String,
    pub id_card_index: String,
    pub id_card_masked: String,
    pub education: Option<String>,
    pub phone: Option<String>,
    pub joined_on: NaiveDate,
    pub full_on: Option<NaiveDate>,
    pub status: String,
    pub dues_category: String,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub is_party_worker: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// The 党小组 within the member's branch, if assigned.
    pub cell_id: Option<String>,
}

impl Member {
    pub fn member_id(&self) -> MemberId {
        MemberId::parse(&self.id).expect("stored member id is valid")
    }
    pub fn status(&self) -> MemberStatus {
        MemberStatus::parse(&self.status).unwrap_or(MemberStatus::Full)
    }
}

/// A roster line: the member and the name of their organisation.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MemberRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub member: Member,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// 正式 and 预备 members (the roster proper).
    #[default]
    Active,
    All,
    Only(MemberStatus),
}

#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Limit to this org's subtree.
    pub org_id: Option<OrgId>,
    /// Name, phone, work unit (contains) or a full ID number (exact).
    pub q: Option<String>,
    pub status: StatusFilter,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        ((self.total.max(0) as u64).div_ceil(self.per_page.max(1) as u64)) as u32
    }
}

const ROW_SELECT: &str = "SELECT m.*, o.name AS org_name, o.path AS org_path FROM members m JOIN orgs o ON o.id = m.org_id";

/// The roster as the principal may see it, filtered and paged, in tree then name order.
pub async fn list(store: &Store, p: &Principal, f: &MemberFilter) -> Result<Page<MemberRow>, StoreError> {
    let (mut conds, mut a) = {
        let (c, a) = member_condition(&p.visibility(), 1);
        (vec![c], a)
    };
    if let Some(org_id) = f.org_id {
        let org = orgs::get(store, p, org_id).await?;
        let (lo, hi) = org.org_path().subtree_range();
        conds.push(format!("o.path >= ${} AND o.path < ${}", a.len() + 1, a.len() + 2));
        a.push(Arg::from(lo));
        a.push(Arg::from(hi));
    }
    match f.status {
        // Written exactly as the predicate of the partial index members_active_org_name.
        StatusFilter::Active => conds.push("m.status IN ('full', 'probationary')".into()),
        StatusFilter::All => {}
        StatusFilter::Only(s) => {
            conds.push(format!("m.status = ${}", a.len() + 1));
            a.push(Arg::from(s.code()));
        }
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if let Ok(id) = IdCardNo::parse(q) {
            conds.push(format!("m.id_card_index = ${}", a.len() + 1));
            a.push(Arg::from(store.keys.blind_index(id.as_str())));
        } else {
            let n = a.len() + 1;
            conds.push(format!(
                "(m.name LIKE ${n} ESCAPE '\\' OR m.phone LIKE ${n} ESCAPE '\\' OR m.work_unit LIKE ${n} ESCAPE '\\' OR m.post LIKE ${n} ESCAPE '\\')"
            ));
            a.push(Arg::from(format!("%{}%", escape_like(q))));
        }
    }
    let where_ = conds.join(" AND ");
    let total = store.roster_counts.total(store, &where_, &a).await?;
    let per_page = f.per_page.clamp(1, 500);
    let page = f.page.max(1);
    let n = a.len();
    a.push(Arg::from(per_page as i64));
    // In i64: a page number near u32::MAX times the page size overflows u32.
    let offset = (i64::from(page) - 1) * i64::from(per_page);
    a.push(Arg::from(offset));
    let order = format!("ORDER BY o.path, m.name, m.id LIMIT ${} OFFSET ${}", n + 1, n + 2);
    let sql = match store.db.backend() {
        Backend::Sqlite => format!("{ROW_SELECT} WHERE {where_} {order}"),
        // PostgreSQL sorts each org's members whole after the join (an incremental sort), even
        // with the (org_id, name, id) index: seconds on a branch of 100,000. A lateral subquery
        // takes at most offset + page rows per org, in index order.
        Backend::Postgres => {
            a.push(Arg::from(offset + i64::from(per_page)));
            format!(
                "SELECT m.*, o.name AS org_name, o.path AS org_path FROM orgs o CROSS JOIN LATERAL \
                 (SELECT m.* FROM members m WHERE m.org_id = o.id AND {where_} ORDER BY m.name, m.id LIMIT ${}) m \
                 WHERE {where_} {order}",
                n + 3
            )
        }
    };
    let items = store.db.read().all(&sql, a).await?;
    Ok(Page { items, total, page, per_page })
}

fn escape_like(q: &str) -> String {
    q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// One member with their organisation, if the principal may see them.
pub async fn get(store: &Store, p: &Principal, id: MemberId) -> Result<MemberRow, StoreError> {
    let row: MemberRow = store
        .db
        .read()
        .opt(&format!("{ROW_SELECT} WHERE m.id = $1"), args![id])
        .await?
        .ok_or(StoreError::NotFound("党员"))?;
    let path = dangwu_domain::org::OrgPath::from_stored(row.org_path.clone());
    if p.can_read_member(id, &path) { Ok(row) } else { Err(StoreError::NotFound("党员")) }
}

/// Checks that members may be registered in `org` by `p`.
pub(crate) fn check_member_org(store: &Store, p: &Principal, org: &Org) -> Result<(), StoreError> {
    if !p.can_write_member(&org.org_path()) {
        // The org's name is not shown: the caller may not be allowed to know it.
        return Err(StoreError::Domain(DomainError::Forbidden("不能在本人管理范围以外的党组织登记或修改党员".into())));
    }
    if !org.is_active() {
        return Err(DomainError::rule(Some("org_id"), format!("党组织“{}”已撤销", org.name)).into());
    }
    let kind = store.catalogue.kind_or_err(&org.kind)?;
    if !kind.holds_members {
        return Err(DomainError::rule(Some("org_id"), format!("党员应编入党支部，不能直接编入{}“{}”", kind.label, org.name)).into());
    }
    Ok(())
}

/// A new member's `members` row and first `member_org_history` row, in the column order of
/// [`crate::bulk::TABLES`], so one registration and a 100,000-row import write the same rows.
pub(crate) fn new_rows(store: &Store, id: MemberId, org_id: &str, d: &MemberDraft, since: NaiveDate, now: i64) -> [Vec<Arg>; 2] {
    let idno = d.id_card_no.as_str();
    let member = args![id, org_id, d.name.clone(), d.gender.code(), d.ethnicity.clone(), d.birth_date, store.keys.encrypt(idno),
              store.keys.blind_index(idno), d.id_card_no.masked(), d.education.map(|e| e.label().to_owned()), d.phone.clone(),
              d.joined_on, d.full_on, d.status.code(), d.dues_category.code(), d.work_unit.clone(), d.post.clone(),
              d.is_party_worker, now, now, Option::<String>::None];
    let history = args![dangwu_domain::ids::new_row_id(), id, org_id, since, Option::<NaiveDate>::None, "登记"];
    [member, history]
}

/// Inserts a validated member and opens their org history (registration; import writes the same
/// rows in bulk).
pub(crate) async fn insert(
    tx: &mut Tx,
    store: &Store,
    id: MemberId,
    org_id: &str,
    d: &MemberDraft,
    since: NaiveDate,
    now: i64,
) -> Result<(), StoreError> {
    let [member, history] = new_rows(store, id, org_id, d, since, now);
    crate::bulk::insert_rows(tx, "members", vec![member]).await?;
    crate::bulk::insert_rows(tx, "member_org_history", vec![history]).await?;
    Ok(())
}

async fn id_card_taken(tx: &mut Tx, index: &str, except: Option<&str>) -> Result<bool, StoreError> {
    let n: i64 = tx
        .scalar("SELECT COUNT(*) FROM members WHERE id_card_index = $1 AND id <> $2", args![index, except.unwrap_or("")])
        .await?;
    Ok(n > 0)
}

pub(crate) fn duplicate_id_error() -> StoreError {
    StoreError::conflict("id_card_no", "身份证号已登记在其他党员名下，同一党员不能重复登记")
}

/// Registers a member in `org_id` (from `draft.org_id`), member of that org from `since`.
pub async fn create(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    draft: MemberDraft,
    since: NaiveDate,
) -> Result<Member, StoreError> {
    let org_id = draft.org_id.ok_or_else(|| StoreError::Domain(DomainError::field("org_id", "请选择所在党组织")))?;
    let mut tx = store.db.begin().await?;
    let org = orgs::find_in(&mut tx, &org_id.to_string())
        .await?
        .ok_or_else(|| StoreError::Domain(DomainError::field("org_id", "所在党组织不存在")))?;
    check_member_org(store, p, &org)?;
    if id_card_taken(&mut tx, &store.keys.blind_index(draft.id_card_no.as_str()), None).await? {
        return Err(duplicate_id_error());
    }
    let id = MemberId::new();
    insert(&mut tx, store, id, &org.id, &draft, since, now_ms()).await?;
    let m = find_in(&mut tx, id).await?;
    audit::append(&mut tx, actor, "member.create", "member", &m.id, String::new(), digest(Some(&m)), &org.name).await?;
    tx.commit().await?;
    Ok(m)
}

async fn find_in(tx: &mut Tx, id: MemberId) -> Result<Member, StoreError> {
    tx.opt("SELECT * FROM members WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("党员"))
}

async fn load_for_write(tx: &mut Tx, p: &Principal, id: MemberId) -> Result<(Member, Org), StoreError> {
    let m = find_in(tx, id).await?;
    let org = orgs::find_in(tx, &m.org_id).await?.ok_or(StoreError::NotFound("党组织"))?;
    let path = org.org_path();
    if !p.can_read_member(id, &path) {
        return Err(StoreError::NotFound("党员"));
    }
    if !p.can_write_member(&path) {
        return Err(StoreError::forbidden("不能修改本人管理范围以外的党员"));
    }
    Ok((m, org))
}

/// Edits a member's fields. Organisation and status change only through events (`record_event`).
pub async fn update(store: &Store, p: &Principal, actor: &Actor, id: MemberId, d: MemberDraft) -> Result<Member, StoreError> {
    let mut tx = store.db.begin().await?;
    let (before, _org) = load_for_write(&mut tx, p, id).await?;
    if d.org_id.is_some_and(|o| o.to_string() != before.org_id) {
        return Err(DomainError::rule(Some("org_id"), "调整所在党组织请通过“党员变动”办理").into());
    }
    if d.status != before.status() {
        return Err(DomainError::rule(Some("status"), "党员状态请通过“党员变动”办理（如转正、转出）").into());
    }
    let idno = d.id_card_no.as_str();
    let index = store.keys.blind_index(idno);
    if id_card_taken(&mut tx, &index, Some(&before.id)).await? {
        return Err(duplicate_id_error());
    }
    // Re-encrypt only when the number changed, so an unchanged record keeps its digest.
    let enc = if index == before.id_card_index { before.id_card_enc.clone() } else { store.keys.encrypt(idno) };
    tx.exec(
        "UPDATE members SET name = $1, gender = $2, ethnicity = $3, birth_date = $4, id_card_enc = $5, id_card_index = $6, \
         id_card_masked = $7, education = $8, phone = $9, joined_on = $10, full_on = $11, dues_category = $12, work_unit = $13, \
         post = $14, is_party_worker = $15, updated_at = $16 WHERE id = $17",
        args![d.name.clone(), d.gender.code(), d.ethnicity.clone(), d.birth_date, enc, index, d.id_card_no.masked(),
              d.education.map(|e| e.label().to_owned()), d.phone.clone(), d.joined_on, d.full_on, d.dues_category.code(),
              d.work_unit.clone(), d.post.clone(), d.is_party_worker, now_ms(), id],
    )
    .await?;
    let after = find_in(&mut tx, id).await?;
    audit::append(&mut tx, actor, "member.update", "member", &after.id, digest(Some(&before)), digest(Some(&after)), "").await?;
    tx.commit().await?;
    Ok(after)
}

/// The full ID number, for those entitled to it. Every reveal is written to the audit chain.
pub async fn reveal_id_card(store: &Store, p: &Principal, actor: &Actor, id: MemberId) -> Result<String, StoreError> {
    let row = get(store, p, id).await?;
    let path = dangwu_domain::org::OrgPath::from_stored(row.org_path.clone());
    if !p.can_reveal_id(id, &path) {
        return Err(StoreError::forbidden("无权查看完整身份证号"));
    }
    let plain = store.keys.decrypt(&row.member.id_card_enc).map_err(|e| StoreError::Crypto(e.to_string()))?;
    let mut tx = store.db.begin().await?;
    audit::append(&mut tx, actor, "member.view_id_card", "member", &row.member.id, String::new(), String::new(), "查看完整身份证号")
        .await?;
    tx.commit().await?;
    Ok(plain)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct HistoryRow {
    pub org_id: String,
    pub org_name: String,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EventRow {
    pub id: String,
    pub kind: String,
    pub on_date: NaiveDate,
    pub from_status: String,
    pub to_status: String,
    pub org_name: String,
    pub to_org_name: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
}

pub async fn history(store: &Store, p: &Principal, id: MemberId) -> Result<Vec<HistoryRow>, StoreError> {
    get(store, p, id).await?;
    store
        .db
        .read()
        .all(
            "SELECT h.org_id, o.name AS org_name, h.from_date, h.to_date, h.reason FROM member_org_history h \
             JOIN orgs o ON o.id = h.org_id WHERE h.member_id = $1 ORDER BY h.from_date, h.id",
            args![id],
        )
        .await
}

pub async fn events(store: &Store, p: &Principal, id: MemberId) -> Result<Vec<EventRow>, StoreError> {
    get(store, p, id).await?;
    store
        .db
        .read()
        .all(
            "SELECT e.id, e.kind, e.on_date, e.from_status, e.to_status, o.name AS org_name, t.name AS to_org_name, e.note, e.created_by \
             FROM member_events e JOIN orgs o ON o.id = e.org_id LEFT JOIN orgs t ON t.id = e.to_org_id \
             WHERE e.member_id = $1 ORDER BY e.on_date, e.id",
            args![id],
        )
        .await
}

/// A status event (转正, 转出, 调整组织, 去世, 停止党籍 …): the only way status and organisation change.
/// Nothing is deleted; the member's org history is closed and reopened as needed.
#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    id: MemberId,
    kind: MemberEventKind,
    on: NaiveDate,
    to_org: Option<OrgId>,
    note: &str,
) -> Result<Member, StoreError> {
    let mut tx = store.db.begin().await?;
    let (before, org) = load_for_write(&mut tx, p, id).await?;
    let from = before.status();
    let to = kind.apply(from)?;
    if on < before.joined_on {
        return Err(DomainError::field("on_date", "变动日期不能早于入党日期").into());
    }
    let target = match (kind, to_org) {
        (MemberEventKind::Moved | MemberEventKind::TransferIn, Some(t)) => {
            let t = orgs::find_in(&mut tx, &t.to_string())
                .await?
                .ok_or_else(|| StoreError::Domain(DomainError::field("to_org_id", "转入的党组织不存在")))?;
            check_member_org(store, p, &t)?;
            Some(t)
        }
        (MemberEventKind::Moved, None) => return Err(DomainError::field("to_org_id", "请选择调整后的党组织").into()),
        _ => None,
    };
    if target.as_ref().is_some_and(|t| t.id == org.id) {
        return Err(DomainError::field("to_org_id", "调整后的党组织与原党组织相同").into());
    }
    let new_org = target.as_ref().map(|t| t.id.clone()).unwrap_or_else(|| org.id.clone());
    let full_on = if kind == MemberEventKind::BecameFull { Some(on) } else { before.full_on };
    tx.exec(
        "UPDATE members SET status = $1, org_id = $2, full_on = $3, cell_id = $4, updated_at = $5 WHERE id = $6",
        args![to.code(), new_org.clone(), full_on, if target.is_some() || !to.is_active() { None } else { before.cell_id.clone() }, now_ms(), id],
    )
    .await?;
    if target.is_some() || !to.is_active() {
        tx.exec("UPDATE member_org_history SET to_date = $1 WHERE member_id = $2 AND to_date IS NULL", args![on, id]).await?;
    }
    if let Some(t) = &target {
        tx.exec(
            "INSERT INTO member_org_history (id, member_id, org_id, from_date, to_date, reason) VALUES ($1, $2, $3, $4, NULL, $5)",
            args![dangwu_domain::ids::new_row_id(), id, t.id.clone(), on, kind.label()],
        )
        .await?;
    }
    tx.exec(
        "INSERT INTO member_events (id, member_id, kind, on_date, from_status, to_status, org_id, to_org_id, note, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![dangwu_domain::ids::new_row_id(), id, kind.code(), on, from.code(), to.code(), org.id.clone(),
              target.as_ref().map(|t| t.id.clone()), Some(note.trim().to_owned()).filter(|s| !s.is_empty()), actor.0.clone(), now_ms()],
    )
    .await?;
    let after = find_in(&mut tx, id).await?;
    audit::append(&mut tx, actor, &format!("member.event.{}", kind.code()), "member", &after.id, digest(Some(&before)), digest(Some(&after)), kind.label())
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts a member into one of their branch's 党小组 (or takes them out with `None`).
pub async fn assign_cell(store: &Store, p: &Principal, actor: &Actor, id: MemberId, cell: Option<OrgId>) -> Result<Member, StoreError> {
    let mut tx = store.db.begin().await?;
    let (before, org) = load_for_write(&mut tx, p, id).await?;
    if let Some(c) = cell {
        let cell_org = orgs::find_in(&mut tx, &c.to_string())
            .await?
            .filter(|o| o.parent_id.as_deref() == Some(org.id.as_str()) && o.kind == "cell" && o.is_active())
            .ok_or_else(|| StoreError::Domain(DomainError::field("cell_id", format!("所选党小组不属于“{}”", org.name))))?;
        let _ = cell_org;
    }
    tx.exec("UPDATE members SET cell_id = $1, updated_at = $2 WHERE id = $3", args![cell, now_ms(), id]).await?;
    let after = find_in(&mut tx, id).await?;
    audit::append(&mut tx, actor, "member.cell", "member", &after.id, digest(Some(&before)), digest(Some(&after)), "").await?;
    tx.commit().await?;
    Ok(after)
}
