//! Login and logout, with lock-out after repeated failures (等保: 登录失败处理); logout ends
//! every session of the account.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use dangwu_domain::crypto::sm3_hex;
use dangwu_domain::passhash::verify_password;
use dangwu_domain::password::random_token;
use dangwu_store::audit::Actor;
use dangwu_store::{now_ms, users};
use serde::Deserialize;

use crate::auth::{LOGIN_CSRF_COOKIE, SESSION_COOKIE, clear_cookie, cookie, session_cookie};
use crate::csrf::{CsrfForm, matches};
use crate::render::{html, html_status};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(show).post(submit)).route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf_token: String,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") { next.to_owned() } else { "/".into() }
}

fn login_cookie(token: &str) -> String {
    format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict")
}

async fn show(Query(q): Query<NextQuery>) -> Response {
    let token = random_token();
    let page = LoginPage { csrf_token: token.clone(), next: safe_next(&q.next), username: String::new(), error: None };
    ([(SET_COOKIE, login_cookie(&token))], html(&page)).into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    next: String,
}

fn again(status: axum::http::StatusCode, f: &LoginForm, error: String) -> Response {
    let token = random_token();
    let page = LoginPage { csrf_token: token.clone(), next: safe_next(&f.next), username: f.username.clone(), error: Some(error) };
    ([(SET_COOKIE, login_cookie(&token))], html_status(status, &page)).into_response()
}

async fn submit(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<LoginForm>) -> Result<Response, WebError> {
    let sent_cookie = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if !matches(&f.csrf_token, sent_cookie) {
        return Ok(again(axum::http::StatusCode::FORBIDDEN, &f, "登录页面已过期，请重新登录".into()));
    }
    let cfg = &state.config;
    let username = f.username.trim().to_owned();
    let window_start = now_ms() - cfg.lockout_window_minutes * 60_000;
    let (failures, _) = users::recent_failures(&state.store, &username, window_start).await?;
    if failures >= cfg.lockout_max_failures {
        return Ok(again(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            &f,
            format!("连续登录失败{}次，账号已临时锁定，请{}分钟后再试或联系管理员", failures, cfg.lockout_window_minutes),
        ));
    }
    let user = users::by_username(&state.store, &username).await?;
    let password = f.password.clone();
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    // argon2 is deliberately slow: keep it off the async workers. Unknown users cost the same time.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = verify_password(&password, DUMMY_HASH);
            false
        }
    })
    .await
    .unwrap_or(false);
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            users::record_attempt(&state.store, &username, false, None).await?;
            audit_login(&state, &username, "auth.login_failed").await?;
            let left = cfg.lockout_max_failures - failures - 1;
            let msg = if left > 0 {
                format!("用户名或密码错误（再失败{left}次将锁定账号）")
            } else {
                format!("用户名或密码错误，账号已临时锁定，请{}分钟后再试", cfg.lockout_window_minutes)
            };
            return Ok(again(axum::http::StatusCode::UNAUTHORIZED, &f, msg));
        }
    };
    users::record_attempt(&state.store, &username, true, None).await?;
    audit_login(&state, &username, "auth.login").await?;
    // Session fixation: a session token the browser already carried is never reused; it ends here.
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        users::delete_session(&state.store, &sm3_hex(old.as_bytes())).await?;
    }
    let token = random_token();
    let ua = headers.get(USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect::<String>());
    users::create_session(&state.store, &sm3_hex(token.as_bytes()), &user.id, &random_token(), None, ua.as_deref()).await?;
    let mut res = Redirect::to(&safe_next(&f.next)).into_response();
    res.headers_mut().append(SET_COOKIE, session_cookie(&token, cfg.secure_cookies).parse().expect("cookie header"));
    res.headers_mut().append(SET_COOKIE, clear_cookie(LOGIN_CSRF_COOKIE).parse().expect("cookie header"));
    Ok(res)
}

/// Logins and failed logins are security events (等保 安全审计), so they enter the chain too.
async fn audit_login(state: &AppState, username: &str, action: &str) -> Result<(), WebError> {
    let mut tx = state.store.db.begin().await?;
    let who: String = username.chars().take(64).collect();
    dangwu_store::audit::append(&mut tx, &Actor(who.clone()), action, "user", &who, String::new(), String::new(), "").await?;
    tx.commit().await?;
    Ok(())
}

/// A valid argon2id hash of a random string, verified against when the user does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0yNSPtIpFnX5Lka3sFvEYRfqnvyF5J0Yr7ZkFSuaVwY";

async fn logout(State(state): State<AppState>, f: CsrfForm<std::collections::HashMap<String, String>>) -> Result<Response, WebError> {
    // Every session of the account ends, not only this browser's (等保: 退出即失效).
    users::delete_user_sessions(&state.store, &f.user.principal.user_id.to_string()).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(SET_COOKIE, clear_cookie(SESSION_COOKIE).parse().expect("cookie header"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dummy_hash_is_a_real_phc_string() {
        // If it did not parse, unknown usernames would answer faster than known ones.
        assert!(dangwu_domain::passhash::is_phc(super::DUMMY_HASH));
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("/members?q=1"), "/members?q=1");
    }
}
