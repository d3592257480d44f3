//! Where a benchmark runs: a fresh SQLite data directory, or a fresh PostgreSQL database created
//! from an admin URL and dropped afterwards; and the real server, started as a child process
//! (`dangwu serve`) so its memory can be read from /proc.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

use crate::cli::GlobalOpts;

pub struct Target {
    pub label: &'static str,
    pub global: GlobalOpts,
    /// Keeps the data directory (key file, SQLite database) until the run ends.
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Target {
    pub async fn sqlite() -> anyhow::Result<Target> {
        let dir = tempfile::Builder::new().prefix("dangwu-bench-").tempdir()?;
        Ok(Target { label: "SQLite", global: global(dir.path(), None), _dir: dir, pg: None })
    }

    /// A new database `dangwu_bench_<random>` on the server of `admin_url`.
    pub async fn postgres(admin_url: &str) -> anyhow::Result<Target> {
        let dir = tempfile::Builder::new().prefix("dangwu-bench-").tempdir()?;
        let name = format!("dangwu_bench_{:08x}", rand::random::<u32>());
        dangwu_store::db::pg_admin_database(admin_url, &name, true).await.context("无法在 PostgreSQL 上新建测试数据库（--pg）")?;
        let url = dangwu_store::db::pg_url_with_database(admin_url, &name);
        Ok(Target { label: "PostgreSQL", global: global(dir.path(), Some(url)), _dir: dir, pg: Some((admin_url.to_owned(), name)) })
    }

    pub async fn drop_database(&self) -> anyhow::Result<()> {
        if let Some((admin, name)) = &self.pg {
            dangwu_store::db::pg_admin_database(admin, name, false).await?;
        }
        Ok(())
    }

    /// The same binary, serving this target on a free loopback port.
    pub async fn spawn_server(&self) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
        // 64 clients from one address would hit the per-client API rate limit at once: the
        // benchmark measures the handler, so its throw-away server runs without the limit.
        std::fs::write(self.global.data.join("dangwu.toml"), "[web]\napi_rate_per_minute = 0\n").context("无法写入基准测试配置")?;
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.arg("--data").arg(&self.global.data);
        if let Some(url) = &self.global.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd.args(["serve", "--listen", &addr.to_string()]).stdout(Stdio::null()).stderr(Stdio::null()).kill_on_drop(true);
        let child = cmd.spawn().context("无法启动 dangwu serve")?;
        let started = Instant::now();
        while super::load::get_once(addr, "/healthz", None).await.is_err() {
            if started.elapsed() > Duration::from_secs(60) {
                bail!("dangwu serve 60秒内未就绪");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(Server { child, addr })
    }
}

fn global(dir: &Path, url: Option<String>) -> GlobalOpts {
    GlobalOpts { data: dir.to_path_buf(), database_url: url, key_file: None, help: None, version: None }
}

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// (current, peak) resident set size in bytes, from /proc/PID/status (Linux).
    pub fn rss(&self) -> Option<(u64, u64)> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(PathBuf::from(format!("/proc/{pid}/status"))).ok()?;
        let kb = |key: &str| {
            status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok())
        };
        Some((kb("VmRSS:")? * 1024, kb("VmHWM:")? * 1024))
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
