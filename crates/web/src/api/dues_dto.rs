//! Dues in the API: money as yuan text (`"76.50"`) next to integer fen (`7650`), never floats.

use dangwu_domain::dues::{ArrearsLevel, Calc};
use dangwu_domain::money::Fen;
use dangwu_store::dues::{MemberArrears, Payment, Verification, VerificationRow, VerificationTally};
use serde::Serialize;
use utoipa::ToSchema;

fn yuan(f: Fen) -> String {
    f.to_string()
}

/// Parts per 100000 as an exact decimal fraction: 1500 → "0.015".
pub fn rate_text(r: u32) -> String {
    let frac = format!("{:05}", r % 100_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{}", r / 100_000) } else { format!("{}.{frac}", r / 100_000) }
}

/// 党费计算结果
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesCalc)]
pub struct CalcDto {
    /// 党费类别标识，如 `in_service`
    pub category: String,
    /// 党费类别名称
    pub category_label: String,
    /// 计算基数（元），定额交纳的类别为 null
    #[schema(example = "5100.00")]
    pub base: Option<String>,
    pub base_fen: Option<i64>,
    /// 档次，如“5000元以上至10000元（含）”
    pub bracket: String,
    /// 比例（小数），如 `0.015`；定额为 null
    #[schema(example = "0.015")]
    pub rate: Option<String>,
    /// 比例（百分数），如“1.5%”
    pub rate_percent: Option<String>,
    /// 每月交纳额（元）
    #[schema(example = "76.50")]
    pub amount: String,
    pub amount_fen: i64,
    /// 依据
    pub citation: String,
    /// 说明（如超过每月1000元的一般标准）
    pub note: Option<String>,
}

impl From<Calc> for CalcDto {
    fn from(c: Calc) -> Self {
        CalcDto {
            category: c.category.code().into(),
            category_label: c.category.label().into(),
            base: c.base.map(yuan),
            base_fen: c.base.map(|b| b.0),
            bracket: c.bracket,
            rate: c.rate.map(|r| rate_text(r.0)),
            rate_percent: c.rate.map(|r| r.percent()),
            amount: yuan(c.amount),
            amount_fen: c.amount.0,
            citation: c.citation,
            note: c.note,
        }
    }
}

/// 工资项目
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesPayItem)]
pub struct PayItemDto {
    pub name: String,
    pub amount: String,
    pub amount_fen: i64,
    /// 是否计入计算基数（按人员类别确定）
    pub included: bool,
}

/// 一名党员某年度的党费核定（某一版本）
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesVerification)]
pub struct VerificationDto {
    pub id: String,
    pub member_id: String,
    pub year: i64,
    /// 版本：年中调整为新版本
    pub version: i64,
    /// 自该月起执行
    pub effective_month: i64,
    /// 人员类别标识（`organ`、`institution`、`enterprise`、`retired` …），定额交纳为空
    pub person_type: String,
    pub category: String,
    pub base: Option<String>,
    pub base_fen: Option<i64>,
    pub items: Vec<PayItemDto>,
    /// 个人缴纳的社会保险、住房公积金、年金
    pub deductions: String,
    pub deductions_fen: i64,
    /// 个人所得税
    pub tax: String,
    pub tax_fen: i64,
    pub bracket: String,
    pub rate_percent: Option<String>,
    /// 每月交纳额（元）
    pub amount: String,
    pub amount_fen: i64,
    /// 减交、免交的党支部决定文号
    pub reduction_ref: Option<String>,
    pub note: Option<String>,
    /// `draft`（草稿，可修改）或 `confirmed`（已确认锁定）
    pub status: String,
}

impl From<&Verification> for VerificationDto {
    fn from(v: &Verification) -> Self {
        VerificationDto {
            id: v.id.clone(),
            member_id: v.member_id.clone(),
            year: v.year,
            version: v.version,
            effective_month: v.effective_month,
            person_type: v.person_type.clone(),
            category: v.category.clone(),
            base: v.base().map(yuan),
            base_fen: v.base_fen,
            items: v.pay_items().into_iter().map(|i| PayItemDto { name: i.name, amount: yuan(i.amount), amount_fen: i.amount.0, included: i.included }).collect(),
            deductions: yuan(Fen(v.deductions_fen)),
            deductions_fen: v.deductions_fen,
            tax: yuan(Fen(v.tax_fen)),
            tax_fen: v.tax_fen,
            bracket: v.bracket.clone(),
            rate_percent: v.rate.map(|_| v.rate_percent()),
            amount: yuan(v.amount()),
            amount_fen: v.amount_fen,
            reduction_ref: v.reduction_ref.clone(),
            note: v.note.clone(),
            status: v.status.clone(),
        }
    }
}

/// 一名党员及其本年度现行核定（尚未核定时为 null）
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesVerificationRow)]
pub struct VerificationRowDto {
    pub member_id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    pub dues_category: String,
    pub verification: Option<VerificationDto>,
    /// 本年度版本数
    pub versions: usize,
}

/// 党费核定表
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesVerifications)]
pub struct VerificationListDto {
    pub year: i32,
    /// 党员人数
    pub members: usize,
    /// 已核定人数
    pub verified: usize,
    /// 已确认（锁定）人数
    pub confirmed: usize,
    pub rows: Vec<VerificationRowDto>,
}

impl VerificationListDto {
    pub fn new(year: i32, rows: &[VerificationRow]) -> Self {
        let t = VerificationTally::of(rows);
        VerificationListDto {
            year,
            members: t.members,
            verified: t.verified,
            confirmed: t.confirmed,
            rows: rows
                .iter()
                .map(|r| VerificationRowDto {
                    member_id: r.member_id.clone(),
                    name: r.name.clone(),
                    org_id: r.org_id.clone(),
                    org_name: r.org_name.clone(),
                    dues_category: r.dues_category.clone(),
                    verification: r.current.as_ref().map(VerificationDto::from),
                    versions: r.versions,
                })
                .collect(),
        }
    }
}

/// 一个月的党费交纳记录
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesPayment)]
pub struct PaymentDto {
    pub id: String,
    pub member_id: String,
    pub org_id: String,
    /// 所属月份，如 `2022-03`
    pub month: String,
    pub amount: String,
    pub amount_fen: i64,
    /// 自愿多交
    pub voluntary: String,
    pub voluntary_fen: i64,
    #[schema(format = Date)]
    pub paid_on: String,
    /// `self`（本人）或 `proxy`（委托代交）
    pub payer: String,
    pub payer_name: Option<String>,
    /// `cash`、`transfer`、`wechat`、`alipay`、`online`、`other`
    pub method: String,
    pub receipt_no: Option<String>,
}

impl From<&Payment> for PaymentDto {
    fn from(p: &Payment) -> Self {
        PaymentDto {
            id: p.id.clone(),
            member_id: p.member_id.clone(),
            org_id: p.org_id.clone(),
            month: dangwu_store::dues::ym_text(p.ym()),
            amount: yuan(Fen(p.amount_fen)),
            amount_fen: p.amount_fen,
            voluntary: yuan(Fen(p.voluntary_fen)),
            voluntary_fen: p.voluntary_fen,
            paid_on: p.paid_on.to_string(),
            payer: p.payer.clone(),
            payer_name: p.payer_name.clone(),
            method: p.method.clone(),
            receipt_no: p.receipt_no.clone(),
        }
    }
}

/// 一名党员连续未交党费的情况
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = DuesArrears)]
pub struct ArrearsDto {
    pub member_id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    /// 连续未交月数
    pub unpaid_months: u32,
    /// `none`、`warning`（满3个月提醒）或 `flag`（满6个月，提交支部大会研究，不会自动改变党员状态）
    pub level: String,
    /// 连续未交的第一个月，如 `2022-10`
    pub since: String,
    pub last_paid: Option<String>,
    pub note: String,
    /// 依据（满6个月时为党章第九条）
    pub citation: Option<String>,
}

impl From<&MemberArrears> for ArrearsDto {
    fn from(a: &MemberArrears) -> Self {
        let level = match a.level {
            ArrearsLevel::None => "none",
            ArrearsLevel::Warning => "warning",
            ArrearsLevel::Flag => "flag",
        };
        ArrearsDto {
            member_id: a.member_id.clone(),
            name: a.name.clone(),
            org_id: a.org_id.clone(),
            org_name: a.org_name.clone(),
            unpaid_months: a.unpaid_months,
            level: level.into(),
            since: a.since.clone(),
            last_paid: a.last_paid.clone(),
            note: a.note.clone(),
            citation: a.citation.clone(),
        }
    }
}

pub use super::dues_body::PaymentBody;
pub use super::dues_recon_dto::{LargeVoluntaryDto, ReconciliationDto, RemittanceDto};
