//! The demo bureau's party dues, as the seed report tells it: the 2022 base verification for
//! every member (pay items by the unit's nature — 机关 for 机关党支部, 事业单位 for the school
//! and the centres, 企业 for the company; retirees on their basic pension), confirmed in January;
//! every member's Q1 payments, monthly and on time; each branch's Q1 remittance to the 机关党委
//! and the 机关党委's upward, in full before 15 April (so the reconciliation says 按期足额上缴).
//! After Q1 the branches collect quarterly and remit each finished quarter, and in the months
//! before today three members fall behind (3, 4 and 7 months) so that the warnings and the
//! 党章 第九条 flag show. Deterministic: a seeded RNG gives the pay items.

use anyhow::Context;
use chrono::{Datelike, NaiveDate, Weekday};
use dangwu_domain::auth::Principal;
use dangwu_domain::dues::{ArrearsLevel, PayItem};
use dangwu_domain::money::Fen;
use dangwu_domain::period::{Granularity, Period};
use dangwu_store::Store;
use dangwu_store::audit::Actor;
use dangwu_store::dues::{self, PayMethod, Payer, PaymentInput, RemittanceInput, VerificationInput, Ym, add_months};
use dangwu_store::orgs::Org;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::activities::Roll;
use super::people::Kind;

const SEED: u64 = 2022_0117;
const YEAR: i32 = 2022;
/// (branch, n-th plain in-service member of it, months behind at today).
pub const BEHIND: [(usize, usize, u32); 3] = [(1, 4, 3), (4, 6, 4), (5, 3, 7)];

#[derive(Debug, Clone, Default)]
pub struct DuesSummary {
    pub verified: usize,
    pub confirmed: u64,
    pub payments: usize,
    pub remittances: usize,
    /// (name, consecutive unpaid months) of the members behind at today.
    pub behind: Vec<(String, u32)>,
    pub warnings: usize,
    pub flags: usize,
}

fn yuan(rng: &mut StdRng, lo: i64, hi: i64) -> Fen {
    Fen(rng.random_range(lo..=hi) / 10 * 1000)
}

/// Pay items of one member for 2022, by person type and seniority.
fn pay(rng: &mut StdRng, person_type: &str, senior: bool) -> VerificationInput {
    let k = if senior { 16 } else { 10 };
    let item = |name: &str, amount: Fen, included: bool| PayItem { name: name.into(), amount, included };
    let items = match person_type {
        "organ" => vec![
            item("职务工资", yuan(rng, 150 * k, 330 * k), true),
            item("级别工资", yuan(rng, 1400, 3400), true),
            item("规范津贴补贴", yuan(rng, 2800, 4600), true),
            item("改革性补贴", yuan(rng, 900, 1500), false),
        ],
        "institution" => vec![
            item("岗位工资", yuan(rng, 140 * k, 300 * k), true),
            item("薪级工资", yuan(rng, 600, 2600), true),
            item("基础性绩效工资", yuan(rng, 1800, 3600), true),
            item("津贴补贴", yuan(rng, 300, 800), true),
            item("奖励性绩效工资", yuan(rng, 600, 2200), false),
        ],
        "enterprise" => vec![
            item("基本工资", yuan(rng, 250 * k, 420 * k), true),
            item("岗位工资", yuan(rng, 1200, 4200), true),
            item("奖金", yuan(rng, 600, 2000), true),
            item("不定期奖金", yuan(rng, 0, 1500), false),
        ],
        _ => vec![item("基本养老金", yuan(rng, 3600, 6800), true), item("津补贴", yuan(rng, 300, 900), false)],
    };
    if person_type == "retired" {
        return VerificationInput { items, effective_month: 1, ..Default::default() };
    }
    // Personal social insurance 10.5%, 住房公积金 12% (企业 10%), 年金 4% (企业 none) of the pay.
    let gross: Fen = items.iter().map(|i| i.amount).sum();
    let per_mille = if person_type == "enterprise" { 205 } else { 265 };
    let deductions = Fen(gross.0 * per_mille / 1000);
    // 个人所得税 on the monthly pay above 5000 (3% up to 3000 more, 10% above, less 210).
    let taxable = gross.0 - deductions.0 - 500_000;
    let tax = Fen(match taxable {
        t if t <= 0 => 0,
        t if t <= 300_000 => t * 3 / 100,
        t => t / 10 - 21_000,
    });
    VerificationInput { person_type: person_type.into(), items, deductions, tax, effective_month: 1, ..Default::default() }
}

fn person_type(branch: usize, kind: Kind) -> &'static str {
    match (kind, branch) {
        (Kind::Retired, _) => "retired",
        (_, 0) => "organ",
        (_, 5) => "enterprise",
        _ => "institution",
    }
}

/// `d` or the next Monday when it falls on a weekend.
fn workday(y: i32, m: u32, d: u32) -> NaiveDate {
    let day = NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    match day.weekday() {
        Weekday::Sat => day + chrono::Days::new(2),
        Weekday::Sun => day + chrono::Days::new(1),
        _ => day,
    }
}

fn method(i: usize) -> PayMethod {
    [PayMethod::Wechat, PayMethod::Transfer, PayMethod::Wechat, PayMethod::Cash, PayMethod::Alipay][i % 5]
}

fn payment(r: &Roll, i: usize, months: Vec<Ym>, paid_on: NaiveDate, receipt: String) -> PaymentInput {
    PaymentInput {
        member_id: r.id,
        months,
        amount: None,
        voluntary: Fen::ZERO,
        paid_on,
        payer: Payer::SelfPaid,
        payer_name: None,
        method: method(i),
        receipt_no: Some(receipt),
    }
}

/// Records the bureau's dues from January 2022 through the month before `today`.
pub async fn create(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    today: NaiveDate,
    organ: &Org,
    branches: &[Org],
    people: &[Roll],
) -> anyhow::Result<DuesSummary> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut s = DuesSummary::default();
    for r in people {
        let input = pay(&mut rng, person_type(r.branch, r.kind), matches!(r.kind, Kind::Leader(_)));
        dues::save(store, p, actor, r.id, YEAR, &input).await.with_context(|| format!("核定演示党员“{}”的党费失败", r.name))?;
        s.verified += 1;
    }
    s.confirmed = dues::confirm(store, p, actor, organ.org_id(), YEAR).await?;

    // Who falls behind, and from which month they stop paying.
    let last_due = add_months((today.year(), today.month()), -1);
    let mut stop: std::collections::HashMap<dangwu_domain::MemberId, Ym> = std::collections::HashMap::new();
    for (b, n, months) in BEHIND {
        if let Some(r) = people.iter().filter(|r| r.branch == b && r.kind == Kind::InService).nth(n) {
            stop.insert(r.id, add_months(last_due, -(months as i64)));
        }
    }
    let paid_through = |r: &Roll| stop.get(&r.id).copied().unwrap_or(last_due);

    // Q1 2022: every member, every month, on the branch's collection day.
    for (b, branch) in branches.iter().enumerate() {
        let mine: Vec<(usize, &Roll)> = people.iter().filter(|r| r.branch == b).enumerate().collect();
        for m in 1..=3u32 {
            let on = workday(YEAR, m, 8 + 2 * b as u32);
            let mut inputs: Vec<PaymentInput> =
                mine.iter().map(|(i, r)| payment(r, *i, vec![(YEAR, m)], on, format!("{}{m:02}{:03}", receipt_prefix(b), i + 1))).collect();
            if b == 0 && m == 2 {
                // A retired veteran's voluntary extra of 1000 yuan: remitted in full to the Centre.
                if let Some(x) = mine.iter().position(|(_, r)| r.kind == Kind::Retired) {
                    inputs[x].voluntary = Fen(100_000);
                }
            }
            s.payments += dues::record_many(store, p, actor, &inputs, today).await.with_context(|| format!("登记{}党费失败", branch.name))?;
        }
    }
    // From Q2 2022, quarterly with the branch's consent, paid in the quarter's last month due.
    let mut q = Period::Quarter { year: YEAR, quarter: 2 };
    while (q.start().year(), q.start().month()) <= last_due {
        let months: Vec<Ym> = q.split(Granularity::Month).iter().map(|m| (m.start().year(), m.start().month())).filter(|m| *m <= last_due).collect();
        for (b, branch) in branches.iter().enumerate() {
            let &(y, m) = months.last().expect("a month");
            let on = workday(y, m, 10 + 2 * b as u32);
            let inputs: Vec<PaymentInput> = people
                .iter()
                .filter(|r| r.branch == b)
                .enumerate()
                .filter_map(|(i, r)| {
                    let due: Vec<Ym> = months.iter().copied().filter(|ym| *ym <= paid_through(r)).collect();
                    (!due.is_empty()).then(|| payment(r, i, due, on, format!("{}{}{m:02}{:03}", receipt_prefix(b), y % 100, i + 1)))
                })
                .collect();
            s.payments += dues::record_many(store, p, actor, &inputs, today).await.with_context(|| format!("登记{}{}党费失败", branch.name, q.label()))?;
        }
        q = q.next();
    }
    s.remittances = remit(store, p, actor, today, organ, branches).await?;
    for a in dues::arrears(store, p, Some(organ.org_id()), today).await? {
        match a.level {
            ArrearsLevel::Warning => s.warnings += 1,
            ArrearsLevel::Flag => s.flags += 1,
            ArrearsLevel::None => {}
        }
        s.behind.push((a.name, a.unpaid_months));
    }
    Ok(s)
}

fn receipt_prefix(b: usize) -> &'static str {
    ["JG", "TX", "QM", "CG", "JJ", "CY"][b]
}

/// Each finished quarter: every branch remits what it collected to the 机关党委 in the
/// month after, and the 机关党委 remits the whole upward; Q1 2022 all before 15 April.
async fn remit(store: &Store, p: &Principal, actor: &Actor, today: NaiveDate, organ: &Org, branches: &[Org]) -> anyhow::Result<usize> {
    let mut n = 0;
    let mut q = Period::Quarter { year: YEAR, quarter: 1 };
    while dues::remittance::deadline(q) < today {
        let next = q.next().start();
        let mut all: Vec<&Org> = branches.iter().collect();
        all.push(organ);
        for (i, org) in all.iter().enumerate() {
            let r = dues::reconcile(store, p, org.org_id(), q, today).await?;
            if r.owed <= Fen::ZERO {
                continue;
            }
            let on = workday(next.year(), next.month(), 6 + i as u32);
            let voucher = format!("{}-{}-{:02}", if i < branches.len() { "ZZ" } else { "SZ" }, q, i + 1);
            let input = RemittanceInput { org_id: org.org_id(), period: q, amount: r.owed, remitted_on: on, voucher };
            dues::record_remittance(store, p, actor, &input, today).await.with_context(|| format!("登记{}{}党费上缴失败", org.name, q.label()))?;
            n += 1;
        }
        q = q.next();
    }
    Ok(n)
}
