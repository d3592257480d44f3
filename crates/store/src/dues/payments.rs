//! Payments per member-month: recorded all months or none, refused before membership, beyond
//! the back-payment limit, in advance (unless the rules allow it), or twice for a month.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::error::Errors;
use dangwu_domain::money::Fen;
use dangwu_domain::{DomainError, MemberId};
use serde::Serialize;

use super::verification::{Verification, in_force};
use super::{Ym, check_write, months_diff, ym_label, ym_of};
use crate::audit::{self, Actor, digest};
use crate::db::{Tx, now_ms};
use crate::{Store, StoreError, args, members, orgs};

dangwu_domain::labelled_enum!(
    /// Who handed the dues over: the member, or someone they asked (2008规定 第十二条).
    Payer, "payer", "交纳人" {
    SelfPaid = "self", "本人" | "本人交纳";
    Proxy = "proxy", "委托代交" | "代交";
});

dangwu_domain::labelled_enum!(
    /// How the dues were paid. Deduction from pay by the unit is not a method: 2008规定 第十四条 forbids it.
    PayMethod, "method", "交纳方式" {
    Cash = "cash", "现金";
    Transfer = "transfer", "银行转账" | "转账";
    Wechat = "wechat", "微信";
    Alipay = "alipay", "支付宝";
    Online = "online", "网上交纳" | "线上";
    Other = "other", "其他";
});

/// One payment of one member for one or more months (quarterly payment with the branch's consent
/// is three months at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    pub member_id: MemberId,
    pub months: Vec<Ym>,
    /// Amount per month; `None` takes each month's verified amount.
    pub amount: Option<Fen>,
    /// A voluntary extra (自愿多交) on top, recorded with the first month.
    pub voluntary: Fen,
    pub paid_on: NaiveDate,
    pub payer: Payer,
    /// Who paid for the member (proxy payments).
    pub payer_name: Option<String>,
    pub method: PayMethod,
    pub receipt_no: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Payment {
    pub id: String,
    pub member_id: String,
    pub org_id: String,
    pub year: i64,
    pub month: i64,
    pub amount_fen: i64,
    pub voluntary_fen: i64,
    pub paid_on: NaiveDate,
    pub payer: String,
    pub payer_name: Option<String>,
    pub method: String,
    pub receipt_no: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

impl Payment {
    pub fn ym(&self) -> Ym {
        (self.year as i32, self.month as u32)
    }
    /// Dues plus any voluntary extra.
    pub fn total(&self) -> Fen {
        Fen(self.amount_fen + self.voluntary_fen)
    }
}

fn check_input(input: &PaymentInput, today: NaiveDate) -> Result<(), DomainError> {
    let mut errs = Errors::default();
    if input.months.is_empty() {
        errs.push("months", "请选择交纳的月份");
    }
    let mut seen = std::collections::BTreeSet::new();
    for &(y, m) in &input.months {
        if !(1..=12).contains(&m) || !(1921..=2100).contains(&y) {
            errs.push("months", format!("月份“{y}-{m}”无效"));
        } else if !seen.insert((y, m)) {
            errs.push("months", format!("{}重复", ym_label((y, m))));
        }
    }
    if input.amount.is_some_and(Fen::is_negative) {
        errs.push("amount", "交纳金额不能为负数");
    }
    if input.voluntary.is_negative() {
        errs.push("voluntary", "自愿多交金额不能为负数");
    }
    if input.paid_on > today {
        errs.push("paid_on", format!("交纳日期{}晚于今天", input.paid_on));
    }
    if input.payer == Payer::Proxy && input.payer_name.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errs.push("payer_name", "委托代交请填写代交人姓名");
    }
    errs.finish(|| ())
}

/// Records the payment of every month in `input` in one transaction, or nothing.
pub async fn record(store: &Store, p: &Principal, actor: &Actor, input: &PaymentInput, today: NaiveDate) -> Result<Vec<Payment>, StoreError> {
    let mut tx = store.db.begin().await?;
    let (name, rows) = write_one(&mut tx, store, p, actor, input, today).await?;
    let total: Fen = rows.iter().map(Payment::total).sum();
    let labels: Vec<String> = rows.iter().map(|r| ym_label(r.ym())).collect();
    let detail = format!("{name}交纳{}党费共{total}元", labels.join("、"));
    audit::append(&mut tx, actor, "dues.payment.record", "member", &input.member_id.to_string(), String::new(), digest(Some(&rows)), &detail).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Records several members' payments (a branch's collection sheet for a month) in one
/// transaction with one audit entry: all of them, or — naming the member at fault — none.
pub async fn record_many(store: &Store, p: &Principal, actor: &Actor, inputs: &[PaymentInput], today: NaiveDate) -> Result<usize, StoreError> {
    if inputs.is_empty() {
        return Ok(0);
    }
    let mut tx = store.db.begin().await?;
    let mut all = Vec::new();
    for input in inputs {
        let (_, rows) = write_one(&mut tx, store, p, actor, input, today).await?;
        all.extend(rows);
    }
    let total: Fen = all.iter().map(Payment::total).sum();
    let detail = format!("批量登记{}名党员{}笔党费共{total}元", inputs.len(), all.len());
    audit::append(&mut tx, actor, "dues.payment.record_many", "dues_payment", "*", String::new(), digest(Some(&all)), &detail).await?;
    tx.commit().await?;
    Ok(all.len())
}

/// Checks one member's payment against the rules and the records, and inserts its rows.
async fn write_one(
    tx: &mut Tx,
    store: &Store,
    p: &Principal,
    actor: &Actor,
    input: &PaymentInput,
    today: NaiveDate,
) -> Result<(String, Vec<Payment>), StoreError> {
    check_input(input, today)?;
    let rules = &store.dues;
    let m: members::Member = tx.opt("SELECT * FROM members WHERE id = $1", args![input.member_id]).await?.ok_or(StoreError::NotFound("党员"))?;
    let org = orgs::find_in(tx, &m.org_id).await?.ok_or(StoreError::NotFound("党组织"))?;
    if !p.can_read_member(input.member_id, &org.org_path()) {
        return Err(StoreError::NotFound("党员"));
    }
    check_write(p, &org, "登记")?;
    let versions: Vec<Verification> =
        tx.all("SELECT * FROM dues_verifications WHERE member_id = $1 ORDER BY year DESC, version DESC", args![input.member_id]).await?;
    let joined = ym_of(m.joined_on);
    let paid_ym = ym_of(input.paid_on);
    let mut months = input.months.clone();
    months.sort();
    let mut errs = Errors::default();
    let mut amounts = Vec::with_capacity(months.len());
    for &ym in &months {
        let label = ym_label(ym);
        if ym < joined {
            let what = if m.status == "probationary" { "预备党员自支部大会通过之月起交纳党费" } else { "入党之前不交纳党费" };
            errs.push("months", format!("{label}早于{}入党的月份（{}），{what}", m.name, m.joined_on));
        }
        let back = months_diff(ym, paid_ym);
        if back > rules.back_payment_max_months as i64 {
            errs.push(
                "months",
                format!("{label}距交纳日期{}已{back}个月，补交党费一般不超过{}个月", input.paid_on, rules.back_payment_max_months),
            );
        }
        if -back > rules.advance_payment_max_months as i64 {
            let msg = match rules.advance_payment_max_months {
                0 => format!("{label}尚未到期，不接受预交党费"),
                n => format!("{label}尚未到期，预交党费最多{n}个月"),
            };
            errs.push("months", msg);
        }
        let amount = input.amount.or_else(|| in_force(&versions, ym).map(Verification::amount));
        match amount {
            Some(a) => amounts.push(a),
            None => errs.push("amount", format!("{}{}尚无党费核定，请先核定交纳数额或填写交纳金额", m.name, label)),
        }
    }
    errs.finish(|| ())?;
    let existing: Vec<(i64, i64, Option<String>)> =
        tx.all("SELECT year, month, receipt_no FROM dues_payments WHERE member_id = $1", args![input.member_id]).await?;
    let dup: Vec<String> = existing
        .iter()
        .filter(|(y, mo, _)| months.contains(&(*y as i32, *mo as u32)))
        .map(|(y, mo, r)| format!("{}{}", ym_label((*y as i32, *mo as u32)), r.as_deref().map(|r| format!("（收据{r}）")).unwrap_or_default()))
        .collect();
    if !dup.is_empty() {
        return Err(StoreError::conflict("months", format!("{}的{}党费已登记交纳，不能重复登记", m.name, dup.join("、"))));
    }
    let now = now_ms();
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let mut ids = Vec::with_capacity(months.len());
    for (i, (&(y, mo), amount)) in months.iter().zip(&amounts).enumerate() {
        let id = dangwu_domain::ids::new_row_id();
        let voluntary = if i == 0 { input.voluntary.0 } else { 0 };
        tx.exec(
            "INSERT INTO dues_payments (id, member_id, org_id, year, month, amount_fen, voluntary_fen, paid_on, payer, payer_name, method, \
             receipt_no, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            args![id.clone(), input.member_id, m.org_id.clone(), y as i64, mo as i64, amount.0, voluntary, input.paid_on,
                  input.payer.code(), clean(&input.payer_name), input.method.code(), clean(&input.receipt_no), actor.0.clone(), now],
        )
        .await
        .map_err(|e| match e {
            StoreError::Db(sqlx::Error::Database(ref d)) if d.is_unique_violation() => {
                StoreError::conflict("months", format!("{}的{}党费已登记交纳，不能重复登记", m.name, ym_label((y, mo))))
            }
            other => other,
        })?;
        ids.push(id);
    }
    let marks = super::marks(1, ids.len());
    let rows: Vec<Payment> =
        tx.all(&format!("SELECT * FROM dues_payments WHERE id IN ({marks}) ORDER BY year, month"), ids.iter().map(Into::into).collect()).await?;
    Ok((m.name, rows))
}

/// A member's payments, newest month first (self-service: 我的党费).
pub async fn history(store: &Store, p: &Principal, member_id: MemberId) -> Result<Vec<Payment>, StoreError> {
    members::get(store, p, member_id).await?;
    store.db.read().all("SELECT * FROM dues_payments WHERE member_id = $1 ORDER BY year DESC, month DESC", args![member_id]).await
}
