//! 每周调度: freezing a round and showing one as it was frozen, with its printable sheet.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_docgen::rectification::write_dispatch;
use dangwu_store::supervision::{self, DispatchRound};
use serde::Deserialize;

use super::book::render_book;
use super::{row_id, status_tag};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::kit::{FieldErrors, Problems, Values, download, see_other, staff_only, today};
use crate::render::{Layout, html};
use crate::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct FreezeForm {
    #[serde(default)]
    as_of: String,
}

pub async fn freeze(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<FreezeForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "台账")?;
    let mut p = Problems::default();
    let as_of = p.date("as_of", "调度日期", &form.as_of, true);
    let result = async {
        p.finish()?;
        Ok::<_, WebError>(supervision::freeze_round(&state.store, &user.principal, &user.actor(), &id, as_of.expect("checked"), today()).await?)
    }
    .await;
    match result {
        Ok(r) => Ok(see_other(&format!("/ledger/dispatch/{}", r.id), &format!("已形成第{}次调度", r.round_no))),
        Err(e) => {
            let errors = FieldErrors::from_error(e, &["as_of"])?;
            let mut v = Values::default();
            v.set("as_of", form.as_of.trim());
            render_book(&state, &user, &id, v, errors, None, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "ledger_dispatch.html")]
struct RoundPage {
    layout: Layout,
    r: DispatchRound,
}

impl RoundPage {
    fn tag(&self, code: &str) -> &'static str {
        status_tag(code)
    }
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let id = row_id(&id, "调度记录")?;
    let r = supervision::get_round(&state.store, &user.principal, &id).await?;
    let title = format!("{} · 第{}次调度（{}）", r.snapshot.ledger_title, r.round_no, r.as_of);
    Ok(html(&RoundPage { layout: Layout::new(&user, title, "ledger"), r }))
}

pub async fn sheet(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = row_id(&id, "调度记录")?;
    let r = supervision::get_round(&state.store, &user.principal, &id).await?;
    let rows = super::sheets::dispatch_rows(&r);
    let bytes = write_dispatch(&rows).map_err(|e| {
        tracing::error!(error = %e, "dispatch sheet");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "生成调度表失败")
    })?;
    Ok(download(bytes, "dispatch.xlsx", &format!("{}第{}次调度（{}）.xlsx", r.snapshot.ledger_title, r.round_no, r.as_of)))
}
