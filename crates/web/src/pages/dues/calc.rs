//! 党费计算器: the monthly amount for a category and base (or a farmer's flat amount), with the
//! bracket, rate, citation and the note on the normal 1,000-yuan monthly cap.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_domain::dues::{Calc, calc};
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::pages::kit::{FieldErrors, Opt, Problems};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct Q {
    #[serde(default)]
    category: String,
    #[serde(default)]
    base: String,
    #[serde(default)]
    flat: String,
}

/// One line of the rate table shown beside the calculator.
pub struct Line {
    pub range: String,
    pub rate: String,
}

#[derive(Template)]
#[template(path = "dues_calc.html")]
struct Page {
    layout: Layout,
    categories: Vec<Opt>,
    base: String,
    flat: String,
    /// The category pays a flat amount (no base); `flat_range` when it is chosen per member.
    is_flat: bool,
    flat_range: Option<String>,
    /// "0.20" or "0.20–1.00" for flat categories.
    flat_text: Option<String>,
    result: Option<Calc>,
    errors: FieldErrors,
    lines: Vec<Line>,
    citation: String,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    let rules = &state.store.dues;
    let category = DuesCategory::parse(&q.category).unwrap_or(DuesCategory::InService);
    let flat_rule = rules.flat(category);
    // The form was sent (a bare visit shows the empty form).
    let asked = !q.category.trim().is_empty() || !q.base.trim().is_empty();
    let mut status = StatusCode::OK;
    let (mut result, mut errors) = (None, FieldErrors::default());
    if asked {
        let outcome = async {
            let mut p = Problems::default();
            let parse = |p: &mut Problems, s: &str, field: &str| match s.trim() {
                "" => None,
                s => Fen::parse_non_negative(s, field).map_err(|e| p.extend(e)).ok(),
            };
            let base = parse(&mut p, &q.base, "base");
            let flat = parse(&mut p, &q.flat, "amount");
            if flat_rule.is_none() && base.is_none() && p.0.is_empty() {
                p.push("base", "请填写计算基数，如 5100.00");
            }
            p.finish()?;
            Ok::<_, WebError>(calc(rules, category, base, flat)?)
        }
        .await;
        match outcome {
            Ok(c) => result = Some(c),
            Err(e) => (status, errors) = FieldErrors::from_error(e, &["base", "amount"])?,
        }
    }
    let lines = match rules.scale(category) {
        Some(s) => {
            let mut lower: Option<Fen> = None;
            s.brackets
                .iter()
                .map(|b| {
                    let range = match (lower, b.up_to) {
                        (None, Some(u)) => format!("{u}元以下（含）"),
                        (Some(l), Some(u)) => format!("{l}元以上至{u}元（含）"),
                        (Some(l), None) => format!("{l}元以上"),
                        (None, None) => "全部".to_owned(),
                    };
                    lower = b.up_to;
                    Line { range, rate: b.rate.percent() }
                })
                .collect()
        }
        None => vec![],
    };
    let citation = rules.scale(category).map(|s| s.citation.clone()).or_else(|| flat_rule.map(|f| f.citation.clone())).unwrap_or_default();
    let page = Page {
        layout: Layout::new(&user, "党费计算器", "dues"),
        categories: DuesCategory::ALL.iter().map(|c| Opt::new(c.code(), c.label(), category.code())).collect(),
        base: q.base.trim().to_owned(),
        flat: q.flat.trim().to_owned(),
        is_flat: flat_rule.is_some(),
        flat_range: flat_rule.and_then(|f| f.max.map(|m| format!("{}–{}", f.amount, m))),
        flat_text: flat_rule.map(|f| match f.max {
            Some(m) => format!("{}–{}", f.amount, m),
            None => f.amount.to_string(),
        }),
        result,
        errors,
        lines,
        citation,
    };
    Ok(html_status(status, &page))
}
