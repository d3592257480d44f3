//! A closed-loop HTTP load generator for `dangwu bench`: `clients` keep-alive connections, each
//! sending its next request when the previous answer is in, for a fixed time. A minimal HTTP/1.1
//! client over tokio (the server always answers with Content-Length), so the product binary needs
//! no HTTP client library.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Debug, Clone)]
pub struct LoadResult {
    pub requests: u64,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> anyhow::Result<Conn> {
        let stream = TcpStream::connect(addr).await.with_context(|| format!("无法连接 {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Conn { stream, buf: Vec::with_capacity(64 * 1024) })
    }

    /// Sends one request and reads the whole answer; returns the status code.
    async fn get(&mut self, request: &[u8]) -> anyhow::Result<u16> {
        self.stream.write_all(request).await?;
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        let header_end = loop {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("服务器关闭了连接");
            }
            self.buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
        };
        let head = std::str::from_utf8(&self.buf[..header_end]).context("响应头不是 UTF-8")?;
        let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).context("无法解析响应状态")?;
        let len = head
            .lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")).map(|(_, v)| v.trim().to_owned()))
            .context("响应没有 Content-Length")?
            .parse::<usize>()?;
        while self.buf.len() < header_end + len {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                bail!("响应体不完整");
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
        Ok(status)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn request(addr: SocketAddr, path: &str, token: Option<&str>) -> Vec<u8> {
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Accept: application/json\r\n\r\n").into_bytes()
}

/// One request, for warm-up and checks: the status code.
pub async fn get_once(addr: SocketAddr, path: &str, token: Option<&str>) -> anyhow::Result<u16> {
    Conn::open(addr).await?.get(&request(addr, path, token)).await
}

/// `clients` connections hammering `path` for `duration`. Any non-2xx answer fails the run.
pub async fn run(addr: SocketAddr, path: &str, token: Option<&str>, clients: usize, duration: Duration) -> anyhow::Result<LoadResult> {
    let req = request(addr, path, token);
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let req = req.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr).await?;
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let status = conn.get(&req).await?;
                if !(200..300).contains(&status) {
                    bail!("请求返回 HTTP {status}");
                }
                lat.push(t.elapsed());
            }
            anyhow::Ok(lat)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let wall = started.elapsed();
    all.sort_unstable();
    let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or_default();
    Ok(LoadResult { requests: all.len() as u64, per_second: all.len() as f64 / wall.as_secs_f64(), p50: pct(0.50), p99: pct(0.99) })
}
