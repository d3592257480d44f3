//! Synchronizer-token CSRF: the session's token goes into every form (and the `X-CSRF-Token`
//! header for scripts using the session); unsafe requests without it are refused.

use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::auth::CurrentUser;
use crate::{AppState, WebError};

pub fn matches(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && sent.len() == expected.len() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}

#[derive(Deserialize)]
struct WithToken<T> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    inner: T,
}

/// A signed-in user's form submission whose CSRF token has been checked.
pub struct CsrfForm<T> {
    pub user: CurrentUser,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = <CurrentUser as axum::extract::FromRequestParts<AppState>>::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let axum::Form(w): axum::Form<WithToken<T>> = axum::Form::from_request(req, state).await.map_err(|e| {
            WebError::bad_request("form", format!("表单内容无法识别：{}", e.body_text())).into_response()
        })?;
        if !matches(&w.csrf_token, &user.csrf_token) {
            return Err(WebError::csrf().into_response());
        }
        Ok(CsrfForm { user, form: w.inner })
    }
}

