//! Roles and scope: who may read or change what. Every check in the web layer goes through here.

use serde::{Deserialize, Serialize};

use crate::labelled_enum;
use crate::org::OrgPath;
use crate::{DomainError, MemberId, UserId};

labelled_enum!(Role, "role", "角色" {
    Admin = "admin", "系统管理员";
    OrgAdmin = "org_admin", "组织管理员";
    Member = "member", "党员";
    Discipline = "discipline", "纪检";
});

/// The authenticated user a request acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Subtree an org admin manages (and the admin's home org, if set).
    pub scope: Option<OrgPath>,
    /// The member record of this user, for self-service.
    pub member_id: Option<MemberId>,
}

/// What a query must be limited to for this principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    Subtree(OrgPath),
    OwnRecord(MemberId),
    Nothing,
}

impl Principal {
    pub fn visibility(&self) -> Visibility {
        match (self.role, &self.scope, self.member_id) {
            (Role::Admin, _, _) => Visibility::All,
            (Role::OrgAdmin, Some(p), _) => Visibility::Subtree(p.clone()),
            (Role::Member, _, Some(m)) => Visibility::OwnRecord(m),
            // 纪检 accounts handle case leads only: no roster, tree or ledgers.
            _ => Visibility::Nothing,
        }
    }

    /// May see the organisation at `path` (org admins see their subtree and the chain above it,
    /// so the tree has context; members see the orgs above their own record).
    pub fn can_read_org(&self, path: &OrgPath) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin => self.scope.as_ref().is_some_and(|s| s.contains(path)),
            Role::Member | Role::Discipline => false,
        }
    }

    pub fn can_write_org(&self, path: &OrgPath) -> bool {
        match self.role {
            Role::Admin => true,
            Role::OrgAdmin => self.scope.as_ref().is_some_and(|s| s.contains(path)),
            Role::Member | Role::Discipline => false,
        }
    }

    /// Creating an org under `parent` (None = a new root, admins only).
    pub fn can_create_org(&self, parent: Option<&OrgPath>) -> bool {
        match parent {
            None => self.role == Role::Admin,
            Some(p) => self.can_write_org(p),
        }
    }

    pub fn can_read_member(&self, member: MemberId, org: &OrgPath) -> bool {
        match self.role {
            Role::Member => self.member_id == Some(member),
            _ => self.can_read_org(org),
        }
    }

    pub fn can_write_member(&self, org: &OrgPath) -> bool {
        self.role != Role::Member && self.can_write_org(org)
    }

    /// Full ID numbers: the member themself and the admins responsible for the member's org.
    pub fn can_reveal_id(&self, member: MemberId, org: &OrgPath) -> bool {
        self.can_read_member(member, org)
    }

    pub fn can_manage_users(&self) -> bool {
        self.role == Role::Admin
    }

    /// 问题线索 are confidential to the discipline inspectors: not even a system administrator
    /// reads them (an administrator who also handles leads needs a separate 纪检 account).
    pub fn can_handle_case_leads(&self) -> bool {
        self.role == Role::Discipline
    }

    /// Staff pages (roster, tree, ledgers): not for members' self-service or 纪检 accounts.
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Admin | Role::OrgAdmin)
    }

    pub fn can_view_audit(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require(&self, ok: bool, what: &str) -> Result<(), DomainError> {
        if ok { Ok(()) } else { Err(DomainError::Forbidden(what.to_owned())) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OrgId;

    fn principal(role: Role, scope: Option<OrgPath>, member: Option<MemberId>) -> Principal {
        Principal { user_id: UserId::new(), username: "u".into(), display_name: "U".into(), role, scope, member_id: member }
    }

    #[test]
    fn secretary_sees_own_branch_only() {
        let root = OrgPath::root(OrgId::new());
        let b1 = root.child(OrgId::new());
        let b2 = root.child(OrgId::new());
        let cell = b1.child(OrgId::new());
        let s = principal(Role::OrgAdmin, Some(b1.clone()), None);
        assert!(s.can_read_org(&b1) && s.can_write_org(&cell));
        assert!(!s.can_read_org(&b2) && !s.can_read_org(&root));
        assert!(!s.can_create_org(None) && s.can_create_org(Some(&b1)));
        let m = MemberId::new();
        assert!(s.can_read_member(m, &cell) && !s.can_read_member(m, &b2));
        assert!(!s.can_manage_users());
        assert_eq!(s.visibility(), Visibility::Subtree(b1));
    }

    #[test]
    fn member_sees_own_record_only() {
        let b = OrgPath::root(OrgId::new());
        let me = MemberId::new();
        let p = principal(Role::Member, None, Some(me));
        assert!(p.can_read_member(me, &b));
        assert!(!p.can_read_member(MemberId::new(), &b));
        assert!(!p.can_write_member(&b) && !p.can_read_org(&b));
        assert_eq!(p.visibility(), Visibility::OwnRecord(me));
        assert_eq!(principal(Role::Member, None, None).visibility(), Visibility::Nothing);
    }

    #[test]
    fn admin_sees_everything() {
        let p = principal(Role::Admin, None, None);
        assert!(p.can_read_org(&OrgPath::root(OrgId::new())) && p.can_manage_users() && p.can_view_audit());
        assert_eq!(p.visibility(), Visibility::All);
        assert!(!p.can_handle_case_leads());
    }

    #[test]
    fn discipline_handles_case_leads_and_sees_nothing_else() {
        let p = principal(Role::Discipline, None, None);
        assert!(p.can_handle_case_leads() && !p.is_staff());
        assert!(!p.can_read_org(&OrgPath::root(OrgId::new())) && !p.can_manage_users());
        assert_eq!(p.visibility(), Visibility::Nothing);
    }
}
