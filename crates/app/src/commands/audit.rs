//! `dangwu audit verify`: recomputes the SM3 chain; exit 2 names the first bad entry.

use dangwu_store::audit::{Verification, verify as verify_chain};

use crate::cli::GlobalOpts;

pub async fn verify(g: &GlobalOpts) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let v = verify_chain(&store.db).await;
    store.db.close().await;
    match v? {
        Verification::Intact { entries } => {
            println!("审计日志完整：共{entries}条");
            Ok(0)
        }
        Verification::Broken(b) => {
            eprintln!("审计日志校验失败：{b}");
            Ok(2)
        }
    }
}

/// `dangwu audit purge --before DATE`: removes old entries, leaving an anchor the rest verifies from.
pub async fn purge(g: &GlobalOpts, before: &str, dry_run: bool) -> anyhow::Result<i32> {
    let retention = crate::config::load_file_config(&g.data)?.audit.retention_days;
    if retention < 183 {
        anyhow::bail!("配置 [audit] retention_days = {retention} 过短：网络安全法要求网络日志留存不少于六个月（至少 183 天）");
    }
    let Some(day) = dangwu_domain::date::parse_date(before) else {
        anyhow::bail!("参数 --before 的日期“{before}”格式不正确，应为如 2022-01-01 的日期");
    };
    let before_ms = day.and_hms_opt(0, 0, 0).expect("midnight").and_local_timezone(chrono::Local).earliest().map_or(0, |t| t.timestamp_millis());
    let store = crate::open_store(g).await?;
    let r = dangwu_store::audit_retention::purge(&store.db, &crate::cli_actor(), before_ms, retention * 86_400_000, dangwu_store::now_ms(), dry_run).await;
    store.db.close().await;
    let r = r.map_err(|e| anyhow::anyhow!("{}", e))?;
    if dry_run {
        println!("将清除{}条审计记录（至第{}条）；未清除任何记录。", r.entries, r.through_seq);
    } else {
        println!("已清除{}条审计记录（至第{}条），已留下校验锚点；dangwu audit verify 从锚点之后校验。", r.entries, r.through_seq);
    }
    Ok(0)
}
