//! 我的账号: changing one's own password (other sessions end, this one gets a fresh token) and
//! downloading one's own data (个人信息保护法 第四十五条).

use askama::Template;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dangwu_domain::crypto::sm3_hex;
use dangwu_domain::passhash::{hash_password, verify_password};
use dangwu_domain::password::{PasswordPolicy, random_token};
use dangwu_store::{personal_data, users};
use serde::Deserialize;

use crate::auth::{CurrentUser, session_cookie};
use crate::csrf::CsrfForm;
use crate::pages::kit::{FieldErrors, Problems, see_other};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(show).post(change)).route("/account/export", get(export))
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct Page {
    layout: Layout,
    errors: FieldErrors,
}

fn page(user: &CurrentUser, status: StatusCode, errors: FieldErrors) -> Response {
    html_status(status, &Page { layout: Layout::new(user, "修改密码", "account"), errors })
}

async fn show(user: CurrentUser, q: axum::extract::Query<crate::pages::Notice>) -> Response {
    let mut p = Page { layout: Layout::new(&user, "修改密码", "account"), errors: FieldErrors::default() };
    p.layout = p.layout.notice(q.0.ok);
    html_status(StatusCode::OK, &p)
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// argon2 is deliberately slow: keep it off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f).await.map_err(|_| WebError::internal())
}

async fn change(State(state): State<AppState>, headers: HeaderMap, f: CsrfForm<ChangeForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let account = users::by_id(&state.store, &user.principal.user_id.to_string()).await?.ok_or(WebError::not_found("用户"))?;
    let (current, hash) = (form.current.clone(), account.password_hash.clone());
    let mut p = Problems::default();
    if !blocking(move || verify_password(&current, &hash)).await? {
        p.push("current", "当前密码不正确");
    } else {
        if let Err(e) = PasswordPolicy::default().validate(&form.password, &account.username) {
            p.extend(e);
        }
        if form.password != form.password2 {
            p.push("password2", "两次输入的密码不一致");
        }
        if form.password == form.current {
            p.push("password", "新密码不能与当前密码相同");
        }
    }
    if let Err(e) = p.finish() {
        let (status, errors) = FieldErrors::from_error(e, &["current", "password", "password2"])?;
        return Ok(page(&user, status, errors));
    }
    let new = form.password.clone();
    let hash = blocking(move || hash_password(&new)).await?;
    // set_password ends every session of the account, this one included; this browser then
    // gets a new session token (never the old one back).
    users::set_password(&state.store, &user.actor(), &account.id, hash).await?;
    let token = random_token();
    let ua = headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect::<String>());
    users::create_session(&state.store, &sm3_hex(token.as_bytes()), &account.id, &random_token(), None, ua.as_deref()).await?;
    let mut res = see_other("/account/password", "密码已修改，其他设备上的登录已退出");
    res.headers_mut().append(SET_COOKIE, session_cookie(&token, state.config.secure_cookies).parse().expect("cookie header"));
    Ok(res)
}

/// The signed-in member's own data as a JSON download.
async fn export(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let Some(id) = user.principal.member_id else {
        return Err(WebError::not_found("本账号关联的党员信息"));
    };
    let doc = personal_data::export(&state.store, &user.principal, &user.actor(), id).await?;
    let body = serde_json::to_vec_pretty(&doc).map_err(|_| WebError::internal())?;
    let disposition = format!("attachment; filename=\"my-data.json\"; filename*=UTF-8''{}", crate::auth::urlencode("本人数据.json"));
    Ok(([(CONTENT_TYPE, "application/json; charset=utf-8".to_owned()), (CONTENT_DISPOSITION, disposition), (CACHE_CONTROL, "no-store".to_owned())], body)
        .into_response())
}
