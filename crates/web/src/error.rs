//! The web layer's one error type: HTTP status, a stable code and a Chinese message naming the field.
//! Pages render it as an HTML page; the API (`ApiError`) as JSON `{code, message, field}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangwu_domain::DomainError;
use dangwu_store::StoreError;
use dangwu_store::import::ImportError;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct WebError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Every field problem, for forms that show them all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<dangwu_domain::FieldError>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), field: None, errors: vec![] }
    }
    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
        e.field = Some(field.to_owned());
        e
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录")
    }
    pub fn forbidden(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", msg)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what}不存在"))
    }
    pub fn csrf() -> Self {
        Self::new(StatusCode::FORBIDDEN, "csrf", "页面已过期或请求来源无效（CSRF 校验失败），请刷新页面后重试")
    }
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后重试或联系管理员")
    }
}

impl From<DomainError> for WebError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(errors) => {
                let mut w = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", DomainError::Invalid(errors.clone()).to_string());
                w.field = errors.first().map(|f| f.field.clone());
                w.errors = errors;
                w
            }
            DomainError::Rule { field, message } => {
                let mut w = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "rule", message);
                w.field = field;
                w
            }
            DomainError::Forbidden(m) => WebError::forbidden(format!("无权操作：{m}")),
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => WebError::not_found(what),
            StoreError::Conflict { field, message } => {
                let mut w = WebError::new(StatusCode::CONFLICT, "conflict", message);
                w.field = field;
                w
            }
            StoreError::Domain(d) => d.into(),
            other => {
                tracing::error!(error = %other, "store error");
                WebError::internal()
            }
        }
    }
}

impl From<ImportError> for WebError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Store(s) => s.into(),
            rows @ ImportError::Rows(_) => WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_rows", rows.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        crate::render::error_page(&self)
    }
}

/// The same error rendered as JSON for /api/v1.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status, axum::Json(&self.0)).into_response()
    }
}
