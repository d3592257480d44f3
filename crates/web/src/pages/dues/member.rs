//! One member's yearly base verification (核定): the form (person type, pay items with 计入,
//! deductions, tax, a farmer's flat amount, a reduction with the branch's decision, the month it
//! takes effect), a preview of the computed amount before saving (`preview=1`), and every version.
//! A confirmed version is never edited: the store refuses with its message, shown above the form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use dangwu_domain::auth::Role;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::org::OrgPath;
use dangwu_store::dues::verification::{self, Computed};
use dangwu_store::dues::{self, Verification};
use dangwu_store::members::{self, MemberRow};
use std::collections::HashMap;

use super::member_form::{self, ItemRow, SHOWN};
use super::{OrgYear, category_label, status_of, year_of};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::kit::{FieldErrors, Opt, Values, member_id, see_other, today};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

pub struct PtOpt {
    pub value: String,
    pub label: String,
    pub selected: bool,
    pub included: String,
    pub excluded: String,
}

pub struct HRow {
    pub year: i64,
    pub version: i64,
    pub effective: i64,
    pub base: String,
    pub bracket: String,
    pub rate: String,
    pub amount: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub by: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "dues_member.html")]
struct Page {
    layout: Layout,
    row: MemberRow,
    category: String,
    year: i32,
    writable: bool,
    current: Option<Verification>,
    /// Why the form makes a new version instead of editing (the year is confirmed).
    locked: Option<String>,
    /// The year's latest version is confirmed: saving adds a version.
    new_version: bool,
    person_types: Vec<PtOpt>,
    item_names: Vec<String>,
    rows: Vec<ItemRow>,
    months: Vec<Opt>,
    is_flat: bool,
    is_retired: bool,
    flat_range: Option<String>,
    v: Values,
    errors: FieldErrors,
    preview: Option<Computed>,
    history: Vec<HRow>,
    paid: Vec<(String, String)>,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(q): Query<OrgYear>) -> Result<Response, WebError> {
    if user.principal.role == Role::Member {
        return Ok(Redirect::to("/dues/me").into_response());
    }
    let id = member_id(&id)?;
    let year = year_of(&q.year);
    let versions = verification::history(&state.store, &user.principal, id).await?;
    let this_year: Vec<&Verification> = versions.iter().filter(|v| v.year == year as i64).collect();
    let mut notice = q.ok;
    let (v, rows) = match (this_year.first(), versions.iter().find(|v| v.year < year as i64)) {
        (Some(c), _) if c.is_confirmed() => member_form::from_version(c, next_month(c, year)),
        (Some(c), _) => member_form::from_version(c, c.effective_month as u32),
        // A new year starts from last year's items, to be updated from the new payroll.
        (None, Some(last)) => {
            notice = notice.or_else(|| Some(format!("已按{}年核定预填，请按{year}年工资情况核对后保存", last.year)));
            member_form::from_version(last, 1)
        }
        (None, None) => (Values::default(), member_form::with_spare(vec![])),
    };
    render(&state, &user, id, year, versions, (v, rows), (StatusCode::OK, FieldErrors::default()), None, notice).await
}

/// The first month a new version could take effect: after the version in force, and not before
/// this month when the year is the current one.
fn next_month(c: &Verification, year: i32) -> u32 {
    let t = today();
    let floor = if t.year() == year { t.month() } else { 1 };
    ((c.effective_month as u32) + 1).max(floor).min(12)
}

pub async fn save(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<HashMap<String, String>>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = member_id(&id)?;
    let year = year_of(form.get("year").map_or("", String::as_str));
    let preview = form.get("preview").is_some_and(|s| s == "1");
    let (v, rows) = member_form::typed(&form);
    let store = &state.store;
    let result = async {
        let input = member_form::parse(&v, &rows)?;
        if preview {
            let row = members::get(store, &user.principal, id).await?;
            let category = DuesCategory::parse(&row.member.dues_category)?;
            return Ok::<_, WebError>(Err(verification::compute(&store.dues, category, &input)?));
        }
        Ok(Ok(dues::save(store, &user.principal, &user.actor(), id, year, &input).await?))
    }
    .await;
    let versions = verification::history(store, &user.principal, id).await?;
    match result {
        Ok(Ok(saved)) => {
            let notice = format!("已保存{year}年第{}版核定（草稿，自{}月起每月{}元），确认核定后锁定", saved.version, saved.effective_month, saved.amount());
            Ok(see_other(&format!("/dues/members/{id}?year={year}"), &notice))
        }
        Ok(Err(computed)) => render(&state, &user, id, year, versions, (v, rows), (StatusCode::OK, FieldErrors::default()), Some(computed), None).await,
        Err(e) => {
            let errors = FieldErrors::from_error(e, SHOWN)?;
            render(&state, &user, id, year, versions, (v, rows), errors, None, None).await
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: dangwu_domain::MemberId,
    year: i32,
    versions: Vec<Verification>,
    (v, rows): (Values, Vec<ItemRow>),
    (status, errors): (StatusCode, FieldErrors),
    preview: Option<Computed>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let row = members::get(store, p, id).await?;
    let writable = p.can_write_member(&OrgPath::from_stored(row.org_path.clone()));
    let rules = &store.dues;
    let category = DuesCategory::parse(&row.member.dues_category).unwrap_or(DuesCategory::InService);
    let current = versions.iter().find(|x| x.year == year as i64).cloned();
    let locked = versions.iter().find(|x| x.year == year as i64 && x.is_confirmed()).map(|l| {
        format!(
            "{year}年核定已确认锁定（第{}版，自{}月起），不能修改。如年中工资或情况变化，请填写晚于{}月的生效月份，保存为新版本后再确认。",
            l.version, l.effective_month, l.effective_month
        )
    });
    let sel = v.get("person_type");
    let person_types = rules
        .person_types
        .iter()
        .map(|t| PtOpt {
            selected: t.id == sel || (category == DuesCategory::Retired && t.id == "retired"),
            value: t.id.clone(),
            label: t.label.clone(),
            included: t.included.join("、"),
            excluded: t.excluded.join("、"),
        })
        .collect();
    let mut item_names: Vec<String> = rules.person_types.iter().flat_map(|t| t.included.iter().chain(&t.excluded).cloned()).collect();
    item_names.sort();
    item_names.dedup();
    let flat = rules.flat(category);
    let history = versions
        .iter()
        .map(|x| {
            let (status, status_class) = status_of(x);
            let note = [x.note.clone(), x.reduction_ref.as_ref().map(|r| format!("决定：{r}"))].into_iter().flatten().collect::<Vec<_>>().join("；");
            HRow {
                year: x.year,
                version: x.version,
                effective: x.effective_month,
                base: x.base().map(|b| b.to_string()).unwrap_or_default(),
                bracket: x.bracket.clone(),
                rate: x.rate_percent(),
                amount: x.amount().to_string(),
                status,
                status_class,
                by: x.confirmed_by.clone().unwrap_or_else(|| x.created_by.clone()),
                note,
            }
        })
        .collect();
    let paid = dues::payments::history(store, p, id)
        .await?
        .into_iter()
        .filter(|x| x.year == year as i64)
        .rev()
        .map(|x| (format!("{}月", x.month), x.total().to_string()))
        .collect();
    let month_sel = v.get("effective_month").to_owned();
    let page = Page {
        layout: Layout::new(user, format!("{}{year}年党费核定", row.member.name), "dues").notice(notice),
        category: category_label(&row.member.dues_category).to_owned(),
        year,
        writable,
        new_version: current.as_ref().is_some_and(Verification::is_confirmed),
        current,
        locked,
        person_types,
        item_names,
        rows,
        months: (1..=12).map(|m| Opt::new(m.to_string(), format!("{m}月"), if month_sel.is_empty() { "1" } else { &month_sel })).collect(),
        is_flat: flat.is_some(),
        is_retired: category == DuesCategory::Retired,
        flat_range: flat.and_then(|f| f.max.map(|m| format!("{}–{}", f.amount, m))),
        v,
        errors,
        preview,
        history,
        paid,
        row,
    };
    Ok(html_status(status, &page))
}
