//! `dangwu member export FILE.xlsx`: the roster in the import layout, with full ID numbers.
//! Full ID numbers leave the system here, so the export is written to the audit chain first.

use std::path::Path;

use anyhow::{Context, anyhow};
use dangwu_docgen::roster_map::member_to_row;
use dangwu_docgen::write_roster;
use dangwu_store::audit::{self, digest};
use dangwu_store::members::{MemberFilter, StatusFilter};
use dangwu_store::orgs;

use super::{all_members, parse_org};
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal};

pub async fn run(g: &GlobalOpts, file: &Path, org: Option<&str>) -> anyhow::Result<i32> {
    let org_id = org.map(parse_org).transpose()?;
    let store = crate::open_store(g).await?;
    let scope = match org_id {
        Some(id) => Some(orgs::get(&store, &cli_principal(), id).await?),
        None => None,
    };
    let rows = all_members(&store, MemberFilter { org_id, status: StatusFilter::Active, ..Default::default() }).await?;
    let mut cells = Vec::with_capacity(rows.len());
    for r in &rows {
        let full = store
            .keys
            .decrypt(&r.member.id_card_enc)
            .map_err(|e| anyhow!("党员“{}”的身份证号无法解密（密钥文件是否正确？）：{e}", r.member.name))?;
        cells.push(member_to_row(r, &full));
    }
    let bytes = write_roster(&cells)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.member.id.as_str()).collect();
    let what = scope.as_ref().map_or("全部党组织".to_owned(), |o| o.name.clone());
    let mut tx = store.db.begin().await?;
    audit::append(
        &mut tx,
        &cli_actor(),
        "member.export",
        "member",
        scope.as_ref().map_or("*", |o| o.id.as_str()),
        String::new(),
        digest(Some(&ids)),
        &format!("导出{what}党员{}名（含完整身份证号）到 {}", rows.len(), file.display()),
    )
    .await?;
    tx.commit().await?;
    store.db.close().await;
    std::fs::write(file, bytes).with_context(|| format!("无法写入文件 {}", file.display()))?;
    println!("已导出{}名党员到 {}", rows.len(), file.display());
    eprintln!("文件含完整身份证号，请妥善保管，用后及时删除。");
    Ok(0)
}
