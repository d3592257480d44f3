//! Organisations: the tree, its changes (create, edit, move, abolish) and their audit entries.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::org::{OrgDraft, OrgPath};
use dangwu_domain::{DomainError, OrgId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::{Tx, now_ms};
use crate::scope::{org_condition, subtree};
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Org {
    pub id: String,
    pub parent_id: Option<String>,
    pub path: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub unit: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub abolished_on: Option<NaiveDate>,
    pub abolish_reason: Option<String>,
    pub sort_order: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Org {
    pub fn org_path(&self) -> OrgPath {
        OrgPath::from_stored(self.path.clone())
    }
    pub fn org_id(&self) -> OrgId {
        OrgId::parse(&self.id).expect("stored org id is valid")
    }
    pub fn depth(&self) -> usize {
        self.org_path().depth()
    }
    pub fn is_active(&self) -> bool {
        self.abolished_on.is_none()
    }
}

/// All organisations the principal may see, in tree order (parents before children, siblings by sort order).
pub async fn list(store: &Store, p: &Principal, include_abolished: bool) -> Result<Vec<Org>, StoreError> {
    let (cond, args) = org_condition(&p.visibility(), 1);
    let abolished = if include_abolished { "" } else { " AND o.abolished_on IS NULL" };
    let sql = format!("SELECT o.* FROM orgs o WHERE {cond}{abolished}");
    let orgs: Vec<Org> = store.db.read().all(&sql, args).await?;
    Ok(tree_order(orgs))
}

/// Orders a set of orgs depth-first by sort order, so a flat list reads as a tree.
pub fn tree_order(mut orgs: Vec<Org>) -> Vec<Org> {
    use std::collections::HashMap;
    let by_id: HashMap<String, (i64, String)> = orgs.iter().map(|o| (o.id.clone(), (o.sort_order, o.name.clone()))).collect();
    // Sort key: the chain of (sort_order, name, id) from the root down.
    let key = |o: &Org| -> Vec<(i64, String, String)> {
        o.path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|id| {
                let (so, name) = by_id.get(id).cloned().unwrap_or((0, String::new()));
                (so, name, id.to_owned())
            })
            .collect()
    };
    orgs.sort_by_cached_key(key);
    orgs
}

/// One organisation, if the principal may see it (otherwise "不存在", so nothing leaks).
pub async fn get(store: &Store, p: &Principal, id: OrgId) -> Result<Org, StoreError> {
    let org = find(store, id).await?.ok_or(StoreError::NotFound("党组织"))?;
    let visible = p.can_read_org(&org.org_path())
        || (p.member_id.is_some() && member_org_is(store, p, &org.id).await?);
    if visible { Ok(org) } else { Err(StoreError::NotFound("党组织")) }
}

async fn member_org_is(store: &Store, p: &Principal, org_id: &str) -> Result<bool, StoreError> {
    let Some(m) = p.member_id else { return Ok(false) };
    let n: i64 = store.db.read().scalar("SELECT COUNT(*) FROM members WHERE id = $1 AND org_id = $2", args![m, org_id]).await?;
    Ok(n > 0)
}

/// Unscoped lookup for internal use (permission checks happen in the callers).
pub async fn find(store: &Store, id: OrgId) -> Result<Option<Org>, StoreError> {
    store.db.read().opt("SELECT * FROM orgs WHERE id = $1", args![id]).await
}

pub async fn find_in(tx: &mut Tx, id: &str) -> Result<Option<Org>, StoreError> {
    tx.opt("SELECT * FROM orgs WHERE id = $1", args![id]).await
}

/// Direct children, active first.
pub async fn children(store: &Store, id: OrgId) -> Result<Vec<Org>, StoreError> {
    store
        .db
        .read()
        .all("SELECT * FROM orgs WHERE parent_id = $1 ORDER BY abolished_on IS NOT NULL, sort_order, name", args![id])
        .await
}

/// Chain of ancestors from the root down to (excluding) the org, for breadcrumbs.
pub async fn ancestors(store: &Store, org: &Org) -> Result<Vec<Org>, StoreError> {
    // The path lists the ancestors' ids: one query for all of them, ordered by depth.
    let ids: Vec<String> = org.org_path().ids().into_iter().map(|i| i.to_string()).filter(|i| *i != org.id).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT * FROM orgs WHERE id IN ({}) ORDER BY LENGTH(path)", marks.join(", "));
    store.db.read().all(&sql, ids.into_iter().map(crate::db::Arg::from).collect()).await
}

pub async fn create(store: &Store, p: &Principal, actor: &Actor, draft: OrgDraft) -> Result<Org, StoreError> {
    let mut tx = store.db.begin().await?;
    let parent = match draft.parent_id {
        Some(pid) => Some(
            find_in(&mut tx, &pid.to_string())
                .await?
                .filter(|o| p.can_read_org(&o.org_path()))
                .ok_or_else(|| StoreError::Domain(DomainError::field("parent_id", "上级组织不存在")))?,
        ),
        None => None,
    };
    if !p.can_create_org(parent.as_ref().map(|o| o.org_path()).as_ref()) {
        return Err(StoreError::Domain(DomainError::Forbidden("不能在本人管理范围以外新建党组织".into())));
    }
    if let Some(par) = &parent {
        if !par.is_active() {
            return Err(StoreError::Domain(DomainError::rule(Some("parent_id"), format!("上级组织“{}”已撤销", par.name))));
        }
    }
    store.catalogue.check_parent(&draft.kind, parent.as_ref().map(|o| o.kind.as_str()))?;
    let id = OrgId::new();
    let path = match &parent {
        Some(par) => par.org_path().child(id),
        None => OrgPath::root(id),
    };
    let sort_order: i64 = tx
        .scalar("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM orgs WHERE parent_id IS NOT DISTINCT FROM $1", args![draft.parent_id])
        .await?;
    let now = now_ms();
    tx.exec(
        "INSERT INTO orgs (id, parent_id, path, name, short_name, kind, unit, established_on, sort_order, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        args![id, draft.parent_id, path.as_str(), draft.name.clone(), draft.short_name.clone(), draft.kind.clone(),
              draft.unit.clone(), draft.established_on, sort_order, now],
    )
    .await?;
    let org = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    audit::append(&mut tx, actor, "org.create", "org", &org.id, String::new(), digest(Some(&org)), &org.name).await?;
    tx.commit().await?;
    Ok(org)
}

/// Edits name, short name, kind, unit and establishment date, and moves the subtree when
/// `draft.parent_id` names a different parent — all in one transaction.
pub async fn update(store: &Store, p: &Principal, actor: &Actor, id: OrgId, draft: OrgDraft) -> Result<Org, StoreError> {
    let mut tx = store.db.begin().await?;
    let before = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    check_write(p, &before)?;
    let current_parent = before.parent_id.clone();
    let new_parent = draft.parent_id.map(|p| p.to_string());
    if new_parent != current_parent {
        let Some(to) = draft.parent_id else {
            return Err(DomainError::rule(Some("parent_id"), "不能把下级组织改为顶级组织；如需移动，请选择新的上级组织").into());
        };
        move_in(&mut tx, store, p, &before, to, &draft.kind).await?;
    } else if draft.kind != before.kind {
        let parent_kind = match &before.parent_id {
            Some(pid) => find_in(&mut tx, pid).await?.map(|o| o.kind),
            None => None,
        };
        store.catalogue.check_parent(&draft.kind, parent_kind.as_deref())?;
    }
    if draft.kind != before.kind {
        let kids: Vec<Org> = tx.all("SELECT * FROM orgs WHERE parent_id = $1 AND abolished_on IS NULL", args![id]).await?;
        for k in kids {
            store.catalogue.check_parent(&k.kind, Some(&draft.kind))?;
        }
    }
    tx.exec(
        "UPDATE orgs SET name = $1, short_name = $2, kind = $3, unit = $4, established_on = $5, updated_at = $6 WHERE id = $7",
        args![draft.name, draft.short_name, draft.kind, draft.unit, draft.established_on, now_ms(), id],
    )
    .await?;
    let after = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    audit::append(&mut tx, actor, "org.update", "org", &after.id, digest(Some(&before)), digest(Some(&after)), &after.name).await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) fn check_write(p: &Principal, org: &Org) -> Result<(), StoreError> {
    let path = org.org_path();
    if p.can_write_org(&path) {
        Ok(())
    } else if p.can_read_org(&path) {
        Err(StoreError::forbidden("不能修改本人管理范围以外的党组织"))
    } else {
        Err(StoreError::NotFound("党组织"))
    }
}

/// Moves an org and its whole subtree under a new parent, rewriting the paths in one statement.
pub async fn move_to(store: &Store, p: &Principal, actor: &Actor, id: OrgId, new_parent: OrgId) -> Result<Org, StoreError> {
    let mut tx = store.db.begin().await?;
    let org = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    check_write(p, &org)?;
    let parent_name = move_in(&mut tx, store, p, &org, new_parent, &org.kind).await?;
    let after = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    audit::append(&mut tx, actor, "org.move", "org", &after.id, digest(Some(&org)), digest(Some(&after)), &parent_name).await?;
    tx.commit().await?;
    Ok(after)
}

/// The move itself, inside the caller's transaction; `kind` is the kind the org will have.
async fn move_in(tx: &mut Tx, store: &Store, p: &Principal, org: &Org, new_parent: OrgId, kind: &str) -> Result<String, StoreError> {
    let parent = find_in(tx, &new_parent.to_string())
        .await?
        .filter(|o| p.can_read_org(&o.org_path()))
        .ok_or_else(|| StoreError::Domain(DomainError::field("parent_id", "新的上级组织不存在")))?;
    if !p.can_write_org(&parent.org_path()) {
        return Err(StoreError::Domain(DomainError::Forbidden("不能移到本人管理范围以外的党组织之下".into())));
    }
    if org.org_path().contains(&parent.org_path()) {
        return Err(DomainError::rule(Some("parent_id"), "不能把组织移到它自己或它的下级组织之下").into());
    }
    if !parent.is_active() {
        return Err(DomainError::rule(Some("parent_id"), format!("上级组织“{}”已撤销", parent.name)).into());
    }
    store.catalogue.check_parent(kind, Some(&parent.kind))?;
    let old = org.org_path();
    let new = parent.org_path().child(org.org_id());
    let (cond, mut a) = subtree(&old, 3);
    a.insert(0, crate::db::Arg::from(new.as_str()));
    a.insert(1, crate::db::Arg::from(old.as_str().len() as i64 + 1));
    let sql = format!("UPDATE orgs SET path = $1 || substr(path, CAST($2 AS INTEGER)) WHERE {}", cond.replace("o.path", "path"));
    tx.exec(&sql, a).await?;
    tx.exec("UPDATE orgs SET parent_id = $1, updated_at = $2 WHERE id = $3", args![new_parent, now_ms(), org.id.as_str()]).await?;
    Ok(parent.name)
}

/// Abolishes an org; it stays in the tree as history. Members must be transferred and
/// sub-organisations abolished first, so nothing is left without an organisation.
pub async fn abolish(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    id: OrgId,
    on: NaiveDate,
    reason: &str,
) -> Result<Org, StoreError> {
    let mut tx = store.db.begin().await?;
    let org = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    check_write(p, &org)?;
    if !org.is_active() {
        return Err(DomainError::rule(None, format!("“{}”已于{}撤销", org.name, org.abolished_on.unwrap())).into());
    }
    if org.established_on.is_some_and(|e| on < e) {
        return Err(DomainError::field("abolished_on", "撤销日期不能早于成立日期").into());
    }
    if reason.trim().is_empty() {
        return Err(DomainError::field("abolish_reason", "请填写撤销原因（如上级批复文号）").into());
    }
    let kids: i64 = tx.scalar("SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND abolished_on IS NULL", args![id]).await?;
    if kids > 0 {
        return Err(DomainError::rule(None, format!("“{}”还有{kids}个下级组织未撤销，请先撤销或移走", org.name)).into());
    }
    let members: i64 = tx
        .scalar("SELECT COUNT(*) FROM members WHERE org_id = $1 AND status IN ('full', 'probationary')", args![id])
        .await?;
    if members > 0 {
        return Err(DomainError::rule(None, format!("“{}”还有{members}名党员，请先转接组织关系", org.name)).into());
    }
    tx.exec(
        "UPDATE orgs SET abolished_on = $1, abolish_reason = $2, updated_at = $3 WHERE id = $4",
        args![on, reason.trim(), now_ms(), id],
    )
    .await?;
    let after = find_in(&mut tx, &id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    audit::append(&mut tx, actor, "org.abolish", "org", &after.id, digest(Some(&org)), digest(Some(&after)), reason.trim()).await?;
    tx.commit().await?;
    Ok(after)
}
