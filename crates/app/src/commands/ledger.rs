//! `dangwu ledger …`: the 整改台账 commands. Writes run as the command-line administrator.

use std::path::Path;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dangwu_domain::date::parse_date;
use dangwu_domain::supervision::{LedgerStatus, ListLine};
use dangwu_store::import::ImportError;
use dangwu_store::supervision::{self, ImportRow, LedgerInput};
use dangwu_web::api::ledger_dto::{LedgerDto, LedgerSummaryDto, ReconciliationDto, ReportDto};
use dangwu_web::pages::ledger::sheets::{dispatch_rows, import_row, ledger_rows, list_line};

use super::{emit, pad, parse_org};
use crate::cli::GlobalOpts;
use crate::cli_ledger::LedgerCmd;
use crate::{cli_actor, cli_principal, today};

fn date(flag: &str, s: &str) -> anyhow::Result<NaiveDate> {
    parse_date(s).with_context(|| format!("参数 {flag} 的值“{s}”不是有效日期，应写作 2022-01-14"))
}

fn read_sheet(file: &Path) -> anyhow::Result<Vec<dangwu_docgen::SheetRow>> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    dangwu_docgen::rectification::read_list(&bytes, 2000).with_context(|| format!("{} 无法读取", file.display()))
}

pub async fn run(g: &GlobalOpts, c: LedgerCmd) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let r = exec(&store, c).await;
    store.db.close().await;
    r
}

async fn exec(store: &dangwu_store::Store, c: LedgerCmd) -> anyhow::Result<i32> {
    let (p, actor, today) = (cli_principal(), cli_actor(), today());
    match c {
        LedgerCmd::List { json } => {
            let rows = supervision::list(store, &p).await?;
            if json {
                emit(&serde_json::to_string_pretty(&rows.iter().map(LedgerSummaryDto::from).collect::<Vec<_>>())?)?;
            } else {
                let lines: Vec<String> = rows.iter().map(|r| format!("{}  {}  {}  问题{}项，已销号{}项", r.ledger.id, r.ledger.feedback_on, pad(&r.ledger.title, 40), r.items, r.closed)).collect();
                emit(&lines.join("\n"))?;
            }
        }
        LedgerCmd::Create { org, title, source, feedback_on } => {
            let input = LedgerInput { org_id: parse_org(&org)?, title, source, feedback_on: date("--feedback-on", &feedback_on)? };
            let l = supervision::create_ledger(store, &p, &actor, &input, today).await?;
            emit(&l.id)?;
        }
        LedgerCmd::Import { ledger, file, dry_run } => {
            let rows: Vec<ImportRow> = read_sheet(&file)?.iter().map(import_row).collect();
            match supervision::import_items(store, &p, &actor, &ledger, &rows, dry_run).await {
                Ok(n) if dry_run => emit(&format!("校验通过：{n}个问题（未写入）"))?,
                Ok(n) => emit(&format!("已导入{n}个问题"))?,
                Err(ImportError::Rows(errs)) => {
                    for e in &errs {
                        eprintln!("第{}行 [{}]：{}", e.row, e.field, e.message);
                    }
                    bail!("导入失败：{}处错误，未写入任何数据", errs.len());
                }
                Err(ImportError::Store(e)) => return Err(e.into()),
            }
        }
        LedgerCmd::Show { ledger, json } => {
            let d = supervision::get(store, &p, &ledger).await?;
            if json {
                emit(&serde_json::to_string_pretty(&LedgerDto::new(&d, store))?)?;
            } else {
                let book = &store.supervision;
                let mut out = vec![format!("{}（反馈日期 {}）", d.ledger.title, d.ledger.feedback_on)];
                for i in &d.items {
                    let due = i.next_due(d.ledger.feedback_on).map(|x| x.to_string()).unwrap_or_default();
                    let late = if i.overdue(d.ledger.feedback_on, today) { " 超期" } else { "" };
                    out.push(format!("{:>3}. {}  {}  {}  {}{late}  {}", i.no, pad(book.status_label(i.status()), 8), pad(&i.department, 16), due, pad(&i.title, 30), i.id));
                }
                emit(&out.join("\n"))?;
            }
        }
        LedgerCmd::Progress { item, date: on, text, status } => {
            let to = status.as_deref().map(LedgerStatus::parse).transpose().context("参数 --status 无效")?;
            let i = supervision::progress(store, &p, &actor, &item, date("--date", &on)?, &text, to, today).await?;
            emit(&format!("已记录第{}项进展，状态：{}", i.no, store.supervision.status_label(i.status())))?;
        }
        LedgerCmd::Evidence { item, file, title } => {
            let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let e = supervision::add_evidence(store, &p, &actor, &item, &title, &name, bytes, 50 * 1024 * 1024).await?;
            emit(&format!("已上传“{}”第{}版", e.title, e.version))?;
        }
        LedgerCmd::Close { item, date: on, text } => {
            let i = supervision::close(store, &p, &actor, &item, date("--date", &on)?, &text, today).await?;
            emit(&format!("第{}项已核验销号（{}）", i.no, i.closed_on.map(|d| d.to_string()).unwrap_or_default()))?;
        }
        LedgerCmd::Dispatch { ledger, as_of, out } => {
            let r = supervision::freeze_round(store, &p, &actor, &ledger, date("--as-of", &as_of)?, today).await?;
            if let Some(path) = out {
                let bytes = dangwu_docgen::rectification::write_dispatch(&dispatch_rows(&r))?;
                std::fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))?;
            }
            let t = &r.snapshot.totals;
            emit(&format!("第{}次调度（{}）：问题{}项，已销号{}项，超期{}项，下周到期{}项，本周有进展{}项", r.round_no, r.as_of, t.total, t.closed, t.overdue, t.due_next_week, t.changed))?;
            emit(&r.id)?;
        }
        LedgerCmd::Reconcile { ledger, file, json } => {
            let (ok, bad): (Vec<_>, Vec<_>) = read_sheet(&file)?.iter().map(list_line).partition(Result::is_ok);
            if !bad.is_empty() {
                for m in bad.into_iter().filter_map(Result::err) {
                    eprintln!("{m}");
                }
                bail!("对账清单有误，请修正后重试");
            }
            let lines: Vec<ListLine> = ok.into_iter().filter_map(Result::ok).collect();
            let r = supervision::reconcile(store, &p, &ledger, &lines).await?;
            if json {
                emit(&serde_json::to_string_pretty(&ReconciliationDto::from(&r))?)?;
            } else {
                let mut out: Vec<String> = r.missing.iter().map(|l| format!("台账缺少：第{}项 {}（清单第{}行）", l.no, l.title, l.row)).collect();
                out.extend(r.extra.iter().map(|l| format!("清单没有：第{}项 {}", l.no, l.title)));
                out.extend(r.mismatched.iter().map(|(l, i)| format!("状态不一致：第{}项 清单“{}”，台账“{}”", l.no, l.status.map_or("", |s| s.label()), i.status.label())));
                out.push(format!("相符{}项，缺少{}项，多出{}项，状态不一致{}项", r.matched, r.missing.len(), r.extra.len(), r.mismatched.len()));
                emit(&out.join("\n"))?;
            }
            return Ok(if r.ok() { 0 } else { 3 });
        }
        LedgerCmd::Report { ledger, as_of, json } => {
            let as_of = as_of.as_deref().map(|s| date("--as-of", s)).transpose()?.unwrap_or(today);
            let r = supervision::report(store, &p, &ledger, as_of).await?;
            if json {
                emit(&serde_json::to_string_pretty(&ReportDto::from(&r))?)?;
            } else {
                emit(&r.text)?;
            }
        }
        LedgerCmd::Export { ledger, file } => {
            let d = supervision::get(store, &p, &ledger).await?;
            let bytes = dangwu_docgen::rectification::write_list(&ledger_rows(&d, store))?;
            std::fs::write(&file, bytes).with_context(|| format!("无法写入 {}", file.display()))?;
            emit(&format!("已导出{}个问题到 {}", d.items.len(), file.display()))?;
        }
    }
    Ok(0)
}
