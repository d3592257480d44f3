//! `dangwu demo`: wipes the data store, generates the demo bureau and (by default) serves it.

use crate::cli::GlobalOpts;
use crate::config::{Target, target};
use crate::demo::{DEMO_PASSWORD, create_demo, wipe};

pub async fn run(g: &GlobalOpts, listen: &str, no_serve: bool) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let place = match target(g) {
        Target::Sqlite(dir) => dir.join("dangwu.db").display().to_string(),
        Target::Postgres(_) => "PostgreSQL 数据库".to_owned(),
    };
    eprintln!("警告：演示命令会清空 {place} 中的全部数据（含审计日志），再生成演示数据。");
    wipe(&store).await?;
    let started = std::time::Instant::now();
    let s = create_demo(&store, crate::today()).await?;
    println!(
        "已生成演示数据“海滨市体育局”：党组织{}个（基层党组织{}个），党员{}名（离退休{}名；2022年一季度时的预备党员{}名，均已于2022年转正），用时{:.1}秒",
        s.orgs,
        s.grassroots_orgs,
        s.members,
        s.retired,
        s.probationary,
        started.elapsed().as_secs_f64()
    );
    if s.quarter.activities > 0 {
        println!(
            "2022年第一季度：活动记录{}次，学习材料{}份，局党组学习方案{}项。查看落实情况：dangwu check --period 2022Q1",
            s.quarter.activities, s.quarter.materials, s.quarter.plan_items
        );
    }
    let d = &s.dues;
    println!(
        "党费：2022年核定{}人（已确认{}人），交纳记录{}笔，上缴{}笔（2022年一季度按期足额上缴：dangwu dues reconcile --org … --period 2022Q1）",
        d.verified, d.confirmed, d.payments, d.remittances
    );
    if !d.behind.is_empty() {
        let names: Vec<String> = d.behind.iter().map(|(n, m)| format!("{n}（{m}个月）")).collect();
        println!("欠交党费：{}；满3个月提醒{}人，满6个月提请支部大会研究{}人（dangwu dues arrears）", names.join("、"), d.warnings, d.flags);
    }
    if let Some((org, ends)) = &s.term_ending_soon {
        println!("{org}本届任期于{ends}届满，工作台会提示换届。");
    }
    println!("演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：");
    for l in &s.logins {
        println!("  {:<11} {}", l.username, l.display_name);
    }
    if no_serve {
        store.db.close().await;
        return Ok(0);
    }
    super::serve::init_tracing();
    super::serve_until_signal(g, store, listen).await
}
