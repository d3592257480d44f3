//! `dangwu campaign …`: registers (阵地, 廉政风险点), campaigns over them or over branches — create,
//! list, show, link activities and record checklist results — as the command-line administrator.

use anyhow::Context;
use dangwu_domain::date::parse_date;
use dangwu_domain::supervision::CheckOutcome;
use dangwu_domain::OrgId;
use dangwu_domain::supervision::{CampaignInput, RegisterInput, register_kind};
use dangwu_store::campaigns;

use super::emit;
use crate::cli::GlobalOpts;
use crate::cli_ledger::CampaignCmd;
use crate::{cli_actor, cli_principal};

pub async fn run(g: &GlobalOpts, c: CampaignCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let r = exec(&store, c).await;
    store.db.close().await;
    r
}

async fn exec(store: &dangwu_store::Store, c: CampaignCmd) -> anyhow::Result<i32> {
    let p = cli_principal();
    match c {
        CampaignCmd::List { json } => {
            let rows = campaigns::campaigns(store, &p, None).await?;
            if json {
                emit(&serde_json::to_string_pretty(&rows)?)?;
            } else {
                emit(&rows.iter().map(|c| format!("{}  {}  {}  {}", c.id, c.starts_on, c.kind, c.title)).collect::<Vec<_>>().join("\n"))?;
            }
        }
        CampaignCmd::Show { id, json } => {
            let d = campaigns::campaign(store, &p, &id).await?;
            if json {
                emit(&serde_json::to_string_pretty(&d)?)?;
            } else {
                let mut out = vec![format!("{}（{} 至 {}）", d.campaign.title, d.campaign.starts_on, d.campaign.ends_on)];
                for t in &d.targets {
                    let rs: Vec<String> = d.results.iter().filter(|r| r.target_id == t.target_id).map(|r| format!("{} {}", r.item, CheckOutcome::parse(&r.outcome).map_or("", |o| o.label()))).collect();
                    out.push(format!("{}  {}  {}", t.target_id, t.name, rs.join("，")));
                }
                out.push(format!("发现问题{}项", d.items.len()));
                emit(&out.join("\n"))?;
            }
        }
        CampaignCmd::Create { org, kind, title, from, to, goals, targets } => {
            let org_id = OrgId::parse(&org).map_err(|_| anyhow::anyhow!("参数 --org 的值“{org}”不是有效的党组织编号"))?;
            let starts_on = parse_date(&from).with_context(|| format!("参数 --from 的值“{from}”不是有效日期"))?;
            let ends_on = parse_date(&to).with_context(|| format!("参数 --to 的值“{to}”不是有效日期"))?;
            let c = campaigns::create_campaign(store, &p, &cli_actor(), &CampaignInput { org_id, kind, title, starts_on, ends_on, goals, targets }).await?;
            emit(&c.id)?;
        }
        CampaignCmd::Link { id, activity } => {
            campaigns::link_activity(store, &p, &cli_actor(), &id, &activity).await?;
            emit("已关联")?;
        }
        CampaignCmd::Registers { kind, json } => {
            let rows = campaigns::registers(store, &p, register_kind(&kind)?).await?;
            if json {
                emit(&serde_json::to_string_pretty(&rows)?)?;
            } else {
                emit(&rows.iter().map(|(r, o)| format!("{}  {}  {}  {}  {}", r.id, r.subkind, r.name, r.grade.as_deref().unwrap_or(""), o)).collect::<Vec<_>>().join("\n"))?;
            }
        }
        CampaignCmd::Register { org, kind, subkind, name, responsible, measures, grade, review_days } => {
            let input = RegisterInput { org_id: org, kind, subkind, name, responsible, description: String::new(), measures, grade, review_cycle_days: review_days };
            emit(&campaigns::add_register(store, &p, &cli_actor(), &input).await?.id)?;
        }
        CampaignCmd::Result { id, target, item, outcome, grade, note, date } => {
            let on = parse_date(&date).with_context(|| format!("参数 --date 的值“{date}”不是有效日期"))?;
            let o = CheckOutcome::parse(&outcome).context("参数 --outcome 无效")?;
            let r = campaigns::record_result(store, &p, &cli_actor(), &id, &target, &item, o, grade.as_deref(), &note, on).await?;
            emit(&match r.ledger_item_id {
                Some(li) => format!("已记录：不合格，已转为问题台账事项 {li}"),
                None => "已记录".to_owned(),
            })?;
        }
    }
    Ok(0)
}
