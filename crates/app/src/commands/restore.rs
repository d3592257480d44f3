//! `dangwu restore FILE`: puts a `dangwu backup` copy back as the SQLite database. The copy is
//! checked first in a staging directory (SQLite integrity check, audit chain), then moved in
//! with one rename; the database it replaces is kept beside it under a dated name.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use dangwu_store::Db;
use dangwu_store::audit::{Verification, verify};

use crate::cli::GlobalOpts;
use crate::config::{Target, target};

pub async fn run(g: &GlobalOpts, file: &Path, force: bool) -> anyhow::Result<i32> {
    if let Target::Postgres(_) = target(g) {
        eprintln!("当前使用 PostgreSQL，请用 pg_restore 恢复到一个空数据库，例如：");
        eprintln!("  createdb dangwu_restored && pg_restore --no-owner -d postgres://…/dangwu_restored dangwu.dump");
        // pg_restore does not carry the planner's statistics: without them a 100,000-member
        // branch is planned as a handful of rows and every roster page sorts the whole branch.
        eprintln!("  vacuumdb --analyze-only -d postgres://…/dangwu_restored   （恢复后刷新统计信息，否则大表查询会变慢）");
        eprintln!("然后用 dangwu --database-url postgres://…/dangwu_restored audit verify 校验审计日志。");
        return Ok(1);
    }
    if !file.is_file() {
        bail!("备份文件 {} 不存在", file.display());
    }
    let live = g.data.join("dangwu.db");
    if live.exists() && !force {
        bail!(
            "数据目录中已有数据库 {}。请先停止网页服务，再加 --force 恢复（原数据库会改名保留，不会删除）",
            live.display()
        );
    }
    std::fs::create_dir_all(&g.data).with_context(|| format!("无法创建数据目录 {}", g.data.display()))?;
    let staging = g.data.join(format!(".restore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    let result = check_copy(file, &staging).await;
    let entries = match result {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let kept = if live.exists() { Some(set_aside(&live)?) } else { None };
    std::fs::rename(staging.join("dangwu.db"), &live).context("无法把恢复的数据库移入数据目录")?;
    let _ = std::fs::remove_dir_all(&staging);
    if let Ok(d) = std::fs::File::open(&g.data) {
        let _ = d.sync_all();
    }
    println!("已从 {} 恢复数据库：审计日志完整，共{entries}条。", file.display());
    if let Some(k) = kept {
        println!("原数据库已改名保留为 {}。", k.display());
    }
    println!("请确认密钥文件 {} 与备份时相同，然后启动网页服务。", g.key_path().display());
    Ok(0)
}

/// Copies the backup into `staging` and checks it there; the audit entry count when sound.
async fn check_copy(file: &Path, staging: &Path) -> anyhow::Result<u64> {
    let copy = staging.join("dangwu.db");
    std::fs::copy(file, &copy).with_context(|| format!("无法读取备份文件 {}", file.display()))?;
    std::fs::File::open(&copy)?.sync_all()?;
    let db = Db::open_sqlite(staging).await.with_context(|| format!("{} 不是可用的 SQLite 数据库", file.display()))?;
    let outcome = check_db(&db, file).await;
    // Closing the last connection checkpoints the WAL into the file, so one file moves in.
    db.close().await;
    outcome
}

async fn check_db(db: &Db, file: &Path) -> anyhow::Result<u64> {
    let problems = dangwu_store::integrity::check(db).await.with_context(|| format!("{} 不是 dangwu 的备份文件", file.display()))?;
    if !problems.is_empty() {
        bail!("备份文件已损坏（SQLite 完整性检查）：{}", problems.join("；"));
    }
    match verify(db).await.with_context(|| format!("{} 不是 dangwu 的备份文件", file.display()))? {
        Verification::Intact { entries } => Ok(entries),
        Verification::Broken(b) => bail!("备份中的审计日志校验失败，未恢复：{b}"),
    }
}

/// Renames the database and its WAL files to `dangwu.db.before-restore-<time>`.
fn set_aside(live: &Path) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let kept = live.with_file_name(format!("dangwu.db.before-restore-{stamp}"));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", live.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{suffix}", kept.display())).with_context(|| format!("无法改名 {}", from.display()))?;
        }
    }
    Ok(kept)
}
