//! The branch's monthly dues ledger (党费收缴登记表) for a year: one row per member with the
//! verified monthly amount and what was paid each month. Three queries whatever the size.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::money::Fen;
use dangwu_domain::OrgId;
use serde::Serialize;
use std::collections::HashMap;

use super::payments::Payment;
use super::verification::{Verification, in_force};
use super::{org_scope, ym_of};
use crate::scope::member_condition;
use crate::{Store, StoreError};

/// One month of one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "fen", rename_all = "snake_case")]
pub enum LedgerCell {
    /// Paid: dues plus any voluntary extra.
    Paid(Fen),
    /// Due (a member that month, and the month is over) and not paid.
    Unpaid,
    /// Not due: before joining, or the current month or later (a month may be paid within it).
    NotDue,
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerRow {
    pub member_id: String,
    pub name: String,
    pub org_name: String,
    /// The verified monthly amount (the latest version of the year).
    pub monthly: Option<Fen>,
    /// January … December.
    pub cells: Vec<LedgerCell>,
    pub total: Fen,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub org_id: String,
    pub org_name: String,
    pub year: i32,
    pub rows: Vec<LedgerRow>,
    /// Paid per month, January … December.
    pub month_totals: Vec<Fen>,
    pub total: Fen,
}

/// The ledger of the org subtree for `year` as of `today`: active members, plus members who
/// left but paid that year.
pub async fn ledger(store: &Store, p: &Principal, org_id: OrgId, year: i32, today: NaiveDate) -> Result<Ledger, StoreError> {
    let (org, cond, mut a) = org_scope(store, p, org_id, 1).await?;
    let (mcond, ma) = member_condition(&p.visibility(), a.len() + 1);
    a.extend(ma);
    let y = a.len() + 1;
    a.push((year as i64).into());
    #[derive(sqlx::FromRow)]
    struct M {
        id: String,
        name: String,
        org_name: String,
        joined_on: NaiveDate,
    }
    let members: Vec<M> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT m.id, m.name, o.name AS org_name, m.joined_on FROM members m JOIN orgs o ON o.id = m.org_id WHERE {cond} AND {mcond} \
                 AND (m.status IN ('full', 'probationary') OR m.id IN (SELECT member_id FROM dues_payments WHERE year = ${y})) \
                 ORDER BY o.path, m.name, m.id"
            ),
            a.clone(),
        )
        .await?;
    let join = format!("JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id WHERE {cond} AND {mcond}");
    let payments: Vec<Payment> = store.db.read().all(&format!("SELECT x.* FROM dues_payments x {join} AND x.year = ${y}"), a.clone()).await?;
    let versions: Vec<Verification> =
        store.db.read().all(&format!("SELECT x.* FROM dues_verifications x {join} AND x.year <= ${y} ORDER BY x.year DESC, x.version DESC"), a).await?;
    let mut paid: HashMap<&str, [Option<Fen>; 12]> = HashMap::new();
    for pay in &payments {
        paid.entry(pay.member_id.as_str()).or_insert([None; 12])[pay.month as usize - 1] = Some(pay.total());
    }
    let mut by_member: HashMap<&str, Vec<Verification>> = HashMap::new();
    for v in &versions {
        by_member.entry(v.member_id.as_str()).or_default().push(v.clone());
    }
    let now = ym_of(today);
    let mut month_totals = vec![Fen::ZERO; 12];
    let mut rows = Vec::with_capacity(members.len());
    for m in &members {
        let got = paid.get(m.id.as_str()).copied().unwrap_or([None; 12]);
        let joined = ym_of(m.joined_on);
        let cells: Vec<LedgerCell> = (1..=12u32)
            .map(|mo| match got[mo as usize - 1] {
                Some(f) => LedgerCell::Paid(f),
                None if (year, mo) < joined || (year, mo) >= now => LedgerCell::NotDue,
                None => LedgerCell::Unpaid,
            })
            .collect();
        for (i, c) in cells.iter().enumerate() {
            if let LedgerCell::Paid(f) = c {
                month_totals[i] = month_totals[i] + *f;
            }
        }
        let total = cells.iter().map(|c| if let LedgerCell::Paid(f) = c { *f } else { Fen::ZERO }).sum();
        let vs = by_member.get(m.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let monthly = in_force(vs, (year, 12)).map(Verification::amount);
        rows.push(LedgerRow { member_id: m.id.clone(), name: m.name.clone(), org_name: m.org_name.clone(), monthly, cells, total });
    }
    let total = month_totals.iter().copied().sum();
    Ok(Ledger { org_id: org.id, org_name: org.name, year, rows, month_totals, total })
}
