//! The `dangwu` binary as a library: `main` and the tests both call [`run`] (or [`run_async`]
//! from inside a runtime), so what the tests exercise is exactly what users run.

pub mod bench;
pub mod cli;
pub mod cli_community;
pub mod cli_training;
pub mod cli_dues;
pub mod cli_report;
pub mod cli_ledger;
pub mod cli_case_lead;
pub mod commands;
pub mod config;
pub mod demo;
pub mod synth;

use clap::error::ErrorKind;
use dangwu_domain::UserId;
use dangwu_domain::auth::{Principal, Role};
use dangwu_store::audit::Actor;

pub use cli::{Cli, Command, GlobalOpts};
pub use config::open_store;
pub use demo::{DemoSummary, create_demo, create_tree, wipe};

/// Parses `args` (the first item is the program name) and runs the command on a new runtime.
/// Returns the process exit code; `Err` carries a Chinese message for stderr (exit code 1).
/// Do not call this from inside a tokio runtime: use [`run_async`] there.
pub fn run(args: impl IntoIterator<Item = String>) -> anyhow::Result<i32> {
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(code) => return Ok(code),
    };
    // Batch commands stay quiet unless asked: `RUST_LOG=dangwu_store=debug dangwu report …`
    // shows where a slow report spends its time. `serve` logs by default.
    if std::env::var_os("RUST_LOG").is_some() {
        commands::serve::init_tracing();
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(commands::dispatch(cli))
}

/// [`run`] for callers already inside a tokio runtime.
pub async fn run_async(args: impl IntoIterator<Item = String>) -> anyhow::Result<i32> {
    match parse(args) {
        Ok(cli) => commands::dispatch(cli).await,
        Err(code) => Ok(code),
    }
}

/// Parses the command line; on help, version or a usage error prints clap's text and returns
/// the exit code (0 for help and version, 2 for usage errors).
fn parse(args: impl IntoIterator<Item = String>) -> Result<Cli, i32> {
    Cli::parse_args(args).map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            0
        }
        _ => {
            match cli::usage_error_zh(&e) {
                Some(msg) => eprintln!("{msg}"),
                None => {
                    let _ = e.print();
                }
            }
            2
        }
    })
}

/// The principal command-line writes run as: a system administrator. Whoever can run the
/// binary against the data directory and key file already holds everything.
pub fn cli_principal() -> Principal {
    Principal {
        user_id: UserId::from_u128(0),
        username: "cli".into(),
        display_name: "命令行".into(),
        role: Role::Admin,
        scope: None,
        member_id: None,
    }
}

/// `cli:<login name>` for the audit log.
pub fn cli_actor() -> Actor {
    let who = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|s| s.trim().to_owned())
        .find(|s| !s.is_empty() && s.len() <= 64 && !s.chars().any(char::is_control))
        .unwrap_or_else(|| "cli".to_owned());
    Actor(format!("cli:{who}"))
}

/// Today's date where the command runs (dates of joining, terms, ages are local dates).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
