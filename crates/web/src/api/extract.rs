//! Extractors for /api/v1 whose rejections are the API's JSON error (`{code, message, field}`)
//! in Chinese naming the field — never axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::de::DeserializeOwned;

use super::messages::{json_error, malformed, query_error};
use crate::{ApiError, WebError};

/// A JSON request body. Requires `Content-Type: application/json` (or `…+json`).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            let mut e = WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体应为 JSON，请设置请求头 Content-Type: application/json",
            );
            e.field = Some("body".into());
            return Err(e.into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            let mut e = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "请求体过大")
            } else {
                WebError::new(StatusCode::BAD_REQUEST, "malformed_json", "无法读取请求体")
            };
            e.field = Some("body".into());
            ApiError(e)
        })?;
        Ok(ApiJson(parse_json(&bytes)?))
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a JSON body; a syntax error is 400 `malformed_json`, a wrong type or value 422 `invalid`
/// naming the field (through `serde_path_to_error`).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(malformed("请求体为空，应为 JSON 对象".into()));
    }
    // serde would read a struct from an array too; the API's bodies are objects.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| json_error(".", e))?;
        return Err(WebError::bad_request("body", "请求体应为 JSON 对象，如 {\"name\": \"…\"}"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(&path, e.into_inner())
    })?;
    de.end().map_err(|e| json_error(".", e))?;
    Ok(value)
}

/// An id in the URL path (`/orgs/{id}`); a malformed one is 422 naming the field `id`.
pub struct IdPath<T>(pub T);

/// Identifier types that can appear in an API path.
pub trait PathId: Sized {
    const LABEL: &'static str;
    fn parse_id(s: &str) -> Result<Self, DomainError>;
}

impl PathId for OrgId {
    const LABEL: &'static str = "党组织";
    fn parse_id(s: &str) -> Result<Self, DomainError> {
        OrgId::parse(s)
    }
}

impl PathId for MemberId {
    const LABEL: &'static str = "党员";
    fn parse_id(s: &str) -> Result<Self, DomainError> {
        MemberId::parse(s)
    }
}

/// An activity's id (a UUID, kept as text as the store keeps it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityId(pub String);

impl PathId for ActivityId {
    const LABEL: &'static str = "活动";
    fn parse_id(s: &str) -> Result<Self, DomainError> {
        // Same UUID syntax as every other id; parsed with OrgId's parser, kept in canonical form.
        OrgId::parse(s).map(|u| ActivityId(u.to_string()))
    }
}

impl<S: Send + Sync, T: PathId> FromRequestParts<S> for IdPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| WebError::bad_request("id", format!("路径中的{}编号无法识别", T::LABEL)))?;
        parse_path_id(&raw.0).map(IdPath).map_err(ApiError)
    }
}

pub fn parse_path_id<T: PathId>(raw: &str) -> Result<T, WebError> {
    T::parse_id(raw).map_err(|_| {
        WebError::bad_request("id", format!("路径中的{}编号（id）格式不正确：“{raw}”，应为 UUID，如 0190a1b2-…", T::LABEL))
    })
}

/// Query-string parameters; an unreadable query is 422 naming the parameter where possible.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::try_from_uri(&parts.uri) {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(query_error(&r.body_text()).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        flag: Option<bool>,
        needed: String,
    }

    fn err(body: &str) -> WebError {
        parse_json::<Body>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn syntax_errors_are_400_with_position() {
        let e = err("{\"needed\": \"x\",");
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.code, "malformed_json");
        assert_eq!(e.field.as_deref(), Some("body"));
        assert!(e.message.contains("第1行"), "{}", e.message);
        let e = err("{needed: 1}");
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(e.message.contains("语法错误"), "{}", e.message);
        assert_eq!(err("   ").message, "请求体为空，应为 JSON 对象");
        assert_eq!(err("{\"needed\": \"x\"} trailing").status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn wrong_types_name_the_field_in_chinese() {
        let e = err(r#"{"needed": "x", "name": 123}"#);
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.field.as_deref(), Some("name"));
        assert_eq!(e.message, "字段 名称（name）类型不正确：应为文本，实际为数字 123");
        let e = err(r#"{"needed": "x", "flag": "yes"}"#);
        assert_eq!(e.field.as_deref(), Some("flag"));
        assert!(e.message.contains("布尔值"), "{}", e.message);
    }

    #[test]
    fn missing_field_and_non_object() {
        let e = err(r#"{"name": "x"}"#);
        assert_eq!(e.field.as_deref(), Some("needed"));
        assert!(e.message.starts_with("缺少必填字段"), "{}", e.message);
        for body in ["[1, 2]", "\"text\"", "null"] {
            let e = err(body);
            assert_eq!((e.status, e.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("body")), "{body}");
            assert!(e.message.contains("JSON 对象"), "{}", e.message);
        }
        assert_eq!(err("[1, ").status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn bad_path_ids_name_the_id_field() {
        let e = parse_path_id::<OrgId>("not-a-uuid").unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.field.as_deref(), Some("id"));
        assert!(e.message.contains("党组织编号") && e.message.contains("not-a-uuid"), "{}", e.message);
        let id = MemberId::new();
        assert_eq!(parse_path_id::<MemberId>(&id.to_string()).unwrap(), id);
        let e = parse_path_id::<ActivityId>("42").unwrap_err();
        assert!(e.message.contains("活动编号"), "{}", e.message);
        let raw = dangwu_domain::ids::new_row_id();
        assert_eq!(parse_path_id::<ActivityId>(&raw.to_uppercase()).unwrap(), ActivityId(raw));
    }

    #[test]
    fn json_content_types() {
        let mut h = HeaderMap::new();
        assert!(!is_json(&h));
        h.insert(CONTENT_TYPE, "application/json; charset=utf-8".parse().unwrap());
        assert!(is_json(&h));
        h.insert(CONTENT_TYPE, "application/merge-patch+json".parse().unwrap());
        assert!(is_json(&h));
        h.insert(CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(!is_json(&h));
    }
}
