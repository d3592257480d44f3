//! One ledger item: its fields, progress notes, evidence with every version, and the forms for
//! progress (with a status change), evidence upload and 销号 (a verifier who is not the owner).

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use dangwu_domain::supervision::LedgerStatus;
use dangwu_store::supervision::{self, ItemDetail};
use serde::Deserialize;

use super::{row_id, status_tag};
use crate::auth::{CurrentUser, urlencode};
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, see_other, staff_only, today};
use crate::render::{Layout, html_status};
use crate::upload::read_upload;
use crate::{AppState, WebError};

const FIELDS: &[&str] = &["on_date", "text", "status", "evidence", "file", "title"];

pub struct NoteLine {
    pub on_date: String,
    pub text: String,
    pub change: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "ledger_item.html")]
struct ItemPage {
    layout: Layout,
    d: ItemDetail,
    category: String,
    status_label: String,
    tag: &'static str,
    due: String,
    overdue: bool,
    notes: Vec<NoteLine>,
    moves: Vec<Opt>,
    can_close: bool,
    closed: bool,
    today: String,
    v: Values,
    errors: FieldErrors,
}

impl ItemPage {
    fn is_current(&self, id: &str) -> bool {
        self.d.current_evidence().iter().any(|e| e.id == id)
    }
}

async fn render(state: &AppState, user: &CurrentUser, id: &str, v: Values, (status, errors): (StatusCode, FieldErrors), notice: Option<String>) -> Result<Response, WebError> {
    let d = supervision::item(&state.store, &user.principal, id).await?;
    let book = &state.store.supervision;
    let s = d.item.status();
    let label = |c: &str| LedgerStatus::parse(c).map(|s| book.status_label(s).to_owned()).unwrap_or_else(|_| c.to_owned());
    let notes = d
        .notes
        .iter()
        .map(|n| NoteLine {
            on_date: n.on_date.to_string(),
            text: n.text.clone(),
            change: if n.from_status == n.to_status { String::new() } else { format!("{} → {}", label(&n.from_status), label(&n.to_status)) },
            by: n.created_by.clone(),
        })
        .collect();
    let moves = LedgerStatus::ALL
        .iter()
        .filter(|t| **t == s || (s.may_move_to(**t) && **t != LedgerStatus::Closed))
        .map(|t| Opt::new(t.code(), book.status_label(*t), if v.get("status").is_empty() { s.code() } else { v.get("status") }))
        .collect();
    let page = ItemPage {
        layout: Layout::new(user, format!("第{}项 {}", d.item.no, d.item.title), "ledger").notice(notice),
        category: book.category_label(&d.item.category).to_owned(),
        status_label: book.status_label(s).to_owned(),
        tag: status_tag(&d.item.status),
        due: d.item.next_due(d.ledger.feedback_on).map(|x| x.to_string()).unwrap_or_default(),
        overdue: d.item.overdue(d.ledger.feedback_on, today()),
        notes,
        moves,
        can_close: d.can_write && s == LedgerStatus::AwaitingVerification,
        closed: s == LedgerStatus::Closed,
        today: today().to_string(),
        d,
        v,
        errors,
    };
    Ok(html_status(status, &page))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let id = row_id(&id, "台账事项")?;
    render(&state, &user, &id, Values::default(), (StatusCode::OK, FieldErrors::default()), n.ok).await
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    on_date: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    status: String,
}

fn values(form: &NoteForm) -> Values {
    let mut v = Values::default();
    for (k, s) in [("on_date", &form.on_date), ("text", &form.text), ("status", &form.status)] {
        v.set(k, s.trim());
    }
    v
}

pub async fn progress(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<NoteForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "台账事项")?;
    let mut p = Problems::default();
    let on = p.date("on_date", "日期", &form.on_date, true);
    let to = match form.status.trim() {
        "" => None,
        s => LedgerStatus::parse(s).map_err(|e| p.extend(e)).ok(),
    };
    let result = async {
        p.finish()?;
        Ok::<_, WebError>(supervision::progress(&state.store, &user.principal, &user.actor(), &id, on.expect("checked"), &form.text, to, today()).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/ledger/{id}"), "已记录整改进展")),
        Err(e) => render(&state, &user, &id, values(&form), FieldErrors::from_error(e, FIELDS)?, None).await,
    }
}

pub async fn close(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<NoteForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "台账事项")?;
    let mut p = Problems::default();
    let on = p.date("on_date", "销号日期", &form.on_date, true);
    let result = async {
        p.finish()?;
        Ok::<_, WebError>(supervision::close(&state.store, &user.principal, &user.actor(), &id, on.expect("checked"), &form.text, today()).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/ledger/{id}"), "已核验销号")),
        // A refusal (the owner closing their own item) is shown on the page, not as an error page.
        Err(e) if e.status == StatusCode::FORBIDDEN && e.code == "forbidden" => {
            let mut errors = FieldErrors::default();
            errors.general.push(e.message.clone());
            render(&state, &user, &id, values(&form), (StatusCode::FORBIDDEN, errors), None).await
        }
        Err(e) => render(&state, &user, &id, values(&form), FieldErrors::from_error(e, FIELDS)?, None).await,
    }
}

pub async fn upload(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, mp: Result<Multipart, MultipartRejection>) -> Result<Response, WebError> {
    let id = row_id(&id, "台账事项")?;
    let mp = mp.map_err(|_| WebError::bad_request("file", "请通过事项页面的表单上传文件"))?;
    let max = state.config.max_upload_bytes;
    let up = read_upload(mp, max).await?;
    // Multipart bodies bypass CsrfForm, so the token is checked here, before anything else.
    if !up.csrf_ok(&user.csrf_token) {
        return Err(WebError::csrf());
    }
    if up.too_big {
        let mut errors = FieldErrors::default();
        errors.general.push("文件超过大小上限，未保存".into());
        return render(&state, &user, &id, Values::default(), (StatusCode::PAYLOAD_TOO_LARGE, errors), None).await;
    }
    let title = up.field("title").to_owned();
    match supervision::add_evidence(&state.store, &user.principal, &user.actor(), &id, &title, &up.filename, up.file, max).await {
        Ok(e) => Ok(see_other(&format!("/ledger/{id}"), &format!("已上传“{}”第{}版", e.title, e.version))),
        Err(e) => {
            let mut v = Values::default();
            v.set("title", title);
            render(&state, &user, &id, v, FieldErrors::from_error(e.into(), FIELDS)?, None).await
        }
    }
}

pub async fn evidence_file(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = row_id(&id, "佐证材料")?;
    let (name, ct, bytes) = supervision::evidence_content(&state.store, &user.principal, &id).await?;
    let disposition = format!("inline; filename*=UTF-8''{}", urlencode(&name));
    Ok(([(CONTENT_TYPE, ct), (CONTENT_DISPOSITION, disposition), (CACHE_CONTROL, "private, no-store".to_owned())], bytes).into_response())
}
