//! `dangwu dues pay | ledger | arrears`: payments per member-month, the branch's monthly
//! ledger, and consecutive unpaid months (a flag, never a status change).

use std::path::Path;

use anyhow::Context;
use dangwu_domain::date::parse_date;
use dangwu_domain::dues::ArrearsLevel;
use dangwu_domain::money::Fen;
use dangwu_store::dues::{self, PaymentForm, ym_label};
use dangwu_web::api::dues_dto::ArrearsDto;

use super::{emit, pad, parse_member, parse_org};
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal, today};

pub struct PayArgs<'a> {
    pub member: &'a str,
    pub months: &'a str,
    pub amount: Option<&'a str>,
    pub voluntary: Option<&'a str>,
    pub paid_on: Option<&'a str>,
    pub proxy: Option<&'a str>,
    pub method: Option<&'a str>,
    pub receipt: Option<&'a str>,
}

pub async fn pay(g: &GlobalOpts, a: PayArgs<'_>) -> anyhow::Result<i32> {
    let member = parse_member(a.member)?;
    let s = |v: Option<&str>| v.unwrap_or_default().to_owned();
    let form = PaymentForm {
        member_id: member.to_string(),
        months: a.months.to_owned(),
        amount: s(a.amount),
        voluntary: s(a.voluntary),
        paid_on: s(a.paid_on),
        payer: if a.proxy.is_some() { "proxy".into() } else { String::new() },
        payer_name: s(a.proxy),
        method: s(a.method),
        receipt_no: s(a.receipt),
    };
    let today = today();
    let input = form.parse(today)?;
    let store = crate::open_store(g).await?;
    let result = dues::record(&store, &cli_principal(), &cli_actor(), &input, today).await;
    let name = dangwu_store::members::get(&store, &cli_principal(), member).await.map(|r| r.member.name);
    store.db.close().await;
    let rows = result?;
    let total: Fen = rows.iter().map(|r| r.total()).sum();
    let months: Vec<String> = rows.iter().map(|r| ym_label(r.ym())).collect();
    println!("已登记{}{}党费，共{total}元（交纳日期{}）", name.unwrap_or_default(), months.join("、"), input.paid_on);
    Ok(0)
}

pub async fn ledger(g: &GlobalOpts, org: &str, year: i32, out: Option<&Path>) -> anyhow::Result<i32> {
    let org = parse_org(org)?;
    let store = crate::open_store(g).await?;
    let l = dues::ledger(&store, &cli_principal(), org, year, today()).await;
    store.db.close().await;
    let l = l?;
    if let Some(file) = out {
        let bytes = dangwu_docgen::dues_ledger::write_ledger(&l)?;
        std::fs::write(file, bytes).with_context(|| format!("无法写入文件 {}", file.display()))?;
        println!("已导出{}{year}年党费收缴登记表（{}人）到 {}", l.org_name, l.rows.len(), file.display());
        return Ok(0);
    }
    let mut text = vec![format!("{}{year}年党费收缴登记表（元；“未交”为已到期未交，空白为未到期或入党前）", l.org_name)];
    let mut head = vec![pad("姓名", 10), pad("月交纳额", 9)];
    head.extend((1..=12).map(|m| pad(&format!("{m}月"), 8)));
    head.push("合计".into());
    text.push(head.join(""));
    for row in dangwu_docgen::dues_ledger::ledger_rows(&l) {
        let mut line = vec![pad(&row[0], 10), pad(&row[1], 9)];
        line.extend(row[2..14].iter().map(|c| pad(c, 8)));
        line.push(row[14].clone());
        text.push(line.join(""));
    }
    emit(&text.join("\n"))?;
    Ok(0)
}

pub async fn arrears(g: &GlobalOpts, org: Option<&str>, as_of: Option<&str>, json: bool) -> anyhow::Result<i32> {
    let org = org.map(parse_org).transpose()?;
    let as_of = match as_of {
        Some(s) => parse_date(s).with_context(|| format!("参数 --as-of 的值“{s}”不是有效日期，应写作 2022-04-15"))?,
        None => today(),
    };
    let store = crate::open_store(g).await?;
    let list = dues::arrears(&store, &cli_principal(), org, as_of).await;
    store.db.close().await;
    let list = list?;
    if json {
        emit(&serde_json::to_string_pretty(&list.iter().map(ArrearsDto::from).collect::<Vec<_>>())?)?;
        return Ok(0);
    }
    let mut text = vec![format!("截至{as_of}连续未交党费的党员（计到上月）")];
    for a in &list {
        let mark = match a.level {
            ArrearsLevel::Flag => "⚑ 提请支部大会",
            ArrearsLevel::Warning => "! 提醒",
            ArrearsLevel::None => "",
        };
        text.push(format!("{}{}自{}起连续{}个月  {mark}", pad(&a.name, 10), pad(&a.org_name, 34), a.since, a.unpaid_months));
        if a.level != ArrearsLevel::None {
            text.push(format!("    {}", a.note));
        }
        if let Some(c) = &a.citation {
            text.push(format!("    依据：{c}"));
        }
    }
    let warn = list.iter().filter(|a| a.level == ArrearsLevel::Warning).count();
    let flag = list.iter().filter(|a| a.level == ArrearsLevel::Flag).count();
    if list.is_empty() {
        text.push("没有欠交党费的党员。".into());
    }
    text.push(format!("合计{}人：满3个月提醒{warn}人，满6个月提请支部大会研究{flag}人（系统不会自动改变党员状态）。", list.len()));
    emit(&text.join("\n"))?;
    Ok(0)
}
