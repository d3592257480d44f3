//! `dangwu report …`: reports generated from the records with the templates in force.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::HELP_TEMPLATE;

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// 季度党建工作汇报（模板 rulebook/templates/quarterly.tpl）
    #[command(help_template = HELP_TEMPLATE)]
    Quarterly(ReportArgs),
    /// 半年/年度党建工作总结（模板 summary.tpl）
    #[command(help_template = HELP_TEMPLATE)]
    Summary(ReportArgs),
    /// 整改情况报告（模板 rectification.tpl）
    #[command(help_template = HELP_TEMPLATE)]
    Rectification(ReportArgs),
    /// 按名称使用模板（含部署时新增的 DIR/rulebook/templates/NAME.tpl）
    #[command(help_template = HELP_TEMPLATE)]
    Template {
        /// 模板名称（文件名去掉 .tpl）
        name: String,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// 事实目录：模板中可以使用的全部事实
    #[command(help_template = HELP_TEMPLATE)]
    Facts {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 已保存的报告与现在的记录相比有哪些变化
    #[command(help_template = HELP_TEMPLATE)]
    Changes {
        /// 报告编号（生成时加 --save 得到）
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 党组织编号（默认：组织树的最上一级）
    #[arg(long = "org", value_name = "ID")]
    pub org: Option<String>,
    /// 期间：2022Q1（季度）、2022（年）或 2022-03（月）
    #[arg(long, value_name = "PERIOD")]
    pub period: String,
    /// 输出格式：docx、html、md 或 xlsx（所用事实清单）
    #[arg(long, value_name = "FORMAT", default_value = "docx")]
    pub format: String,
    /// 输出文件（不写则 md/html 输出到屏幕）
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// 落款日期（默认今天），如 2022-04-06
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// 同时保存报告（保存模板版本、事实和记录编号，便于复核和比较）
    #[arg(long)]
    pub save: bool,
}
