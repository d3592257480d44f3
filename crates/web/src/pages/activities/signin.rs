//! QR sign-in (optional): the secretary projects a code for the sitting; a member scans it on
//! the phone, logs in, confirms, and is marked present. No location, no ranking, never required.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use dangwu_store::{now_ms, signin};
use serde::Deserialize;

use crate::auth::{CurrentUser, urlencode};
use crate::csrf::CsrfForm;
use crate::pages::kit::{see_other, today};
use crate::render::{Layout, html};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "activities_qr.html")]
struct QrPage {
    layout: Layout,
    id: String,
    title: String,
    svg: String,
    link: String,
    minutes: i64,
}

/// The code to project in the meeting room; it renews itself every minute.
pub async fn qr(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let token = signin::current_token(&state.store, &user.principal, &id, now_ms()).await?;
    let detail = dangwu_store::activities::get(&state.store, &user.principal, &id).await?;
    let link = format!("/activities/{id}/sign-in?t={}", urlencode(&token));
    // The phone opens the path on this same server; an absolute URL needs the host the
    // members reach, which the browser showing this page knows better than the server.
    let svg = qrcode::QrCode::new(link.as_bytes())
        .map_err(|_| WebError::internal())?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(280, 280)
        .build();
    let page = QrPage {
        layout: Layout::new(&user, "扫码签到", "activities"),
        title: detail.activity.title,
        id,
        svg,
        link,
        minutes: signin::WINDOW_MS / 60_000,
    };
    Ok(html(&page))
}

#[derive(Deserialize, Default)]
pub struct T {
    #[serde(default)]
    t: String,
}

#[derive(Template)]
#[template(path = "activities_signin.html")]
struct ConfirmPage {
    layout: Layout,
    id: String,
    t: String,
    title: String,
}

/// After scanning: a page with one button, so that signing in is a deliberate POST.
pub async fn confirm(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<T>) -> Result<Response, WebError> {
    let a: Option<(String,)> = state.store.db.read().opt("SELECT title FROM activities WHERE id = $1", dangwu_store::args![id.as_str()]).await?;
    let (title,) = a.ok_or_else(|| WebError::not_found("活动"))?;
    Ok(html(&ConfirmPage { layout: Layout::new(&user, "签到", "activities"), id, t: q.t, title }))
}

#[derive(Deserialize)]
pub struct SignForm {
    #[serde(default)]
    t: String,
}

pub async fn sign(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<SignForm>) -> Result<Response, WebError> {
    let title = signin::sign_in(&state.store, &f.user.principal, &f.user.actor(), &id, &f.form.t, today()).await?;
    Ok(see_other("/", &format!("已在“{title}”签到")))
}
