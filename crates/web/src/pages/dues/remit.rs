//! 上缴对账: per org and period, collected vs owed upward vs remitted, the difference and a status
//! sentence (按期足额上缴 or exactly what is missing), large voluntary payments flagged for the
//! Centre, the lower orgs' reconciliation, and the form to record a remittance.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Days;
use dangwu_domain::auth::Role;
use dangwu_domain::money::Fen;
use dangwu_domain::period::Period;
use dangwu_store::dues::{self, Reconciliation, RemittanceInput};
use dangwu_store::orgs::{self, Org};
use serde::Deserialize;

use super::pick_org;
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, org_id, org_opts, see_other, today};
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &["period", "amount", "remitted_on", "voucher"];

#[derive(Deserialize, Default)]
pub struct Q {
    #[serde(default)]
    org: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    ok: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RemitForm {
    #[serde(default)]
    org: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    remitted_on: String,
    #[serde(default)]
    voucher: String,
}

#[derive(Template)]
#[template(path = "dues_remittance.html")]
struct Page {
    layout: Layout,
    orgs: Vec<Opt>,
    org: Org,
    period: String,
    prev: String,
    next: String,
    rec: Option<Reconciliation>,
    children: Vec<Reconciliation>,
    can_write: bool,
    v: Values,
    errors: FieldErrors,
}

impl Page {
    fn yuan(&self, fen: impl std::borrow::Borrow<i64>) -> String {
        Fen(*fen.borrow()).to_string()
    }
}

/// The period before the running one: the one whose remittance falls due next.
fn default_period(state: &AppState) -> Period {
    let running = Period::containing(today(), state.store.dues.remit_period);
    Period::containing(running.start() - Days::new(1), state.store.dues.remit_period)
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    if user.principal.role == Role::Member {
        return Ok(Redirect::to("/dues/me").into_response());
    }
    let (period, errors) = match q.period.trim() {
        "" => (default_period(&state), FieldErrors::default()),
        s => match Period::parse(s) {
            Ok(p) => (p, FieldErrors::default()),
            Err(e) => (default_period(&state), FieldErrors::from_error(e.into(), &[])?.1),
        },
    };
    let mut v = Values::default();
    v.set("remitted_on", today().to_string());
    render(&state, &user, &q.org, period, v, (StatusCode::OK, errors), q.ok).await
}

pub async fn record(State(state): State<AppState>, f: CsrfForm<RemitForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let org = org_id(&form.org)?;
    let mut p = Problems::default();
    let period = Period::parse(&form.period).map_err(|e| p.extend(e)).ok();
    let amount = match form.amount.trim() {
        "" => {
            p.push("amount", "请填写上缴金额");
            None
        }
        s => Fen::parse_yuan(s, "amount").map_err(|e| p.extend(e)).ok(),
    };
    let remitted_on = p.date("remitted_on", "上缴日期", &form.remitted_on, true);
    let result = async {
        p.finish()?;
        let input = RemittanceInput {
            org_id: org,
            period: period.expect("checked"),
            amount: amount.expect("checked"),
            remitted_on: remitted_on.expect("checked"),
            voucher: form.voucher.trim().to_owned(),
        };
        Ok::<_, WebError>(dues::record_remittance(&state.store, &user.principal, &user.actor(), &input, today()).await?)
    }
    .await;
    match result {
        Ok(r) => Ok(see_other(&format!("/dues/remittance?org={org}&period={}", r.period), &format!("已登记上缴{}元（凭证{}）", Fen(r.amount_fen), r.voucher))),
        Err(e) => {
            let errors = FieldErrors::from_error(e, FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("amount", &form.amount), ("remitted_on", &form.remitted_on), ("voucher", &form.voucher)] {
                v.set(k, s.trim());
            }
            render(&state, &user, &form.org, period.unwrap_or_else(|| default_period(&state)), v, errors, None).await
        }
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    asked_org: &str,
    period: Period,
    mut v: Values,
    (status, mut errors): (StatusCode, FieldErrors),
    notice: Option<String>,
) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let (visible, org) = pick_org(state, user, asked_org).await?;
    let today = today();
    let rec = match dues::reconcile(store, p, org.org_id(), period, today).await {
        Ok(r) => Some(r),
        Err(e) => {
            let (_, more) = FieldErrors::from_error(e.into(), &[])?;
            errors.general.extend(more.general);
            None
        }
    };
    let mut children = Vec::new();
    if rec.is_some() {
        for c in orgs::children(store, org.org_id()).await?.iter().filter(|c| c.is_active() && p.can_read_org(&c.org_path())) {
            children.push(dues::reconcile(store, p, c.org_id(), period, today).await?);
        }
    }
    if let Some(r) = rec.as_ref().filter(|r| r.difference > Fen::ZERO && v.get("amount").is_empty()) {
        v.set("amount", r.difference.to_string());
    }
    let prev = Period::containing(period.start() - Days::new(1), period.granularity());
    let page = Page {
        layout: Layout::new(user, format!("{}{}党费上缴对账", org.name, period.label()), "dues").notice(notice),
        orgs: org_opts(&visible, &org.id),
        period: period.to_string(),
        prev: prev.to_string(),
        next: period.next().to_string(),
        can_write: p.can_write_member(&org.org_path()),
        rec,
        children,
        v,
        errors,
        org,
    };
    Ok(html_status(status, &page))
}
