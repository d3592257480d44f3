//! Turning a principal's visibility into a SQL condition on `orgs` (alias `o`) or `members` (alias `m`).

use dangwu_domain::auth::Visibility;
use dangwu_domain::org::OrgPath;

use crate::db::Arg;

/// `(condition, args)` restricting rows to what the principal may see; placeholders start at `$first`.
pub fn org_condition(v: &Visibility, first: usize) -> (String, Vec<Arg>) {
    match v {
        Visibility::All => ("1 = 1".into(), vec![]),
        Visibility::Subtree(p) => subtree(p, first),
        // A member sees the org their record is in, nothing else.
        Visibility::OwnRecord(m) => (
            format!("o.id IN (SELECT org_id FROM members WHERE id = ${first})"),
            vec![Arg::from(m.to_string())],
        ),
        Visibility::Nothing => ("1 = 0".into(), vec![]),
    }
}

pub fn member_condition(v: &Visibility, first: usize) -> (String, Vec<Arg>) {
    match v {
        Visibility::OwnRecord(m) => (format!("m.id = ${first}"), vec![Arg::from(m.to_string())]),
        other => org_condition(other, first),
    }
}

/// `o.path` within the subtree of `p`: a range the path index serves on both databases.
pub fn subtree(p: &OrgPath, first: usize) -> (String, Vec<Arg>) {
    let (lo, hi) = p.subtree_range();
    (format!("o.path >= ${} AND o.path < ${}", first, first + 1), vec![Arg::from(lo), Arg::from(hi)])
}
