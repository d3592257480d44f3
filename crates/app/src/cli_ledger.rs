//! `dangwu ledger …`: 整改台账 for batch work (import the inspector's list, weekly dispatch, 对账,
//! report, printable sheets).

use std::path::PathBuf;

use clap::Subcommand;

use crate::cli::HELP_TEMPLATE;

#[derive(Debug, Subcommand)]
pub enum LedgerCmd {
    /// 列出整改台账
    #[command(help_template = HELP_TEMPLATE)]
    List {
        #[arg(long)]
        json: bool,
    },
    /// 建立整改台账（输出台账编号）
    #[command(help_template = HELP_TEMPLATE)]
    Create {
        /// 所属党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 台账名称
        #[arg(long, value_name = "T")]
        title: String,
        /// 反馈来源，如 市委第三巡察组
        #[arg(long, value_name = "S", default_value = "")]
        source: String,
        /// 巡察反馈日期
        #[arg(long = "feedback-on", value_name = "DATE")]
        feedback_on: String,
    },
    /// 导入巡察反馈问题清单（序号、问题描述、整改类别、整改措施、责任领导、责任部门、责任人、完成时限、验收标准、责任党组织；全部通过才写入）
    #[command(help_template = HELP_TEMPLATE)]
    Import {
        #[arg(value_name = "LEDGER_ID")]
        ledger: String,
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// 查看台账的问题及状态
    #[command(help_template = HELP_TEMPLATE)]
    Show {
        #[arg(value_name = "LEDGER_ID")]
        ledger: String,
        #[arg(long)]
        json: bool,
    },
    /// 记录整改进展（--status 可改为 in_progress 或 awaiting_verification）
    #[command(help_template = HELP_TEMPLATE)]
    Progress {
        #[arg(value_name = "ITEM_ID")]
        item: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, value_name = "T")]
        text: String,
        #[arg(long, value_name = "S")]
        status: Option<String>,
    },
    /// 上传佐证材料（同名即为新版本，旧版本保留）
    #[command(help_template = HELP_TEMPLATE)]
    Evidence {
        #[arg(value_name = "ITEM_ID")]
        item: String,
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 材料名称（默认取文件名）
        #[arg(long, value_name = "T", default_value = "")]
        title: String,
    },
    /// 核验销号（须为待核验且有佐证材料）
    #[command(help_template = HELP_TEMPLATE)]
    Close {
        #[arg(value_name = "ITEM_ID")]
        item: String,
        #[arg(long, value_name = "DATE")]
        date: String,
        #[arg(long, value_name = "T", default_value = "")]
        text: String,
    },
    /// 形成一轮每周调度，可导出调度表
    #[command(help_template = HELP_TEMPLATE)]
    Dispatch {
        #[arg(value_name = "LEDGER_ID")]
        ledger: String,
        #[arg(long = "as-of", value_name = "DATE")]
        as_of: String,
        #[arg(long, value_name = "FILE.xlsx")]
        out: Option<PathBuf>,
    },
    /// 与巡察组清单对账（缺少、多出、状态不一致）
    #[command(help_template = HELP_TEMPLATE)]
    Reconcile {
        #[arg(value_name = "LEDGER_ID")]
        ledger: String,
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// 整改情况报告草稿（总数、已销号、正在整改、超期、完成率）
    #[command(help_template = HELP_TEMPLATE)]
    Report {
        #[arg(value_name = "LEDGER_ID")]
        ledger: String,
        #[arg(long = "as-of", value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 导出台账（Excel，供打印）
    #[command(help_template = HELP_TEMPLATE)]
    Export {
        #[arg(value_name = "LEDGER_ID")]
        ledger: String,
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
    },
}

/// `dangwu campaign …`: 风险隐患排查, 专项检查, 廉政风险点排查 and 实施方案.
#[derive(Debug, Subcommand)]
pub enum CampaignCmd {
    /// 列出检查与专项工作
    #[command(help_template = HELP_TEMPLATE)]
    List {
        #[arg(long)]
        json: bool,
    },
    /// 查看对象、检查结果和发现的问题
    #[command(help_template = HELP_TEMPLATE)]
    Show {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// 开展排查、专项检查、廉政风险点排查或实施方案（输出编号）
    #[command(help_template = HELP_TEMPLATE)]
    Create {
        /// 开展的党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// risk_screening、special_inspection、integrity_review、program（见 rulebook/supervision.toml）
        #[arg(long, value_name = "KIND")]
        kind: String,
        #[arg(long, value_name = "T")]
        title: String,
        #[arg(long, value_name = "DATE")]
        from: String,
        #[arg(long, value_name = "DATE")]
        to: String,
        /// 目标（实施方案）
        #[arg(long, value_name = "T", default_value = "")]
        goals: String,
        /// 检查对象编号（党组织或台账条目），可多次给出
        #[arg(long = "target", value_name = "ID")]
        targets: Vec<String>,
    },
    /// 关联活动（实施方案的活动）
    #[command(help_template = HELP_TEMPLATE)]
    Link {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "ACTIVITY_ID")]
        activity: String,
    },
    /// 列出意识形态阵地（position）或廉政风险点（risk_point）台账
    #[command(help_template = HELP_TEMPLATE)]
    Registers {
        #[arg(value_name = "KIND")]
        kind: String,
        #[arg(long)]
        json: bool,
    },
    /// 登记意识形态阵地或廉政风险点（输出编号）
    #[command(help_template = HELP_TEMPLATE)]
    Register {
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// position 或 risk_point
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// 阵地类别（如 network_platform），或风险点所在科室、单位、岗位
        #[arg(long, value_name = "S")]
        subkind: String,
        #[arg(long, value_name = "T")]
        name: String,
        #[arg(long, value_name = "T", default_value = "")]
        responsible: String,
        #[arg(long, value_name = "T", default_value = "")]
        measures: String,
        /// 风险等级：红、黄、蓝（风险点必填）
        #[arg(long, value_name = "G")]
        grade: Option<String>,
        /// 复查周期（天，风险点必填）
        #[arg(long = "review-days", value_name = "N")]
        review_days: Option<i64>,
    },
    /// 记录一项检查结果（不合格项转为问题台账事项）
    #[command(help_template = HELP_TEMPLATE)]
    Result {
        #[arg(value_name = "ID")]
        id: String,
        /// 检查对象编号（党组织或台账条目）
        #[arg(long, value_name = "TARGET_ID")]
        target: String,
        /// 检查清单项目（编号或名称；无清单时为 review）
        #[arg(long, value_name = "ITEM")]
        item: String,
        /// pass / fail / na 或 合格 / 不合格 / 不适用
        #[arg(long, value_name = "O")]
        outcome: String,
        #[arg(long, value_name = "G")]
        grade: Option<String>,
        #[arg(long, value_name = "T", default_value = "")]
        note: String,
        #[arg(long, value_name = "DATE")]
        date: String,
    },
}
