//! `dangwu member data --member ID`: one member's own data as JSON, for answering a request
//! under 个人信息保护法 第四十五条 on the member's behalf. Audited like the page and the API.

use std::path::Path;

use anyhow::Context;
use dangwu_store::personal_data;

use super::parse_member;
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal};

pub async fn run(g: &GlobalOpts, member: &str, out: Option<&Path>) -> anyhow::Result<i32> {
    let id = parse_member(member)?;
    let store = crate::open_store(g).await?;
    let doc = personal_data::export(&store, &cli_principal(), &cli_actor(), id).await;
    store.db.close().await;
    let text = serde_json::to_string_pretty(&doc?)?;
    match out {
        Some(path) => {
            std::fs::write(path, text + "\n").with_context(|| format!("无法写入 {}", path.display()))?;
            println!("已导出到 {}（含完整身份证号，请妥善保管）", path.display());
        }
        None => super::emit(&text)?,
    }
    Ok(0)
}
