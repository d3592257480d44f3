//! Command line: global options and subcommands (clap derive), help text in Chinese.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

const HELP_TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "dangwu",
    version,
    about = "党务 dangwu：党组织、党员、账号与审计日志的记录系统",
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
    #[arg(long = "key-file", value_name = "PATH", global = true, env = "DANGWU_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// 显示帮助
    #[arg(short = 'h', long = "help", global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    pub version: Option<bool>,
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
    /// 审计日志
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Audit(AuditCmd),
    /// 备份 SQLite 数据库到文件（PostgreSQL 请用 pg_dump）
    #[command(help_template = HELP_TEMPLATE)]
    Backup {
        /// 备份文件路径（不能已存在）
        #[arg(value_name = "FILE")]
        file: PathBuf,
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
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// “所在党组织”列为空的行导入到该党组织
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
        /// 只检查，不写入
        #[arg(long = "dry-run")]
        dry_run: bool,
    },
    /// 导出党员名册到 Excel（含完整身份证号，记入审计日志）
    #[command(help_template = HELP_TEMPLATE)]
    Export {
        #[arg(value_name = "FILE.xlsx")]
        file: PathBuf,
        /// 只导出该党组织及其下级的党员
        #[arg(long = "org", value_name = "ID")]
        org: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// 重新计算审计日志哈希链，报告第一条被篡改的记录
    #[command(help_template = HELP_TEMPLATE)]
    Verify,
}
