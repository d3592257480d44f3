//! Small helpers shared by the record pages (organisations, members, import, users, audit):
//! form errors shown beside their fields, option lists for selects, ids taken from paths,
//! and the 303 redirect with a one-line notice.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use dangwu_domain::auth::Role;
use dangwu_domain::date::parse_date;
use dangwu_domain::{DomainError, FieldError, MemberId, OrgId};
use dangwu_store::orgs::{self, Org};
use std::collections::HashMap;

use crate::{AppState, WebError};
use crate::auth::{CurrentUser, urlencode};

/// Problems with a submitted form: each next to its field, the rest above the form.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    pub general: Vec<String>,
    fields: Vec<FieldError>,
}

impl FieldErrors {
    /// Splits a validation error into per-field messages (for `shown` fields) and general ones.
    /// Anything that is not a fixable input problem (403, 404, 500) is handed back as the error.
    pub fn from_error(e: WebError, shown: &[&str]) -> Result<(StatusCode, Self), WebError> {
        if !matches!(e.status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT) || e.code == "csrf" {
            return Err(e);
        }
        let mut list = e.errors.clone();
        if list.is_empty() {
            list.push(FieldError::new(e.field.clone().unwrap_or_default(), e.message.clone()));
        }
        let mut out = Self::default();
        for f in list {
            if shown.contains(&f.field.as_str()) {
                out.fields.push(f);
            } else {
                out.general.push(f.message);
            }
        }
        Ok((e.status, out))
    }

    /// The message(s) for one field, if any.
    pub fn get(&self, field: &str) -> Option<String> {
        let v: Vec<&str> = self.fields.iter().filter(|f| f.field == field).map(|f| f.message.as_str()).collect();
        (!v.is_empty()).then(|| v.join("；"))
    }

    pub fn is_empty(&self) -> bool {
        self.general.is_empty() && self.fields.is_empty()
    }
}

/// Field problems found by a handler itself (dates, passwords), as one validation error.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn extend(&mut self, e: DomainError) {
        match e {
            DomainError::Invalid(v) => self.0.extend(v),
            other => self.push(other.first_field().unwrap_or(""), other.to_string()),
        }
    }
    /// A date typed in a form: `None` when empty (an error if `required`) or unreadable.
    pub fn date(&mut self, field: &str, label: &str, s: &str, required: bool) -> Option<NaiveDate> {
        let s = s.trim();
        if s.is_empty() {
            if required {
                self.push(field, format!("请填写{label}"));
            }
            return None;
        }
        let d = parse_date(s);
        if d.is_none() {
            self.push(field, format!("{label}格式不正确：“{s}”，应为如 2022-01-05 的日期"));
        }
        d
    }
    pub fn finish(self) -> Result<(), WebError> {
        if self.0.is_empty() { Ok(()) } else { Err(DomainError::Invalid(self.0).into()) }
    }
}

/// What the user typed into a form, to put back when it is shown again.
#[derive(Debug, Default, Clone)]
pub struct Values(pub HashMap<String, String>);

impl Values {
    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map_or("", String::as_str)
    }
    pub fn set(&mut self, key: &str, v: impl Into<String>) {
        self.0.insert(key.to_owned(), v.into());
    }
    pub fn checked(&self, key: &str) -> bool {
        !matches!(self.get(key), "" | "否" | "0" | "false")
    }
}

/// One `<option>` of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: &str) -> Self {
        let value = value.into();
        Opt { selected: value == selected, value, label: label.into() }
    }
}

/// Organisations as select options, indented by depth so the list reads as the tree.
pub fn org_opts<'a>(orgs: impl IntoIterator<Item = &'a Org>, selected: &str) -> Vec<Opt> {
    let orgs: Vec<&Org> = orgs.into_iter().collect();
    let top = orgs.iter().map(|o| o.depth()).min().unwrap_or(1);
    orgs.iter()
        .map(|o| Opt::new(o.id.clone(), format!("{}{}", "　".repeat(o.depth() - top), o.name), selected))
        .collect()
}

/// 303 to `path` with `?ok=notice` (or `&ok=` when the path has a query already).
pub fn see_other(path: &str, notice: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}ok={}", urlencode(notice))).into_response()
}

/// An id from the URL; a malformed one names no record, so it is "not found".
pub fn org_id(s: &str) -> Result<OrgId, WebError> {
    OrgId::parse(s).map_err(|_| WebError::not_found("党组织"))
}

pub fn member_id(s: &str) -> Result<MemberId, WebError> {
    MemberId::parse(s).map_err(|_| WebError::not_found("党员"))
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Members (self-service accounts) have no roster or tree: send them to their own record;
/// 纪检 accounts go to the case leads. `Err(response)` for those, which the handler returns
/// instead of the page.
#[allow(clippy::result_large_err)] // the Err is returned at once, never stored
pub fn staff_only(user: &CurrentUser) -> Result<(), Response> {
    let p = &user.principal;
    if p.is_staff() {
        return Ok(());
    }
    if p.role == Role::Discipline {
        return Err(Redirect::to("/case-leads").into_response());
    }
    Err(match p.member_id {
        Some(m) => Redirect::to(&format!("/members/{m}")).into_response(),
        None => WebError::forbidden("无权访问：党员账号只能查看本人信息").into_response(),
    })
}

/// Trims and drops empty strings, for optional form fields.
pub fn opt_text(s: &str) -> Option<String> {
    Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Organisations the user may register members in: active, member-holding, within scope.
pub async fn member_orgs(state: &AppState, user: &CurrentUser) -> Result<Vec<Org>, WebError> {
    let p = &user.principal;
    let cat = &state.store.catalogue;
    Ok(orgs::list(&state.store, p, false)
        .await?
        .into_iter()
        .filter(|o| p.can_write_member(&o.org_path()) && cat.kind(&o.kind).is_some_and(|k| k.holds_members))
        .collect())
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An attachment download; `name` is percent-encoded for `filename*` (RFC 6266), with an ASCII fallback.
pub fn download(bytes: Vec<u8>, ascii: &str, name: &str) -> Response {
    use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
    use axum::response::IntoResponse;
    let urlencode = crate::auth::urlencode;
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", urlencode(name));
    ([(CONTENT_TYPE, XLSX.to_owned()), (CONTENT_DISPOSITION, disposition), (CACHE_CONTROL, "no-store".to_owned())], bytes).into_response()
}
