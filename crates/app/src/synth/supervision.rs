//! The supervision records of one synthetic department: a 巡察整改 ledger in the first year
//! (some problems still open or overdue at the end), the department's 意识形态阵地 and 廉政风险点
//! registers, and each year a 专项检查 of its branches whose failed items become ledger items.
//! Codes (categories, statuses, kinds, checklist items) are those of the shipped
//! `rulebook/supervision.toml`.

use chrono::{Datelike, Days, NaiveDate};
use dangwu_domain::OrgId;
use dangwu_store::args;
use dangwu_store::db::Arg;
use rand::Rng;
use rand::rngs::StdRng;

use super::dept::row_id;

const BY: &str = "gen";
const PROBLEMS: &[&str] = &[
    "“三会一课”记录不规范", "党员发展程序执行不严", "主体责任压力传导不够", "党费收缴不及时", "意识形态阵地管理责任不清",
    "民主生活会批评与自我批评不够深入", "公务接待管理不规范", "干部作风建设有待加强", "制度执行“最后一公里”不畅",
    "理论学习与业务工作结合不紧",
];
const POSITIONS: &[(&str, &str)] = &[
    ("network_platform", "微信公众号"), ("network_platform", "门户网站"), ("display_board", "党建宣传栏"), ("lecture_forum", "道德讲堂"),
    ("school", "干部培训学校"),
];
const RISKS: &[&str] = &["行政审批", "资金拨付", "项目招投标", "执法检查", "物资采购", "人事管理"];
const CHECKLIST: (&str, &[&str]) = (
    "branch_party_work",
    &["three_meetings_one_lecture", "org_life_meeting", "party_activities", "member_management", "integrity", "work_safety"],
);

/// Rows per table, in the column order of `dangwu_store::bulk::TABLES`.
#[derive(Default)]
pub struct Rows {
    pub ledgers: Vec<Vec<Arg>>,
    pub items: Vec<Vec<Arg>>,
    pub notes: Vec<Vec<Arg>>,
    pub registers: Vec<Vec<Arg>>,
    pub campaigns: Vec<Vec<Arg>>,
    pub targets: Vec<Vec<Arg>>,
    pub results: Vec<Vec<Arg>>,
}

/// A ledger item's life: the statuses it went through, with the dates.
struct Life {
    status: &'static str,
    steps: Vec<(NaiveDate, &'static str, &'static str, &'static str)>,
    closed_on: Option<NaiveDate>,
}

/// Moves an item from 待整改 towards 已销号: most close by their due date, some wait for
/// verification, some stay in progress, a few are never started (overdue when the due date passed).
fn life(rng: &mut StdRng, from: NaiveDate, due: NaiveDate, end: NaiveDate) -> Life {
    let roll: u32 = rng.random_range(0..100);
    let at = |d: NaiveDate| d.min(end);
    let started = at(from + Days::new(rng.random_range(3..15)));
    let mut steps = vec![(started, "open", "in_progress", "制定整改方案，明确责任人和时限")];
    if roll < 8 || started >= end {
        return Life { status: "open", steps: vec![], closed_on: None };
    }
    if roll < 30 {
        return Life { status: "in_progress", steps, closed_on: None };
    }
    let span = (due - started).num_days().max(2) as u64;
    let done = at(started + Days::new(rng.random_range(1..=span + 20)));
    steps.push((done, "in_progress", "awaiting_verification", "整改完成，提交核验"));
    if roll < 40 || done >= end {
        return Life { status: "awaiting_verification", steps, closed_on: None };
    }
    let closed = at(done + Days::new(rng.random_range(1..10)));
    steps.push((closed, "awaiting_verification", "closed", "经核验，整改到位，予以销号"));
    Life { status: "closed", steps, closed_on: Some(closed) }
}

impl Rows {
    #[allow(clippy::too_many_arguments)]
    fn item(&mut self, rng: &mut StdRng, ledger: &str, org: OrgId, no: i64, title: &str, department: &str, opened: NaiveDate, end: NaiveDate, now: i64) -> String {
        let id = row_id(rng);
        let roll: u32 = rng.random_range(0..10);
        let (category, due, cycle) = match roll {
            0..=2 => ("immediate", Some(opened + Days::new(30)), None),
            3..=8 => ("by_deadline", Some(opened + Days::new(rng.random_range(60..180))), None),
            _ => ("ongoing", None, Some(90i64)),
        };
        let l = life(rng, opened, due.unwrap_or(opened + Days::new(90)), end);
        // 长期坚持 items are reviewed, never closed.
        let (status, steps, closed_on) = if due.is_none() { ("in_progress", l.steps.into_iter().take(1).collect(), None) } else { (l.status, l.steps, l.closed_on) };
        let status = if due.is_none() && steps.is_empty() { "open" } else { status };
        for (on, from, to, text) in &steps {
            self.notes.push(args![row_id(rng), id.clone(), *on, *text, *from, *to, BY, now]);
        }
        let last = steps.last().map(|s| s.0);
        self.items.push(args![id.clone(), ledger, org, no, title, category, "对照问题逐项制定整改措施", "分管领导", department, "责任人", None::<String>,
                              due, cycle, "整改措施落实到位，佐证材料齐全", status, last, closed_on, closed_on.map(|_| BY), BY, now, now]);
        id
    }
}

/// Everything for one department; `branches` are its 党支部 (id, name).
pub fn rows(rng: &mut StdRng, dept: OrgId, dept_name: &str, branches: &[(OrgId, String)], start: NaiveDate, end: NaiveDate, now: i64) -> Rows {
    let mut r = Rows::default();
    let feedback = start + Days::new(rng.random_range(10..60));
    let ledger = row_id(rng);
    r.ledgers.push(args![ledger.clone(), dept, "rectification", format!("{dept_name}巡察反馈问题整改台账"), "市委巡察组", feedback, BY, now]);
    let n = rng.random_range(8..=15usize);
    for no in 1..=n {
        let (org, dept_unit) = if branches.is_empty() || no % 3 == 0 { (dept, "办公室") } else { (branches[no % branches.len()].0, "直属单位") };
        let title = PROBLEMS[rng.random_range(0..PROBLEMS.len())];
        r.item(rng, &ledger, org, no as i64, title, dept_unit, feedback, end, now);
    }
    for (sub, name) in POSITIONS.iter().take(rng.random_range(2..=POSITIONS.len())) {
        r.registers.push(args![row_id(rng), dept, "position", *sub, format!("{dept_name}{name}"), "办公室主任", "", "", None::<String>, None::<i64>, BY, now]);
    }
    for risk in RISKS.iter().take(rng.random_range(3..=RISKS.len())) {
        let grade = ["red", "yellow", "yellow", "blue"][rng.random_range(0..4)];
        r.registers.push(args![row_id(rng), dept, "risk_point", *risk, format!("{risk}环节廉政风险"), "分管领导", "权力运行中的廉政风险",
                               "建立审批台账，实行集体研究", grade, 180i64, BY, now]);
    }
    for year in start.year()..=end.year() {
        if branches.is_empty() {
            break;
        }
        let starts = NaiveDate::from_ymd_opt(year, 9, 1).expect("valid date");
        if starts > end {
            break;
        }
        let ends = starts + Days::new(30);
        let (campaign, ledger) = (row_id(rng), row_id(rng));
        let title = format!("{year}年{dept_name}党支部党建工作专项检查");
        r.ledgers.push(args![ledger.clone(), dept, "special_inspection", format!("{title}问题台账"), title.clone(), starts, BY, now]);
        r.campaigns.push(args![campaign.clone(), dept, "special_inspection", CHECKLIST.0, title, starts, ends, "", ledger.clone(), BY, now]);
        let mut no = 0;
        for (org, name) in branches {
            r.targets.push(args![campaign.clone(), *org, "org", *org, name.clone()]);
            let checked = starts + Days::new(rng.random_range(0..25));
            for item in CHECKLIST.1 {
                let failed = rng.random_range(0..100) < 6;
                let linked = failed.then(|| {
                    no += 1;
                    r.item(rng, &ledger, *org, no, &format!("专项检查发现问题：{name}"), "党支部", checked, end, now)
                });
                let outcome = if failed { "fail" } else { "pass" };
                r.results.push(args![row_id(rng), campaign.clone(), *org, *item, outcome, None::<String>, "", linked, checked, BY, now]);
            }
        }
    }
    r
}
