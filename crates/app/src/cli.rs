//! Command line: global options and subcommands (clap derive), help text in Chinese.

use std::path::PathBuf;

use clap::error::{ContextKind, ErrorKind};
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

pub use crate::cli_community::{ElectionCmd, TeamCmd};
pub use crate::cli_dues::DuesCmd;
pub use crate::cli_ledger::{CampaignCmd, LedgerCmd};

pub(crate) const HELP_TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "dangwu",
    version,
    about = "党务 dangwu：党组织、党员、组织生活、党费、账号与审计日志的记录系统",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "通用选项")]
pub struct GlobalOpts {
    /// 数据目录（SQLite 数据库 DIR/dangwu.db、密钥文件、配置 dangwu.toml）
    #[arg(long = "data", value_name = "DIR", global = true, default_value = "./dangwu-data")]
    pub data: PathBuf,
    /// PostgreSQL 连接串；设置后使用 PostgreSQL 而不是 SQLite
    #[arg(long = "database-url", value_name = "URL", global = true, env = "DANGWU_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// 加密身份证号的主密钥文件（默认 DIR/dangwu.key，不存在时自动生成）
    #[arg(long = "key-file", value_name = "PATH", global = true, env = "DANGWU_KEY_FILE", hide_env_values = true)]
    pub key_file: Option<PathBuf>,
    /// 显示帮助
    #[arg(short = 'h', long = "help", global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    pub version: Option<bool>,
}

impl Cli {
    /// The command definition with Chinese headings on every subcommand's arguments.
    pub fn localized_command() -> clap::Command {
        localize(Cli::command())
    }

    /// Parses like `try_parse_from`, with the Chinese help layout.
    pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Cli, clap::Error> {
        let matches = Cli::localized_command().try_get_matches_from(args)?;
        Cli::from_arg_matches(&matches)
    }
}

fn localize(cmd: clap::Command) -> clap::Command {
    let cmd = cmd.mut_subcommands(localize);
    let plain: Vec<(clap::Id, bool)> = cmd
        .get_arguments()
        .filter(|a| a.get_help_heading().is_none())
        .map(|a| (a.get_id().clone(), a.is_positional()))
        .collect();
    plain.into_iter().fold(cmd, |c, (id, positional)| c.mut_arg(id, |a| a.help_heading(if positional { "参数" } else { "选项" })))
}

/// A usage error in Chinese, for the kinds people actually hit; None leaves clap's own text.
pub fn usage_error_zh(e: &clap::Error) -> Option<String> {
    let ctx = |k| e.get(k).map(|v| v.to_string());
    let msg = match e.kind() {
        ErrorKind::InvalidSubcommand => format!("未知命令“{}”", ctx(ContextKind::InvalidSubcommand)?),
        ErrorKind::UnknownArgument => format!("未知选项“{}”", ctx(ContextKind::InvalidArg)?),
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数：{}", ctx(ContextKind::InvalidArg)?),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::InvalidValue => {
            format!("参数 {} 的值“{}”无效", ctx(ContextKind::InvalidArg)?, ctx(ContextKind::InvalidValue).unwrap_or_default())
        }
        ErrorKind::ArgumentConflict => format!("参数 {} 不能与其他参数同时使用", ctx(ContextKind::InvalidArg)?),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {} 的值个数不对", ctx(ContextKind::InvalidArg)?)
        }
        _ => return None,
    };
    Some(format!("错误：{msg}。用 dangwu --help（或 dangwu 命令 --help）查看用法。"))
}

impl GlobalOpts {
    pub fn key_path(&self) -> PathBuf {
        self.key_file.clone().unwrap_or_else(|| self.data.join("dangwu.key"))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 启动网页服务
    #[command(help_template = HELP_TEMPLATE)]
    Serve {
        /// 监听地址
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// 重新生成演示数据（海滨市体育局，会清空当前数据库）并启动网页服务
    #[command(help_template = HELP_TEMPLATE)]
    Demo {
        /// 监听地址
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
        /// 只生成演示数据，不启动网页服务
        #[arg(long = "no-serve")]
        no_serve: bool,
    },
    /// 创建或升级数据库结构
    #[command(help_template = HELP_TEMPLATE)]
    Migrate,
    /// 账号管理
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    User(UserCmd),
    /// 党组织
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Org(OrgCmd),
    /// 党员名册
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Member(MemberCmd),
    /// 活动（会议、学习、走访等）记录
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Activity(ActivityCmd),
    /// 学习材料目录
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Material(MaterialCmd),
    /// 规则库（组织生活制度规定）
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Rules(RulesCmd),
    /// 检查组织生活制度落实情况（报告：有未落实项时退出码仍为0）
    #[command(help_template = HELP_TEMPLATE)]
    Check {
        /// 只检查该党组织及其下级（默认全部）
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 期间：2022-03（月）、2022Q1（季度）或 2022（年）
        #[arg(long, value_name = "PERIOD")]
        period: String,
        /// 以 JSON 输出（每项检查结果一个对象）
        #[arg(long)]
        json: bool,
    },
    /// 党费：计算、核定、交纳、收缴登记表、欠交、上缴核对
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Dues(DuesCmd),
    /// 工作报告：按模板从记录生成季度汇报等（docx、html、md、xlsx）
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Report(crate::cli_report::ReportCmd),
    /// 服务队（党员先锋队、志愿服务队）
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Team(TeamCmd),
    /// 代表推选：发起、记录知晓和参与、计算知晓率和参与率
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Election(ElectionCmd),
    /// 岗位（党员示范岗、志愿服务岗、巾帼文明岗）
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Post(crate::cli_community::PostCmd),
    /// 双报到社区：登记社区、报到、需求清单的登记、认领和办结
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Community(crate::cli_community::CommunityCmd),
    /// 培训：记录培训（学时、能力方向），年度学时对照目标
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Training(crate::cli_training::TrainingCmd),
    /// 整改台账：导入巡察反馈问题、整改进展、佐证、核验销号、每周调度、对账和整改情况报告
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Ledger(LedgerCmd),
    /// 检查督导：风险隐患排查、专项检查、廉政风险点排查和实施方案
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Campaign(CampaignCmd),
    /// 问题线索：仅按状态跟踪，须以纪检账号（--as）办理
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    CaseLead(crate::cli_case_lead::CaseLeadArgs),
    /// 审计日志
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Audit(AuditCmd),
    /// 生成城市规模的测试数据（确定性：相同参数得到相同记录；只写入空数据库）
    #[command(help_template = HELP_TEMPLATE)]
    Gen {
        /// 党组织数（含工委、部门党委、党总支、支部、党小组）
        #[arg(long, value_name = "N", default_value_t = 5000)]
        orgs: usize,
        /// 党员数
        #[arg(long, value_name = "M", default_value_t = 100_000)]
        members: usize,
        /// 生成几年的记录
        #[arg(long, value_name = "Y", default_value_t = 3)]
        years: u32,
        /// 随机种子
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// 第一年（记录从该年1月1日开始）
        #[arg(long = "start-year", value_name = "YEAR", default_value_t = 2022)]
        start_year: i32,
    },
    /// 基准测试：在临时数据库上生成城市规模数据，测量落实情况、名册接口、导入、内存（见 BENCHMARKS.md）
    #[command(help_template = HELP_TEMPLATE)]
    Bench {
        /// 小数据量快速运行（一分钟内，供 CI 冒烟测试）
        #[arg(long)]
        quick: bool,
        /// 同时在 PostgreSQL 上运行：管理员连接串（为本次运行新建数据库，结束后删除）
        #[arg(long, value_name = "URL")]
        pg: Option<String>,
        /// 不在 SQLite 上运行（只测 PostgreSQL）
        #[arg(long = "no-sqlite")]
        no_sqlite: bool,
        /// 把结果表（Markdown）另存到文件
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 备份 SQLite 数据库到文件（PostgreSQL 请用 pg_dump）
    #[command(help_template = HELP_TEMPLATE)]
    Backup {
        /// 备份文件路径（不能已存在）
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// 从 dangwu backup 的备份文件恢复 SQLite 数据库（先停止网页服务；PostgreSQL 请用 pg_restore）
    #[command(help_template = HELP_TEMPLATE)]
    Restore {
        /// 备份文件路径
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 数据目录中已有数据库时也覆盖（原数据库先改名保留）
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// 新建账号
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// 用户名
        username: String,
        /// 角色：admin（系统管理员）、org_admin（组织管理员）、member（党员）
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// 组织管理员管理的党组织编号
        #[arg(long = "org", value_name = "ORG_ID")]
        org: Option<String>,
        /// 党员账号关联的党员编号
        #[arg(long = "member", value_name = "MEMBER_ID")]
        member: Option<String>,
        /// 显示名（默认同用户名）
        #[arg(long = "name", value_name = "显示名")]
        name: Option<String>,
        /// 密码（不填则生成随机密码并显示一次）
        #[arg(long, value_name = "P")]
        password: Option<String>,
    },
    /// 修改密码（该账号的登录会话全部失效）
    #[command(help_template = HELP_TEMPLATE)]
    Passwd {
        /// 用户名
        username: String,
        /// 新密码（不填则生成随机密码并显示一次）
        #[arg(long, value_name = "P")]
        password: Option<String>,
    },
    /// 列出账号
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 为账号生成 API 令牌（最后一行输出令牌，只显示这一次）
    #[command(help_template = HELP_TEMPLATE)]
    Token {
        /// 用户名
        username: String,
        /// 令牌名称（用途）
        #[arg(long = "name", value_name = "N")]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// 列出党组织（树形）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCmd {
    /// 列出党员（不显示完整身份证号）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 只列出该党组织及其下级的党员
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 党员状态：active（正式和预备，默认）、all、full、probationary、transferred_out 等
        #[arg(long, value_name = "STATUS", default_value = "active")]
        status: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 从 Excel 党员名册导入（全部通过才写入）
    #[command(help_template = HELP_TEMPLATE)]
    Import {
        /// 党员名册文件（.xlsx，列名见模板）
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// “所在党组织”列为空的行导入到该党组织
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 只检查，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// 导出一名党员本人的全部数据（JSON，含完整身份证号，记入审计日志；个人信息保护法 第四十五条）
    #[command(help_template = HELP_TEMPLATE)]
    Data {
        /// 党员编号
        #[arg(long = "member", value_name = "ID")]
        member: String,
        /// 写入的文件（默认输出到标准输出）
        #[arg(long = "out", value_name = "FILE.json")]
        out: Option<PathBuf>,
    },
    /// 导出党员名册到 Excel（含完整身份证号，记入审计日志）
    #[command(help_template = HELP_TEMPLATE)]
    Export {
        /// 导出到的文件（.xlsx）
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// 只导出该党组织及其下级的党员
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActivityCmd {
    /// 列出活动（新的在前）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 只列出该党组织及其下级的活动
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 起始日期（含）
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// 截止日期（含）
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// 活动类型标识，如 branch_assembly（可用 dangwu rules list 查看计入规则的类型）
        #[arg(long, value_name = "K")]
        kind: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 记录一次活动（全部通过校验才写入）
    #[command(help_template = HELP_TEMPLATE)]
    Add(Box<ActivityAddArgs>),
}

#[derive(Debug, Args)]
pub struct ActivityAddArgs {
    /// 党组织编号
    #[arg(long = "org", value_name = "ID")]
    pub org: String,
    /// 活动类型标识（可重复：同一次会议可同时计为支部党员大会、党课、主题党日）
    #[arg(long = "kind", value_name = "K", required = true)]
    pub kinds: Vec<String>,
    /// 活动名称
    #[arg(long, value_name = "T")]
    pub title: String,
    /// 活动日期，如 2022-03-25
    #[arg(long, value_name = "D")]
    pub date: String,
    /// 开始时间，如 09:30
    #[arg(long, value_name = "HH:MM")]
    pub start: Option<String>,
    /// 结束时间
    #[arg(long, value_name = "HH:MM")]
    pub end: Option<String>,
    /// 地点
    #[arg(long, value_name = "P")]
    pub place: Option<String>,
    /// 主持人
    #[arg(long, value_name = "H")]
    pub host: Option<String>,
    /// 记录人
    #[arg(long, value_name = "R")]
    pub recorder: Option<String>,
    /// 授课人（党课）
    #[arg(long, value_name = "L")]
    pub lecturer: Option<String>,
    /// 议题/主题
    #[arg(long, value_name = "T")]
    pub topics: Option<String>,
    /// 会议记录
    #[arg(long, value_name = "TEXT")]
    pub minutes: Option<String>,
    /// 决议事项
    #[arg(long, value_name = "TEXT")]
    pub decisions: Option<String>,
    /// 出席的党员编号（可重复）
    #[arg(long = "present", value_name = "MEMBER_ID")]
    pub present: Vec<String>,
    /// 缺席的党员编号及原因，如 0190…:因公出差（可重复）
    #[arg(long = "absent", value_name = "MEMBER_ID:原因")]
    pub absent: Vec<String>,
    /// 列席人员姓名（非本组织人员，可重复）
    #[arg(long = "guest", value_name = "姓名")]
    pub guests: Vec<String>,
    /// 作为“第一议题”学习的材料编号
    #[arg(long = "first-agenda", value_name = "MATERIAL_ID")]
    pub first_agenda: Option<String>,
    /// 学习材料编号（可重复）
    #[arg(long = "material", value_name = "MATERIAL_ID")]
    pub materials: Vec<String>,
    /// 标记，如 first_agenda_item（第一议题，可重复）
    #[arg(long = "flag", value_name = "F")]
    pub flags: Vec<String>,
    /// 活动类型定义的其他项目，如 households=5、film=《零容忍》（可重复）
    #[arg(long = "extra", value_name = "KEY=VALUE")]
    pub extra: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum MaterialCmd {
    /// 列出学习材料
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 新增学习材料
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// 材料名称
        #[arg(long, value_name = "T")]
        title: String,
        /// 类别：speech（重要讲话）、meeting_spirit（会议精神）、document（文件）、theory（理论著作）、other（其他）
        #[arg(long, value_name = "K")]
        kind: String,
        /// 发表或印发日期
        #[arg(long = "issued-on", value_name = "DATE")]
        issued_on: Option<String>,
        /// 出处
        #[arg(long, value_name = "S")]
        source: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// 列出全部规则（含依据和可信度）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// 重新计算审计日志哈希链，报告第一条被篡改的记录
    #[command(help_template = HELP_TEMPLATE)]
    Verify,
    /// 清除早于某日的审计记录（不得晚于保留期限，默认保留 183 天；留下校验锚点）
    #[command(help_template = HELP_TEMPLATE)]
    Purge {
        /// 清除该日期（不含）之前的记录，如 2022-01-01
        #[arg(long, value_name = "DATE")]
        before: String,
        /// 只统计将清除的条数，不清除
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
}
