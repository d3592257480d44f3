//! `dangwu gen`: fills an empty data store with a synthetic city (see `crate::synth`).

use crate::cli::GlobalOpts;
use crate::cli_actor;
use crate::synth::{GenSpec, generate};

pub async fn run(g: &GlobalOpts, spec: &GenSpec) -> anyhow::Result<i32> {
    spec.check()?;
    let store = crate::open_store(g).await?;
    let result = generate(&store, &cli_actor(), spec).await;
    store.db.close().await;
    let s = result?;
    let c = &s.counts;
    println!(
        "已生成：{}个党组织、{}名党员、{}届委员会、{}次活动（{}条出席记录）、{}条党费核定、{}笔党费交纳、{}笔上缴、{}项整改问题、{}条阵地和风险点、{}次专项检查，用时{:.1}秒",
        c.orgs, c.members, c.terms, c.activities, c.attendance, c.verifications, c.payments, c.remittances, c.ledger_items, c.registers, c.campaigns,
        s.elapsed.as_secs_f64()
    );
    println!("根组织编号：{}", s.root_id);
    Ok(0)
}
