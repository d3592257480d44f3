//! One member's record: facts (ID number masked, full number on request and audited),
//! organisation history, status events, and for those responsible the status-event form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_domain::member::{DuesCategory, Gender, MemberEventKind, MemberStatus, age_on};
use dangwu_domain::org::OrgPath;
use dangwu_domain::{MemberId, OrgId};
use dangwu_store::members::{self, HistoryRow, MemberRow};
use serde::Deserialize;
use std::collections::HashMap;

use super::super::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, member_id, member_orgs, org_opts, see_other, today};
use super::status_class;
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

const EVENT_FIELDS: &[&str] = &["event", "on_date", "to_org_id", "note"];

pub struct EventView {
    pub kind: &'static str,
    pub on_date: String,
    pub change: String,
    pub org_name: String,
    pub to_org_name: String,
    pub note: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "members_detail.html")]
struct DetailPage {
    layout: Layout,
    row: MemberRow,
    gender: &'static str,
    status: &'static str,
    status_class: &'static str,
    dues: &'static str,
    age: i32,
    /// Years since full membership (党龄), when full.
    standing: Option<i32>,
    full_id: Option<String>,
    can_reveal: bool,
    writable: bool,
    is_staff: bool,
    history: Vec<HistoryRow>,
    events: Vec<EventView>,
    /// The latest sittings the member was expected at or attended (date, title, id, 出席/缺席/列席).
    attended: Vec<(chrono::NaiveDate, String, String, &'static str)>,
    kinds: Vec<Opt>,
    to_orgs: Vec<Opt>,
    errors: FieldErrors,
    v: Values,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    render(&state, &user, member_id(&id)?, n.ok, None, (StatusCode::OK, FieldErrors::default(), Values::default())).await
}

/// Shows the full ID number once; the store checks the right to see it and logs the view.
pub async fn reveal(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<HashMap<String, String>>) -> Result<Response, WebError> {
    let id = member_id(&id)?;
    let full = members::reveal_id_card(&state.store, &f.user.principal, &f.user.actor(), id).await?;
    render(&state, &f.user, id, None, Some(full), (StatusCode::OK, FieldErrors::default(), Values::default())).await
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: MemberId,
    notice: Option<String>,
    full_id: Option<String>,
    (status_code, errors, mut v): (StatusCode, FieldErrors, Values),
) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let row = members::get(store, p, id).await?;
    let path = OrgPath::from_stored(row.org_path.clone());
    let history = members::history(store, p, id).await?;
    let events = members::events(store, p, id)
        .await?
        .into_iter()
        .map(|e| {
            let label = |s: &str| MemberStatus::parse(s).map(|s| s.label().to_owned()).unwrap_or_else(|_| s.to_owned());
            EventView {
                kind: MemberEventKind::parse(&e.kind).map(|k| k.label()).unwrap_or("其他"),
                on_date: e.on_date.to_string(),
                change: if e.from_status == e.to_status { String::new() } else { format!("{} → {}", label(&e.from_status), label(&e.to_status)) },
                org_name: e.org_name,
                to_org_name: e.to_org_name.unwrap_or_default(),
                note: e.note.unwrap_or_default(),
                by: e.created_by,
            }
        })
        .collect();
    let m = &row.member;
    let current = m.status();
    let writable = p.can_write_member(&path);
    let (mut kinds, mut to_orgs) = (vec![], vec![]);
    if writable {
        kinds = MemberEventKind::ALL
            .iter()
            .filter(|k| **k != MemberEventKind::Joined && k.apply(current).is_ok())
            .map(|k| Opt::new(k.code(), k.label(), v.get("kind")))
            .collect();
        let targets = member_orgs(state, user).await?;
        to_orgs = org_opts(targets.iter().filter(|o| o.id != m.org_id), v.get("to_org_id"));
        if v.get("on_date").is_empty() {
            v.set("on_date", today().to_string());
        }
    }
    let attended = dangwu_store::activities::attended_by(&state.store, id, 20)
        .await?
        .into_iter()
        .map(|(a, att)| {
            let label = dangwu_domain::activity::Attendance::parse(&att).map(|x| x.label()).unwrap_or("");
            (a.held_on, a.title, a.id, label)
        })
        .collect();
    let today = today();
    let page = DetailPage {
        attended,
        layout: Layout::new(user, m.name.clone(), "members").notice(notice),
        gender: Gender::parse(&m.gender).map(Gender::label).unwrap_or(""),
        status: current.label(),
        status_class: status_class(current),
        dues: DuesCategory::parse(&m.dues_category).map(DuesCategory::label).unwrap_or(""),
        age: age_on(m.birth_date, today),
        standing: m.full_on.filter(|_| current.is_active()).map(|f| age_on(f, today)),
        can_reveal: p.can_reveal_id(id, &path),
        is_staff: p.role != dangwu_domain::auth::Role::Member,
        writable,
        full_id,
        history,
        events,
        kinds,
        to_orgs,
        errors,
        v,
        row,
    };
    Ok(html_status(status_code, &page))
}

#[derive(Deserialize)]
pub struct EventForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    on_date: String,
    #[serde(default)]
    to_org_id: String,
    #[serde(default)]
    note: String,
}

pub async fn event(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<EventForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = member_id(&id)?;
    let result = async {
        let mut p = Problems::default();
        let kind = match MemberEventKind::parse(&form.kind) {
            Ok(MemberEventKind::Joined) | Err(_) => {
                p.push("event", "请选择变动类型");
                None
            }
            Ok(k) => Some(k),
        };
        let on = p.date("on_date", "变动日期", &form.on_date, true);
        let to_org = match form.to_org_id.trim() {
            "" => None,
            s => OrgId::parse(s).map(Some).unwrap_or_else(|_| {
                p.push("to_org_id", "所选党组织不存在");
                None
            }),
        };
        p.finish()?;
        let (kind, on) = (kind.expect("checked"), on.expect("checked"));
        // Only 调整所在党组织 and 转入 move the member; other kinds ignore a chosen organisation.
        let to_org = to_org.filter(|_| matches!(kind, MemberEventKind::Moved | MemberEventKind::TransferIn));
        members::record_event(&state.store, &user.principal, &user.actor(), id, kind, on, to_org, &form.note).await?;
        Ok::<_, WebError>(kind)
    }
    .await;
    match result {
        Ok(kind) => Ok(see_other(&format!("/members/{id}"), &format!("已办理：{}", kind.label()))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, EVENT_FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("kind", &form.kind), ("on_date", &form.on_date), ("to_org_id", &form.to_org_id), ("note", &form.note)] {
                v.set(k, s.clone());
            }
            render(&state, &user, id, None, None, (status, errors, v)).await
        }
    }
}
