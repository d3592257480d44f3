//! Report facts over an org subtree and a period (see `dangwu_domain::facts`). One module per
//! area; each runs a few set-based queries over the subtree and adds its facts to the set.
//! Every area also lists its facts in a `CATALOGUE` so templates and the docs know them.

mod members;
mod supervision;

use dangwu_domain::facts::{FactDoc, FactSet};
use dangwu_domain::period::Period;

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
}

/// Every fact of every area for `scope`.
pub async fn collect(store: &Store, scope: &FactScope) -> Result<FactSet, StoreError> {
    let mut out = FactSet::default();
    members::collect(store, scope, &mut out).await?;
    supervision::collect(store, scope, &mut out).await?;
    Ok(out)
}

/// The documented catalogue of all facts, in area order.
pub fn catalogue() -> Vec<FactDoc> {
    [members::CATALOGUE, supervision::CATALOGUE].concat()
}
