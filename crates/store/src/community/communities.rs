//! Communities and 双报到: orgs (and in-service members) reporting to a community, and the
//! community's needs list — raised, claimed by an org or member, followed to done (the done item
//! is recorded as a 为社区办实事 activity, which the yearly rule counts).

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::community::check_claimer;
use dangwu_domain::member::MemberStatus;
use dangwu_domain::org::OrgPath;
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::orgs::{self, check_write};
use crate::scope::org_condition;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Community {
    pub id: String,
    pub name: String,
    pub address: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Link {
    pub id: String,
    pub community_id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub member_id: Option<String>,
    pub member_name: Option<String>,
    pub since: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Need {
    pub id: String,
    pub community_id: String,
    pub title: String,
    pub raised_on: NaiveDate,
    pub status: String,
    pub org_id: Option<String>,
    pub member_id: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub activity_id: Option<String>,
    pub created_at: i64,
}

impl Need {
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "open" => "待认领",
            "claimed" => "已认领",
            _ => "已办结",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CommunityDetail {
    pub community: Community,
    pub links: Vec<Link>,
    pub needs: Vec<Need>,
}

fn required(field: &str, label: &str, s: &str) -> Result<String, StoreError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DomainError::field(field, format!("{label}不能为空")).into());
    }
    if t.chars().count() > 200 {
        return Err(DomainError::field(field, format!("{label}不能超过200个字")).into());
    }
    Ok(t.to_owned())
}

/// Registers a community (admins and org admins); the name is unique.
pub async fn create(store: &Store, p: &Principal, actor: &Actor, name: &str, address: &str) -> Result<Community, StoreError> {
    if p.role == dangwu_domain::auth::Role::Member {
        return Err(DomainError::Forbidden("党员账号不能登记社区".into()).into());
    }
    let name = required("name", "社区名称", name)?;
    let n: i64 = store.db.read().scalar("SELECT COUNT(*) FROM communities WHERE name = $1", args![name.as_str()]).await?;
    if n > 0 {
        return Err(DomainError::field("name", format!("社区“{name}”已登记")).into());
    }
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    let address = Some(address.trim().to_owned()).filter(|s| !s.is_empty());
    tx.exec("INSERT INTO communities (id, name, address, created_at) VALUES ($1, $2, $3, $4)", args![id.clone(), name.clone(), address, now_ms()]).await?;
    let c: Community = tx.opt("SELECT * FROM communities WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("社区"))?;
    audit::append(&mut tx, actor, "community.create", "community", &id, String::new(), digest(Some(&c)), &c.name).await?;
    tx.commit().await?;
    Ok(c)
}

/// 双报到: `org` (and, if given, one of its in-service members) reports to the community.
pub async fn link(store: &Store, p: &Principal, actor: &Actor, community: &str, org: OrgId, member: Option<MemberId>, since: NaiveDate) -> Result<(), StoreError> {
    let c = find(store, community).await?;
    let o = orgs::get(store, p, org).await?;
    check_write(p, &o)?;
    if let Some(m) = member {
        let ok: i64 = store
            .db
            .read()
            .scalar("SELECT COUNT(*) FROM members WHERE id = $1 AND org_id = $2 AND status IN ('full', 'probationary') AND dues_category = 'in_service'", args![m, org])
            .await?;
        if ok == 0 {
            return Err(DomainError::field("member_id", format!("该党员不是“{}”的在职党员，不能以此组织名义到社区报到", o.name)).into());
        }
    }
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO community_links (id, community_id, org_id, member_id, since, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![id.clone(), c.id.clone(), org, member, since, now_ms()],
    )
    .await?;
    audit::append(&mut tx, actor, "community.link", "community", &c.id, String::new(), digest(Some(&(&id, &org, &member, since))), &c.name).await?;
    tx.commit().await?;
    Ok(())
}

async fn find(store: &Store, id: &str) -> Result<Community, StoreError> {
    store.db.read().opt("SELECT * FROM communities WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("社区"))
}

/// Communities linked to orgs in the principal's scope (admins: all), with link and open-need counts.
pub async fn list(store: &Store, p: &Principal) -> Result<Vec<(Community, i64, i64)>, StoreError> {
    let (cond, a) = org_condition(&p.visibility(), 1);
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        c: Community,
        links: i64,
        open_needs: i64,
    }
    let all = p.role == dangwu_domain::auth::Role::Admin;
    let filter = if all { String::new() } else { format!("WHERE c.id IN (SELECT l.community_id FROM community_links l JOIN orgs o ON o.id = l.org_id WHERE {cond})") };
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT c.*, (SELECT COUNT(*) FROM community_links l WHERE l.community_id = c.id) AS links, \
                 (SELECT COUNT(*) FROM community_needs n WHERE n.community_id = c.id AND n.status <> 'done') AS open_needs \
                 FROM communities c {filter} ORDER BY c.name"
            ),
            if all { vec![] } else { a },
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.c, r.links, r.open_needs)).collect())
}

pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<CommunityDetail, StoreError> {
    let community = find(store, id).await?;
    let links: Vec<Link> = store
        .db
        .read()
        .all(
            "SELECT l.id, l.community_id, l.org_id, o.name AS org_name, o.path AS org_path, l.member_id, m.name AS member_name, l.since FROM community_links l \
             JOIN orgs o ON o.id = l.org_id LEFT JOIN members m ON m.id = l.member_id WHERE l.community_id = $1 ORDER BY o.path, m.name",
            args![id],
        )
        .await?;
    let visible = p.role == dangwu_domain::auth::Role::Admin
        || links.iter().any(|l| p.can_read_org(&dangwu_domain::org::OrgPath::from_stored(l.org_path.clone())))
        || p.member_id.is_some_and(|m| links.iter().any(|l| l.member_id.as_deref() == Some(&m.to_string())));
    if !visible {
        return Err(StoreError::NotFound("社区"));
    }
    let needs: Vec<Need> = store.db.read().all("SELECT * FROM community_needs WHERE community_id = $1 ORDER BY raised_on, title", args![id]).await?;
    Ok(CommunityDetail { community, links, needs })
}

/// Adds a need to a community's list.
pub async fn add_need(store: &Store, p: &Principal, actor: &Actor, community: &str, title: &str, raised_on: NaiveDate) -> Result<Need, StoreError> {
    let c = get(store, p, community).await?.community;
    if p.role == dangwu_domain::auth::Role::Member {
        return Err(DomainError::Forbidden("党员账号不能登记社区需求".into()).into());
    }
    let title = required("title", "需求内容", title)?;
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO community_needs (id, community_id, title, raised_on, status, org_id, member_id, done_on, activity_id, created_at) \
         VALUES ($1, $2, $3, $4, 'open', NULL, NULL, NULL, NULL, $5)",
        args![id.clone(), c.id.clone(), title, raised_on, now_ms()],
    )
    .await?;
    let n: Need = tx.opt("SELECT * FROM community_needs WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("社区需求"))?;
    audit::append(&mut tx, actor, "community_need.create", "community_need", &id, String::new(), digest(Some(&n)), &n.title).await?;
    tx.commit().await?;
    Ok(n)
}

/// An org (optionally one of its members) claims a need; a claimed need is "planned" for the year.
pub async fn claim(store: &Store, p: &Principal, actor: &Actor, need: &str, org: OrgId, member: Option<MemberId>) -> Result<Need, StoreError> {
    let before = find_need(store, need).await?;
    if before.status != "open" {
        return Err(DomainError::rule(Some("status"), format!("“{}”已{}", before.title, before.status_label())).into());
    }
    let o = orgs::get(store, p, org).await?;
    check_write(p, &o)?;
    if let Some(m) = member {
        let row: Option<(String, String, String)> =
            store.db.read().opt("SELECT m.name, o.path, m.status FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1", args![m]).await?;
        let Some((name, path, status)) = row else {
            return Err(DomainError::field("member_id", format!("党员编号“{m}”不存在")).into());
        };
        let path = OrgPath::from_stored(path);
        // Outside the caller's sight the name is not shown.
        let name = if p.can_read_org(&path) { name } else { "该党员".to_owned() };
        check_claimer(&o.org_path(), &o.name, &name, &path, MemberStatus::parse(&status)?)?;
    }
    let mut tx = store.db.begin().await?;
    tx.exec("UPDATE community_needs SET status = 'claimed', org_id = $1, member_id = $2 WHERE id = $3", args![org, member, need]).await?;
    let n: Need = tx.opt("SELECT * FROM community_needs WHERE id = $1", args![need]).await?.ok_or(StoreError::NotFound("社区需求"))?;
    audit::append(&mut tx, actor, "community_need.claim", "community_need", need, digest(Some(&before)), digest(Some(&n)), &n.title).await?;
    tx.commit().await?;
    Ok(n)
}

/// The activity kind (rulebook/kinds) that records doing a need.
pub const PROJECT_KIND: &str = "community_project";

/// Closes a claimed need with the 为社区办实事 activity that did it (recorded by the claiming org).
pub async fn done(store: &Store, p: &Principal, actor: &Actor, need: &str, activity: &str) -> Result<Need, StoreError> {
    let before = find_need(store, need).await?;
    if before.status == "done" {
        return Err(DomainError::rule(Some("status"), format!("“{}”已办结", before.title)).into());
    }
    let Some(org) = before.org_id.clone() else {
        return Err(DomainError::rule(Some("status"), "请先认领，再办结").into());
    };
    let o = orgs::get(store, p, OrgId::parse(&org)?).await?;
    check_write(p, &o)?;
    let a = crate::activities::get(store, p, activity).await?;
    if a.activity.org_id != org || !a.kinds.iter().any(|k| k == PROJECT_KIND) {
        return Err(DomainError::field("activity_id", "办结须关联认领组织记录的“为社区办实事”活动").into());
    }
    let mut tx = store.db.begin().await?;
    tx.exec("UPDATE community_needs SET status = 'done', done_on = $1, activity_id = $2 WHERE id = $3", args![a.activity.held_on, activity, need]).await?;
    let n: Need = tx.opt("SELECT * FROM community_needs WHERE id = $1", args![need]).await?.ok_or(StoreError::NotFound("社区需求"))?;
    audit::append(&mut tx, actor, "community_need.done", "community_need", need, digest(Some(&before)), digest(Some(&n)), &n.title).await?;
    tx.commit().await?;
    Ok(n)
}

async fn find_need(store: &Store, id: &str) -> Result<Need, StoreError> {
    store.db.read().opt("SELECT * FROM community_needs WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("社区需求"))
}

/// One need with its community (visible as the community is).
pub async fn need(store: &Store, p: &Principal, id: &str) -> Result<(Need, CommunityDetail), StoreError> {
    let n = find_need(store, id).await?;
    let c = get(store, p, &n.community_id).await.map_err(|_| StoreError::NotFound("社区需求"))?;
    Ok((n, c))
}
