//! The demo bureau's organisation tree: a city sports bureau like the seed report's
//! (党组, 机关党委, 机关党支部 and five directly affiliated branches of different natures).
//! The city 海滨市 is fictional.

pub const BUREAU: &str = "海滨市体育局";

pub struct OrgSpec {
    pub name: &'static str,
    pub short_name: Option<&'static str>,
    pub kind: &'static str,
    pub unit: &'static str,
    pub established_on: &'static str,
}

pub const PARTY_GROUP: OrgSpec = OrgSpec {
    name: "中共海滨市体育局党组",
    short_name: Some("局党组"),
    kind: "party_group",
    unit: BUREAU,
    established_on: "2002-03-18",
};

pub const ORGAN_COMMITTEE: OrgSpec = OrgSpec {
    name: "中共海滨市体育局机关委员会",
    short_name: Some("局机关党委"),
    kind: "organ_committee",
    unit: BUREAU,
    established_on: "2002-06-28",
};

/// A branch and the people in it. `leaders` are the posts of its first members, in committee
/// order (书记, 组织委员, 宣传委员, 纪检委员); further leaders hold office elsewhere (党组, 机关党委).
pub struct BranchSpec {
    pub org: OrgSpec,
    /// Nature of the unit (机关 / 事业单位 / 国有企业), shown in the summary.
    pub nature: &'static str,
    pub size: usize,
    pub retired: usize,
    pub probationary: usize,
    pub leaders: &'static [&'static str],
    pub posts: &'static [&'static str],
    pub cells: &'static [&'static str],
}

const fn branch(name: &'static str, unit: &'static str, established_on: &'static str) -> OrgSpec {
    OrgSpec { name, short_name: None, kind: "branch", unit, established_on }
}

/// 46 + 38 + 27 + 22 + 26 + 20 = 179 members; 44 retired, 4 probationary.
pub const BRANCHES: [BranchSpec; 6] = [
    BranchSpec {
        org: branch("机关党支部", "海滨市体育局机关", "2002-07-01"),
        nature: "机关",
        size: 46,
        retired: 12,
        probationary: 0,
        leaders: &[
            "办公室主任", "组织人事科科长", "群众体育科科长", "财务审计科科长",
            "党组书记、局长", "党组成员、副局长", "党组成员、副局长", "党组成员、副局长",
            "机关党委专职副书记", "党建办主任",
        ],
        posts: &[
            "办公室副主任", "竞技体育科科长", "青少年体育科科长", "政策法规科科长", "一级主任科员", "二级主任科员",
            "三级主任科员", "四级主任科员", "一级科员", "科员", "党建办干事",
        ],
        cells: &["机关第一党小组", "机关第二党小组", "机关第三党小组"],
    },
    BranchSpec {
        org: branch("市体育运动学校党支部", "海滨市体育运动学校", "2003-09-10"),
        nature: "事业单位（学校）",
        size: 38,
        retired: 9,
        probationary: 1,
        leaders: &["党支部书记、副校长", "教务处主任", "学生科科长", "校办公室主任"],
        posts: &["教师", "教练员", "班主任", "教研组组长", "校医", "会计", "后勤保障科科长"],
        cells: &[],
    },
    BranchSpec {
        org: branch("市全民健身服务中心党支部", "海滨市全民健身服务中心", "2008-05-20"),
        nature: "事业单位",
        size: 27,
        retired: 7,
        probationary: 1,
        leaders: &["党支部书记、副主任", "办公室主任", "群众活动部部长"],
        posts: &["社会体育指导员", "体质监测员", "项目主管", "科员", "赛事活动部副部长"],
        cells: &[],
    },
    BranchSpec {
        org: branch("市体育场馆服务中心党支部", "海滨市体育场馆服务中心", "2006-11-08"),
        nature: "事业单位",
        size: 22,
        retired: 6,
        probationary: 0,
        leaders: &["党支部书记、主任", "综合科科长", "安全保卫科科长"],
        posts: &["场馆管理员", "工程师", "技术员", "会计", "运营部副部长"],
        cells: &[],
    },
    BranchSpec {
        org: branch("市竞技体育训练中心党支部", "海滨市竞技体育训练中心", "2005-04-26"),
        nature: "事业单位",
        size: 26,
        retired: 6,
        probationary: 1,
        leaders: &["党支部书记、副主任", "训练科科长", "科研医务科科长"],
        posts: &["主教练", "教练员", "科研人员", "队医", "领队", "体能教练"],
        cells: &[],
    },
    BranchSpec {
        org: branch("海滨体育产业发展有限公司党支部", "海滨体育产业发展有限公司", "2016-08-15"),
        nature: "国有企业",
        size: 20,
        retired: 4,
        probationary: 1,
        leaders: &["党支部书记、副总经理", "综合管理部经理", "财务部经理"],
        posts: &["项目经理", "市场部经理", "业务主管", "会计", "工程师", "业务员"],
        cells: &[],
    },
];

/// Index of the branch whose current term ends within 90 days (the 工作台 shows it).
pub const TERM_ENDING_SOON: usize = 3;

/// Days before `today` that each branch's current term started (None: ends soon, see above).
pub const TERM_STARTED_DAYS_AGO: [Option<i64>; 6] = [Some(420), Some(700), Some(260), None, Some(830), Some(150)];
