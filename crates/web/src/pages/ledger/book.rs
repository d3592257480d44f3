//! The ledgers list with the form for a new one; a ledger page with its items, the forms to add
//! an item, import the list, 对账 and freeze a dispatch round; the draft report.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_domain::supervision::{ItemInput, Reconciliation};
use dangwu_store::orgs;
use dangwu_store::supervision::{self, LedgerDetail, LedgerInput, LedgerRow, Report};
use serde::Deserialize;

use super::{row_id, status_tag};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, org_id, org_opts, see_other, staff_only, today};
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

const LEDGER_FIELDS: &[&str] = &["org_id", "title", "source", "feedback_on"];
const ITEM_FIELDS: &[&str] = &["no", "title", "category", "measures", "leader", "department", "owner_name", "due_on", "acceptance", "org_id"];

#[derive(Template)]
#[template(path = "ledger_list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<LedgerRow>,
    orgs: Vec<Opt>,
    can_create: bool,
    v: Values,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct LedgerForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    feedback_on: String,
}

async fn render_list(state: &AppState, user: &CurrentUser, v: Values, (status, errors): (StatusCode, FieldErrors), notice: Option<String>) -> Result<Response, WebError> {
    let p = &user.principal;
    let rows = supervision::list(&state.store, p).await?;
    let writable: Vec<orgs::Org> = orgs::list(&state.store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect();
    let page = ListPage {
        layout: Layout::new(user, "整改台账", "ledger").notice(notice),
        rows,
        can_create: !writable.is_empty(),
        orgs: org_opts(&writable, v.get("org_id")),
        v,
        errors,
    };
    Ok(html_status(status, &page))
}

pub async fn list(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    render_list(&state, &user, Values::default(), (StatusCode::OK, FieldErrors::default()), n.ok).await
}

pub async fn create(State(state): State<AppState>, f: CsrfForm<LedgerForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let mut p = Problems::default();
    let feedback_on = p.date("feedback_on", "巡察反馈日期", &form.feedback_on, true);
    let org = match form.org_id.trim() {
        "" => {
            p.push("org_id", "请选择台账所属党组织");
            None
        }
        s => Some(org_id(s)?),
    };
    let result = async {
        p.finish()?;
        let input = LedgerInput { org_id: org.expect("checked"), title: form.title.clone(), source: form.source.clone(), feedback_on: feedback_on.expect("checked") };
        Ok::<_, WebError>(supervision::create_ledger(&state.store, &user.principal, &user.actor(), &input, today()).await?)
    }
    .await;
    match result {
        Ok(l) => Ok(see_other(&format!("/ledger/books/{}", l.id), "已建立整改台账，请录入或导入反馈问题")),
        Err(e) => {
            let errors = FieldErrors::from_error(e, LEDGER_FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("org_id", &form.org_id), ("title", &form.title), ("source", &form.source), ("feedback_on", &form.feedback_on)] {
                v.set(k, s.trim());
            }
            render_list(&state, &user, v, errors, None).await
        }
    }
}

/// One item as a line of the ledger table.
pub struct ItemLine {
    pub id: String,
    pub no: i64,
    pub title: String,
    pub department: String,
    pub org_name: String,
    pub category: String,
    pub status_label: String,
    pub tag: &'static str,
    pub due: String,
    pub overdue: bool,
    pub owner: String,
}

pub struct RoundLine {
    pub id: String,
    pub round_no: i64,
    pub as_of: String,
    pub open: i64,
    pub overdue: i64,
    pub changed: i64,
}

#[derive(Template)]
#[template(path = "ledger_book.html")]
struct BookPage {
    layout: Layout,
    d: LedgerDetail,
    lines: Vec<ItemLine>,
    rounds: Vec<RoundLine>,
    orgs: Vec<Opt>,
    categories: Vec<Opt>,
    recon: Option<Reconciliation>,
    today: String,
    v: Values,
    errors: FieldErrors,
}

/// Renders the ledger page; `extra` carries a form's values and errors, or a reconciliation.
pub async fn render_book(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    v: Values,
    (status, errors): (StatusCode, FieldErrors),
    recon: Option<Reconciliation>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let d = supervision::get(store, p, id).await?;
    let today = today();
    let book = &store.supervision;
    let lines = d
        .items
        .iter()
        .map(|i| ItemLine {
            id: i.id.clone(),
            no: i.no,
            title: i.title.clone(),
            department: i.department.clone(),
            org_name: d.org_name(&i.org_id).to_owned(),
            category: book.category_label(&i.category).to_owned(),
            status_label: book.status_label(i.status()).to_owned(),
            tag: status_tag(&i.status),
            due: i.next_due(d.ledger.feedback_on).map(|d| d.to_string()).or_else(|| i.closed_on.map(|c| format!("{c} 销号"))).unwrap_or_default(),
            overdue: i.overdue(d.ledger.feedback_on, today),
            owner: [i.leader.as_str(), i.owner_name.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" / "),
        })
        .collect();
    let rounds = supervision::rounds(store, p, id)
        .await?
        .into_iter()
        .map(|r| RoundLine { id: r.id, round_no: r.round_no, as_of: r.as_of.to_string(), open: r.snapshot.totals.open, overdue: r.snapshot.totals.overdue, changed: r.snapshot.totals.changed })
        .collect();
    let writable: Vec<orgs::Org> = orgs::list(store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect();
    let categories = book.categories.iter().filter(|c| c.enabled).map(|c| Opt::new(c.id.clone(), c.label.clone(), v.get("category"))).collect();
    let selected_org = if v.get("org_id").is_empty() { d.ledger.org_id.clone() } else { v.get("org_id").to_owned() };
    let page = BookPage {
        layout: Layout::new(user, d.ledger.title.clone(), "ledger").notice(notice),
        orgs: org_opts(&writable, &selected_org),
        lines,
        rounds,
        categories,
        recon,
        today: today.to_string(),
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
    let id = row_id(&id, "台账")?;
    render_book(&state, &user, &id, Values::default(), (StatusCode::OK, FieldErrors::default()), None, n.ok).await
}

#[derive(Deserialize, Default)]
pub struct ItemForm {
    #[serde(flatten)]
    input: ItemInput,
    #[serde(default)]
    org_id: String,
}

pub async fn add_item(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<ItemForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = row_id(&id, "台账")?;
    let org = match form.org_id.trim() {
        "" => None,
        s => Some(org_id(s)?),
    };
    match supervision::add_item(&state.store, &user.principal, &user.actor(), &id, org, &form.input).await {
        Ok(item) => Ok(see_other(&format!("/ledger/{item}"), &format!("已录入第{}项问题", form.input.no.trim()))),
        Err(e) => {
            let errors = FieldErrors::from_error(e.into(), ITEM_FIELDS)?;
            let i = &form.input;
            let mut v = Values::default();
            for (k, s) in [("no", &i.no), ("title", &i.title), ("category", &i.category), ("measures", &i.measures), ("leader", &i.leader),
                ("department", &i.department), ("owner_name", &i.owner_name), ("due_on", &i.due_on), ("acceptance", &i.acceptance), ("org_id", &form.org_id)] {
                v.set(k, s.trim());
            }
            render_book(&state, &user, &id, v, errors, None, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "ledger_report.html")]
struct ReportPage {
    layout: Layout,
    r: Report,
}

#[derive(Deserialize, Default)]
pub struct AsOf {
    #[serde(default)]
    as_of: String,
}

pub async fn report(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<AsOf>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let id = row_id(&id, "台账")?;
    let mut p = Problems::default();
    let as_of = p.date("as_of", "截止日期", &q.as_of, false).unwrap_or_else(today);
    p.finish()?;
    let r = supervision::report(&state.store, &user.principal, &id, as_of).await?;
    Ok(html(&ReportPage { layout: Layout::new(&user, format!("{} · 整改情况报告（草稿）", r.title), "ledger"), r }))
}
