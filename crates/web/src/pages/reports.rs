//! 工作报告: choose org, period and template; preview with every figure linked to its records;
//! download DOCX / Markdown / facts xlsx; save, fill in the 【待填写】 parts, and see what changed
//! in the records since a saved report was generated.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use dangwu_domain::facts::{Fact, FactValue};
use dangwu_domain::period::{Granularity, Period};
use dangwu_domain::report::format::value_text;
use dangwu_domain::OrgId;
use dangwu_store::reports::{self, Change, Generated};
use dangwu_store::{facts, orgs};
use serde::Deserialize;

use super::kit::{Opt, org_opts, see_other, staff_only, today};
use super::report_html::{Style, fragment, kind_label, live_fact_href, record_url};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::render::{Layout, html};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(index).post(save))
        .route("/reports/preview", get(preview))
        .route("/reports/download", get(download_live))
        .route("/reports/facts/{name}", get(live_fact))
        .route("/reports/{id}", get(saved))
        .route("/reports/{id}/fills", post(fills))
        .route("/reports/{id}/download", get(download_saved))
        .route("/reports/{id}/facts/{name}", get(saved_fact))
}

#[derive(Deserialize, Default)]
pub struct Q {
    #[serde(default)]
    org: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    format: String,
}

struct SavedLine {
    id: String,
    org: String,
    period: String,
    template: String,
    generated_on: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct IndexPage {
    layout: Layout,
    orgs: Vec<Opt>,
    templates: Vec<Opt>,
    period: String,
    saved: Vec<SavedLine>,
}

fn default_period() -> Period {
    // The last finished quarter: what a quarterly report is written about.
    let q = Period::containing(today(), Granularity::Quarter);
    Period::containing(q.start().pred_opt().expect("date"), Granularity::Quarter)
}

fn template_opts(state: &AppState, selected: &str) -> Vec<Opt> {
    state.store.templates.list.iter().map(|t| Opt::new(t.name.clone(), t.label.clone(), selected)).collect()
}

async fn index(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let list = orgs::tree_order(orgs::list(&state.store, &user.principal, false).await?);
    let saved = reports::list(&state.store, &user.principal)
        .await?
        .into_iter()
        .map(|(r, org)| SavedLine {
            template: state.store.templates.get(&r.template).map(|t| t.label.clone()).unwrap_or(r.template.clone()),
            period: Period::parse(&r.period).map(|p| p.label()).unwrap_or(r.period.clone()),
            id: r.id,
            org,
            generated_on: dangwu_domain::date::format_cn(r.generated_on),
        })
        .collect();
    let page = IndexPage {
        layout: Layout::new(&user, "工作报告", "reports"),
        orgs: org_opts(&list, ""),
        templates: template_opts(&state, "quarterly"),
        period: default_period().to_string(),
        saved,
    };
    Ok(html(&page))
}

/// Generates from the query (org, period, template), checking scope and period.
async fn generate(state: &AppState, user: &CurrentUser, q: &Q) -> Result<Generated, WebError> {
    if q.period.trim().is_empty() {
        return Err(WebError::bad_request("period", "请填写期间，如 2022Q1"));
    }
    let period = Period::parse(&q.period)?;
    let org = match q.org.trim() {
        "" => None,
        s => Some(OrgId::parse(s)?),
    };
    let name = if q.template.trim().is_empty() { "quarterly" } else { q.template.trim() };
    let t = reports::template(&state.store, name)?.clone();
    let scope = reports::scope(&state.store, &user.principal, org, period, today()).await?;
    Ok(reports::generate(&state.store, scope, &t, today()).await?)
}

#[derive(Template)]
#[template(path = "reports_preview.html")]
struct PreviewPage {
    layout: Layout,
    body: String,
    org: String,
    period: String,
    template: String,
    version: String,
    /// Set for a saved report.
    id: Option<String>,
    blanks: usize,
    changes: Vec<Change>,
}

async fn preview(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    let g = generate(&state, &user, &q).await?;
    let href = live_fact_href(&g);
    let body = fragment(&g.doc, &Style { fact_href: &href, editable: false });
    let page = PreviewPage {
        layout: Layout::new(&user, format!("{}{} · {}", g.org.name, g.period.label(), g.template.label), "reports"),
        body,
        org: g.org.id.clone(),
        period: g.period.to_string(),
        template: g.template.name.clone(),
        version: g.template.version[..12].to_owned(),
        id: None,
        blanks: 0,
        changes: vec![],
    };
    Ok(html(&page))
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    org: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    template: String,
}

async fn save(State(state): State<AppState>, f: CsrfForm<SaveForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let q = Q { org: form.org, period: form.period, template: form.template, format: String::new() };
    let g = generate(&state, &user, &q).await?;
    let id = reports::save(&state.store, &user.actor(), &g).await?;
    Ok(see_other(&format!("/reports/{id}"), "报告已保存：可在下方填写【待填写】部分"))
}

async fn saved(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let (s, changes) = reports::changes(&state.store, &user.principal, &id).await?;
    let g = &s.generated;
    let rid = s.row.id.clone();
    let href = move |name: &str| format!("/reports/{rid}/facts/{name}");
    let body = fragment(&g.doc, &Style { fact_href: &href, editable: true });
    let page = PreviewPage {
        layout: Layout::new(&user, format!("{}{} · {}", g.org.name, g.period.label(), g.template.label), "reports"),
        blanks: body.matches("<textarea").count(),
        body,
        org: g.org.id.clone(),
        period: g.period.to_string(),
        template: g.template.name.clone(),
        version: g.template.version[..12].to_owned(),
        id: Some(s.row.id.clone()),
        changes,
    };
    Ok(html(&page))
}

async fn fills(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<HashMap<String, String>>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let mut map = BTreeMap::new();
    for (k, v) in form {
        if let Some(i) = k.strip_prefix("fill_") {
            let i: usize = i.parse().map_err(|_| WebError::bad_request("fills", format!("无效的字段 {k}")))?;
            map.insert(i, v);
        }
    }
    reports::fill(&state.store, &user.principal, &user.actor(), &id, map).await?;
    Ok(see_other(&format!("/reports/{id}"), "已保存填写内容"))
}

fn file(bytes: Vec<u8>, content_type: &str, ascii: &str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::auth::urlencode(name));
    ([(CONTENT_TYPE, content_type.to_owned()), (CONTENT_DISPOSITION, disposition), (CACHE_CONTROL, "no-store".to_owned())], bytes).into_response()
}

fn download(state: &AppState, g: &Generated, format: &str) -> Result<Response, WebError> {
    let base = format!("{}{}{}", g.org.name, g.period.label(), g.template.label);
    let ascii = format!("report-{}", g.period);
    Ok(match format {
        "" | "docx" => {
            let bytes = dangwu_docgen::report_docx::write_docx(&g.doc).map_err(|e| WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "docx", e))?;
            file(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", &format!("{ascii}.docx"), &format!("{base}.docx"))
        }
        "md" => file(dangwu_domain::report::markdown(&g.doc).into_bytes(), "text/markdown; charset=utf-8", &format!("{ascii}.md"), &format!("{base}.md")),
        "xlsx" => {
            let cat = facts::catalogue(&state.store.rulebook, &state.store.supervision);
            let bytes = dangwu_docgen::report_facts::write_facts(&super::report_html::fact_lines(g, &cat))
                .map_err(|e| WebError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "xlsx", e.to_string()))?;
            super::kit::download(bytes, &format!("{ascii}-facts.xlsx"), &format!("{base}事实清单.xlsx"))
        }
        other => return Err(WebError::bad_request("format", format!("格式应为 docx、md 或 xlsx，而不是“{other}”"))),
    })
}

async fn download_live(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    let g = generate(&state, &user, &q).await?;
    download(&state, &g, q.format.trim())
}

async fn download_saved(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<Q>) -> Result<Response, WebError> {
    let s = reports::get(&state.store, &user.principal, &id).await?;
    download(&state, &s.generated, q.format.trim())
}

struct RecordLink {
    label: String,
    href: Option<String>,
}

struct ItemView {
    text: String,
    records: Vec<RecordLink>,
}

#[derive(Template)]
#[template(path = "reports_fact.html")]
struct FactPage {
    layout: Layout,
    name: String,
    label: String,
    doc: String,
    value: String,
    context: String,
    back: String,
    items: Vec<ItemView>,
    records: Vec<RecordLink>,
}

fn links(refs: &[dangwu_domain::facts::RecordRef]) -> Vec<RecordLink> {
    refs.iter()
        .map(|r| RecordLink { label: format!("{} {}", kind_label(&r.kind), r.id.get(..8).unwrap_or(&r.id)), href: record_url(&r.kind, &r.id) })
        .collect()
}

fn fact_page(state: &AppState, user: &CurrentUser, f: &Fact, context: String, back: String) -> Response {
    let cat = facts::catalogue(&state.store.rulebook, &state.store.supervision);
    let info = cat.iter().find(|c| c.name == f.name);
    let items = match &f.value {
        FactValue::List(items) => items.iter().map(|i| ItemView { text: i.text.clone(), records: links(&i.records) }).collect(),
        _ => vec![],
    };
    let value = match &f.value {
        FactValue::Bool(b) => (if *b { "是" } else { "否" }).to_owned(),
        FactValue::List(items) => format!("{}项", items.len()),
        v => value_text(v),
    };
    let label = info.map(|i| i.label.clone()).unwrap_or(f.name.clone());
    let page = FactPage {
        layout: Layout::new(user, format!("{label}的记录"), "reports"),
        name: f.name.clone(),
        doc: info.map(|i| i.doc.clone()).unwrap_or_default(),
        label,
        value,
        context,
        back,
        items,
        records: links(&f.records),
    };
    html(&page)
}

async fn live_fact(State(state): State<AppState>, user: CurrentUser, Path(name): Path<String>, Query(q): Query<Q>) -> Result<Response, WebError> {
    let period = Period::parse(&q.period)?;
    let org = match q.org.trim() {
        "" => None,
        s => Some(OrgId::parse(s)?),
    };
    let scope = reports::scope(&state.store, &user.principal, org, period, today()).await?;
    let context = format!("{}{}（按现在的记录）", scope.root.name, period.label());
    let back = format!("/reports/preview?org={}&period={period}", scope.root.id);
    let set = facts::collect(&state.store, &scope).await?;
    let f = set.get(&name).ok_or_else(|| WebError::not_found("事实"))?;
    Ok(fact_page(&state, &user, f, context, back))
}

async fn saved_fact(State(state): State<AppState>, user: CurrentUser, Path((id, name)): Path<(String, String)>) -> Result<Response, WebError> {
    let s = reports::get(&state.store, &user.principal, &id).await?;
    let f = s.generated.facts.get(&name).ok_or_else(|| WebError::not_found("事实"))?;
    let context = format!("{}{}（报告生成于{}时的记录）", s.org.name, s.generated.period.label(), dangwu_domain::date::format_cn(s.row.generated_on));
    Ok(fact_page(&state, &user, f, context, format!("/reports/{id}")))
}
