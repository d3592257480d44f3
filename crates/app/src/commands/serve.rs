//! `dangwu serve`: the web application until Ctrl-C or SIGTERM, then a graceful stop.

use anyhow::Context;
use dangwu_store::Store;
use dangwu_web::{AppState, serve};

use crate::cli::GlobalOpts;
use crate::config::load_file_config;

pub async fn run(g: &GlobalOpts, listen: &str) -> anyhow::Result<i32> {
    init_tracing();
    let store = crate::open_store(g).await?;
    serve_until_signal(g, store, listen).await
}

/// Binds `listen`, prints the URL and serves `store` until a shutdown signal.
pub async fn serve_until_signal(g: &GlobalOpts, store: Store, listen: &str) -> anyhow::Result<i32> {
    let config = load_file_config(&g.data)?.web;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("无法监听地址 {listen}"))?;
    let addr = listener.local_addr()?;
    println!("dangwu 已启动：http://{addr}/");
    println!("按 Ctrl-C 停止。");
    let db = store.db.clone();
    serve(listener, AppState::new(store, config), shutdown_signal()).await.context("网页服务异常退出")?;
    db.close().await;
    eprintln!("dangwu 已停止。");
    Ok(0)
}

/// Resolves on Ctrl-C, or SIGTERM on Unix (how service managers stop a process).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!("正在停止，等待进行中的请求完成…");
}

/// Request and error logs on stderr; `RUST_LOG` overrides the default level.
pub(crate) fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
