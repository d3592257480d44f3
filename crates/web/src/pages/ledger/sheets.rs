//! The ledger's spreadsheets: the blank feedback-list template, importing the inspector's list
//! (all rows or none), 对账 against an uploaded list, and the printable ledger.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_docgen::SheetRow;
use dangwu_docgen::rectification::{read_list, write_list};
use dangwu_domain::supervision::{ItemInput, LedgerStatus, ListLine};
use dangwu_store::Store;
use dangwu_store::supervision::{self, DispatchRound, ImportRow, LedgerDetail};

use super::book::render_book;
use super::row_id;
use crate::auth::CurrentUser;
use crate::pages::kit::{FieldErrors, Values, download, see_other};
use crate::upload::{Upload, read_upload};
use crate::{AppState, WebError};

const MAX_ROWS: usize = 2000;

fn sheet_error(e: dangwu_docgen::SheetError) -> WebError {
    WebError::bad_request("file", format!("无法读取表格：{e}"))
}

/// A feedback-list sheet row as an import row.
pub fn import_row(r: &SheetRow) -> ImportRow {
    let input = ItemInput {
        no: r.get("no").into(),
        title: r.get("title").into(),
        category: r.get("category").into(),
        measures: r.get("measures").into(),
        leader: r.get("leader").into(),
        department: r.get("department").into(),
        owner_name: r.get("owner_name").into(),
        due_on: r.get("due_on").into(),
        acceptance: r.get("acceptance").into(),
    };
    ImportRow { row: r.row, input, org: r.get("org").into() }
}

/// A sheet row as a line of the inspector's list for 对账; `Err` names the row and column.
pub fn list_line(r: &SheetRow) -> Result<ListLine, String> {
    let no = r.get("no").parse::<i64>().map_err(|_| format!("第{}行 [序号]：“{}”不是正整数", r.row, r.get("no")))?;
    let status = match r.get("status") {
        "" => None,
        s => Some(LedgerStatus::parse(s).map_err(|e| format!("第{}行 [整改状态]：{e}", r.row))?),
    };
    Ok(ListLine { row: r.row, no, title: r.get("title").into(), status })
}

async fn upload(state: &AppState, user: &CurrentUser, mp: Result<Multipart, MultipartRejection>) -> Result<Upload, WebError> {
    let mp = mp.map_err(|_| WebError::bad_request("file", "请通过台账页面的表单上传 Excel 文件"))?;
    let up = read_upload(mp, state.config.max_upload_bytes).await?;
    // Multipart bodies bypass CsrfForm, so the token is checked here, before anything else.
    if !up.csrf_ok(&user.csrf_token) {
        return Err(WebError::csrf());
    }
    if up.too_big {
        return Err(WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "上传的文件过大"));
    }
    if up.file.is_empty() {
        return Err(WebError::bad_request("file", "请选择 Excel（.xlsx）文件"));
    }
    Ok(up)
}

async fn show_error(state: &AppState, user: &CurrentUser, id: &str, e: WebError) -> Result<Response, WebError> {
    let errors = FieldErrors::from_error(e, &[])?;
    render_book(state, user, id, Values::default(), errors, None, None).await
}

pub async fn import(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, mp: Result<Multipart, MultipartRejection>) -> Result<Response, WebError> {
    let id = row_id(&id, "台账")?;
    let up = upload(&state, &user, mp).await?;
    let rows = match read_list(&up.file, MAX_ROWS) {
        Ok(rows) => rows,
        Err(e) => return show_error(&state, &user, &id, sheet_error(e)).await,
    };
    let rows: Vec<ImportRow> = rows.iter().map(import_row).collect();
    match supervision::import_items(&state.store, &user.principal, &user.actor(), &id, &rows, false).await {
        Ok(n) => Ok(see_other(&format!("/ledger/books/{id}"), &format!("已导入{n}个反馈问题"))),
        Err(dangwu_store::import::ImportError::Rows(errs)) => {
            let mut e = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_rows", format!("导入失败：{}处错误，未写入任何数据", errs.len()));
            e.errors = errs.iter().map(|r| dangwu_domain::FieldError::new("", format!("第{}行 · {}", r.row, r.message))).collect();
            show_error(&state, &user, &id, e).await
        }
        Err(e) => show_error(&state, &user, &id, e.into()).await,
    }
}

pub async fn reconcile(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, mp: Result<Multipart, MultipartRejection>) -> Result<Response, WebError> {
    let id = row_id(&id, "台账")?;
    let up = upload(&state, &user, mp).await?;
    let rows = match read_list(&up.file, MAX_ROWS) {
        Ok(rows) => rows,
        Err(e) => return show_error(&state, &user, &id, sheet_error(e)).await,
    };
    let (lines, bad): (Vec<_>, Vec<_>) = rows.iter().map(list_line).partition(Result::is_ok);
    if !bad.is_empty() {
        let mut e = WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "import_rows", "对账清单有误");
        e.errors = bad.into_iter().filter_map(Result::err).map(|m| dangwu_domain::FieldError::new("", m)).collect();
        return show_error(&state, &user, &id, e).await;
    }
    let lines: Vec<ListLine> = lines.into_iter().filter_map(Result::ok).collect();
    let recon = supervision::reconcile(&state.store, &user.principal, &id, &lines).await?;
    render_book(&state, &user, &id, Values::default(), (StatusCode::OK, FieldErrors::default()), Some(recon), None).await
}

pub async fn export(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = row_id(&id, "台账")?;
    let d = supervision::get(&state.store, &user.principal, &id).await?;
    let rows = ledger_rows(&d, &state.store);
    let bytes = write_list(&rows).map_err(|e| {
        tracing::error!(error = %e, "ledger sheet");
        WebError::internal()
    })?;
    Ok(download(bytes, "rectification-ledger.xlsx", &format!("{}.xlsx", d.ledger.title)))
}

/// The printable ledger's rows, in the feedback list's column order.
pub fn ledger_rows(d: &LedgerDetail, store: &Store) -> Vec<Vec<String>> {
    let book = &store.supervision;
    d.items
        .iter()
        .map(|i| {
            vec![
                i.no.to_string(), i.title.clone(), book.category_label(&i.category).to_owned(), i.measures.clone(), i.leader.clone(),
                i.department.clone(), i.owner_name.clone(), i.due_on.map(|d| d.to_string()).unwrap_or_default(), i.acceptance.clone(),
                d.org_name(&i.org_id).to_owned(), book.status_label(i.status()).to_owned(), i.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect()
}

/// The dispatch sheet's rows of a frozen round, department by department.
pub fn dispatch_rows(r: &DispatchRound) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for s in &r.snapshot.sections {
        for l in &s.lines {
            let flag = if l.overdue { "超期" } else if l.due_next_week { "下周到期" } else { "" };
            rows.push(vec![
                s.department.clone(), l.no.to_string(), l.title.clone(), l.leader.clone(), l.owner_name.clone(), l.status_label.clone(),
                l.changes.join("；"), l.next_due.map(|d| d.to_string()).unwrap_or_default(), flag.to_owned(),
            ]);
        }
    }
    rows
}

pub async fn template(_user: CurrentUser) -> Result<Response, WebError> {
    let bytes = write_list(&[]).map_err(|_| WebError::internal())?;
    Ok(download(bytes, "rectification-template.xlsx", "巡察反馈问题清单模板.xlsx"))
}
