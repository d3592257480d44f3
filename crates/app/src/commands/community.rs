//! `dangwu team …` and `dangwu election …`.

use dangwu_domain::community::{ElectionInput, GroupInput, hours_text, percent};
use dangwu_store::community::elections::{self, MarkInput};
use dangwu_store::community::groups::{self, Register};
use serde_json::json;

use super::{emit, written};
use crate::cli::GlobalOpts;
use crate::cli_community::{ElectionCmd, TeamCmd};
use crate::{cli_actor, cli_principal};

pub async fn team(g: &GlobalOpts, c: TeamCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let p = cli_principal();
    let out = match c {
        TeamCmd::List { json } => {
            let rows = groups::list(&store, &p, Register::Team, None).await?;
            if json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|r| json!({"id": r.group.id, "org_id": r.group.org_id, "org_name": r.org_name, "kind": r.group.kind, "name": r.group.name,
                        "community": r.community_name, "starts_on": r.group.starts_on, "ends_on": r.group.ends_on, "members": r.members,
                        "services": r.services, "hours": hours_text(r.hours_tenths)}))
                    .collect();
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                for r in &rows {
                    let kind = dangwu_domain::community::CommunityBook::label(&store.community.team_kinds, &r.group.kind);
                    emit(&format!("{}\t{}\t{}\t成员{}人\t服务{}次/{}小时\t{}", r.org_name, kind, r.group.name, r.members, r.services, hours_text(r.hours_tenths), r.group.id))?;
                }
            }
            0
        }
        TeamCmd::Add { org, kind, name, purpose, from, to, community, members } => {
            let input = GroupInput { org_id: org, kind, name, purpose, community_id: community, starts_on: from, ends_on: to, member_ids: members };
            written("服务队", groups::create(&store, &p, &cli_actor(), Register::Team, &input).await, |t| format!("已组建“{}”（{}人）\n{}", t.name, input.member_ids.len(), t.id))?
        }
    };
    store.db.close().await;
    Ok(out)
}

pub async fn election(g: &GlobalOpts, c: ElectionCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let (p, actor) = (cli_principal(), cli_actor());
    let out = match c {
        ElectionCmd::List { json } => {
            let rows = elections::list(&store, &p).await?;
            if json {
                let v: Vec<_> = rows.iter().map(|(e, n)| json!({"id": e.id, "title": e.title, "opens_on": e.opens_on, "closes_on": e.closes_on, "orgs": n})).collect();
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                for (e, n) in &rows {
                    emit(&format!("{}—{}\t{}\t{}个党组织\t{}", e.opens_on, e.closes_on, e.title, n, e.id))?;
                }
            }
            0
        }
        ElectionCmd::Add { org, title, from, to, targets } => {
            let input = ElectionInput { org_id: org, title, opens_on: from, closes_on: to, org_ids: targets, note: String::new() };
            written("代表推选", elections::create(&store, &p, &actor, &input).await, |e| format!("已发起“{}”推选\n{}", e.title, e.id))?
        }
        ElectionCmd::Mark { id, all, took_part, informed } => {
            let r = if all {
                elections::mark_all(&store, &p, &actor, &id, true, true).await
            } else {
                let mut input: Vec<MarkInput> = took_part.iter().map(|m| MarkInput { member_id: m.clone(), informed: true, took_part: true, ..Default::default() }).collect();
                input.extend(informed.iter().map(|m| MarkInput { member_id: m.clone(), informed: true, took_part: false, ..Default::default() }));
                elections::set_marks(&store, &p, &actor, &id, &input).await
            };
            written("推选情况", r, |n| format!("已记录{n}名党员的知晓、参与情况"))?
        }
        ElectionCmd::Rates { id, json } => {
            let d = elections::get(&store, &p, &id).await?;
            let name = |o: &str| d.targets.iter().find(|t| t.id == o).map_or(o.to_owned(), |t| t.name.clone());
            if json {
                let per: Vec<_> = d
                    .per_org
                    .iter()
                    .map(|r| json!({"org_id": r.org_id, "org_name": name(&r.org_id), "eligible": r.eligible, "informed": r.informed,
                        "took_part": r.took_part, "awareness_rate": percent(r.awareness()), "participation_rate": percent(r.participation())}))
                    .collect();
                let t = &d.total;
                let v = json!({"id": d.election.id, "title": d.election.title, "orgs": d.targets.len(), "per_org": per,
                    "total": {"eligible": t.eligible, "informed": t.informed, "took_part": t.took_part,
                        "awareness_rate": percent(t.awareness()), "participation_rate": percent(t.participation())}});
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                emit(&format!("{}（{}—{}），{}个党组织", d.election.title, d.election.opens_on, d.election.closes_on, d.targets.len()))?;
                for r in &d.per_org {
                    emit(&format!("{}\t应参加{}人\t知晓率{}\t参与率{}", name(&r.org_id), r.eligible, percent(r.awareness()), percent(r.participation())))?;
                }
                let t = &d.total;
                emit(&format!("合计\t应参加{}人\t知晓率{}\t参与率{}", t.eligible, percent(t.awareness()), percent(t.participation())))?;
            }
            0
        }
    };
    store.db.close().await;
    Ok(out)
}
