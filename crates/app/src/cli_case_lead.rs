//! `dangwu case-lead …`: 问题线索, run as a named 纪检 account (`--as`), since not even the
//! command-line administrator may read them.

use clap::{Args, Subcommand};

use crate::cli::HELP_TEMPLATE;

#[derive(Debug, Args)]
pub struct CaseLeadArgs {
    /// 以哪个纪检账号办理（用户名，角色须为 discipline）
    #[arg(long = "as", value_name = "USER", global = true)]
    pub user: Option<String>,
    #[command(subcommand)]
    pub cmd: CaseLeadCmd,
}

#[derive(Debug, Subcommand)]
pub enum CaseLeadCmd {
    /// 列出问题线索
    #[command(help_template = HELP_TEMPLATE)]
    List {
        #[arg(long)]
        json: bool,
    },
    /// 登记问题线索（输出内部编号）
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// 线索编号，如 XS2022-001
        #[arg(long, value_name = "NO")]
        number: String,
        /// 受理日期
        #[arg(long = "received-on", value_name = "DATE")]
        received_on: String,
        /// 线索来源，如 信访举报
        #[arg(long, value_name = "S")]
        source: String,
        /// 涉及的党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 简要情况（最多200字）
        #[arg(long, value_name = "T")]
        summary: String,
    },
    /// 改变线索状态（只能改为目录允许的下一步，见 rulebook/supervision.toml 的 case_status）
    #[command(help_template = HELP_TEMPLATE)]
    Status {
        #[arg(value_name = "LEAD_ID")]
        lead: String,
        /// 新状态（编号或名称）
        #[arg(long = "to", value_name = "S")]
        to: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, value_name = "T", default_value = "")]
        note: String,
    },
}
