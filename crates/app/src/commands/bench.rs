//! `dangwu bench [--quick] [--pg URL]`: prints one table per backend (see `crate::bench`).

use std::path::Path;

use anyhow::{Context, bail};

use crate::bench::{BenchOpts, Size, markdown, run as run_bench};

pub async fn run(quick: bool, pg: Option<String>, sqlite: bool, out: Option<&Path>) -> anyhow::Result<i32> {
    if !sqlite && pg.is_none() {
        bail!("--no-sqlite 需要同时给出 --pg");
    }
    let opts = BenchOpts { quick, pg, sqlite };
    let results = run_bench(&opts).await?;
    let text = markdown(&Size::of(quick), &results);
    println!("{text}");
    if let Some(path) = out {
        std::fs::write(path, &text).with_context(|| format!("无法写入 {}", path.display()))?;
    }
    Ok(0)
}
