//! `dangwu bench`: the speed and memory figures of BENCHMARKS.md, measured on a generated city
//! (`crate::synth`), one table per backend. Each figure stands beside a baseline measured in the
//! same run — the floor (the same aggregation as one hand-written SQL statement) or the ceiling
//! (a trivial handler on the same server stack) — so the ratio says what our code costs.
//! Benchmarks, not tests: nothing here asserts a time.

mod load;
mod measure;
mod target;

use std::time::Duration;

use anyhow::Context;

pub use measure::Line;
use target::Target;

#[derive(Debug, Clone)]
pub struct BenchOpts {
    pub quick: bool,
    /// PostgreSQL admin URL: a fresh database is created there for the run and dropped after.
    pub pg: Option<String>,
    pub sqlite: bool,
}

/// Dataset and load sizes: `--quick` is a smoke run of well under a minute.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub orgs: usize,
    pub members: usize,
    pub years: u32,
    pub import_rows: usize,
    pub clients: usize,
    pub load: Duration,
    pub repeats: usize,
}

impl Size {
    pub fn of(quick: bool) -> Size {
        if quick {
            Size { orgs: 120, members: 2_400, years: 1, import_rows: 1_000, clients: 64, load: Duration::from_secs(2), repeats: 3 }
        } else {
            Size { orgs: 5_000, members: 100_000, years: 3, import_rows: 100_000, clients: 64, load: Duration::from_secs(10), repeats: 5 }
        }
    }
}

/// Runs every measurement on each selected backend; returns (backend label, lines).
pub async fn run(opts: &BenchOpts) -> anyhow::Result<Vec<(&'static str, Vec<Line>)>> {
    let size = Size::of(opts.quick);
    let mut out = Vec::new();
    if opts.sqlite {
        let t = Target::sqlite().await?;
        out.push((t.label, measure::all(&t, size).await.context("SQLite 基准测试失败")?));
    }
    if let Some(url) = &opts.pg {
        let t = Target::postgres(url).await?;
        let lines = measure::all(&t, size).await;
        t.drop_database().await?;
        out.push((t.label, lines.context("PostgreSQL 基准测试失败")?));
    }
    Ok(out)
}

/// The tables as Markdown, as BENCHMARKS.md shows them.
pub fn markdown(size: &Size, results: &[(&'static str, Vec<Line>)]) -> String {
    let mut s = format!(
        "数据：{}个党组织、{}名党员、{}年记录；名册导入{}行；并发{}个客户端、每轮{}秒\n",
        size.orgs, size.members, size.years, size.import_rows, size.clients, size.load.as_secs()
    );
    for (label, lines) in results {
        s.push_str(&format!("\n### {label}\n\n| 测量 | 结果 | 基准（同次测量） | 比值 | 目标 |\n|---|---|---|---|---|\n"));
        for l in lines {
            s.push_str(&format!("| {} | {} | {} | {} | {} |\n", l.name, l.value, l.baseline, l.ratio, l.target));
        }
    }
    s
}
