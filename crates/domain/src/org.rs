//! Organisations: the materialised path that serves subtree queries, and input validation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::parse_date;
use crate::error::Errors;
use crate::org_catalogue::OrgCatalogue;
use crate::{DomainError, OrgId};

/// `/id1/id2/id3/`: the ids from the root down to the org itself.
/// Subtree of X = every path starting with X's path, which a plain btree index serves
/// through the range `[path, upper)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: OrgId) -> Self {
        Self(format!("/{id}/"))
    }
    pub fn child(&self, id: OrgId) -> Self {
        Self(format!("{}{id}/", self.0))
    }
    /// Accepts a stored path; rejects anything not of the `/id/…/` form.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = s.len() > 2
            && s.starts_with('/')
            && s.ends_with('/')
            && s[1..s.len() - 1].split('/').all(|p| OrgId::parse(p).is_ok());
        if ok { Ok(Self(s.to_owned())) } else { Err(DomainError::field("path", format!("组织路径格式不正确：{s}"))) }
    }
    /// A path read back from the database, where it was validated on the way in.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Half-open range `[lower, upper)` containing exactly this org and its descendants.
    /// '/' + 1 = '0', so the upper bound is the path with its final '/' replaced by '0'.
    pub fn subtree_range(&self) -> (String, String) {
        let upper = format!("{}0", &self.0[..self.0.len() - 1]);
        (self.0.clone(), upper)
    }
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }
    pub fn depth(&self) -> usize {
        self.0.matches('/').count() - 1
    }
    pub fn ids(&self) -> Vec<OrgId> {
        self.0.split('/').filter(|p| !p.is_empty()).filter_map(|p| OrgId::parse(p).ok()).collect()
    }
    /// The path of `self` after moving the subtree rooted at `old_root` to `new_root`.
    pub fn rebase(&self, old_root: &OrgPath, new_root: &OrgPath) -> OrgPath {
        debug_assert!(old_root.contains(self));
        OrgPath(format!("{}{}", new_root.0, &self.0[old_root.0.len()..]))
    }
}

/// Raw input for creating or updating an organisation, as it comes from a form, the API or a sheet.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OrgInput {
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    #[serde(default)]
    pub established_on: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
}

/// Validated organisation fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDraft {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub parent_id: Option<OrgId>,
    pub established_on: Option<NaiveDate>,
    pub unit: Option<String>,
}

impl OrgInput {
    pub fn validate(&self, catalogue: &OrgCatalogue, today: NaiveDate) -> Result<OrgDraft, DomainError> {
        let mut errs = Errors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errs.push("name", "组织名称不能为空");
        } else if name.chars().count() > 100 {
            errs.push("name", "组织名称不能超过100个字");
        }
        let kind = self.kind.trim().to_owned();
        if let Err(DomainError::Invalid(v)) = catalogue.kind_or_err(&kind) {
            errs.0.extend(v);
        }
        let parent_id = match self.parent_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match OrgId::parse(s) {
                Ok(id) => Some(id),
                Err(_) => {
                    errs.push("parent_id", format!("上级组织编号格式不正确：{s}"));
                    None
                }
            },
        };
        let established_on = opt_date(&mut errs, "established_on", "成立日期", self.established_on.as_deref());
        if let Some(d) = established_on {
            if d > today {
                errs.push("established_on", "成立日期不能晚于今天");
            }
        }
        let short_name = clean(self.short_name.as_deref());
        let unit = clean(self.unit.as_deref());
        errs.finish(|| OrgDraft { name, short_name, kind, parent_id, established_on, unit })
    }
}

pub(crate) fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

pub(crate) fn opt_date(errs: &mut Errors, field: &str, label: &str, s: Option<&str>) -> Option<NaiveDate> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match parse_date(s) {
            Some(d) => Some(d),
            None => {
                errs.push(field, format!("{label}格式不正确：“{s}”，应为如 2022-01-05 的日期"));
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_range_contains_descendants_only() {
        let a = OrgPath::root(OrgId::new());
        let b = a.child(OrgId::new());
        let sibling = OrgPath::root(OrgId::new());
        let (lo, hi) = a.subtree_range();
        assert!(a.as_str() >= lo.as_str() && a.as_str() < hi.as_str());
        assert!(b.as_str() >= lo.as_str() && b.as_str() < hi.as_str());
        assert!(!(sibling.as_str() >= lo.as_str() && sibling.as_str() < hi.as_str()));
        assert!(a.contains(&b) && !b.contains(&a));
        assert_eq!(b.depth(), 2);
        assert_eq!(OrgPath::parse(b.as_str()).unwrap(), b);
        assert!(OrgPath::parse("/x/").is_err());
    }

    proptest::proptest! {
        /// The index range of a subtree holds exactly the paths that start with the subtree's path.
        #[test]
        fn range_equals_prefix(ids in proptest::collection::vec(0u128..6, 1..6), other in proptest::collection::vec(0u128..6, 1..6)) {
            let build = |v: &[u128]| {
                let mut p = OrgPath::root(OrgId::from_u128(v[0]));
                for i in &v[1..] { p = p.child(OrgId::from_u128(*i)); }
                p
            };
            let (a, b) = (build(&ids), build(&other));
            let (lo, hi) = a.subtree_range();
            let in_range = b.as_str() >= lo.as_str() && b.as_str() < hi.as_str();
            proptest::prop_assert_eq!(in_range, a.contains(&b));
        }
    }

    #[test]
    fn rebase_moves_subtree() {
        let a = OrgPath::root(OrgId::new());
        let b = a.child(OrgId::new());
        let c = b.child(OrgId::new());
        let z = OrgPath::root(OrgId::new());
        let nb = b.rebase(&b, &z.child(b.ids()[1]));
        assert_eq!(c.rebase(&b, &nb), nb.child(c.ids()[2]));
    }

    #[test]
    fn org_input_names_bad_fields() {
        let cat = OrgCatalogue::shipped();
        let today = NaiveDate::from_ymd_opt(2022, 4, 6).unwrap();
        let e = OrgInput { name: " ".into(), kind: "bogus".into(), established_on: Some("2022-13-01".into()), ..Default::default() }
            .validate(&cat, today)
            .unwrap_err();
        let s = e.to_string();
        assert!(s.contains("组织名称不能为空") && s.contains("组织类别") && s.contains("成立日期格式不正确"), "{s}");
    }
}
