//! Request rate limits (等保 登录失败处理; OWASP ASVS 2.2.1): per client and minute on the login
//! form and on /api/v1. The per-account lock-out in pages/login.rs stops guessing one password;
//! this stops one client spraying many accounts or flooding the API. In memory, per process:
//! a restart forgets the counts, which only ever errs towards letting a client in.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dangwu_domain::crypto::sm3_hex;

use crate::{ApiError, AppState, WebError};

const WINDOW_MS: i64 = 60_000;

/// Fixed one-minute windows, keyed by bucket and client.
#[derive(Debug, Default)]
pub struct RateLimits {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimits {
    /// Counts one request; `Err(seconds)` when `key` is over `limit` in this window.
    pub fn hit(&self, key: String, limit: u32, now_ms: i64) -> Result<(), i64> {
        let window = now_ms - now_ms.rem_euclid(WINDOW_MS);
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        // Old windows are dropped as we go, so memory stays bounded by the clients of one minute.
        if map.len() > 10_000 {
            map.retain(|_, (w, _)| *w == window);
        }
        let entry = map.entry(key).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        if entry.1 >= limit {
            return Err((window + WINDOW_MS - now_ms) / 1000 + 1);
        }
        entry.1 += 1;
        Ok(())
    }
}

/// The client a request counts against: its API token if it sends one, else its address (the
/// last `X-Forwarded-For` hop when the deployment says a proxy in front sets it).
fn client(req: &Request, trust_proxy: bool) -> String {
    if let Some(token) = req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) {
        return format!("t:{}", sm3_hex(token.trim().as_bytes()));
    }
    if trust_proxy
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return format!("ip:{ip}");
    }
    match req.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => format!("ip:{}", addr.ip()),
        None => "ip:unknown".into(),
    }
}

pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cfg = &state.config;
    let path = req.uri().path();
    let (bucket, limit, api) = if path.starts_with("/api/") {
        ("api", cfg.api_rate_per_minute, true)
    } else if path == "/login" && *req.method() == Method::POST {
        ("login", cfg.login_rate_per_minute, false)
    } else {
        return next.run(req).await;
    };
    if limit == 0 {
        return next.run(req).await;
    }
    let key = format!("{bucket}|{}", client(&req, cfg.trust_forwarded_for));
    match state.limits.hit(key, limit, dangwu_store::now_ms()) {
        Ok(()) => next.run(req).await,
        Err(retry) => {
            let e = WebError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("请求过于频繁，请{retry}秒后再试"));
            let mut res = if api { ApiError(e).into_response() } else { e.into_response() };
            res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry));
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_client_and_window() {
        let l = RateLimits::default();
        let t = 1_700_000_000_000 - 1_700_000_000_000 % WINDOW_MS;
        assert!(l.hit("a".into(), 2, t).is_ok());
        assert!(l.hit("a".into(), 2, t + 1).is_ok());
        assert_eq!(l.hit("a".into(), 2, t + 30_000), Err(31));
        assert!(l.hit("b".into(), 2, t + 30_000).is_ok(), "another client has its own count");
        assert!(l.hit("a".into(), 2, t + WINDOW_MS).is_ok(), "a new minute starts again");
    }
}
