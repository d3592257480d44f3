//! `dangwu case-lead …`: list, register and move 问题线索 as the 纪检 account named by `--as`
//! (audited under that account's name, like its web actions).

use anyhow::{Context, anyhow, bail};
use dangwu_domain::date::parse_date;
use dangwu_domain::supervision::CaseLeadInput;
use dangwu_store::audit::Actor;
use dangwu_store::{case_leads, users};

use super::emit;
use crate::cli::GlobalOpts;
use crate::cli_case_lead::{CaseLeadArgs, CaseLeadCmd};
use crate::today;

pub async fn run(g: &GlobalOpts, a: CaseLeadArgs) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let r = exec(&store, a).await;
    store.db.close().await;
    r
}

async fn exec(store: &dangwu_store::Store, a: CaseLeadArgs) -> anyhow::Result<i32> {
    let name = a.user.context("问题线索须以纪检账号办理：请用 --as 用户名 指定")?;
    let u = users::by_username(store, &name).await?.filter(|u| !u.disabled).ok_or_else(|| anyhow!("用户“{name}”不存在或已停用"))?;
    let p = users::principal(store, &u).await?;
    let actor = Actor(p.username.clone());
    let book = &store.supervision;
    match a.cmd {
        CaseLeadCmd::List { json } => {
            let rows = case_leads::list(store, &p).await?;
            if json {
                emit(&serde_json::to_string_pretty(&rows.iter().map(|(l, o)| serde_json::json!({"lead": l, "subject_org_name": o})).collect::<Vec<_>>())?)?;
            } else {
                emit(&rows.iter().map(|(l, o)| format!("{}  {}  {}  {}  {}", l.id, l.number, l.received_on, book.case_status_label(&l.status), o)).collect::<Vec<_>>().join("\n"))?;
            }
        }
        CaseLeadCmd::Add { number, received_on, source, org, summary } => {
            case_leads::guard(&p)?;
            let d = CaseLeadInput { number, received_on, source, subject_org_id: org, summary }.validate(today())?;
            emit(&case_leads::add(store, &p, &actor, &d).await?.id)?;
        }
        CaseLeadCmd::Status { lead, to, date, note } => {
            let Some(on) = parse_date(&date) else { bail!("参数 --date 的值“{date}”不是有效日期") };
            let l = case_leads::set_status(store, &p, &actor, &lead, &to, on, &note, today()).await?;
            emit(&format!("线索 {} 已改为“{}”", l.number, book.case_status_label(&l.status)))?;
        }
    }
    Ok(0)
}
