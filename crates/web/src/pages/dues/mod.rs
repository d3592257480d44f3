//! 党费: the branch view (the year's verification table, monthly ledger and arrears), one member's
//! yearly base verification, recording payments, the calculator, remittance upward with its
//! reconciliation, and a member's own dues (我的党费). Amounts are integer fen throughout and
//! shown as yuan text ("76.50"); the rules come from `state.store.dues`.

use axum::Router;
use axum::routing::{get, post};
use chrono::Datelike;
use dangwu_domain::dues::ArrearsLevel;
use dangwu_domain::member::DuesCategory;
use dangwu_store::dues::{self, Verification};
use dangwu_store::orgs::{self, Org};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::pages::kit::{org_id, today};
use crate::{AppState, WebError};

mod branch;
mod calc;
mod export;
mod me;
mod member;
mod member_form;
mod pay;
mod remit;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dues", get(branch::show))
        .route("/dues/confirm", post(branch::confirm))
        .route("/dues/calc", get(calc::show))
        .route("/dues/members/{id}", get(member::show).post(member::save))
        .route("/dues/payments", get(pay::show).post(pay::record))
        .route("/dues/remittance", get(remit::show).post(remit::record))
        .route("/dues/me", get(me::show))
        .route("/dues/ledger.xlsx", get(export::ledger))
        .route("/dues/verification.xlsx", get(export::verification))
}

/// `?org=&year=` of the dues pages (with `ok` for the notice after a redirect).
#[derive(Debug, Default, Deserialize)]
pub struct OrgYear {
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub ok: Option<String>,
}

/// A year typed in a query: this year when empty or unreadable, clamped to the years records use.
pub fn year_of(s: &str) -> i32 {
    s.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| today().year())
}

/// The organisations the user may see, and the one asked for (by default the top of their scope).
pub async fn pick_org(state: &AppState, user: &CurrentUser, asked: &str) -> Result<(Vec<Org>, Org), WebError> {
    let visible = orgs::list(&state.store, &user.principal, false).await?;
    let org = match asked.trim() {
        "" => visible.first().cloned().ok_or_else(|| WebError::forbidden("无权访问：本人管理范围内没有党组织"))?,
        s => orgs::get(&state.store, &user.principal, org_id(s)?).await?,
    };
    Ok((visible, org))
}

pub fn category_label(code: &str) -> &str {
    DuesCategory::parse(code).map_or(code, |c| c.label())
}

/// 草稿 / 已核定, with its tag class.
pub fn status_of(v: &Verification) -> (&'static str, &'static str) {
    if v.is_confirmed() { ("已核定", "ok") } else { ("草稿", "warn") }
}

pub fn level_tag(l: ArrearsLevel) -> &'static str {
    match l {
        ArrearsLevel::Flag => "bad",
        ArrearsLevel::Warning => "warn",
        ArrearsLevel::None => "",
    }
}

pub fn level_label(l: ArrearsLevel) -> &'static str {
    match l {
        ArrearsLevel::Flag => "提请支部大会",
        ArrearsLevel::Warning => "提醒",
        ArrearsLevel::None => "",
    }
}

/// "2022-03" → "2022年3月".
pub fn ym_label_text(s: &str) -> String {
    match s.split_once('-').map(|(y, m)| (y.parse::<i32>(), m.parse::<u32>())) {
        Some((Ok(y), Ok(m))) => dues::ym_label((y, m)),
        _ => s.to_owned(),
    }
}

/// For 工作台 (called by the dashboard page): members of the user's scope at least `arrears_warning_months` behind on dues as of
/// today, longest first, as (member, org, unpaid months, tag class `warn` or `bad`). A flag (6
/// months) is for the branch meeting to decide (党章 第九条); nothing changes a member's status.
pub async fn arrears_summary(state: &AppState, user: &CurrentUser) -> Result<Vec<(String, String, u32, &'static str)>, WebError> {
    let list = dues::arrears(&state.store, &user.principal, None, today()).await?;
    Ok(list
        .into_iter()
        .filter(|a| a.level != ArrearsLevel::None)
        .map(|a| (a.name, a.org_name, a.unpaid_months, level_tag(a.level)))
        .collect())
}
