//! `dangwu migrate`: creates or upgrades the schema (every command does this on start too).

use crate::cli::GlobalOpts;
use crate::config::{Target, target};

pub async fn run(g: &GlobalOpts) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    store.db.close().await;
    match target(g) {
        Target::Sqlite(dir) => println!("数据库结构已是最新：{}", dir.join("dangwu.db").display()),
        Target::Postgres(_) => println!("数据库结构已是最新（PostgreSQL）"),
    }
    Ok(0)
}
