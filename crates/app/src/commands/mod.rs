//! One small module per command; `dispatch` routes a parsed command line to it.

mod audit;
mod backup;
mod demo;
mod member_export;
mod member_import;
mod member_list;
mod migrate;
mod org;
mod serve;
mod user;

use anyhow::Context;
use dangwu_domain::{MemberId, OrgId};

use crate::cli::{AuditCmd, Cli, Command, MemberCmd, OrgCmd, UserCmd};

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
        },
        Command::Audit(AuditCmd::Verify) => audit::verify(g).await,
        Command::Backup { file } => backup::run(g, &file).await,
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
mod tests;
