//! 党费 (party dues) records: the yearly base verification per member ([`verification`]),
//! payments per member-month ([`payments`]), the branch ledger ([`ledger`]), arrears
//! ([`arrears`]) and remittances upward with their reconciliation ([`remittance`]).
//! Amounts are integer fen ([`Fen`]); the rules (brackets, limits, ratios) are `store.dues`.
//! Every write appends to the audit chain in its transaction; every read is scoped by the
//! principal (an org admin sees their subtree, a member their own record).

pub mod arrears;
pub mod compute;
pub mod import;
pub mod in_force;
pub mod input;
pub mod ledger;
pub mod payments;
pub mod remittance;
pub mod verification;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_remit;
#[cfg(test)]
mod tests_support;

pub use arrears::{MemberArrears, arrears};
pub use import::{BaseImportOutcome, BaseRow, import_bases};
pub use input::{PaymentForm, parse_months};
pub use ledger::{Ledger, LedgerCell, LedgerRow, ledger};
pub use payments::{PayMethod, Payer, Payment, PaymentInput, record, record_many};
pub use remittance::{LargeVoluntary, Reconciliation, Remittance, RemittanceInput, reconcile, record_remittance};
pub use verification::{Verification, VerificationInput, VerificationRow, VerificationTally, amount_for, confirm, for_org, save};

use dangwu_domain::auth::Principal;
use dangwu_domain::money::Fen;
use dangwu_domain::{DomainError, OrgId};

use crate::db::Arg;
use crate::orgs::{self, Org};
use crate::{Store, StoreError};

/// A calendar month as (year, month 1–12).
pub type Ym = (i32, u32);

/// "2022-03".
pub fn ym_text((y, m): Ym) -> String {
    format!("{y}-{m:02}")
}

/// "2022年3月".
pub fn ym_label((y, m): Ym) -> String {
    format!("{y}年{m}月")
}

/// Months from `a` forward to `b` (negative when `b` is earlier).
pub fn months_diff(a: Ym, b: Ym) -> i64 {
    (b.0 as i64 * 12 + b.1 as i64) - (a.0 as i64 * 12 + a.1 as i64)
}

/// The month `n` months after `ym` (or before, for negative `n`).
pub fn add_months((y, m): Ym, n: i64) -> Ym {
    let k = y as i64 * 12 + (m as i64 - 1) + n;
    (k.div_euclid(12) as i32, (k.rem_euclid(12) + 1) as u32)
}

pub(crate) fn ym_of(d: chrono::NaiveDate) -> Ym {
    use chrono::Datelike;
    (d.year(), d.month())
}

/// Sortable key of a month, as stored queries compare it (`year * 100 + month`).
pub(crate) fn ym_key((y, m): Ym) -> i64 {
    y as i64 * 100 + m as i64
}

/// Yuan text of an amount ("76.50"); the API and sheets show money this way.
pub fn yuan(f: Fen) -> String {
    f.to_string()
}

/// The org the principal asked about (if visible) and the SQL condition restricting `o.path`
/// to its subtree, with placeholders from `$first`.
pub(crate) async fn org_scope(store: &Store, p: &Principal, org_id: OrgId, first: usize) -> Result<(Org, String, Vec<Arg>), StoreError> {
    let org = orgs::get(store, p, org_id).await?;
    let (cond, args) = crate::scope::subtree(&org.org_path(), first);
    Ok((org, cond, args))
}

/// Refuses a write outside the principal's subtree.
pub(crate) fn check_write(p: &Principal, org: &Org, what: &str) -> Result<(), StoreError> {
    if p.can_write_member(&org.org_path()) {
        Ok(())
    } else {
        Err(StoreError::Domain(DomainError::Forbidden(format!("不能{what}本人管理范围以外的党组织或党员"))))
    }
}

/// `$first, $first+1, …` for an IN list of `n` values.
pub(crate) fn marks(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}
