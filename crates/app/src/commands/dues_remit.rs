//! `dangwu dues remit | reconcile`: remittances upward and the check 按期足额上缴.

use anyhow::Context;
use dangwu_domain::date::parse_date;
use dangwu_domain::money::Fen;
use dangwu_domain::period::Period;
use dangwu_store::dues::{self, Reconciliation, RemittanceInput};
use dangwu_web::api::dues_dto::ReconciliationDto;

use super::{emit, parse_org};
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal, today};

pub struct RemitArgs<'a> {
    pub org: &'a str,
    pub period: &'a str,
    pub amount: &'a str,
    pub date: &'a str,
    pub voucher: &'a str,
}

pub async fn remit(g: &GlobalOpts, a: RemitArgs<'_>) -> anyhow::Result<i32> {
    let org_id = parse_org(a.org)?;
    let period = Period::parse(a.period).context("参数 --period 无效")?;
    let amount = Fen::parse_non_negative(a.amount, "amount").context("参数 --amount 无效")?;
    let remitted_on = parse_date(a.date).with_context(|| format!("参数 --date 的值“{}”不是有效日期，应写作 2022-04-10", a.date))?;
    let input = RemittanceInput { org_id, period, amount, remitted_on, voucher: a.voucher.to_owned() };
    let store = crate::open_store(g).await?;
    let today = today();
    let r = dues::record_remittance(&store, &cli_principal(), &cli_actor(), &input, today).await;
    let rec = dues::reconcile(&store, &cli_principal(), org_id, period, today).await;
    store.db.close().await;
    let (r, rec) = (r?, rec?);
    println!("已登记{}上缴{}党费{}元（{}，凭证{}）", rec.org_name, period.label(), Fen(r.amount_fen), r.remitted_on, r.voucher);
    println!("{}", rec.status);
    Ok(0)
}

pub async fn reconcile(g: &GlobalOpts, org: &str, period: &str, json: bool) -> anyhow::Result<i32> {
    let org_id = parse_org(org)?;
    let period = Period::parse(period).context("参数 --period 无效")?;
    let store = crate::open_store(g).await?;
    let r = dues::reconcile(&store, &cli_principal(), org_id, period, today()).await;
    store.db.close().await;
    let r = r?;
    if json {
        emit(&serde_json::to_string_pretty(&ReconciliationDto::from(&r))?)?;
    } else {
        emit(&render(&r))?;
    }
    Ok(0)
}

/// The reconciliation as text; the last line is the verdict.
pub(crate) fn render(r: &Reconciliation) -> String {
    let mut out = vec![format!("{}{}党费上缴核对", r.org_name, r.period_label)];
    out.push(format!("收缴：{}元（{}人，{}笔）", r.collected, r.members_paid, r.payments));
    out.push(format!("应上缴：{}元（上缴比例{}{}）", r.owed, r.ratio.percent(), if r.large_voluntary.is_empty() { "" } else { "，大额党费全额" }));
    let parts: Vec<String> = r.remittances.iter().map(|x| format!("{} {}元（凭证{}）", x.remitted_on, Fen(x.amount_fen), x.voucher)).collect();
    let detail = if parts.is_empty() { String::new() } else { format!("：{}", parts.join("；")) };
    out.push(format!("已上缴：{}元{detail}", r.remitted));
    out.push(format!("上缴期限：{}", r.deadline));
    for l in &r.large_voluntary {
        out.push(format!("大额党费：{} {}年{}月 自愿多交{}元（{}），应全额上缴中央", l.name, l.year, l.month, Fen(l.voluntary_fen), l.paid_on));
    }
    for n in &r.notes {
        out.push(format!("说明：{n}"));
    }
    out.push(format!("结论：{}", r.status));
    out.join("\n")
}
