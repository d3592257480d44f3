//! 学习材料目录: the reusable list of what is studied (a plenum's spirit, a dated speech …),
//! chosen on the activity form and in study plans.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use dangwu_store::materials::{self, KINDS, Material};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, see_other, staff_only};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &["title", "kind", "issued_on", "source"];

pub struct MaterialLine {
    pub title: String,
    pub kind: &'static str,
    pub issued_on: String,
    pub source: String,
}

pub fn kind_label(code: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == code).map_or("其他", |(_, l)| l)
}

#[derive(Template)]
#[template(path = "materials.html")]
struct MaterialsPage {
    layout: Layout,
    lines: Vec<MaterialLine>,
    kinds: Vec<Opt>,
    v: Values,
    errors: FieldErrors,
}

async fn render(state: &AppState, user: &CurrentUser, notice: Option<String>, v: Values, (status, errors): (axum::http::StatusCode, FieldErrors)) -> Result<Response, WebError> {
    let lines = materials::list(&state.store)
        .await?
        .into_iter()
        .map(|m: Material| MaterialLine {
            kind: kind_label(&m.kind),
            issued_on: m.issued_on.map(|d| d.to_string()).unwrap_or_default(),
            source: m.source.unwrap_or_default(),
            title: m.title,
        })
        .collect();
    let kinds = KINDS.iter().map(|(k, l)| Opt::new(*k, *l, v.get("kind"))).collect();
    let page = MaterialsPage { layout: Layout::new(user, "学习材料目录", "activities").notice(notice), lines, kinds, v, errors };
    Ok(html_status(status, &page))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let mut v = Values::default();
    v.set("kind", "speech");
    render(&state, &user, n.ok, v, (axum::http::StatusCode::OK, FieldErrors::default())).await
}

#[derive(Deserialize, Default)]
pub struct MaterialForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    source: String,
}

pub async fn create(State(state): State<AppState>, f: CsrfForm<MaterialForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let result = async {
        let mut problems = Problems::default();
        let issued_on = problems.date("issued_on", "印发/讲话日期", &form.issued_on, false);
        problems.finish()?;
        let source = Some(form.source.trim()).filter(|s| !s.is_empty());
        Ok::<_, WebError>(materials::create(&state.store, &user.principal, &user.actor(), &form.title, &form.kind, issued_on, source).await?)
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/materials", "已加入目录")),
        Err(e) => {
            let shown = FieldErrors::from_error(e, FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("title", &form.title), ("kind", &form.kind), ("issued_on", &form.issued_on), ("source", &form.source)] {
                v.set(k, s.clone());
            }
            render(&state, &user, None, v, shown).await
        }
    }
}
