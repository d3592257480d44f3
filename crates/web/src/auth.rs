//! Who is asking: the session cookie for pages, a Bearer token (or the session) for the API.
//! Sessions live in the database; the cookie holds a random token whose SM3 digest is the row id.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use dangwu_domain::auth::Principal;
use dangwu_domain::crypto::sm3_hex;
use dangwu_store::audit::Actor;
use dangwu_store::{now_ms, users};

use crate::{AppState, WebError};

pub const SESSION_COOKIE: &str = "dangwu_session";
/// Pre-login CSRF cookie (double submit), so the login form itself is protected.
pub const LOGIN_CSRF_COOKIE: &str = "dangwu_login_csrf";

/// A signed-in user on a page request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub principal: Principal,
    pub csrf_token: String,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor(self.principal.username.clone())
    }
}

pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Loads the session named by the cookie, ends it if idle too long, and slides its expiry.
pub async fn session_user(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, WebError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else { return Ok(None) };
    let id = sm3_hex(token.as_bytes());
    let Some(s) = users::session_user(&state.store, &id).await? else { return Ok(None) };
    let now = now_ms();
    let idle_ms = state.config.session_idle_minutes * 60_000;
    if now - s.last_seen_at > idle_ms {
        users::delete_session(&state.store, &id).await?;
        return Ok(None);
    }
    if s.user.disabled {
        return Ok(None);
    }
    // Writing on every request would serialise reads behind the writer; a minute's precision is enough.
    if now - s.last_seen_at > 60_000 {
        users::touch_session(&state.store, &id, now).await?;
    }
    let principal = users::principal_with(&s.user, s.scope_path)?;
    Ok(Some(CurrentUser { principal, csrf_token: s.session_csrf }))
}

/// Rejection for pages: send the browser to the login page, remembering where it was going.
pub struct LoginRedirect(String);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        let next = if self.0.starts_with('/') && !self.0.starts_with("//") { self.0 } else { "/".into() };
        Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match session_user(parts, state).await {
            Ok(Some(u)) => Ok(u),
            Ok(None) => {
                let target = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
                let target = if parts.method == Method::GET { target } else { "/".into() };
                Err(LoginRedirect(target).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The caller of /api/v1: `Authorization: Bearer <token>` (scripts) or the browser session,
/// which must then send `X-CSRF-Token` on unsafe methods.
#[derive(Debug, Clone)]
pub struct ApiUser {
    pub principal: Principal,
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        Actor(self.principal.username.clone())
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = crate::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(h) = parts.headers.get(AUTHORIZATION) {
            let token = h.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).unwrap_or("");
            if token.is_empty() {
                return Err(WebError::unauthorized().into());
            }
            let user = users::user_for_token(&state.store, &sm3_hex(token.as_bytes())).await?;
            let Some(user) = user.filter(|u| !u.disabled) else {
                let mut e = WebError::unauthorized();
                e.message = "API 令牌无效或已撤销".into();
                return Err(e.into());
            };
            return Ok(ApiUser { principal: users::principal(&state.store, &user).await? });
        }
        let Some(u) = session_user(parts, state).await? else { return Err(WebError::unauthorized().into()) };
        if !parts.method.is_safe() {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !crate::csrf::matches(sent, &u.csrf_token) {
                return Err(WebError::csrf().into());
            }
        }
        Ok(ApiUser { principal: u.principal })
    }
}

/// The `Set-Cookie` value for a session token (HttpOnly, SameSite=Lax; Secure when configured).
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{}", if secure { "; Secure" } else { "" })
}

pub fn clear_cookie(name: &str) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// 403 for a signed-in user who lacks the right (pages).
pub fn require(ok: bool, what: &str) -> Result<(), WebError> {
    if ok { Ok(()) } else { Err(WebError::new(StatusCode::FORBIDDEN, "forbidden", format!("无权操作：{what}"))) }
}
