//! `dangwu backup FILE`: a consistent copy of the SQLite database (`VACUUM INTO`).

use std::path::Path;

use anyhow::Context;

use crate::cli::GlobalOpts;
use crate::config::{Target, target};

pub async fn run(g: &GlobalOpts, file: &Path) -> anyhow::Result<i32> {
    if let Target::Postgres(_) = target(g) {
        eprintln!("当前使用 PostgreSQL，请用 pg_dump 备份，例如：");
        eprintln!("  pg_dump -Fc -f dangwu.dump \"$DANGWU_DATABASE_URL\"");
        eprintln!("恢复：pg_restore --clean --if-exists -d \"$DANGWU_DATABASE_URL\" dangwu.dump");
        eprintln!("恢复后：vacuumdb --analyze-only -d \"$DANGWU_DATABASE_URL\"（刷新统计信息）");
        eprintln!("另请备份密钥文件 {}（没有它身份证号无法解密）。", g.key_path().display());
        return Ok(1);
    }
    let store = crate::open_store(g).await?;
    let res = store.db.backup_sqlite(file).await.with_context(|| format!("备份到 {} 失败", file.display()));
    store.db.close().await;
    res?;
    println!("已备份数据库到 {}", file.display());
    println!("请同时妥善保存密钥文件 {}：恢复时需要它解密身份证号。", g.key_path().display());
    Ok(0)
}
