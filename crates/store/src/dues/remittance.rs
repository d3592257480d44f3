//! Remittance upward (上缴) and the reconciliation per org and period: collected, owed (the
//! rules' ratio, single voluntary payments of 1000 yuan or more in full), remitted (several
//! partial remittances add up), on time (by the end of the month after the period), and a
//! status that says 按期足额上缴 or exactly what is missing.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::money::{Fen, Rate, apply_rate};
use dangwu_domain::period::{Granularity, Period};
use dangwu_domain::{DomainError, OrgId};
use serde::Serialize;

use super::{check_write, org_scope};
use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::{Store, StoreError, args, orgs};

/// The reconciliation's status when everything owed was remitted by the deadline.
pub const OK_STATUS: &str = "按期足额上缴";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemittanceInput {
    pub org_id: OrgId,
    pub period: Period,
    pub amount: Fen,
    pub remitted_on: NaiveDate,
    /// Voucher or receipt number of the transfer.
    pub voucher: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Remittance {
    pub id: String,
    pub org_id: String,
    pub period: String,
    pub amount_fen: i64,
    pub remitted_on: NaiveDate,
    pub voucher: String,
    pub created_by: String,
    pub created_at: i64,
}

/// A single voluntary payment of `large_voluntary` or more: remitted in full to the Centre
/// (2008规定 第十一条).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct LargeVoluntary {
    pub member_id: String,
    pub name: String,
    pub year: i64,
    pub month: i64,
    pub voluntary_fen: i64,
    pub paid_on: NaiveDate,
    pub receipt_no: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    pub org_id: String,
    pub org_name: String,
    /// "2022Q1" and "2022年第一季度".
    pub period: String,
    pub period_label: String,
    /// Dues and voluntary extras received in the period (by payment date) in the subtree.
    pub collected: Fen,
    pub payments: i64,
    pub members_paid: i64,
    pub ratio: Rate,
    /// (collected − large voluntary) × ratio + large voluntary.
    pub owed: Fen,
    pub remitted: Fen,
    pub remitted_by_deadline: Fen,
    /// owed − remitted (negative when more was remitted).
    pub difference: Fen,
    pub deadline: NaiveDate,
    pub on_time: bool,
    pub ok: bool,
    /// 按期足额上缴, or what is missing.
    pub status: String,
    /// Further remarks (overpayment, large voluntary payments).
    pub notes: Vec<String>,
    pub remittances: Vec<Remittance>,
    pub large_voluntary: Vec<LargeVoluntary>,
}

/// Last day for remitting a period's dues: the end of the month after the period.
pub fn deadline(period: Period) -> NaiveDate {
    let next = period.end().succ_opt().expect("valid date");
    Period::containing(next, Granularity::Month).end()
}

fn check_period(store: &Store, period: Period) -> Result<(), DomainError> {
    let g = store.dues.remit_period;
    if period.granularity() != g {
        let example = match g {
            Granularity::Month => "2022-03",
            Granularity::Quarter => "2022Q1",
            Granularity::Year => "2022",
        };
        return Err(DomainError::field("period", format!("党费上缴周期为{}，期间应写作如 {example}", g.label())));
    }
    Ok(())
}

/// Records one remittance (partial remittances of a period are separate rows).
pub async fn record_remittance(store: &Store, p: &Principal, actor: &Actor, input: &RemittanceInput, today: NaiveDate) -> Result<Remittance, StoreError> {
    let org = orgs::get(store, p, input.org_id).await?;
    check_write(p, &org, "登记")?;
    let mut errs = dangwu_domain::error::Errors::default();
    if let Err(DomainError::Invalid(v)) = check_period(store, input.period) {
        v.into_iter().for_each(|e| errs.push(&e.field, e.message));
    }
    if input.amount <= Fen::ZERO {
        errs.push("amount", "上缴金额应大于0");
    }
    if input.voucher.trim().is_empty() {
        errs.push("voucher", "请填写上缴凭证号");
    }
    if input.remitted_on > today {
        errs.push("remitted_on", format!("上缴日期{}晚于今天", input.remitted_on));
    }
    if input.remitted_on < input.period.start() {
        errs.push("remitted_on", format!("上缴日期{}早于所属期间{}", input.remitted_on, input.period.label()));
    }
    errs.finish(|| ())?;
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO dues_remittances (id, org_id, period, amount_fen, remitted_on, voucher, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![id.clone(), org.id.clone(), input.period.to_string(), input.amount.0, input.remitted_on, input.voucher.trim(), actor.0.clone(), now_ms()],
    )
    .await?;
    let r: Remittance = tx.opt("SELECT * FROM dues_remittances WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("上缴记录"))?;
    let detail = format!("{}上缴{}党费{}元", org.name, input.period.label(), input.amount);
    audit::append(&mut tx, actor, "dues.remittance.record", "dues_remittance", &id, String::new(), digest(Some(&r)), &detail).await?;
    tx.commit().await?;
    Ok(r)
}

/// Remittances of an org (not its subtree), newest first.
pub async fn list(store: &Store, p: &Principal, org_id: OrgId) -> Result<Vec<Remittance>, StoreError> {
    let org = orgs::get(store, p, org_id).await?;
    store.db.read().all("SELECT * FROM dues_remittances WHERE org_id = $1 ORDER BY remitted_on DESC, created_at DESC", args![org.id]).await
}

/// Collected vs owed vs remitted for an org and period, as of `today`.
pub async fn reconcile(store: &Store, p: &Principal, org_id: OrgId, period: Period, today: NaiveDate) -> Result<Reconciliation, StoreError> {
    check_period(store, period)?;
    let (org, cond, mut a) = org_scope(store, p, org_id, 1).await?;
    let n = a.len();
    a.push(period.start().into());
    a.push(period.end().into());
    let from = format!(
        "FROM dues_payments x JOIN orgs o ON o.id = x.org_id WHERE {cond} AND x.paid_on >= ${} AND x.paid_on <= ${}",
        n + 1,
        n + 2
    );
    let (collected, payments, members_paid): (i64, i64, i64) = store
        .db
        .read()
        .opt(
            &format!("SELECT CAST(COALESCE(SUM(x.amount_fen + x.voluntary_fen), 0) AS BIGINT), COUNT(*), COUNT(DISTINCT x.member_id) {from}"),
            a.clone(),
        )
        .await?
        .unwrap_or((0, 0, 0));
    let rules = &store.dues;
    a.push(rules.large_voluntary.0.into());
    let large: Vec<LargeVoluntary> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT x.member_id, m.name, x.year, x.month, x.voluntary_fen, x.paid_on, x.receipt_no {} \
                 AND x.voluntary_fen >= ${} ORDER BY x.paid_on, m.name",
                from.replacen("FROM dues_payments x", "FROM dues_payments x JOIN members m ON m.id = x.member_id", 1),
                n + 3
            ),
            a,
        )
        .await?;
    let remittances: Vec<Remittance> = store
        .db
        .read()
        .all("SELECT * FROM dues_remittances WHERE org_id = $1 AND period = $2 ORDER BY remitted_on, created_at", args![org.id.clone(), period.to_string()])
        .await?;
    let large_total: Fen = large.iter().map(|l| Fen(l.voluntary_fen)).sum();
    let collected = Fen(collected);
    let owed = apply_rate(collected - large_total, rules.remit_ratio, rules.rounding) + large_total;
    let deadline = deadline(period);
    let remitted: Fen = remittances.iter().map(|r| Fen(r.amount_fen)).sum();
    let by_deadline: Fen = remittances.iter().filter(|r| r.remitted_on <= deadline).map(|r| Fen(r.amount_fen)).sum();
    let difference = owed - remitted;
    let on_time = by_deadline >= owed;
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    if owed == Fen::ZERO && remitted == Fen::ZERO {
        missing.push(format!("{}未收缴党费，无需上缴", period.label()));
    } else if remitted < owed {
        let when = if today <= deadline { format!("上缴期限{deadline}") } else { format!("已超过上缴期限{deadline}") };
        missing.push(format!("应上缴{owed}元，已上缴{remitted}元，尚欠{difference}元（{when}）"));
    } else if !on_time {
        let last = remittances.last().map(|r| r.remitted_on.to_string()).unwrap_or_default();
        missing.push(format!("已足额上缴，但逾期：上缴期限{deadline}前只上缴{by_deadline}元，其余于{last}补缴"));
    }
    if remitted > owed {
        notes.push(format!("多上缴{}元", remitted - owed));
    }
    if !large.is_empty() {
        notes.push(format!("其中大额党费{}笔共{}元，应全额上缴中央", large.len(), large_total));
    }
    let ok = missing.is_empty();
    Ok(Reconciliation {
        org_id: org.id,
        org_name: org.name,
        period: period.to_string(),
        period_label: period.label(),
        collected,
        payments,
        members_paid,
        ratio: rules.remit_ratio,
        owed,
        remitted,
        remitted_by_deadline: by_deadline,
        difference,
        deadline,
        on_time,
        ok,
        status: if ok { OK_STATUS.to_owned() } else { missing.join("；") },
        notes,
        remittances,
        large_voluntary: large,
    })
}
