//! One small module per command; `dispatch` routes a parsed command line to it.

mod activity;
mod audit;
mod backup;
mod bench;
mod restore;
mod member_data;
mod campaign;
mod case_lead;
mod check;
mod community;
mod places;
mod training;
mod demo;
mod dues;
mod dues_import_pay;
mod dues_pay;
mod dues_remit;
mod generate;
mod ledger;
mod member_export;
mod member_import;
mod material;
mod member_list;
mod migrate;
mod org;
mod report;
mod rules;
pub(crate) mod serve;
mod user;

use anyhow::Context;
use dangwu_domain::{MemberId, OrgId};

use crate::cli::{ActivityCmd, AuditCmd, Cli, Command, DuesCmd, MaterialCmd, MemberCmd, OrgCmd, RulesCmd, UserCmd};

pub use serve::serve_until_signal;

/// Runs one command; the result is the process exit code.
pub async fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    let g = &cli.global;
    match cli.command {
        Command::Serve { listen } => serve::run(g, &listen).await,
        Command::Demo { listen, no_serve } => demo::run(g, &listen, no_serve).await,
        Command::Migrate => migrate::run(g).await,
        Command::User(c) => match c {
            UserCmd::Add { username, role, org, member, name, password } => {
                user::add(g, user::AddArgs { username, role, org, member, name, password }).await
            }
            UserCmd::Passwd { username, password } => user::passwd(g, &username, password).await,
            UserCmd::List { json } => user::list(g, json).await,
            UserCmd::Token { username, name } => user::token(g, &username, name).await,
        },
        Command::Org(OrgCmd::List { json }) => org::list(g, json).await,
        Command::Member(c) => match c {
            MemberCmd::List { org, status, json } => member_list::run(g, org.as_deref(), &status, json).await,
            MemberCmd::Import { file, org, dry_run } => member_import::run(g, &file, org.as_deref(), dry_run).await,
            MemberCmd::Export { file, org } => member_export::run(g, &file, org.as_deref()).await,
            MemberCmd::Data { member, out } => member_data::run(g, &member, out.as_deref()).await,
        },
        Command::Activity(c) => match c {
            ActivityCmd::List { org, from, to, kind, json } => {
                let a = activity::ListArgs { org: org.as_deref(), from: from.as_deref(), to: to.as_deref(), kind: kind.as_deref(), json };
                activity::list(g, a).await
            }
            ActivityCmd::Add(a) => activity::add(g, &a).await,
        },
        Command::Material(c) => match c {
            MaterialCmd::List { json } => material::list(g, json).await,
            MaterialCmd::Add { title, kind, issued_on, source } => {
                material::add(g, &title, &kind, issued_on.as_deref(), source.as_deref()).await
            }
        },
        Command::Rules(RulesCmd::List { json }) => rules::list(g, json).await,
        Command::Check { org, period, json } => check::run(g, org.as_deref(), &period, json).await,
        Command::Dues(c) => dues_cmd(g, c).await,
        Command::Team(c) => community::team(g, c).await,
        Command::Election(c) => community::election(g, c).await,
        Command::Training(c) => training::run(g, c).await,
        Command::Post(c) => places::post(g, c).await,
        Command::Community(c) => places::community(g, c).await,
        Command::Ledger(c) => ledger::run(g, c).await,
        Command::Campaign(c) => campaign::run(g, c).await,
        Command::CaseLead(a) => case_lead::run(g, a).await,
        Command::Audit(AuditCmd::Verify) => audit::verify(g).await,
        Command::Audit(AuditCmd::Purge { before, dry_run }) => audit::purge(g, &before, dry_run).await,
        Command::Backup { file } => backup::run(g, &file).await,
        Command::Bench { quick, pg, no_sqlite, out } => bench::run(quick, pg, !no_sqlite, out.as_deref()).await,
        Command::Gen { orgs, members, years, seed, start_year } => {
            generate::run(g, &crate::synth::GenSpec { orgs, members, years, seed, start_year }).await
        }
        Command::Report(c) => report::run(g, c).await,
        Command::Restore { file, force } => restore::run(g, &file, force).await,
    }
}

async fn dues_cmd(g: &crate::cli::GlobalOpts, c: DuesCmd) -> anyhow::Result<i32> {
    match c {
        DuesCmd::Calc { category, base, flat, json } => dues::calc_cmd(g, &category, base.as_deref(), flat.as_deref(), json),
        DuesCmd::Verify { org, year, out, json } => dues::verify(g, &org, year, out.as_deref(), json).await,
        DuesCmd::Confirm { org, year } => dues::confirm(g, &org, year).await,
        DuesCmd::ImportBase { file, year, dry_run, template } => dues::import_base(g, &file, year, dry_run, template).await,
        DuesCmd::ImportPayments { file, dry_run } => dues_import_pay::import_payments(g, &file, dry_run).await,
        DuesCmd::Pay { member, months, amount, voluntary, paid_on, proxy, method, receipt } => {
            let a = dues_pay::PayArgs {
                member: &member,
                months: &months,
                amount: amount.as_deref(),
                voluntary: voluntary.as_deref(),
                paid_on: paid_on.as_deref(),
                proxy: proxy.as_deref(),
                method: method.as_deref(),
                receipt: receipt.as_deref(),
            };
            dues_pay::pay(g, a).await
        }
        DuesCmd::Ledger { org, year, out } => dues_pay::ledger(g, &org, year, out.as_deref()).await,
        DuesCmd::Arrears { org, as_of, json } => dues_pay::arrears(g, org.as_deref(), as_of.as_deref(), json).await,
        DuesCmd::Remit { org, period, amount, date, voucher } => {
            dues_remit::remit(g, dues_remit::RemitArgs { org: &org, period: &period, amount: &amount, date: &date, voucher: &voucher }).await
        }
        DuesCmd::Reconcile { org, period, json } => dues_remit::reconcile(g, &org, &period, json).await,
    }
}

pub(crate) fn parse_org(s: &str) -> anyhow::Result<OrgId> {
    OrgId::parse(s).with_context(|| "参数 --org 应为党组织编号（可用 dangwu org list 查看）".to_owned())
}

pub(crate) fn parse_member(s: &str) -> anyhow::Result<MemberId> {
    MemberId::parse(s).with_context(|| "参数 --member 应为党员编号（可用 dangwu member list 查看）".to_owned())
}

/// Every active member in scope, paging through the roster query.
pub(crate) async fn all_members(
    store: &dangwu_store::Store,
    filter: dangwu_store::members::MemberFilter,
) -> anyhow::Result<Vec<dangwu_store::members::MemberRow>> {
    let p = crate::cli_principal();
    let mut out = Vec::new();
    let mut f = dangwu_store::members::MemberFilter { per_page: 500, page: 1, ..filter };
    loop {
        let page = dangwu_store::members::list(store, &p, &f).await?;
        let done = page.items.len() < f.per_page as usize || page.items.is_empty();
        out.extend(page.items);
        if done || out.len() as i64 >= page.total {
            return Ok(out);
        }
        f.page += 1;
    }
}

/// Columns a terminal gives `s`: two for CJK and full-width characters, one otherwise.
pub(crate) fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// `s` padded with spaces to `w` terminal columns.
pub(crate) fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// A write's outcome: `say` on stdout and exit code 0; input problems listed on stderr with exit
/// code 1, nothing written; anything else is an error.
pub(crate) fn written<T>(what: &str, r: Result<T, dangwu_store::StoreError>, say: impl FnOnce(T) -> String) -> anyhow::Result<i32> {
    use anyhow::Context;
    use dangwu_domain::DomainError;
    use dangwu_store::StoreError;
    match r {
        Ok(v) => {
            emit(&say(v))?;
            Ok(0)
        }
        Err(StoreError::Domain(DomainError::Invalid(errors))) => {
            eprintln!("{what}有误，未写入：");
            for e in &errors {
                eprintln!("  [{}] {}", e.field, e.message);
            }
            Ok(1)
        }
        Err(StoreError::Domain(e @ (DomainError::Rule { .. } | DomainError::Forbidden(_)))) => {
            eprintln!("{what}有误，未写入：\n  {e}");
            Ok(1)
        }
        Err(e) => Err(e).with_context(|| format!("{what}失败，未写入")),
    }
}

/// Writes command output to stdout. A closed pipe (`dangwu member list | head`) ends the
/// output quietly instead of panicking as `println!` would.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if cfg!(test) {
        // The test harness captures print! but not direct writes to stdout.
        println!("{text}");
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.write_all(b"\n")).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod dues_tests;
#[cfg(test)]
mod tests;
