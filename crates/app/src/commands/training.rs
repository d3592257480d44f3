//! `dangwu training …`.

use dangwu_domain::OrgId;
use dangwu_domain::community::training::{SessionInput, year_range};
use dangwu_domain::community::{CommunityBook, hours_text};
use dangwu_store::community::training;
use serde_json::json;

use super::{emit, written};
use crate::cli::GlobalOpts;
use crate::cli_training::TrainingCmd;
use crate::{cli_actor, cli_principal};

pub async fn run(g: &GlobalOpts, c: TrainingCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let p = cli_principal();
    let out = match c {
        TrainingCmd::Hours { year, org, json } => {
            let (from, to) = match year_range(year.as_deref(), crate::today()) {
                Ok(r) => r,
                Err(e) => return written("年度", Err::<(), _>(e.into()), |()| String::new()),
            };
            let list = match org {
                Some(o) => {
                    let id = OrgId::parse(&o).map_err(|_| anyhow::anyhow!("党组织编号“{o}”无效"))?;
                    let org = dangwu_store::orgs::get(&store, &p, id).await?;
                    training::standings(&store, &org.org_path(), from, to).await?
                }
                None => training::visible(&store, &p, from, to).await?,
            };
            if json {
                let v: Vec<_> = list
                    .iter()
                    .map(|n| json!({"member_id": n.standing.member_id, "name": n.name, "org_name": n.org_name, "leader": n.standing.leader,
                        "party_worker": n.standing.party_worker, "hours": hours_text(n.standing.tenths), "target": n.standing.target, "below_target": n.standing.below()}))
                    .collect();
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                for worker in [true, false] {
                    emit(if worker { "党务工作者：" } else { "党员：" })?;
                    for n in list.iter().filter(|n| n.standing.party_worker == worker) {
                        let mark = if n.standing.below() { "未达标" } else { "已达标" };
                        emit(&format!("  {}\t{}\t{}/{}学时\t{mark}", n.org_name, n.name, hours_text(n.standing.tenths), n.standing.target))?;
                    }
                }
            }
            0
        }
        TrainingCmd::Sessions { year, json } => {
            let (from, to) = match year_range(year.as_deref(), crate::today()) {
                Ok(r) => r,
                Err(e) => return written("年度", Err::<(), _>(e.into()), |()| String::new()),
            };
            let list = training::sessions(&store, &p, from, to).await?;
            let tags = |s: &training::Session| s.capabilities().iter().map(|c| CommunityBook::label(&store.community.capabilities, c).to_owned()).collect::<Vec<_>>();
            if json {
                let v: Vec<_> = list
                    .iter()
                    .map(|s| json!({"id": s.id, "org_name": s.org_name, "kind": s.kind, "title": s.title, "held_on": s.held_on,
                        "hours": hours_text(s.hours_tenths()), "participants": s.present_count, "capabilities": s.capabilities(), "capability_labels": tags(s)}))
                    .collect();
                emit(&serde_json::to_string_pretty(&v)?)?;
            } else {
                for s in &list {
                    emit(&format!("{}\t{}\t{}\t{}学时\t{}人\t{}\t{}", s.held_on, s.org_name, s.title, hours_text(s.hours_tenths()), s.present_count, tags(s).join("、"), s.id))?;
                }
            }
            0
        }
        TrainingCmd::Add { org, kind, title, date, hours, capabilities, topics, lecturer, place, members } => {
            let input = SessionInput { org_id: org, kind, title, held_on: date, hours, capabilities, topics, lecturer, place, participant_ids: members };
            written("培训", training::record(&store, &p, &cli_actor(), &input, crate::today(), store.activity_future_days).await, |a| format!("已记录培训“{}”（{}人）\n{}", a.title, a.present_count, a.id))?
        }
    };
    store.db.close().await;
    Ok(out)
}
