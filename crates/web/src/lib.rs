//! dangwu web layer: server-rendered Chinese pages (phone first), the JSON API under /api/v1,
//! sessions, CSRF and security headers. Handlers parse, call one store function, render.

pub mod api;
mod assets;
pub mod auth;
pub mod csrf;
pub mod error;
mod headers;
pub mod pages;
pub mod ratelimit;
pub mod render;
pub mod upload;

use axum::Router;
use dangwu_store::Store;
use serde::Deserialize;
use std::future::Future;
use std::sync::Arc;

pub use error::{ApiError, WebError};

/// Settings a deployment may change in `dangwu.toml` under `[web]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct WebConfig {
    /// Sessions idle longer than this are ended (等保: automatic logout).
    pub session_idle_minutes: i64,
    /// Failed logins within the window that lock an account.
    pub lockout_max_failures: i64,
    pub lockout_window_minutes: i64,
    pub max_upload_bytes: usize,
    /// Mark cookies `Secure` and send HSTS (set when served over HTTPS, e.g. behind a TLS proxy).
    pub secure_cookies: bool,
    /// Login form posts per client and minute (0: no limit).
    pub login_rate_per_minute: u32,
    /// /api/v1 requests per token (or client address) and minute (0: no limit).
    pub api_rate_per_minute: u32,
    /// Take the client address from the last `X-Forwarded-For` hop (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            lockout_max_failures: 5,
            lockout_window_minutes: 15,
            max_upload_bytes: 10 * 1024 * 1024,
            secure_cookies: false,
            login_rate_per_minute: 20,
            api_rate_per_minute: 600,
            trust_forwarded_for: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub limits: Arc<ratelimit::RateLimits>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        Self { store, config: Arc::new(config), limits: Arc::default() }
    }
}

/// The whole application as one router; `main` and the tests both build it here.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_upload_bytes + 64 * 1024;
    Router::new()
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .merge(assets::router())
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ratelimit::limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), headers::security_headers))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
