//! 我的党费: a member's own verification for the year (amount, bracket), payments month by month
//! and arrears if any — read on a phone; nothing here ranks or compares members.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use dangwu_domain::dues::ArrearsLevel;
use dangwu_store::dues::verification::{self, in_force};
use dangwu_store::dues::{self, MemberArrears, PayMethod, Payer, Verification};
use dangwu_store::members::{self, MemberRow};

use super::{OrgYear, category_label, level_tag, status_of, year_of, ym_label_text};
use crate::auth::CurrentUser;
use crate::pages::kit::today;
use crate::render::{Layout, html};
use crate::{AppState, WebError};

pub struct MonthLine {
    pub month: u32,
    /// 已交 / 未交 / 未到期 / 入党前.
    pub state: &'static str,
    pub class: &'static str,
    pub amount: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "dues_me.html")]
struct Page {
    layout: Layout,
    row: MemberRow,
    category: String,
    year: i32,
    current: Option<Verification>,
    status: (&'static str, &'static str),
    months: Vec<MonthLine>,
    total: String,
    arrears: Option<MemberArrears>,
    arrears_tag: &'static str,
    back_max: u32,
}

fn due_text(versions: &[Verification], ym: (i32, u32)) -> String {
    in_force(versions, ym).map(|v| format!("应交{}元", v.amount())).unwrap_or_default()
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<OrgYear>) -> Result<Response, WebError> {
    let Some(id) = user.principal.member_id else {
        return Ok(Redirect::to("/dues").into_response());
    };
    let (store, p) = (&state.store, &user.principal);
    let row = members::get(store, p, id).await?;
    let year = year_of(&q.year);
    let today = today();
    let now = (today.year(), today.month());
    let versions = verification::history(store, p, id).await?;
    // The version in force this month (or at the year's end for a past year, its start for a later one).
    let at = if year == now.0 { now.1 } else if year < now.0 { 12 } else { 1 };
    // Until the year is verified, dues are paid at the last verified amount.
    let current = in_force(&versions, (year, at)).cloned();
    let payments = dues::payments::history(store, p, id).await?;
    let joined = (row.member.joined_on.year(), row.member.joined_on.month());
    let mut total = dangwu_domain::money::Fen::ZERO;
    let months = (1..=12u32)
        .map(|m| match payments.iter().find(|x| x.year == year as i64 && x.month == m as i64) {
            Some(x) => {
                total = total + x.total();
                let method = PayMethod::parse(&x.method).map(PayMethod::label).unwrap_or("");
                let payer = match (Payer::parse(&x.payer), &x.payer_name) {
                    (Ok(Payer::Proxy), Some(n)) => format!("，{n}代交"),
                    _ => String::new(),
                };
                let receipt = x.receipt_no.as_ref().map(|r| format!("，收据{r}")).unwrap_or_default();
                let extra = if x.voluntary_fen > 0 { format!("（含自愿多交{}元）", dangwu_domain::money::Fen(x.voluntary_fen)) } else { String::new() };
                MonthLine { month: m, state: "已交", class: "ok", amount: x.total().to_string(), detail: format!("{} {method}{payer}{receipt}{extra}", x.paid_on) }
            }
            None if (year, m) < joined => MonthLine { month: m, state: "入党前", class: "", amount: String::new(), detail: String::new() },
            None if (year, m) == now => MonthLine { month: m, state: "本月待交", class: "warn", amount: String::new(), detail: due_text(&versions, (year, m)) },
            None if (year, m) > now => MonthLine { month: m, state: "未到期", class: "", amount: String::new(), detail: String::new() },
            None => MonthLine { month: m, state: "未交", class: "bad", amount: String::new(), detail: due_text(&versions, (year, m)) },
        })
        .collect();
    let arrears = dues::arrears(store, p, None, today)
        .await?
        .into_iter()
        .find(|a| a.member_id == row.member.id)
        .map(|mut a| {
            a.since = ym_label_text(&a.since);
            a
        });
    let arrears_tag = arrears.as_ref().map(|a| if a.level == ArrearsLevel::None { "warn" } else { level_tag(a.level) }).unwrap_or("");
    let page = Page {
        layout: Layout::new(&user, "我的党费", "dues"),
        category: category_label(&row.member.dues_category).to_owned(),
        status: current.as_ref().filter(|v| v.year == year as i64).map(status_of).unwrap_or(("尚未核定", "bad")),
        year,
        current,
        months,
        total: total.to_string(),
        arrears,
        arrears_tag,
        back_max: store.dues.back_payment_max_months,
        row,
    };
    Ok(html(&page))
}
