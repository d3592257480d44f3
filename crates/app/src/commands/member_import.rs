//! `dangwu member import FILE.xlsx`: all rows or none; one line per problem.

use std::path::Path;

use anyhow::Context;
use dangwu_docgen::read_roster;
use dangwu_docgen::roster_map::{column_label, to_import_rows};
use dangwu_store::import::{ImportError, import_members};

use super::parse_org;
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal, today};

/// Largest roster accepted (a province's rolls fit; a runaway sheet does not).
const MAX_ROWS: usize = 200_000;

pub async fn run(g: &GlobalOpts, file: &Path, org: Option<&str>, dry_run: bool) -> anyhow::Result<i32> {
    let default_org = org.map(parse_org).transpose()?;
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let sheet = read_roster(&bytes, MAX_ROWS).with_context(|| format!("无法读取名册 {}", file.display()))?;
    let rows = to_import_rows(&sheet);
    let store = crate::open_store(g).await?;
    let result = import_members(&store, &cli_principal(), &cli_actor(), rows, default_org, dry_run, today()).await;
    store.db.close().await;
    match result {
        Ok(outcome) => {
            if outcome.dry_run {
                println!("检查通过：{}名党员，未写入（--dry-run）", outcome.rows);
            } else {
                println!("导入{}名党员", outcome.rows);
            }
            for (org, n) in &outcome.per_org {
                println!("  {org}：{n}名");
            }
            Ok(0)
        }
        Err(ImportError::Rows(errors)) => {
            for e in &errors {
                eprintln!("第{}行 [{}] {}", e.row, column_label(&e.field), e.message);
            }
            eprintln!("导入失败：{}处错误，未写入任何数据", errors.len());
            Ok(1)
        }
        Err(ImportError::Store(e)) => Err(e).context("导入失败，未写入任何数据"),
    }
}
