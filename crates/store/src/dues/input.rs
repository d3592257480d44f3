//! Dues input as typed (forms, CLI options, API bodies): text checked here so that every problem
//! names its field, and non-numeric or negative amounts never reach the records.

use chrono::NaiveDate;
use dangwu_domain::date::parse_date;
use dangwu_domain::error::Errors;
use dangwu_domain::money::Fen;
use dangwu_domain::period::{Granularity, Period};
use dangwu_domain::{DomainError, MemberId};
use serde::{Deserialize, Serialize};

use super::Ym;
use super::payments::{PayMethod, Payer, PaymentInput};

/// "2022-01,2022-02", "2022Q1" (its three months) or a mix, separated by commas, 、 or spaces.
pub fn parse_months(s: &str) -> Result<Vec<Ym>, DomainError> {
    let mut out = Vec::new();
    for part in s.split([',', '，', '、', ' ', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || DomainError::field("months", format!("月份“{part}”格式不正确，应写作 2022-01，或 2022Q1 表示一个季度"));
        let period = Period::parse(part).map_err(|_| bad())?;
        if period.granularity() == Granularity::Year {
            return Err(bad());
        }
        for m in period.split(Granularity::Month) {
            if let Period::Month { year, month } = m {
                out.push((year, month));
            }
        }
    }
    if out.is_empty() {
        return Err(DomainError::field("months", "请填写交纳的月份，如 2022-01,2022-02"));
    }
    Ok(out)
}

/// Keeps the value, or moves the error's field messages into `errs`.
fn take<T>(errs: &mut Errors, r: Result<T, DomainError>) -> Option<T> {
    r.map_err(|e| match e {
        DomainError::Invalid(v) => v.into_iter().for_each(|f| errs.push(&f.field, f.message)),
        other => errs.push(other.first_field().unwrap_or("input"), other.to_string()),
    })
    .ok()
}

fn relabel(e: DomainError, label: &str) -> DomainError {
    match e {
        DomainError::Invalid(v) => {
            DomainError::Invalid(v.into_iter().map(|f| dangwu_domain::FieldError::new(f.field, format!("{label}{}", f.message))).collect())
        }
        other => other,
    }
}

/// A payment as typed. Empty `amount` takes the verified amount; empty `paid_on` is today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentForm {
    pub member_id: String,
    pub months: String,
    pub amount: String,
    pub voluntary: String,
    pub paid_on: String,
    /// `self` / `proxy` (or 本人 / 委托代交); empty is self.
    pub payer: String,
    pub payer_name: String,
    /// `cash`, `transfer`, `wechat`, `alipay`, `online`, `other` or their labels; empty is cash.
    pub method: String,
    pub receipt_no: String,
}

impl PaymentForm {
    /// Every problem at once, each naming its field.
    pub fn parse(&self, today: NaiveDate) -> Result<PaymentInput, DomainError> {
        let mut errs = Errors::default();
        let member_id = take(&mut errs, MemberId::parse(&self.member_id).map_err(|_| DomainError::field("member_id", "请选择党员（党员编号格式不正确）")));
        let months = take(&mut errs, parse_months(&self.months));
        let amount = match self.amount.trim() {
            "" => Some(None),
            s => take(&mut errs, Fen::parse_non_negative(s, "amount").map(Some)),
        };
        let voluntary = match self.voluntary.trim() {
            "" => Some(Fen::ZERO),
            s => take(&mut errs, Fen::parse_non_negative(s, "voluntary").map_err(|e| relabel(e, "自愿多交"))),
        };
        let paid_on = match self.paid_on.trim() {
            "" => Some(today),
            s => take(&mut errs, parse_date(s).ok_or_else(|| DomainError::field("paid_on", format!("交纳日期“{s}”不是有效日期，应写作 2022-03-15")))),
        };
        let payer = match self.payer.trim() {
            "" => Some(Payer::SelfPaid),
            s => take(&mut errs, Payer::parse(s)),
        };
        let method = match self.method.trim() {
            "" => Some(PayMethod::Cash),
            s => take(&mut errs, PayMethod::parse(s)),
        };
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        match (member_id, months, amount, voluntary, paid_on, payer, method) {
            (Some(member_id), Some(months), Some(amount), Some(voluntary), Some(paid_on), Some(payer), Some(method)) if errs.is_empty() => {
                Ok(PaymentInput {
                    member_id,
                    months,
                    amount,
                    voluntary,
                    paid_on,
                    payer,
                    payer_name: opt(&self.payer_name),
                    method,
                    receipt_no: opt(&self.receipt_no),
                })
            }
            _ => Err(DomainError::Invalid(errs.0)),
        }
    }
}
