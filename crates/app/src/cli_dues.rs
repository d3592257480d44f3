//! `dangwu dues …`: the dues subcommands (calculator, verification, payments, ledger, arrears,
//! remittance and reconciliation).

use std::path::PathBuf;

use clap::Subcommand;

use crate::cli::HELP_TEMPLATE;

#[derive(Debug, Subcommand)]
pub enum DuesCmd {
    /// 计算每月党费（最后一行为金额，如 76.50）
    #[command(help_template = HELP_TEMPLATE)]
    Calc {
        /// 党费类别：in_service（在职）、retired（离退休）、student（学生）、farmer（农民）、unemployed（无固定收入）、low_income（低保）、other（其他，如年薪制）
        #[arg(long, value_name = "CATEGORY")]
        category: String,
        /// 计算基数（元），如 5100.00
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        base: Option<String>,
        /// 农民党员在0.20至1.00元之间确定的月交纳额（元）
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        flat: Option<String>,
        /// 以 JSON 输出（基数、档次、比例、金额、依据）
        #[arg(long)]
        json: bool,
    },
    /// 党费核定表：党组织（含下级）每名党员本年度的核定情况
    #[command(help_template = HELP_TEMPLATE)]
    Verify {
        /// 党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 年度，如 2022
        #[arg(long, value_name = "YEAR")]
        year: i32,
        /// 导出为供打印签字的 Excel 核定表
        #[arg(long, value_name = "FILE.xlsx")]
        out: Option<PathBuf>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 确认党组织（含下级）本年度的全部核定草稿，锁定为年度核定数
    #[command(help_template = HELP_TEMPLATE)]
    Confirm {
        /// 党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 年度，如 2022
        #[arg(long, value_name = "YEAR")]
        year: i32,
    },
    /// 从 Excel 导入本年度党费计算基数表（姓名、身份证号、人员类别、工资项目、扣除、个税；全部通过才写入）
    #[command(name = "import-base", help_template = HELP_TEMPLATE)]
    ImportBase {
        /// 计算基数表（.xlsx）
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// 年度，如 2022
        #[arg(long, value_name = "YEAR")]
        year: i32,
        /// 只检查，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// 写出一张空白的计算基数表模板到 FILE.xlsx（不导入）
        #[arg(long)]
        template: bool,
    },
    /// 导入党费收缴明细表（.xlsx：姓名、身份证号、交纳月份、每月金额、交纳日期、交纳方式、收据号），全部通过校验才写入
    #[command(help_template = HELP_TEMPLATE)]
    ImportPayments {
        /// 党费收缴明细表（.xlsx）
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// 只检查，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// 登记党费交纳（可一次交多个月，全部通过校验才写入）
    #[command(help_template = HELP_TEMPLATE)]
    Pay {
        /// 党员编号
        #[arg(long = "member", value_name = "ID")]
        member: String,
        /// 所属月份：2022-01,2022-02 或 2022Q1
        #[arg(long, value_name = "MONTHS")]
        months: String,
        /// 每月金额（元）；不填则按核定的月交纳额
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        amount: Option<String>,
        /// 自愿多交金额（元）
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        voluntary: Option<String>,
        /// 交纳日期（默认今天）
        #[arg(long = "paid-on", value_name = "DATE")]
        paid_on: Option<String>,
        /// 代交人姓名（委托他人代交时填写）
        #[arg(long = "proxy", value_name = "姓名")]
        proxy: Option<String>,
        /// 交纳方式：cash（现金，默认）、transfer、wechat、alipay、online、other
        #[arg(long, value_name = "METHOD")]
        method: Option<String>,
        /// 收据号
        #[arg(long = "receipt", value_name = "NO")]
        receipt: Option<String>,
    },
    /// 党费收缴登记表（每人每月的交纳情况）
    #[command(help_template = HELP_TEMPLATE)]
    Ledger {
        /// 党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 年度，如 2022
        #[arg(long, value_name = "YEAR")]
        year: i32,
        /// 导出为 Excel（姓名、月交纳额、1月…12月、合计）
        #[arg(long, value_name = "FILE.xlsx")]
        out: Option<PathBuf>,
    },
    /// 欠交党费：连续未交满3个月提醒，满6个月提示支部大会研究（不会自动改变党员状态）
    #[command(help_template = HELP_TEMPLATE)]
    Arrears {
        /// 只查该党组织及其下级（默认全部）
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 截至日期（默认今天）
        #[arg(long = "as-of", value_name = "DATE")]
        as_of: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 登记向上级党组织上缴党费（同一期间可分多笔）
    #[command(help_template = HELP_TEMPLATE)]
    Remit {
        /// 上缴的党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 所属期间，如 2022Q1
        #[arg(long, value_name = "PERIOD")]
        period: String,
        /// 上缴金额（元）
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        amount: String,
        /// 上缴日期
        #[arg(long, value_name = "DATE")]
        date: String,
        /// 凭证号
        #[arg(long, value_name = "V")]
        voucher: String,
    },
    /// 党费上缴核对：收缴、应上缴、已上缴，是否按期足额上缴
    #[command(help_template = HELP_TEMPLATE)]
    Reconcile {
        /// 党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 期间，如 2022Q1
        #[arg(long, value_name = "PERIOD")]
        period: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}
