//! Teams (党员先锋队, 志愿服务队) and posts (党员示范岗 …): the same shape — kind, name, purpose,
//! period, members of the owning org's subtree — in two tables. A team's service is an activity
//! whose `team` field names it; its hours and participants are the activity's. Likewise a post's
//! pledges and sign-ups (倡议书, 签名) are activities whose `post` field names it.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::community::{GroupInput, hours_tenths};
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;
use std::collections::HashMap;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::orgs::{self, Org, check_write};
use crate::scope::org_condition;
use crate::{Store, StoreError, args};

/// Which register: the tables and words differ, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Team,
    Post,
}

impl Register {
    fn table(self) -> &'static str {
        match self {
            Register::Team => "teams",
            Register::Post => "posts",
        }
    }
    fn members(self) -> (&'static str, &'static str) {
        match self {
            Register::Team => ("team_members", "team_id"),
            Register::Post => ("post_members", "post_id"),
        }
    }
    /// The activity field (kind field in `extra`) that names a team or post.
    pub fn field(self) -> &'static str {
        match self {
            Register::Team => "team",
            Register::Post => "post",
        }
    }
    pub fn word(self) -> &'static str {
        match self {
            Register::Team => "服务队",
            Register::Post => "岗位",
        }
    }
    fn not_found(self) -> StoreError {
        StoreError::NotFound(match self {
            Register::Team => "服务队",
            Register::Post => "岗位",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Group {
    pub id: String,
    pub org_id: String,
    pub kind: String,
    pub name: String,
    pub purpose: Option<String>,
    pub community_id: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub created_at: i64,
}

/// A line of a list: the group, its org and community names, member count and (teams) service.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub group: Group,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    pub community_name: Option<String>,
    pub members: i64,
    pub services: i64,
    /// Service hours in tenths (sum of the activities' `hours`).
    pub hours_tenths: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct GroupMember {
    pub member_id: String,
    pub name: String,
    pub org_name: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Service {
    pub id: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub present_count: i64,
    pub extra: String,
}

impl Service {
    pub fn hours_tenths(&self) -> i64 {
        let m: HashMap<String, String> = serde_json::from_str(&self.extra).unwrap_or_default();
        m.get("hours").and_then(|h| hours_tenths(h)).unwrap_or(0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupDetail {
    pub row: GroupRow,
    pub org: Org,
    pub members: Vec<GroupMember>,
    pub services: Vec<Service>,
}

/// Active members of the org's subtree: who may be put in its team or post.
async fn subtree_roster(store: &Store, org: &Org) -> Result<Vec<(MemberId, String)>, StoreError> {
    let (cond, a) = crate::scope::subtree(&org.org_path(), 1);
    let rows: Vec<(String, String)> = store
        .db
        .read()
        .all(&format!("SELECT m.id, m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE {cond} AND m.status IN ('full', 'probationary')"), a)
        .await?;
    rows.into_iter().map(|(id, n)| Ok((MemberId::parse(&id)?, n))).collect()
}

/// Validates and records a team or post with its members (one transaction, audited).
pub async fn create(store: &Store, p: &Principal, actor: &Actor, reg: Register, input: &GroupInput) -> Result<Group, StoreError> {
    let org_id = OrgId::parse(&input.org_id).map_err(|_| DomainError::field("org_id", "请选择党组织"))?;
    let org = orgs::get(store, p, org_id).await?;
    check_write(p, &org)?;
    if !org.is_active() {
        return Err(DomainError::field("org_id", format!("“{}”已撤销", org.name)).into());
    }
    let roster = subtree_roster(store, &org).await?;
    let book = &store.community;
    let kinds = match reg {
        Register::Team => &book.team_kinds,
        Register::Post => &book.post_kinds,
    };
    let draft = input.validate(kinds, reg.word(), &roster)?;
    if let Some(c) = &draft.community_id {
        let n: i64 = store.db.read().scalar("SELECT COUNT(*) FROM communities WHERE id = $1", args![c.as_str()]).await?;
        if n == 0 {
            return Err(DomainError::field("community_id", "所选社区不存在").into());
        }
    }
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    tx.exec(
        &format!(
            "INSERT INTO {} (id, org_id, kind, name, purpose, community_id, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            reg.table()
        ),
        args![id.clone(), draft.org_id, draft.kind.clone(), draft.name.clone(), draft.purpose.clone(), draft.community_id.clone(),
              draft.starts_on, draft.ends_on, now_ms()],
    )
    .await?;
    let (mt, col) = reg.members();
    for m in &draft.members {
        tx.exec(&format!("INSERT INTO {mt} ({col}, member_id) VALUES ($1, $2)"), args![id.clone(), *m]).await?;
    }
    let g: Group = tx.opt(&format!("SELECT * FROM {} WHERE id = $1", reg.table()), args![id.clone()]).await?.ok_or(reg.not_found())?;
    audit::append(&mut tx, actor, &format!("{}.create", &reg.table()[..4]), &reg.table()[..4], &id, String::new(), digest(Some(&(&g, &draft))), &g.name).await?;
    tx.commit().await?;
    Ok(g)
}

/// Teams or posts in the principal's scope (a member: those they belong to), with counts.
/// `on` limits the list to those running on some day of [from, to].
pub async fn list(store: &Store, p: &Principal, reg: Register, range: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<GroupRow>, StoreError> {
    let (mt, col) = reg.members();
    let (cond, mut a) = match p.member_id.filter(|_| p.role == dangwu_domain::auth::Role::Member) {
        Some(m) => (format!("g.id IN (SELECT {col} FROM {mt} WHERE member_id = $1)"), args![m]),
        None => org_condition(&p.visibility(), 1),
    };
    let mut sql = format!(
        "SELECT g.*, o.name AS org_name, o.path AS org_path, c.name AS community_name, \
         (SELECT COUNT(*) FROM {mt} x WHERE x.{col} = g.id) AS members \
         FROM {} g JOIN orgs o ON o.id = g.org_id LEFT JOIN communities c ON c.id = g.community_id WHERE {cond}",
        reg.table()
    );
    if let Some((from, to)) = range {
        sql.push_str(&format!(" AND g.starts_on <= ${} AND (g.ends_on IS NULL OR g.ends_on >= ${})", a.len() + 1, a.len() + 2));
        a.push(to.into());
        a.push(from.into());
    }
    sql.push_str(" ORDER BY o.path, g.kind, g.name");
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        group: Group,
        org_name: String,
        org_path: String,
        community_name: Option<String>,
        members: i64,
    }
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
    let mut service: HashMap<String, (i64, i64)> = HashMap::new();
    if !rows.is_empty() {
        let mut orgs: Vec<&str> = rows.iter().map(|r| r.group.org_id.as_str()).collect();
        orgs.sort_unstable();
        orgs.dedup();
        for s in services_of(store, reg, &orgs, None).await? {
            let e = service.entry(s.0).or_default();
            e.0 += 1;
            e.1 += s.1.hours_tenths();
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let (services, hours_tenths) = service.get(&r.group.id).copied().unwrap_or_default();
            GroupRow { group: r.group, org_name: r.org_name, org_path: r.org_path, community_name: r.community_name, members: r.members, services, hours_tenths }
        })
        .collect())
}

/// (team or post id, activity) for the activities recorded by `orgs` naming a team (services) or
/// a post (pledges) — recorded by its own org, see `check_link` — or naming one of them. The link
/// is a kind field of the activity (JSON `extra`), so the match is made here rather than in SQL,
/// in one query over those orgs only.
pub(crate) async fn services_of(store: &Store, reg: Register, orgs: &[&str], one: Option<&str>) -> Result<Vec<(String, Service)>, StoreError> {
    if orgs.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (0..orgs.len()).map(|i| format!("${}", i + 2)).collect();
    let mut a = args![format!("%\"{}\"%", reg.field())];
    a.extend(orgs.iter().map(|o| crate::db::Arg::from(*o)));
    let rows: Vec<Service> = store
        .db
        .read()
        .all(
            &format!("SELECT a.id, a.title, a.held_on, a.present_count, a.extra FROM activities a WHERE a.extra LIKE $1 AND a.org_id IN ({}) ORDER BY a.held_on", marks.join(", ")),
            a,
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|s| {
            let m: HashMap<String, String> = serde_json::from_str(&s.extra).unwrap_or_default();
            let t = m.get(reg.field())?.clone();
            one.is_none_or(|want| want == t).then_some((t, s))
        })
        .collect())
}

/// One team or post with its members and (teams) service; members see only their own.
pub async fn get(store: &Store, p: &Principal, reg: Register, id: &str) -> Result<GroupDetail, StoreError> {
    let g: Group = store.db.read().opt(&format!("SELECT * FROM {} WHERE id = $1", reg.table()), args![id]).await?.ok_or(reg.not_found())?;
    let org = orgs::find(store, OrgId::parse(&g.org_id)?).await?.ok_or(reg.not_found())?;
    let (mt, col) = reg.members();
    let members: Vec<GroupMember> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT m.id AS member_id, m.name, o.name AS org_name FROM {mt} x JOIN members m ON m.id = x.member_id \
                 JOIN orgs o ON o.id = m.org_id WHERE x.{col} = $1 ORDER BY o.path, m.name"
            ),
            args![id],
        )
        .await?;
    let mine = p.member_id.is_some_and(|m| members.iter().any(|x| x.member_id == m.to_string()));
    if !p.can_read_org(&org.org_path()) && !mine {
        return Err(reg.not_found());
    }
    let services: Vec<Service> = services_of(store, reg, &[g.org_id.as_str()], Some(id)).await?.into_iter().map(|(_, s)| s).collect();
    let community_name = match &g.community_id {
        Some(c) => store.db.read().opt::<(String,)>("SELECT name FROM communities WHERE id = $1", args![c.as_str()]).await?.map(|r| r.0),
        None => None,
    };
    let row = GroupRow {
        org_name: org.name.clone(),
        org_path: org.path.clone(),
        community_name,
        members: members.len() as i64,
        services: services.len() as i64,
        hours_tenths: services.iter().map(Service::hours_tenths).sum(),
        group: g,
    };
    Ok(GroupDetail { row, org, members, services })
}

/// An activity naming a team (or post) must be recorded by its own org, within its period.
pub(crate) async fn check_link(store: &Store, reg: Register, org_id: &str, id: &str, on: NaiveDate) -> Result<(), StoreError> {
    let (field, word) = (reg.field(), reg.word());
    let g: Option<Group> = store.db.read().opt(&format!("SELECT * FROM {} WHERE id = $1", reg.table()), args![id]).await?;
    let Some(g) = g else { return Err(DomainError::field(field, format!("所填{word}不存在")).into()) };
    if g.org_id != org_id {
        return Err(DomainError::field(field, format!("“{}”不属于本组织，请由其所属党组织记录", g.name)).into());
    }
    if g.starts_on > on || g.ends_on.is_some_and(|e| e < on) {
        return Err(DomainError::field(field, format!("活动日期不在“{}”的存续期内", g.name)).into());
    }
    Ok(())
}

/// Active members the principal may put in a team or post, in tree order: the form's choices
/// (the org's subtree is checked again on create).
pub async fn choosable(store: &Store, p: &Principal) -> Result<Vec<GroupMember>, StoreError> {
    let (cond, a) = crate::scope::member_condition(&p.visibility(), 1);
    store
        .db
        .read()
        .all(
            &format!(
                "SELECT m.id AS member_id, m.name, o.name AS org_name FROM members m JOIN orgs o ON o.id = m.org_id \
                 WHERE {cond} AND m.status IN ('full', 'probationary') ORDER BY o.path, m.name"
            ),
            a,
        )
        .await
}
