//! `dangwu training …`: training sessions (学时, capability tags) and yearly hours against targets.

use clap::Subcommand;

use crate::cli::HELP_TEMPLATE;

#[derive(Debug, Subcommand)]
pub enum TrainingCmd {
    /// 年度培训学时：每名党员的学时与目标（党务工作者单列）
    #[command(help_template = HELP_TEMPLATE)]
    Hours {
        /// 年度，如 2022（默认今年）
        #[arg(long, value_name = "YEAR")]
        year: Option<String>,
        /// 只列该党组织及其下级的党员
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 列出年度培训（学时、参训人数、能力方向）
    #[command(help_template = HELP_TEMPLATE)]
    Sessions {
        #[arg(long, value_name = "YEAR")]
        year: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 记录一次培训（全部校验通过才写入）
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// 组织培训的党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 类型：training（培训）、expert_lecture（专家授课）、red_education_visit（红色教育）
        #[arg(long, value_name = "KIND", default_value = "training")]
        kind: String,
        #[arg(long, value_name = "TITLE")]
        title: String,
        #[arg(long = "date", value_name = "DATE")]
        date: String,
        /// 学时，如 3 或 1.5
        #[arg(long, value_name = "HOURS", allow_hyphen_values = true)]
        hours: String,
        /// 能力方向（编号或名称，可重复），见 rulebook/community.toml 的 capability
        #[arg(long = "capability", value_name = "TAG")]
        capabilities: Vec<String>,
        #[arg(long, value_name = "TEXT", default_value = "")]
        topics: String,
        #[arg(long, value_name = "NAME", default_value = "")]
        lecturer: String,
        #[arg(long, value_name = "PLACE", default_value = "")]
        place: String,
        /// 参训党员编号（可重复）
        #[arg(long = "member", value_name = "MEMBER_ID")]
        members: Vec<String>,
    },
}
