//! `dangwu post …` and `dangwu community …`.

use dangwu_domain::community::{CommunityBook, GroupInput};
use dangwu_domain::date::parse_date;
use dangwu_domain::{DomainError, MemberId, OrgId};
use dangwu_store::StoreError;
use dangwu_store::community::communities;
use dangwu_store::community::groups::{self, Register};
use serde_json::json;

use super::{emit, written};
use crate::cli::GlobalOpts;
use crate::cli_community::{CommunityCmd, PostCmd};
use crate::{cli_actor, cli_principal};

pub async fn post(g: &GlobalOpts, c: PostCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let p = cli_principal();
    let out = match c {
        PostCmd::List { json } => {
            let rows = groups::list(&store, &p, Register::Post, None).await?;
            if json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|r| json!({"id": r.group.id, "org_id": r.group.org_id, "org_name": r.org_name, "kind": r.group.kind, "name": r.group.name,
                        "purpose": r.group.purpose, "starts_on": r.group.starts_on, "ends_on": r.group.ends_on, "members": r.members}))
                    .collect();
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                for r in &rows {
                    let kind = CommunityBook::label(&store.community.post_kinds, &r.group.kind);
                    emit(&format!("{}\t{}\t{}\t成员{}人\t{}", r.org_name, kind, r.group.name, r.members, r.group.id))?;
                }
            }
            0
        }
        PostCmd::Add { org, kind, name, purpose, from, to, members } => {
            let input = GroupInput { org_id: org, kind, name, purpose, community_id: String::new(), starts_on: from, ends_on: to, member_ids: members };
            written("岗位", groups::create(&store, &p, &cli_actor(), Register::Post, &input).await, |t| format!("已设立“{}”（{}人）\n{}", t.name, input.member_ids.len(), t.id))?
        }
    };
    store.db.close().await;
    Ok(out)
}

fn date(field: &str, s: &str) -> Result<chrono::NaiveDate, StoreError> {
    parse_date(s).ok_or_else(|| DomainError::field(field, format!("日期“{s}”格式不正确，应为如 2022-01-05 的日期")).into())
}

fn org_member(org: &str, member: Option<&str>) -> Result<(OrgId, Option<MemberId>), StoreError> {
    let o = OrgId::parse(org).map_err(|_| DomainError::field("org_id", format!("党组织编号“{org}”无效")))?;
    let m = member.map(|m| MemberId::parse(m).map_err(|_| DomainError::field("member_id", format!("党员编号“{m}”无效")))).transpose()?;
    Ok((o, m))
}

pub async fn community(g: &GlobalOpts, c: CommunityCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let (p, actor) = (cli_principal(), cli_actor());
    let out = match c {
        CommunityCmd::List { json } => {
            let rows = communities::list(&store, &p).await?;
            if json {
                let v: Vec<_> = rows.iter().map(|(c, l, n)| json!({"id": c.id, "name": c.name, "address": c.address, "links": l, "open_needs": n})).collect();
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                for (c, l, n) in &rows {
                    emit(&format!("{}\t报到{l}个\t待办需求{n}项\t{}", c.name, c.id))?;
                }
            }
            0
        }
        CommunityCmd::Add { name, address } => written("社区", communities::create(&store, &p, &actor, &name, &address).await, |c| format!("已登记“{}”\n{}", c.name, c.id))?,
        CommunityCmd::Link { id, org, member, since } => {
            let r = async {
                let (o, m) = org_member(&org, member.as_deref())?;
                communities::link(&store, &p, &actor, &id, o, m, date("since", &since)?).await
            };
            written("双报到", r.await, |()| "已报到".to_owned())?
        }
        CommunityCmd::Need { id, title, date: on } => {
            let r = async { communities::add_need(&store, &p, &actor, &id, &title, date("raised_on", &on)?).await };
            written("社区需求", r.await, |n| format!("已登记“{}”\n{}", n.title, n.id))?
        }
        CommunityCmd::Claim { need, org, member } => {
            let r = async {
                let (o, m) = org_member(&org, member.as_deref())?;
                communities::claim(&store, &p, &actor, &need, o, m).await
            };
            written("认领", r.await, |n| format!("已认领“{}”", n.title))?
        }
        CommunityCmd::Done { need, activity } => written("办结", communities::done(&store, &p, &actor, &need, &activity).await, |n| format!("已办结“{}”", n.title))?,
    };
    store.db.close().await;
    Ok(out)
}
