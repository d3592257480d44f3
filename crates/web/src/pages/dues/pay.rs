//! Recording a member's payment for one or more months of a year (quarterly payment is three
//! ticks): amount per month (default the verified amount), date, payer (self or proxy), method,
//! receipt. All months or none: a month before membership, beyond the back-payment limit, already
//! paid, or a negative amount is refused in Chinese and nothing is written.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use dangwu_domain::MemberId;
use dangwu_domain::auth::Role;
use dangwu_domain::org::OrgPath;
use dangwu_store::dues::{self, PayMethod, Payer, Payment, PaymentForm};
use dangwu_store::members::{self, MemberRow};
use serde::Deserialize;
use std::collections::HashMap;

use super::year_of;
use crate::auth::{CurrentUser, require};
use crate::csrf::CsrfForm;
use crate::pages::kit::{FieldErrors, Opt, Values, member_id, see_other, today};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &["months", "amount", "voluntary", "paid_on", "payer", "payer_name", "method", "receipt_no"];

pub struct MonthBox {
    pub n: u32,
    pub value: String,
    pub checked: bool,
    /// "已交 76.50", for months already recorded (not offered again).
    pub paid: Option<String>,
}

pub struct PaidLine {
    pub month: String,
    pub amount: String,
    pub paid_on: String,
    pub payer: String,
    pub method: &'static str,
    pub receipt: String,
}

#[derive(Template)]
#[template(path = "dues_payment.html")]
struct Page {
    layout: Layout,
    row: MemberRow,
    year: i32,
    months: Vec<MonthBox>,
    v: Values,
    errors: FieldErrors,
    payers: Vec<Opt>,
    methods: Vec<Opt>,
    verified: Option<String>,
    back_max: u32,
    paid: Vec<PaidLine>,
}

#[derive(Deserialize, Default)]
pub struct Q {
    #[serde(default)]
    member: String,
    #[serde(default)]
    year: String,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    if user.principal.role == Role::Member {
        return Ok(Redirect::to("/dues/me").into_response());
    }
    if q.member.trim().is_empty() {
        return Ok(Redirect::to("/dues").into_response());
    }
    let id = member_id(&q.member)?;
    let year = year_of(&q.year);
    let mut v = Values::default();
    v.set("paid_on", today().to_string());
    v.set("payer", Payer::SelfPaid.code());
    v.set("method", PayMethod::Cash.code());
    render(&state, &user, id, year, v, &[], (StatusCode::OK, FieldErrors::default())).await
}

pub async fn record(State(state): State<AppState>, f: CsrfForm<HashMap<String, String>>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let get = |k: &str| form.get(k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let id = member_id(&get("member_id"))?;
    let year = year_of(&get("year"));
    // Month checkboxes are `m_1` … `m_12` carrying "2022-01" …; a typed list may add more.
    let mut ticked: Vec<String> = (1..=12).filter_map(|m| form.get(&format!("m_{m}")).map(|s| s.trim().to_owned())).filter(|s| !s.is_empty()).collect();
    if !get("months").is_empty() {
        ticked.push(get("months"));
    }
    let typed = PaymentForm {
        member_id: id.to_string(),
        months: ticked.join(","),
        amount: get("amount"),
        voluntary: get("voluntary"),
        paid_on: get("paid_on"),
        payer: get("payer"),
        payer_name: get("payer_name"),
        method: get("method"),
        receipt_no: get("receipt_no"),
    };
    let today = today();
    let result = async {
        let input = typed.parse(today).map_err(|mut e| {
            // The form has checkboxes, not the typed list the general message describes.
            if let (true, dangwu_domain::DomainError::Invalid(list)) = (ticked.is_empty(), &mut e) {
                list.iter_mut().filter(|f| f.field == "months").for_each(|f| f.message = "请勾选交纳的月份".into());
            }
            e
        })?;
        Ok::<_, WebError>(dues::record(&state.store, &user.principal, &user.actor(), &input, today).await?)
    }
    .await;
    match result {
        Ok(rows) => {
            let row = members::get(&state.store, &user.principal, id).await?;
            let total: dangwu_domain::money::Fen = rows.iter().map(Payment::total).sum();
            let months: Vec<String> = rows.iter().map(|p| dues::ym_label(p.ym())).collect();
            let notice = format!("已登记{}{}党费，共{}元", row.member.name, months.join("、"), total);
            Ok(see_other(&format!("/dues?org={}&year={year}", row.member.org_id), &notice))
        }
        Err(e) => {
            let errors = FieldErrors::from_error(e, FIELDS)?;
            let mut v = Values::default();
            for k in ["amount", "voluntary", "paid_on", "payer", "payer_name", "method", "receipt_no"] {
                v.set(k, get(k));
            }
            render(&state, &user, id, year, v, &ticked, errors).await
        }
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: MemberId,
    year: i32,
    mut v: Values,
    ticked: &[String],
    (status, errors): (StatusCode, FieldErrors),
) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let row = members::get(store, p, id).await?;
    require(p.can_write_member(&OrgPath::from_stored(row.org_path.clone())), "不能为本人管理范围以外的党员登记党费")?;
    let history = dues::payments::history(store, p, id).await?;
    let this_year: Vec<&Payment> = history.iter().filter(|x| x.year == year as i64).collect();
    let t = today();
    let month_now = if t.year() == year { t.month() } else if year < t.year() { 12 } else { 1 };
    let verified = dues::amount_for(store, id, year, month_now).await?.map(|f| f.to_string());
    if let Some(a) = verified.as_ref().filter(|_| v.get("amount").is_empty() && status == StatusCode::OK) {
        v.set("amount", a.clone());
    }
    let months = (1..=12u32)
        .map(|n| {
            let value = format!("{year}-{n:02}");
            MonthBox {
                n,
                checked: ticked.iter().any(|t| t == &value),
                paid: this_year.iter().find(|x| x.month == n as i64).map(|x| format!("已交 {}", x.total())),
                value,
            }
        })
        .collect();
    let paid = this_year
        .iter()
        .rev()
        .map(|x| PaidLine {
            month: format!("{}月", x.month),
            amount: x.total().to_string(),
            paid_on: x.paid_on.to_string(),
            payer: match (Payer::parse(&x.payer), &x.payer_name) {
                (Ok(Payer::Proxy), Some(n)) => format!("{}代交", n),
                (Ok(pp), _) => pp.label().to_owned(),
                (Err(_), _) => x.payer.clone(),
            },
            method: PayMethod::parse(&x.method).map(PayMethod::label).unwrap_or(""),
            receipt: x.receipt_no.clone().unwrap_or_default(),
        })
        .collect();
    let page = Page {
        layout: Layout::new(user, format!("登记党费：{}", row.member.name), "dues"),
        year,
        months,
        payers: Payer::ALL.iter().map(|x| Opt::new(x.code(), x.label(), v.get("payer"))).collect(),
        methods: PayMethod::ALL.iter().map(|x| Opt::new(x.code(), x.label(), v.get("method"))).collect(),
        v,
        errors,
        verified,
        back_max: store.dues.back_payment_max_months,
        paid,
        row,
    };
    Ok(html_status(status, &page))
}
