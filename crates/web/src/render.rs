//! Rendering helpers shared by all pages: the layout data and turning templates into responses.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dangwu_domain::auth::Role;

use crate::WebError;
use crate::auth::CurrentUser;

/// What the shared layout (templates/base.html) needs on every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    /// Which navigation entry is current: "home", "orgs", "members", "users", "audit".
    pub nav: &'static str,
    pub user_name: String,
    pub role_label: &'static str,
    pub is_admin: bool,
    pub is_member: bool,
    /// 纪检 accounts see only the case leads.
    pub is_discipline: bool,
    pub csrf_token: String,
    /// One-line confirmation after a redirect (from `?ok=`).
    pub notice: Option<String>,
}

impl Layout {
    pub fn new(user: &CurrentUser, title: impl Into<String>, nav: &'static str) -> Self {
        let p = &user.principal;
        Self {
            title: title.into(),
            nav,
            user_name: p.display_name.clone(),
            role_label: p.role.label(),
            is_admin: p.role == Role::Admin,
            is_member: p.role == Role::Member,
            is_discipline: p.role == Role::Discipline,
            csrf_token: user.csrf_token.clone(),
            notice: None,
        }
    }
    pub fn notice(mut self, n: Option<String>) -> Self {
        self.notice = n.filter(|s| !s.is_empty());
        self
    }
}

pub fn html<T: Template>(t: &T) -> Response {
    html_status(StatusCode::OK, t)
}

pub fn html_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template render failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Html("服务器内部错误".to_owned())).into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    e: &'a WebError,
}

pub fn error_page(e: &WebError) -> Response {
    html_status(e.status, &ErrorPage { e })
}
