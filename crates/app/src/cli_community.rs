//! `dangwu team …` and `dangwu election …`: teams (党员先锋队, 志愿服务队) and delegate
//! nominations (代表推选) for batch work.

use clap::Subcommand;

use crate::cli::HELP_TEMPLATE;

#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// 列出服务队（含成员数、服务次数和时长）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 组建服务队（成员须为该党组织及其下级的在册党员）
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// 所属党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 类型：vanguard（党员先锋队）、volunteer（党员志愿服务队），见 rulebook/community.toml
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// 名称
        #[arg(long, value_name = "NAME")]
        name: String,
        /// 任务或宗旨
        #[arg(long, value_name = "TEXT", default_value = "")]
        purpose: String,
        /// 成立日期
        #[arg(long = "from", value_name = "DATE")]
        from: String,
        /// 结束日期（可不填）
        #[arg(long = "to", value_name = "DATE", default_value = "")]
        to: String,
        /// 对接的社区编号
        #[arg(long, value_name = "ID", default_value = "")]
        community: String,
        /// 成员（党员编号，可重复）
        #[arg(long = "member", value_name = "MEMBER_ID")]
        members: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ElectionCmd {
    /// 列出代表推选
    #[command(help_template = HELP_TEMPLATE)]
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 发起代表推选：组织推选的党组织、名称、起止日期和参加推选的党组织
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// 组织推选的党组织编号
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 名称，如“党的二十大代表”
        #[arg(long, value_name = "TITLE")]
        title: String,
        #[arg(long = "from", value_name = "DATE")]
        from: String,
        #[arg(long = "to", value_name = "DATE")]
        to: String,
        /// 参加推选的党组织编号（可重复）
        #[arg(long = "target", value_name = "ORG_ID", required = true)]
        targets: Vec<String>,
    },
    /// 记录党员知晓、参与情况（全部通过才写入）；知晓率、参与率由名册计算，不能填写
    #[command(help_template = HELP_TEMPLATE)]
    Mark {
        /// 推选编号
        id: String,
        /// 全部可参加党员记为知晓并参与
        #[arg(long)]
        all: bool,
        /// 记为知晓并参与的党员编号（可重复）
        #[arg(long = "took-part", value_name = "MEMBER_ID")]
        took_part: Vec<String>,
        /// 只记为知晓的党员编号（可重复）
        #[arg(long = "informed", value_name = "MEMBER_ID")]
        informed: Vec<String>,
    },
    /// 知晓率和参与率：各党组织及合计（由截至结束日的名册计算）
    #[command(help_template = HELP_TEMPLATE)]
    Rates {
        /// 推选编号
        id: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PostCmd {
    /// 列出岗位（党员示范岗、志愿服务岗、巾帼文明岗等）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        #[arg(long)]
        json: bool,
    },
    /// 设立岗位（成员须为该党组织及其下级的在册党员）
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        #[arg(long = "org", value_name = "ID")]
        org: String,
        /// 类型：model_post、volunteer_post、women_post，见 rulebook/community.toml
        #[arg(long, value_name = "KIND")]
        kind: String,
        #[arg(long, value_name = "NAME")]
        name: String,
        /// 任务或服务对象，如“第25届省运会”
        #[arg(long, value_name = "TEXT", default_value = "")]
        purpose: String,
        #[arg(long = "from", value_name = "DATE")]
        from: String,
        #[arg(long = "to", value_name = "DATE", default_value = "")]
        to: String,
        #[arg(long = "member", value_name = "MEMBER_ID")]
        members: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CommunityCmd {
    /// 列出双报到社区（报到数、待办需求数）
    #[command(help_template = HELP_TEMPLATE)]
    List {
        #[arg(long)]
        json: bool,
    },
    /// 登记社区
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        #[arg(long, value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "ADDRESS", default_value = "")]
        address: String,
    },
    /// 双报到：党组织（或其在职党员）到社区报到
    #[command(help_template = HELP_TEMPLATE)]
    Link {
        /// 社区编号
        id: String,
        #[arg(long = "org", value_name = "ID")]
        org: String,
        #[arg(long = "member", value_name = "MEMBER_ID")]
        member: Option<String>,
        #[arg(long = "since", value_name = "DATE")]
        since: String,
    },
    /// 登记社区需求
    #[command(help_template = HELP_TEMPLATE)]
    Need {
        /// 社区编号
        id: String,
        #[arg(long, value_name = "TEXT")]
        title: String,
        #[arg(long = "date", value_name = "DATE")]
        date: String,
    },
    /// 认领社区需求
    #[command(help_template = HELP_TEMPLATE)]
    Claim {
        /// 需求编号
        need: String,
        #[arg(long = "org", value_name = "ID")]
        org: String,
        #[arg(long = "member", value_name = "MEMBER_ID")]
        member: Option<String>,
    },
    /// 办结社区需求：关联认领组织记录的“为社区办实事”活动
    #[command(help_template = HELP_TEMPLATE)]
    Done {
        /// 需求编号
        need: String,
        #[arg(long = "activity", value_name = "ACTIVITY_ID")]
        activity: String,
    },
}
