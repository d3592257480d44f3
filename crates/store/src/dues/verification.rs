//! The yearly base verification (核定) per member: pay items flagged by person type, deductions,
//! tax, the base, bracket, rate and monthly amount. Drafts can be edited; `confirm` locks the
//! year's drafts of an org subtree as the year's snapshot. A mid-year change (a new wage, a
//! branch's reduction) is a new version effective from a month, never an edit of a locked one.

use dangwu_domain::auth::Principal;
use dangwu_domain::dues::PayItem;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;

pub use super::compute::{Computed, VerificationInput, compute};
pub use super::in_force::{amount_for, in_force};

use super::{check_write, org_scope};
use crate::audit::{self, Actor, digest};
use crate::db::{Tx, now_ms};
use crate::scope::member_condition;
use crate::{Store, StoreError, args, members, orgs};

/// One version of a member's verification, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Verification {
    pub id: String,
    pub member_id: String,
    pub org_id: String,
    pub year: i64,
    pub version: i64,
    pub effective_month: i64,
    pub person_type: String,
    pub category: String,
    pub base_fen: Option<i64>,
    /// JSON list of [`PayItem`]; see [`Verification::pay_items`].
    pub items: String,
    pub deductions_fen: i64,
    pub tax_fen: i64,
    pub bracket: String,
    /// Parts per 100000 (1500 = 1.5%); none for flat amounts.
    pub rate: Option<i64>,
    pub amount_fen: i64,
    pub reduction_ref: Option<String>,
    pub note: Option<String>,
    /// `draft` or `confirmed`.
    pub status: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

impl Verification {
    pub fn pay_items(&self) -> Vec<PayItem> {
        serde_json::from_str(&self.items).unwrap_or_default()
    }
    pub fn amount(&self) -> Fen {
        Fen(self.amount_fen)
    }
    pub fn base(&self) -> Option<Fen> {
        self.base_fen.map(Fen)
    }
    pub fn is_confirmed(&self) -> bool {
        self.status == "confirmed"
    }
    /// "1.5%" or "" for flat amounts.
    pub fn rate_percent(&self) -> String {
        self.rate.map(|r| dangwu_domain::money::Rate(r as u32).percent()).unwrap_or_default()
    }
}

/// A member of an org subtree with the version of their verification that is current for the
/// year (the highest), or none yet.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationRow {
    pub member_id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    pub dues_category: String,
    pub current: Option<Verification>,
    /// How many versions the year has (more than one after a mid-year change).
    pub versions: usize,
}

/// Members, verified members and confirmed members of a list (the seed report's
/// "完成新年度核定党员交纳党费计算基数" is `confirmed == members`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VerificationTally {
    pub members: usize,
    pub verified: usize,
    pub confirmed: usize,
}

impl VerificationTally {
    pub fn of(rows: &[VerificationRow]) -> Self {
        Self {
            members: rows.len(),
            verified: rows.iter().filter(|r| r.current.is_some()).count(),
            confirmed: rows.iter().filter(|r| r.current.as_ref().is_some_and(Verification::is_confirmed)).count(),
        }
    }
}

/// Saves a member's verification for `year`: the draft is created or replaced; on a confirmed
/// year, `effective_month` later than the version in force makes a new version (a draft to
/// confirm), and anything else is refused — a confirmed verification is never edited.
pub async fn save(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    member_id: MemberId,
    year: i32,
    input: &VerificationInput,
) -> Result<Verification, StoreError> {
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::field("year", format!("核定年度“{year}”无效")).into());
    }
    let mut tx = store.db.begin().await?;
    let m: members::Member = tx.opt("SELECT * FROM members WHERE id = $1", args![member_id]).await?.ok_or(StoreError::NotFound("党员"))?;
    let org = orgs::find_in(&mut tx, &m.org_id).await?.ok_or(StoreError::NotFound("党组织"))?;
    if !p.can_read_member(member_id, &org.org_path()) {
        return Err(StoreError::NotFound("党员"));
    }
    check_write(p, &org, "核定")?;
    let category = DuesCategory::parse(&m.dues_category)?;
    let c = compute(&store.dues, category, input)?;
    let (before, v) = write_version(&mut tx, actor, &m, year, input, &c).await?;
    let detail = format!("{} {year}年第{}版 月交纳{}元", m.name, v.version, v.amount());
    audit::append(&mut tx, actor, "dues.verification.save", "dues_verification", &v.id, before, digest(Some(&v)), &detail).await?;
    tx.commit().await?;
    Ok(v)
}

/// Writes a computed verification for a member inside the caller's transaction (the draft
/// replaced, or a new version); refuses a change to a locked month. Returns the digest of the
/// replaced draft (empty for a new version) and the stored row. The caller appends the audit entry.
pub(crate) async fn write_version(
    tx: &mut Tx,
    actor: &Actor,
    m: &members::Member,
    year: i32,
    input: &VerificationInput,
    c: &Computed,
) -> Result<(String, Verification), StoreError> {
    let member_id = m.id.as_str();
    let category = c.calc.category;
    let eff = input.effective_month.max(1) as i64;
    let versions: Vec<Verification> =
        tx.all("SELECT * FROM dues_verifications WHERE member_id = $1 AND year = $2 ORDER BY version DESC", args![member_id, year as i64]).await?;
    let locked = versions.iter().find(|v| v.is_confirmed());
    if let Some(l) = locked
        && eff <= l.effective_month
    {
        let msg = format!(
            "{}的{year}年党费核定已确认锁定（第{}版，自{}月起），不能修改；年中调整请新增一个版本，生效月份须晚于{}月",
            m.name, l.version, l.effective_month, l.effective_month
        );
        return Err(DomainError::rule(Some("effective_month"), msg).into());
    }
    let now = now_ms();
    let items = serde_json::to_string(&c.items).expect("pay items serialise");
    let rate = c.calc.rate.map(|r| r.0 as i64);
    let (before, id) = match versions.first().filter(|v| !v.is_confirmed()) {
        Some(draft) => {
            tx.exec(
                "UPDATE dues_verifications SET org_id = $1, effective_month = $2, person_type = $3, category = $4, base_fen = $5, items = $6, \
                 deductions_fen = $7, tax_fen = $8, bracket = $9, rate = $10, amount_fen = $11, reduction_ref = $12, note = $13, \
                 created_by = $14, created_at = $15 WHERE id = $16",
                args![m.org_id.clone(), eff, c.person_type.clone(), category.code(), c.calc.base.map(|b| b.0), items, input.deductions.0,
                      input.tax.0, c.calc.bracket.clone(), rate, c.amount.0, reduction_ref(input), c.note.clone(), actor.0.clone(), now,
                      draft.id.clone()],
            )
            .await?;
            (digest(Some(draft)), draft.id.clone())
        }
        None => {
            let id = dangwu_domain::ids::new_row_id();
            let version = versions.first().map_or(1, |v| v.version + 1);
            tx.exec(
                "INSERT INTO dues_verifications (id, member_id, org_id, year, version, effective_month, person_type, category, base_fen, items, \
                 deductions_fen, tax_fen, bracket, rate, amount_fen, reduction_ref, note, status, confirmed_by, confirmed_at, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'draft', NULL, NULL, $18, $19)",
                args![id.clone(), member_id, m.org_id.clone(), year as i64, version, eff, c.person_type.clone(), category.code(),
                      c.calc.base.map(|b| b.0), items, input.deductions.0, input.tax.0, c.calc.bracket.clone(), rate, c.amount.0,
                      reduction_ref(input), c.note.clone(), actor.0.clone(), now],
            )
            .await?;
            (String::new(), id)
        }
    };
    let v = find_in(tx, &id).await?;
    Ok((before, v))
}

fn reduction_ref(input: &VerificationInput) -> Option<String> {
    input.reduced_amount.and(input.reduction_ref.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned))
}

async fn find_in(tx: &mut Tx, id: &str) -> Result<Verification, StoreError> {
    tx.opt("SELECT * FROM dues_verifications WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("党费核定"))
}

/// Locks every draft of the org subtree for `year` (one transaction); returns how many.
pub async fn confirm(store: &Store, p: &Principal, actor: &Actor, org_id: OrgId, year: i32) -> Result<u64, StoreError> {
    let (org, cond, a) = org_scope(store, p, org_id, 4).await?;
    check_write(p, &org, "确认")?;
    let mut tx = store.db.begin().await?;
    let mut all = args![actor.0.clone(), now_ms(), year as i64];
    all.extend(a);
    let n = tx
        .exec(
            &format!(
                "UPDATE dues_verifications SET status = 'confirmed', confirmed_by = $1, confirmed_at = $2 WHERE year = $3 AND status = 'draft' \
                 AND member_id IN (SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE {cond})"
            ),
            all,
        )
        .await?;
    if n > 0 {
        let detail = format!("确认{}{year}年党费核定{n}人", org.name);
        audit::append(&mut tx, actor, "dues.verification.confirm", "org", &org.id, String::new(), digest(Some(&(year, n))), &detail).await?;
        tx.commit().await?;
    }
    Ok(n)
}

/// The active members of the org subtree (as the principal may see them) with their current
/// verification for `year`. Two queries whatever the size.
pub async fn for_org(store: &Store, p: &Principal, org_id: OrgId, year: i32) -> Result<Vec<VerificationRow>, StoreError> {
    let (_, cond, mut a) = org_scope(store, p, org_id, 1).await?;
    let (mcond, ma) = member_condition(&p.visibility(), a.len() + 1);
    a.extend(ma);
    let where_ = format!("{cond} AND {mcond} AND m.status IN ('full', 'probationary')");
    #[derive(sqlx::FromRow)]
    struct M {
        id: String,
        name: String,
        org_id: String,
        org_name: String,
        dues_category: String,
    }
    let ms: Vec<M> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT m.id, m.name, m.org_id, o.name AS org_name, m.dues_category FROM members m JOIN orgs o ON o.id = m.org_id \
                 WHERE {where_} ORDER BY o.path, m.name, m.id"
            ),
            a.clone(),
        )
        .await?;
    let n = a.len();
    a.push((year as i64).into());
    let vs: Vec<Verification> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT v.* FROM dues_verifications v JOIN members m ON m.id = v.member_id JOIN orgs o ON o.id = m.org_id \
                 WHERE {where_} AND v.year = ${} ORDER BY v.member_id, v.version DESC",
                n + 1
            ),
            a,
        )
        .await?;
    let mut by_member: std::collections::HashMap<String, Vec<Verification>> = std::collections::HashMap::new();
    for v in vs {
        by_member.entry(v.member_id.clone()).or_default().push(v);
    }
    Ok(ms
        .into_iter()
        .map(|m| {
            let vs = by_member.remove(&m.id).unwrap_or_default();
            let versions = vs.len();
            VerificationRow {
                member_id: m.id,
                name: m.name,
                org_id: m.org_id,
                org_name: m.org_name,
                dues_category: m.dues_category,
                current: vs.into_iter().next(),
                versions,
            }
        })
        .collect())
}

/// Every version of a member's verifications, newest year and version first (self-service too).
pub async fn history(store: &Store, p: &Principal, member_id: MemberId) -> Result<Vec<Verification>, StoreError> {
    members::get(store, p, member_id).await?;
    store
        .db
        .read()
        .all("SELECT * FROM dues_verifications WHERE member_id = $1 ORDER BY year DESC, version DESC", args![member_id])
        .await
}
