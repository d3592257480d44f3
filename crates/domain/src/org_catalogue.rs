//! The catalogue of organisation kinds: which kind may sit under which, committee roles and terms.
//! It is data (rulebook/org-kinds.toml), so a deployment can change it without a new build.

use serde::Deserialize;
use std::collections::BTreeMap;

use crate::DomainError;

const SHIPPED: &str = include_str!("../../../rulebook/org-kinds.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct OrgKindDef {
    pub id: String,
    pub label: String,
    /// Allowed parent kinds; "" means the kind may be a root.
    pub parents: Vec<String>,
    #[serde(default)]
    pub grassroots: bool,
    #[serde(default)]
    pub holds_members: bool,
    pub roles: Vec<String>,
    #[serde(default)]
    pub term_years: Option<u32>,
    #[serde(default)]
    pub committee_min_full_members: Option<u32>,
    #[serde(default)]
    pub roles_without_committee: Vec<String>,
    #[serde(default)]
    pub citation: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OrgCatalogue {
    #[serde(rename = "kind")]
    pub kinds: Vec<OrgKindDef>,
    pub roles: BTreeMap<String, String>,
}

impl OrgCatalogue {
    /// The catalogue shipped in the repository.
    pub fn shipped() -> Self {
        Self::from_toml(SHIPPED).expect("shipped rulebook/org-kinds.toml is valid")
    }

    pub fn from_toml(text: &str) -> Result<Self, DomainError> {
        let cat: OrgCatalogue = toml::from_str(text)
            .map_err(|e| DomainError::rule(Some("org-kinds.toml"), format!("组织类别目录格式错误：{e}")))?;
        cat.check()?;
        Ok(cat)
    }

    fn check(&self) -> Result<(), DomainError> {
        for k in &self.kinds {
            for p in &k.parents {
                if !p.is_empty() && self.kind(p).is_none() {
                    return Err(DomainError::rule(None, format!("组织类别“{}”的上级类别“{}”未定义", k.label, p)));
                }
            }
            for r in k.roles.iter().chain(&k.roles_without_committee) {
                if !self.roles.contains_key(r) {
                    return Err(DomainError::rule(None, format!("组织类别“{}”的职务“{}”未定义", k.label, r)));
                }
            }
        }
        Ok(())
    }

    pub fn kind(&self, id: &str) -> Option<&OrgKindDef> {
        self.kinds.iter().find(|k| k.id == id)
    }

    pub fn kind_or_err(&self, id: &str) -> Result<&OrgKindDef, DomainError> {
        self.kind(id).ok_or_else(|| {
            let known: Vec<_> = self.kinds.iter().map(|k| format!("{}（{}）", k.label, k.id)).collect();
            DomainError::field("kind", format!("组织类别“{id}”不存在，可选：{}", known.join("、")))
        })
    }

    /// Label for a kind id, falling back to the id for kinds a deployment removed.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.kind(id).map(|k| k.label.as_str()).unwrap_or(id)
    }

    pub fn role_label<'a>(&'a self, role: &'a str) -> &'a str {
        self.roles.get(role).map(String::as_str).unwrap_or(role)
    }

    /// May an org of `kind` be placed under `parent_kind` (None = as a root)?
    pub fn check_parent(&self, kind: &str, parent_kind: Option<&str>) -> Result<(), DomainError> {
        let def = self.kind_or_err(kind)?;
        let key = parent_kind.unwrap_or("");
        if def.parents.iter().any(|p| p == key) {
            return Ok(());
        }
        let allowed: Vec<&str> = def
            .parents
            .iter()
            .map(|p| if p.is_empty() { "（顶级）" } else { self.label(p) })
            .collect();
        let here = parent_kind.map(|p| self.label(p)).unwrap_or("顶级");
        Err(DomainError::rule(
            Some("parent_id"),
            format!("{}不能设在{}之下，只能设在：{}", def.label, here, allowed.join("、")),
        ))
    }

    /// Which committee roles are allowed for an org of `kind` with `full_members` full members.
    /// Where the rules say no committee (e.g. a branch under 7 full members), only the
    /// secretary roles remain.
    pub fn allowed_roles(&self, kind: &str, full_members: u32) -> Result<&[String], DomainError> {
        let def = self.kind_or_err(kind)?;
        match def.committee_min_full_members {
            Some(min) if full_members < min => Ok(&def.roles_without_committee),
            _ => Ok(&def.roles),
        }
    }

    pub fn check_role(&self, kind: &str, full_members: u32, role: &str) -> Result<(), DomainError> {
        let allowed = self.allowed_roles(kind, full_members)?;
        if allowed.iter().any(|r| r == role) {
            return Ok(());
        }
        let def = self.kind_or_err(kind)?;
        let names: Vec<&str> = allowed.iter().map(|r| self.role_label(r)).collect();
        let why = match def.committee_min_full_members {
            Some(min) if full_members < min => {
                format!("正式党员{full_members}人，不足{min}人不设委员会（{}）；", def.citation)
            }
            _ => String::new(),
        };
        Err(DomainError::rule(
            Some("role"),
            format!("{}不能设“{}”职务：{}可设：{}", def.label, self.role_label(role), why, names.join("、")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_parses_and_checks_parents() {
        let c = OrgCatalogue::shipped();
        assert!(c.check_parent("party_group", None).is_ok());
        assert!(c.check_parent("cell", Some("branch")).is_ok());
        let e = c.check_parent("cell", Some("organ_committee")).unwrap_err();
        assert!(e.to_string().contains("党小组不能设在机关党委之下"), "{e}");
        assert!(c.check_parent("branch", None).is_err());
        assert!(c.check_parent("nonsense", None).unwrap_err().to_string().contains("不存在"));
    }

    #[test]
    fn small_branch_has_no_committee() {
        let c = OrgCatalogue::shipped();
        assert!(c.check_role("branch", 6, "secretary").is_ok());
        let e = c.check_role("branch", 6, "organisation_officer").unwrap_err();
        assert!(e.to_string().contains("不足7人不设委员会"), "{e}");
        assert!(c.check_role("branch", 7, "organisation_officer").is_ok());
    }

    #[test]
    fn bad_override_is_rejected_with_reason() {
        let e = OrgCatalogue::from_toml("[[kind]]\nid='x'\nlabel='X'\nparents=['y']\nroles=[]\n[roles]\n").unwrap_err();
        assert!(e.to_string().contains("未定义"));
    }
}
