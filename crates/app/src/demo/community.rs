//! The seed report's people and community in Q1 2022: the 双报到 communities and their needs,
//! 6 疫情防控一线党员先锋队 (one per branch) with their 下沉社区 service, the 党员志愿服务队 of
//! 机关党支部 that served its community only in March (so compliance shows January and February
//! red, as the report admits), the nomination of delegates to three congresses over the 7
//! grassroots orgs with every member informed and taking part, a training for party workers, and
//! the posts planned for the 第25届省运会 from April.
//!
//! Everything goes through `dangwu_store`, validated and audited like a record typed in.

use anyhow::Context;
use chrono::NaiveDate;
use dangwu_domain::activity::{ActivityInput, AttendeeInput};
use dangwu_domain::auth::Principal;
use dangwu_domain::community::{ElectionInput, GroupInput};
use dangwu_store::Store;
use dangwu_store::activities;
use dangwu_store::audit::Actor;
use dangwu_store::community::groups::{self, Register};
use dangwu_store::community::{communities, elections};
use dangwu_store::orgs::Org;

use super::activities::Roll;
use super::people::Kind;

pub const HAIYUN: &str = "东山街道海韵社区";
pub const FUSHAN: &str = "东山街道福山社区";

#[derive(Debug, Clone, Default)]
pub struct CommunitySummary {
    pub teams: usize,
    pub elections: usize,
    pub posts: usize,
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, day).expect("valid date")
}

fn s(v: &str) -> String {
    v.to_owned()
}

/// The first `n` members of a branch still in service (leaders first, as generated).
fn working(people: &[Roll], branch: usize, n: usize) -> Vec<&Roll> {
    people.iter().filter(|r| r.branch == branch && r.kind != Kind::Retired && r.kind != Kind::Probationary).take(n).collect()
}

fn present(rolls: &[&Roll]) -> Vec<AttendeeInput> {
    rolls.iter().map(|r| AttendeeInput { member_id: r.id.to_string(), attendance: s("present"), ..Default::default() }).collect()
}

#[allow(clippy::too_many_arguments)]
async fn service(store: &Store, p: &Principal, actor: &Actor, today: NaiveDate, org: &Org, kind: &str, on: NaiveDate, title: &str, extra: &[(&str, &str)], who: &[&Roll]) -> anyhow::Result<String> {
    let mut a = ActivityInput { org_id: org.id.clone(), kinds: vec![s(kind)], title: s(title), held_on: on.to_string(), ..Default::default() };
    a.topics = s(title);
    for (k, v) in extra {
        a.extra.insert(s(k), s(v));
    }
    a.attendees = present(who);
    let rec = activities::create(store, p, actor, &a, today, 0).await.with_context(|| format!("记录“{title}”失败"))?;
    Ok(rec.id)
}

pub async fn create(store: &Store, p: &Principal, actor: &Actor, today: NaiveDate, organ: &Org, branches: &[Org], people: &[Roll]) -> anyhow::Result<CommunitySummary> {
    let haiyun = communities::create(store, p, actor, HAIYUN, "海滨市东山街道海韵路").await?;
    let fushan = communities::create(store, p, actor, FUSHAN, "海滨市东山街道福山路").await?;
    for (i, b) in branches.iter().enumerate() {
        let c = if i < 4 { &haiyun } else { &fushan };
        communities::link(store, p, actor, &c.id, b.org_id(), None, d(1, 4)).await?;
    }
    // An in-service member of 机关党支部 reports in person too (在职党员到社区报到).
    let first = working(people, 0, 12)[11];
    communities::link(store, p, actor, &haiyun.id, branches[0].org_id(), Some(first.id), d(1, 4)).await?;

    // 6 vanguard teams, one per branch, sent to their community in February.
    let mut teams = 0;
    let days = [7, 8, 9, 10, 11, 14];
    for (i, b) in branches.iter().enumerate() {
        let c = if i < 4 { &haiyun } else { &fushan };
        let who = working(people, i, 5);
        let input = GroupInput {
            org_id: b.id.clone(),
            kind: s("vanguard"),
            name: format!("{}疫情防控一线党员先锋队", b.short_name.clone().unwrap_or_else(|| b.name.trim_end_matches("党支部").to_owned())),
            purpose: s("疫情防控：下沉社区支援抗疫（核酸检测秩序维护、入户排查、物资配送）"),
            community_id: c.id.clone(),
            starts_on: d(2, 14).to_string(),
            ends_on: d(4, 30).to_string(),
            member_ids: who.iter().map(|r| r.id.to_string()).collect(),
        };
        let t = groups::create(store, p, actor, Register::Team, &input).await?;
        teams += 1;
        let extra = [("hours", "4"), ("community", c.name.as_str()), ("team", t.id.as_str())];
        service(store, p, actor, today, b, "community_service", d(3, days[i]), "下沉社区支援疫情防控", &extra, &who).await?;
    }

    // 机关党支部's volunteer team: no community visit in January or February (staff seconded to
    // epidemic control), one in March.
    // Leaders first, then the first members in service (member1 of the demo logins among them).
    let vol_members = working(people, 0, 12);
    let input = GroupInput {
        org_id: branches[0].id.clone(),
        kind: s("volunteer"),
        name: s("机关党员志愿服务队"),
        purpose: s("“送健康进社区”：为社区群众提供科学健身指导"),
        community_id: haiyun.id.clone(),
        starts_on: "2021-03-05".into(),
        member_ids: vol_members.iter().map(|r| r.id.to_string()).collect(),
        ..Default::default()
    };
    let vol = groups::create(store, p, actor, Register::Team, &input).await?;
    teams += 1;
    let extra = [("hours", "3"), ("community", HAIYUN), ("team", vol.id.as_str())];
    service(store, p, actor, today, &branches[0], "volunteer_service", d(3, 18), "“送健康进社区”科学健身指导志愿服务", &extra, &vol_members[..5]).await?;

    // The community's needs: one done in March (为社区办实事), one claimed, one open.
    let fix = communities::add_need(store, p, actor, &haiyun.id, "社区健身路径器材检修", d(1, 10)).await?;
    communities::claim(store, p, actor, &fix.id, branches[0].org_id(), None).await?;
    let extra = [("community", HAIYUN)];
    let done = service(store, p, actor, today, &branches[0], "community_project", d(3, 25), "为海韵社区检修健身路径器材", &extra, &vol_members[..3]).await?;
    communities::done(store, p, actor, &fix.id, &done).await?;
    let guide = communities::add_need(store, p, actor, &haiyun.id, "为社区老年人开展科学健身指导", d(1, 10)).await?;
    communities::claim(store, p, actor, &guide.id, branches[2].org_id(), None).await?;
    communities::add_need(store, p, actor, &haiyun.id, "社区青少年暑期体育公益课", d(3, 1)).await?;

    // Delegate nomination over the 7 grassroots orgs (机关党委 and its 6 branches).
    let mut targets = vec![organ.id.clone()];
    targets.extend(branches.iter().map(|b| b.id.clone()));
    let congresses = [("党的二十大代表", d(1, 10), d(2, 15)), ("省第十二次党代会代表", d(1, 10), d(2, 15)), ("市第十四次党代会代表", d(1, 4), d(1, 20))];
    for (title, opens, closes) in congresses {
        let input = ElectionInput {
            org_id: organ.id.clone(),
            title: s(title),
            opens_on: opens.to_string(),
            closes_on: closes.to_string(),
            org_ids: targets.clone(),
            note: s("代表候选人初步人选推荐提名"),
        };
        let e = elections::create(store, p, actor, &input).await?;
        elections::mark_all(store, p, actor, &e.id, true, true).await.with_context(|| format!("{title}推选记录失败"))?;
    }

    // A training for party workers in March: 3 学时 on two of the 八项能力.
    let trainees = working(people, 0, 6);
    let extra = [("hours", "3"), ("capabilities", "政策落实、专业操作")];
    service(store, p, actor, today, &branches[0], "training", d(3, 11), "党务工作者业务培训（党费收缴管理、组织生活规范）", &extra, &trainees).await?;

    // Posts for the 第25届省运会, planned from April.
    let posts = [
        (0, "model_post", "机关党员示范岗", "第25届省运会备战参赛服务保障"),
        (2, "volunteer_post", "全民健身志愿服务岗", "第25届省运会全民健身志愿服务"),
        (2, "women_post", "社会体育指导员巾帼文明岗", "第25届省运会社会体育指导"),
    ];
    for (b, kind, name, purpose) in posts {
        let who = working(people, b, 3);
        let input = GroupInput {
            org_id: branches[b].id.clone(),
            kind: s(kind),
            name: s(name),
            purpose: s(purpose),
            starts_on: d(4, 1).to_string(),
            ends_on: d(9, 30).to_string(),
            member_ids: who.iter().map(|r| r.id.to_string()).collect(),
            ..Default::default()
        };
        groups::create(store, p, actor, Register::Post, &input).await?;
    }
    Ok(CommunitySummary { teams, elections: congresses.len(), posts: posts.len() })
}
