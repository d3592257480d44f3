//! `dangwu check [--org ID] --period 2022Q1 [--json]`: expected against actual per org and
//! obligation. A report, not a gate: red findings still exit 0.

use anyhow::Context;
use chrono::NaiveDate;
use dangwu_domain::compliance::Status;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::period::Period;
use dangwu_store::compliance::{self, Compliance};
use dangwu_web::api::dto::FindingDto;

use super::{emit, parse_org};
use crate::cli::GlobalOpts;
use crate::{cli_principal, today};

pub async fn run(g: &GlobalOpts, org: Option<&str>, period: &str, json: bool) -> anyhow::Result<i32> {
    let period = Period::parse(period).context("参数 --period 无效")?;
    let org = org.map(parse_org).transpose()?;
    let store = crate::open_store(g).await?;
    let today = today();
    let c = compliance::check(&store, &cli_principal(), org, period, today).await;
    store.db.close().await;
    let c = c?;
    let findings = FindingDto::list(&c, &store.rulebook);
    if json {
        emit(&serde_json::to_string_pretty(&findings)?)?;
    } else {
        emit(&render(&c, &findings, &store.catalogue, today))?;
    }
    Ok(0)
}

/// The report as text: per org (tree order), one line per rule with its periods side by side,
/// and under a rule that is not green, why and the rule's citation.
pub(crate) fn render(c: &Compliance, findings: &[FindingDto], cat: &OrgCatalogue, today: NaiveDate) -> String {
    let mut out = vec![format!("{}组织生活制度落实情况（按{}的记录）", c.period.label(), today)];
    let (mut ok, mut pending, mut bad) = (0, 0, 0);
    let min_depth = c.orgs.iter().map(|o| o.depth()).min().unwrap_or(1);
    for o in &c.orgs {
        let mine: Vec<&FindingDto> = findings.iter().filter(|f| f.org_id == o.id).collect();
        if mine.is_empty() {
            continue;
        }
        let indent = "  ".repeat(o.depth() - min_depth);
        out.push(String::new());
        out.push(format!("{indent}{}（{}）", o.name, cat.label(&o.kind)));
        let mut rules: Vec<&str> = mine.iter().map(|f| f.rule_id.as_str()).collect();
        rules.dedup();
        for rule in rules {
            let fs: Vec<&&FindingDto> = mine.iter().filter(|f| f.rule_id == rule).collect();
            let worst = fs.iter().map(|f| status_of(&f.status)).max_by_key(|s| severity(*s)).unwrap_or(Status::Ok);
            let cells: Vec<String> = fs
                .iter()
                .map(|f| format!("{} {}{}/{}", short_period(&f.period, &f.period_label), mark(status_of(&f.status)), f.actual, f.expected))
                .collect();
            out.push(format!("{indent}  {} {}  {}", mark(worst), fs[0].rule_title, cells.join("  ")));
            for f in &fs {
                match status_of(&f.status) {
                    Status::Ok => ok += 1,
                    Status::Pending => pending += 1,
                    _ => bad += 1,
                }
                if status_of(&f.status) != Status::Ok {
                    let note = if f.note.is_empty() { String::new() } else { format!("：{}", f.note) };
                    out.push(format!("{indent}      {} {}{}", f.period_label, f.status_label, note));
                }
            }
            if worst != Status::Ok {
                out.push(format!("{indent}      依据：{}", fs[0].citation));
            }
        }
    }
    if findings.is_empty() {
        out.push("没有需要检查的党组织或规则。".into());
    }
    out.push(String::new());
    out.push(format!("合计{}项：✓ 已落实{ok}项，… 待完成{pending}项，✗ 未落实{bad}项。明细用 --json 输出。", ok + pending + bad));
    out.join("\n")
}

fn status_of(code: &str) -> Status {
    match code {
        "ok" => Status::Ok,
        "pending" => Status::Pending,
        "insufficient" => Status::Insufficient,
        _ => Status::Missing,
    }
}

fn severity(s: Status) -> u8 {
    match s {
        Status::Ok => 0,
        Status::Pending => 1,
        Status::Insufficient => 2,
        Status::Missing => 3,
    }
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Ok => "✓",
        Status::Pending => "…",
        Status::Insufficient | Status::Missing => "✗",
    }
}

/// `1月` for a month, the label otherwise (a quarter, a year).
fn short_period(period: &str, label: &str) -> String {
    match period.split_once('-') {
        Some((_, m)) => format!("{}月", m.trim_start_matches('0')),
        None => label.to_owned(),
    }
}
