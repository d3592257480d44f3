//! Report facts over an org subtree and a period (see `dangwu_domain::facts`). One module per
//! area; each runs a few set-based queries over the subtree and adds its facts to the set.
//! Every area also lists its facts in a `CATALOGUE` so templates and the docs know them.

mod activities;
mod community;
mod compliance;
mod dues;
mod members;
mod orgs;
mod study;
mod supervision;

use dangwu_domain::auth::{Principal, Role};
use dangwu_domain::facts::{FactDoc, FactSet};
use dangwu_domain::period::Period;
use dangwu_domain::supervision::SupervisionBook;
use dangwu_domain::rulebook::Rulebook;
use dangwu_domain::UserId;

use crate::orgs::Org;
use crate::{Store, StoreError};

/// What the facts are computed over: the subtree of `root` (inclusive) and `period`.
#[derive(Debug, Clone)]
pub struct FactScope {
    pub root: Org,
    pub period: Period,
}

impl FactScope {
    /// `(condition on o.path, args)` for the subtree, placeholders from `$first`.
    pub fn subtree(&self, first: usize) -> (String, Vec<crate::db::Arg>) {
        crate::scope::subtree(&self.root.org_path(), first)
    }

    /// `(condition, args)` for the subtree and the period's dates on `col`: `$1, $2` path, `$3, $4` dates.
    pub fn subtree_and_dates(&self, col: &str) -> (String, Vec<crate::db::Arg>) {
        let (cond, mut a) = self.subtree(1);
        a.push(self.period.start().into());
        a.push(self.period.end().into());
        (format!("{cond} AND {col} >= $3 AND {col} <= $4"), a)
    }

    /// The day compliance is judged on: the day after the period once it is over (so a report
    /// of a past period is reproducible), else today.
    pub fn judged_on(&self) -> chrono::NaiveDate {
        let after = self.period.end().succ_opt().unwrap_or(self.period.end());
        chrono::Local::now().date_naive().min(after)
    }
}

/// Areas that reuse repository functions run them as the system: the caller checked the scope.
pub(crate) fn system() -> Principal {
    Principal {
        user_id: UserId::from_u128(0),
        username: "system".into(),
        display_name: "报告生成".into(),
        role: Role::Admin,
        scope: None,
        member_id: None,
    }
}

/// Every fact of every area for `scope`.
pub async fn collect(store: &Store, scope: &FactScope) -> Result<FactSet, StoreError> {
    let mut out = FactSet::default();
    // Cumulative time per area, for `RUST_LOG=dangwu_store=debug` when a report is slow.
    let t = std::time::Instant::now();
    let lap = |area: &str| tracing::debug!(area, elapsed_ms = t.elapsed().as_millis() as u64, "report facts");
    orgs::collect(store, scope, &mut out).await?;
    lap("orgs");
    members::collect(store, scope, &mut out).await?;
    lap("members");
    activities::collect(store, scope, &mut out).await?;
    lap("activities");
    study::collect(store, scope, &mut out).await?;
    lap("study");
    dues::collect(store, scope, &mut out).await?;
    lap("dues");
    compliance::collect(store, scope, &mut out).await?;
    lap("compliance");
    community::collect(store, scope, &mut out).await?;
    lap("community");
    supervision::collect(store, scope, &mut out).await?;
    lap("supervision");
    Ok(out)
}

/// A catalogue entry with owned text: per-kind facts are made from the rulebook's kinds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FactInfo {
    pub name: String,
    pub label: String,
    pub doc: String,
}

impl From<&FactDoc> for FactInfo {
    fn from(d: &FactDoc) -> Self {
        Self { name: d.name.into(), label: d.label.into(), doc: d.doc.into() }
    }
}

/// The documented catalogue of all facts, in area order, including the per-kind facts of
/// every activity kind in `rulebook` and of every position kind in `supervision` (so a new kind
/// gets its facts without code).
pub fn catalogue(rulebook: &Rulebook, supervision: &SupervisionBook) -> Vec<FactInfo> {
    let fixed: Vec<FactDoc> = [orgs::CATALOGUE, members::CATALOGUE, activities::CATALOGUE, study::CATALOGUE, dues::CATALOGUE, compliance::CATALOGUE, community::CATALOGUE, supervision::CATALOGUE].concat();
    let mut out: Vec<FactInfo> = fixed.iter().map(FactInfo::from).collect();
    out.extend(activities::per_kind(rulebook));
    out.extend(supervision::per_kind(supervision));
    out
}
