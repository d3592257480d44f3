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
