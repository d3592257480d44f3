//! 导入名册: upload an .xlsx roster; every row is checked and either all rows are written or
//! none. Problems come back as a table of row, column and reason in Chinese.

use askama::Template;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use dangwu_docgen::roster_map::{column_label, to_import_rows};
use dangwu_docgen::{read_roster, roster_columns};
use dangwu_store::import::{ImportError, import_members};

use super::Notice;
use crate::pages::kit::{Opt, member_orgs, org_id, org_opts, staff_only, today};
use crate::auth::CurrentUser;
use crate::render::{Layout, html_status};
use crate::upload::read_upload;
use crate::{AppState, WebError};

/// More rows than this is not a branch roster; the sheet is refused before any checking.
pub const MAX_ROWS: usize = 5000;

pub fn router() -> Router<AppState> {
    Router::new().route("/members/import", get(show).post(submit))
}

pub struct ColumnDoc {
    pub header: &'static str,
    pub required: bool,
    pub aliases: String,
    pub note: &'static str,
}

pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    layout: Layout,
    columns: Vec<ColumnDoc>,
    orgs: Vec<Opt>,
    dry_run: bool,
    max_size: String,
    max_rows: usize,
    /// A problem with the file as a whole (not xlsx, too big, missing columns …).
    error: Option<String>,
    problems: Vec<RowProblem>,
    /// Rows imported (or checked) and how many per organisation.
    done: Option<(usize, Vec<(String, usize)>)>,
}

fn size_label(bytes: usize) -> String {
    if bytes >= 1024 * 1024 { format!("{} MB", bytes / (1024 * 1024)) } else { format!("{} KB", bytes.div_ceil(1024)) }
}

async fn page(state: &AppState, user: &CurrentUser, org: &str, dry_run: bool) -> Result<ImportPage, WebError> {
    let columns = roster_columns()
        .iter()
        .map(|c| ColumnDoc { header: c.header, required: c.required, aliases: c.aliases.join("、"), note: c.note })
        .collect();
    Ok(ImportPage {
        layout: Layout::new(user, "导入党员名册", "members"),
        columns,
        orgs: org_opts(&member_orgs(state, user).await?, org),
        dry_run,
        max_size: size_label(state.config.max_upload_bytes),
        max_rows: MAX_ROWS,
        error: None,
        problems: vec![],
        done: None,
    })
}

async fn show(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let mut p = page(&state, &user, "", false).await?;
    p.layout = p.layout.notice(n.ok);
    Ok(html_status(StatusCode::OK, &p))
}

async fn submit(State(state): State<AppState>, user: CurrentUser, mp: Result<Multipart, MultipartRejection>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let mp = mp.map_err(|_| WebError::bad_request("file", "请通过导入页面的表单上传文件"))?;
    let max = state.config.max_upload_bytes;
    let up = read_upload(mp, max).await?;
    let (org, dry_run) = (up.field("org").to_owned(), !up.field("dry_run").is_empty());
    // Multipart bodies bypass CsrfForm, so the token is checked here, before anything else.
    if !up.csrf_ok(&user.csrf_token) {
        return Err(WebError::csrf());
    }
    let mut page = page(&state, &user, &org, dry_run).await?;
    if up.too_big {
        page.error = Some(format!("文件超过大小上限（最大 {}），未导入任何数据。请删去多余的工作表或分批导入。", size_label(max)));
        return Ok(html_status(StatusCode::PAYLOAD_TOO_LARGE, &page));
    }
    if up.file.is_empty() {
        page.error = Some("请选择要导入的 Excel 文件（.xlsx）".into());
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let default_org = match org.trim() {
        "" => None,
        s => Some(org_id(s)?),
    };
    let sheet = match read_roster(&up.file, MAX_ROWS) {
        Ok(rows) => rows,
        Err(e) => {
            page.error = Some(format!("{e}，未导入任何数据。"));
            return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    if sheet.is_empty() {
        page.error = Some("表格中没有党员数据（表头下方没有内容），未导入任何数据。".into());
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let rows = to_import_rows(&sheet);
    match import_members(&state.store, &user.principal, &user.actor(), rows, default_org, dry_run, today()).await {
        Ok(outcome) => {
            page.done = Some((outcome.rows, outcome.per_org.into_iter().collect()));
            Ok(html_status(StatusCode::OK, &page))
        }
        Err(ImportError::Rows(errors)) => {
            page.problems = errors
                .into_iter()
                .map(|e| RowProblem { row: e.row, column: column_label(&e.field).to_owned(), message: e.message })
                .collect();
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}
