//! The branch view of a year: the verification table with its tally and 核定 button, the monthly
//! ledger (members × 12 months) with totals, and the arrears list (warning at 3 months, the
//! 党章 第九条 flag at 6 for the branch meeting to decide — never an automatic status change).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use dangwu_domain::date::parse_date;
use dangwu_domain::dues::ArrearsLevel;
use dangwu_store::dues::{self, LedgerCell, VerificationTally};
use serde::Deserialize;

use super::{OrgYear, category_label, level_label, level_tag, pick_org, status_of, year_of, ym_label_text};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::kit::{Opt, org_id, org_opts, see_other, today};
use crate::render::{Layout, html};
use crate::{AppState, WebError};

pub struct VRow {
    pub member_id: String,
    pub name: String,
    pub org_name: String,
    pub category: String,
    pub base: String,
    pub bracket: String,
    pub rate: String,
    pub amount: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub version: String,
}

pub struct LRow {
    pub member_id: String,
    pub name: String,
    pub monthly: String,
    /// (text, class) per month: an amount, 未交 or —.
    pub cells: Vec<(String, &'static str)>,
    pub total: String,
}

pub struct ARow {
    pub member_id: String,
    pub name: String,
    pub org_name: String,
    pub months: u32,
    pub since: String,
    /// The year of the first unpaid month, where back payment starts.
    pub since_year: String,
    pub last_paid: String,
    pub tag: &'static str,
    pub level: &'static str,
    pub note: String,
    pub citation: Option<String>,
}

#[derive(Template)]
#[template(path = "dues_branch.html")]
struct Page {
    layout: Layout,
    orgs: Vec<Opt>,
    org_id: String,
    org_name: String,
    year: i32,
    as_of: NaiveDate,
    /// `&as_of=…` when the page looks at a day other than today.
    as_of_q: String,
    many_orgs: bool,
    tally: VerificationTally,
    vrows: Vec<VRow>,
    can_write: bool,
    can_confirm: bool,
    lrows: Vec<LRow>,
    month_totals: Vec<String>,
    total: String,
    arrears: Vec<ARow>,
    warning_months: u32,
    flag_months: u32,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<OrgYear>) -> Result<Response, WebError> {
    if user.principal.role == dangwu_domain::auth::Role::Member {
        return Ok(Redirect::to("/dues/me").into_response());
    }
    let (visible, org) = pick_org(&state, &user, &q.org).await?;
    let year = year_of(&q.year);
    let today = today();
    let as_of = parse_date(q.as_of.trim()).unwrap_or(today);
    let (store, p) = (&state.store, &user.principal);
    let rows = dues::for_org(store, p, org.org_id(), year).await?;
    let tally = VerificationTally::of(&rows);
    let vrows: Vec<VRow> = rows
        .into_iter()
        .map(|r| {
            let v = r.current.as_ref();
            let (status, status_class) = v.map(status_of).unwrap_or(("未核定", "bad"));
            VRow {
                category: category_label(&r.dues_category).to_owned(),
                base: v.and_then(|v| v.base()).map(|b| b.to_string()).unwrap_or_default(),
                bracket: v.map(|v| v.bracket.clone()).unwrap_or_default(),
                rate: v.map(|v| v.rate_percent()).unwrap_or_default(),
                amount: v.map(|v| v.amount().to_string()).unwrap_or_default(),
                version: match (v, r.versions) {
                    (None, _) => String::new(),
                    (Some(v), n) if n > 1 => format!("第{}版（{}月起，共{n}版）", v.version, v.effective_month),
                    (Some(v), _) => format!("第{}版", v.version),
                },
                status,
                status_class,
                member_id: r.member_id,
                name: r.name,
                org_name: r.org_name,
            }
        })
        .collect();
    let many_orgs = vrows.iter().any(|r| r.org_name != org.name);
    let ledger = dues::ledger(store, p, org.org_id(), year, as_of).await?;
    let lrows = ledger
        .rows
        .iter()
        .map(|r| LRow {
            member_id: r.member_id.clone(),
            name: r.name.clone(),
            monthly: r.monthly.map(|m| m.to_string()).unwrap_or_default(),
            cells: r
                .cells
                .iter()
                .map(|c| match c {
                    LedgerCell::Paid(f) => (f.to_string(), "paid"),
                    LedgerCell::Unpaid => ("未交".to_owned(), "unpaid"),
                    LedgerCell::NotDue => ("—".to_owned(), "notdue"),
                })
                .collect(),
            total: r.total.to_string(),
        })
        .collect();
    let arrears = dues::arrears(store, p, Some(org.org_id()), as_of)
        .await?
        .into_iter()
        .map(|a| ARow {
            tag: level_tag(a.level),
            level: if a.level == ArrearsLevel::None { "" } else { level_label(a.level) },
            since_year: a.since.split('-').next().unwrap_or_default().to_owned(),
            since: ym_label_text(&a.since),
            last_paid: a.last_paid.as_deref().map(ym_label_text).unwrap_or_else(|| "无".to_owned()),
            months: a.unpaid_months,
            note: a.note,
            citation: a.citation,
            member_id: a.member_id,
            name: a.name,
            org_name: a.org_name,
        })
        .collect();
    let can_write = p.can_write_member(&org.org_path());
    let page = Page {
        layout: Layout::new(&user, format!("{}{year}年党费", org.name), "dues").notice(q.ok),
        orgs: org_opts(&visible, &org.id),
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        year,
        as_of,
        as_of_q: if as_of == today { String::new() } else { format!("&as_of={as_of}") },
        many_orgs,
        can_confirm: can_write && tally.verified > tally.confirmed,
        can_write,
        tally,
        vrows,
        lrows,
        month_totals: ledger.month_totals.iter().map(|f| f.to_string()).collect(),
        total: ledger.total.to_string(),
        arrears,
        warning_months: store.dues.arrears_warning_months,
        flag_months: store.dues.arrears_flag_months,
    };
    Ok(html(&page))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    org: String,
    #[serde(default)]
    year: String,
}

/// 核定: locks every draft of the org subtree for the year.
pub async fn confirm(State(state): State<AppState>, f: CsrfForm<ConfirmForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let org = org_id(&form.org)?;
    let year = year_of(&form.year);
    let n = dues::confirm(&state.store, &user.principal, &user.actor(), org, year).await?;
    let notice = if n == 0 { format!("{year}年没有待确认的核定") } else { format!("已确认{year}年党费核定{n}人，核定结果已锁定") };
    Ok(see_other(&format!("/dues?org={org}&year={year}"), &notice))
}
