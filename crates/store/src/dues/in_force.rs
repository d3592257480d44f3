//! Which verification applies to a month: the confirmed version of the year effective by then,
//! or last year's until the new base is fixed.

use dangwu_domain::MemberId;
use dangwu_domain::money::Fen;

use super::Ym;
use super::verification::Verification;
use crate::{Store, StoreError, args};

/// The version in force for a month among one member's versions: the highest confirmed version
/// of that year effective by the month (a draft only when none is confirmed); before the year's
/// verification, the latest version of the most recent earlier year (collected at last year's
/// amount until the new base is fixed).
pub fn in_force(versions: &[Verification], (y, m): Ym) -> Option<&Verification> {
    fn pick(it: Vec<&Verification>) -> Option<&Verification> {
        let confirmed = it.iter().filter(|v| v.is_confirmed()).max_by_key(|v| v.version).copied();
        confirmed.or_else(|| it.iter().max_by_key(|v| v.version).copied())
    }
    let this_year = pick(versions.iter().filter(|v| v.year == y as i64 && v.effective_month <= m as i64).collect());
    this_year.or_else(|| {
        let last = versions.iter().filter(|v| v.year < y as i64).map(|v| v.year).max()?;
        pick(versions.iter().filter(|v| v.year == last).collect())
    })
}

/// The verified monthly amount of a member for a month (see [`in_force`]), unscoped.
pub async fn amount_for(store: &Store, member: MemberId, year: i32, month: u32) -> Result<Option<Fen>, StoreError> {
    let vs: Vec<Verification> = store
        .db
        .read()
        .all("SELECT * FROM dues_verifications WHERE member_id = $1 AND year <= $2 ORDER BY year DESC, version DESC", args![member, year as i64])
        .await?;
    Ok(in_force(&vs, (year, month)).map(Verification::amount))
}
