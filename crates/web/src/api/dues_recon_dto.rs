//! The remittance reconciliation in the API (money as yuan text plus fen).

use dangwu_domain::money::Fen;
use dangwu_store::dues::{LargeVoluntary, Reconciliation, Remittance};
use serde::Serialize;
use utoipa::ToSchema;

fn yuan(f: Fen) -> String {
    f.to_string()
}

/// 一笔上缴记录
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesRemittance)]
pub struct RemittanceDto {
    pub id: String,
    pub org_id: String,
    /// 所属期间，如 `2022Q1`
    pub period: String,
    pub amount: String,
    pub amount_fen: i64,
    #[schema(format = Date)]
    pub remitted_on: String,
    /// 凭证号
    pub voucher: String,
}

impl From<&Remittance> for RemittanceDto {
    fn from(r: &Remittance) -> Self {
        RemittanceDto {
            id: r.id.clone(),
            org_id: r.org_id.clone(),
            period: r.period.clone(),
            amount: yuan(Fen(r.amount_fen)),
            amount_fen: r.amount_fen,
            remitted_on: r.remitted_on.to_string(),
            voucher: r.voucher.clone(),
        }
    }
}

/// 单笔1000元以上的自愿多交党费（须全额上缴中央）
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesLargeVoluntary)]
pub struct LargeVoluntaryDto {
    pub member_id: String,
    pub name: String,
    /// 所属月份，如 `2022-02`
    pub month: String,
    pub voluntary: String,
    pub voluntary_fen: i64,
    #[schema(format = Date)]
    pub paid_on: String,
    pub receipt_no: Option<String>,
}

/// 党费上缴核对：收缴、应上缴、已上缴，是否按期足额
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesReconciliation)]
pub struct ReconciliationDto {
    pub org_id: String,
    pub org_name: String,
    /// 期间，如 `2022Q1`
    pub period: String,
    pub period_label: String,
    /// 本期（按交纳日期）本组织及下级收缴的党费（含自愿多交）
    pub collected: String,
    pub collected_fen: i64,
    /// 交纳笔数（每人每月一笔）
    pub payments: i64,
    pub members_paid: i64,
    /// 上缴比例，如“100%”
    pub ratio_percent: String,
    /// 应上缴：（收缴 − 大额党费）× 比例 + 大额党费
    pub owed: String,
    pub owed_fen: i64,
    pub remitted: String,
    pub remitted_fen: i64,
    /// 应上缴 − 已上缴（负数为多缴）
    pub difference: String,
    pub difference_fen: i64,
    /// 上缴期限（期间结束后次月月底）
    #[schema(format = Date)]
    pub deadline: String,
    pub on_time: bool,
    /// 按期足额上缴为 true
    pub ok: bool,
    /// “按期足额上缴”，或具体欠缺的情况
    pub status: String,
    pub notes: Vec<String>,
    pub remittances: Vec<RemittanceDto>,
    pub large_voluntary: Vec<LargeVoluntaryDto>,
}

impl From<&Reconciliation> for ReconciliationDto {
    fn from(r: &Reconciliation) -> Self {
        ReconciliationDto {
            org_id: r.org_id.clone(),
            org_name: r.org_name.clone(),
            period: r.period.clone(),
            period_label: r.period_label.clone(),
            collected: yuan(r.collected),
            collected_fen: r.collected.0,
            payments: r.payments,
            members_paid: r.members_paid,
            ratio_percent: r.ratio.percent(),
            owed: yuan(r.owed),
            owed_fen: r.owed.0,
            remitted: yuan(r.remitted),
            remitted_fen: r.remitted.0,
            difference: yuan(r.difference),
            difference_fen: r.difference.0,
            deadline: r.deadline.to_string(),
            on_time: r.on_time,
            ok: r.ok,
            status: r.status.clone(),
            notes: r.notes.clone(),
            remittances: r.remittances.iter().map(RemittanceDto::from).collect(),
            large_voluntary: r.large_voluntary.iter().map(large).collect(),
        }
    }
}

fn large(l: &LargeVoluntary) -> LargeVoluntaryDto {
    LargeVoluntaryDto {
        member_id: l.member_id.clone(),
        name: l.name.clone(),
        month: dangwu_store::dues::ym_text((l.year as i32, l.month as u32)),
        voluntary: yuan(Fen(l.voluntary_fen)),
        voluntary_fen: l.voluntary_fen,
        paid_on: l.paid_on.to_string(),
        receipt_no: l.receipt_no.clone(),
    }
}
