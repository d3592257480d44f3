//! The demo bureau's Q1 2022 supervision campaigns, as the seed report tells them: the
//! 意识形态领域风险隐患排查 of 7 network-platform and 4 school positions; the 廉政风险点排查防控
//! of the bureau's 科室 and directly affiliated units; the 专项检查 of the directly affiliated
//! branches on the six checklist items (two failures become ledger items); and the two programs
//! 机关接地气、干部走基层 and 能力作风建设年 with their tasks and a linked activity.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::{CampaignInput, CheckOutcome, ItemInput, RegisterInput};
use dangwu_store::Store;
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_store::audit::Actor;
use dangwu_store::campaigns;
use dangwu_store::orgs::Org;
use dangwu_store::supervision;

#[derive(Debug, Clone, Default)]
pub struct CampaignSummary {
    pub positions: usize,
    pub risk_points: usize,
    pub inspected: usize,
    pub failures: usize,
    pub programs: usize,
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, day).expect("valid date")
}

const PLATFORMS: [&str; 7] = ["“海滨体育”微信公众号", "海滨市体育局门户网站", "“海滨体育”微博", "“海滨体育”抖音号", "市体育运动学校微信公众号", "市全民健身服务中心微信公众号", "海滨体育产业公司官方网站"];
const SCHOOLS: [&str; 4] = ["市体育运动学校课堂教学", "市体育运动学校宣传栏", "市体育运动学校广播站", "市体育运动学校学生社团"];
/// (department or unit, risk point, grade, branch index).
const RISKS: [(&str, &str, &str, usize); 8] = [
    ("办公室", "公务接待和公车使用", "黄", 0),
    ("财务审计科", "资金支付审批", "红", 0),
    ("群众体育科", "体育彩票公益金项目评审", "红", 0),
    ("组织人事科", "干部选拔任用", "黄", 0),
    ("市体育运动学校", "招生录取", "红", 1),
    ("市全民健身服务中心", "场地开放收费", "蓝", 2),
    ("市体育场馆服务中心", "场馆维修工程招标", "黄", 3),
    ("市竞技体育训练中心", "运动员选材和津贴发放", "黄", 4),
];

pub async fn create(store: &Store, p: &Principal, actor: &Actor, group: &Org, branches: &[Org]) -> anyhow::Result<CampaignSummary> {
    let mut s = CampaignSummary::default();
    let reg = |org: &Org, kind: &str, subkind: &str, name: &str, grade: Option<&str>| RegisterInput {
        org_id: org.id.clone(),
        kind: kind.into(),
        subkind: subkind.into(),
        name: name.into(),
        responsible: String::new(),
        description: String::new(),
        measures: if kind == "risk_point" { "健全制度、集体决策、公开公示、定期复查".into() } else { String::new() },
        grade: grade.map(Into::into),
        review_cycle_days: (kind == "risk_point").then_some(180),
    };
    let mut positions = Vec::new();
    for (i, name) in PLATFORMS.iter().enumerate() {
        let org = match i { 4 => &branches[1], 5 => &branches[2], 6 => &branches[5], _ => &branches[0] };
        positions.push(campaigns::add_register(store, p, actor, &reg(org, "position", "network_platform", name, None)).await?.id);
    }
    for name in SCHOOLS {
        positions.push(campaigns::add_register(store, p, actor, &reg(&branches[1], "position", "school", name, None)).await?.id);
    }
    s.positions = positions.len();
    let input = |kind: &str, title: &str, start: NaiveDate, end: NaiveDate, goals: &str, targets: Vec<String>| CampaignInput {
        org_id: group.org_id(), kind: kind.into(), title: title.into(), starts_on: start, ends_on: end, goals: goals.into(), targets,
    };
    let screening = campaigns::create_campaign(store, p, actor, &input("risk_screening", "2022年一季度意识形态领域风险隐患排查", d(2, 14), d(3, 18), "", positions.clone())).await?;
    for (i, id) in positions.iter().enumerate() {
        let (outcome, grade, note) = if i == 3 { (CheckOutcome::Fail, "黄", "评论区管理制度未建立") } else { (CheckOutcome::Pass, "蓝", "") };
        campaigns::record_result(store, p, actor, &screening.id, id, "content_review", outcome, Some(grade), note, d(3, 4)).await?;
    }

    let mut risks = Vec::new();
    for (unit, name, grade, b) in RISKS {
        risks.push(campaigns::add_register(store, p, actor, &reg(&branches[b], "risk_point", unit, name, Some(grade))).await?.id);
    }
    s.risk_points = risks.len();
    let review = campaigns::create_campaign(store, p, actor, &input("integrity_review", "2022年机关科室和直属单位廉政风险点排查防控", d(1, 10), d(3, 31), "", risks.clone())).await?;
    for id in &risks {
        campaigns::record_result(store, p, actor, &review.id, id, "review", CheckOutcome::Pass, None, "已复查，防控措施落实", d(3, 10)).await?;
    }

    // The directly affiliated branches (all but the 机关党支部).
    let targets: Vec<String> = branches[1..].iter().map(|b| b.id.clone()).collect();
    let inspection = campaigns::create_campaign(store, p, actor, &input("special_inspection", "直属党支部党建工作专项检查", d(3, 7), d(3, 25), "", targets.clone())).await?;
    let checklist = store.supervision.checklist("branch_party_work").map(|c| c.items.clone()).unwrap_or_default();
    for (b, target) in targets.iter().enumerate() {
        for item in &checklist {
            let fail = (b == 2 && item.id == "work_safety") || (b == 4 && item.id == "three_meetings_one_lecture");
            let (outcome, note) = if fail { (CheckOutcome::Fail, "台账记录不完整") } else { (CheckOutcome::Pass, "") };
            campaigns::record_result(store, p, actor, &inspection.id, target, &item.id, outcome, None, note, d(3, 16)).await?;
            s.failures += usize::from(fail);
        }
    }
    s.inspected = targets.len();

    let study = activities::list(store, p, &ActivityFilter { kind: Some("fixed_study_day".into()), from: Some(d(3, 1)), to: Some(d(3, 31)), limit: 1, ..Default::default() }).await?;
    for (title, start, goals, tasks) in [
        ("“机关接地气、干部走基层”活动", d(3, 1), "机关干部深入基层、深入群众，帮助解决实际问题", ["制定《“机关接地气、干部走基层”活动实施方案》", "每名科级干部联系一个基层单位", "年底前收集并解决基层问题清单"]),
        ("“能力作风建设年”活动", d(3, 15), "提升干部八项本领，转变作风，提高效能", ["开展“八项能力”专题培训", "坚持“周五学习日”制度", "开展作风问题专项整治"]),
    ] {
        let c = campaigns::create_campaign(store, p, actor, &input("program", title, start, d(12, 31), goals, vec![])).await?;
        for (i, task) in tasks.iter().enumerate() {
            let t = ItemInput { no: (i + 1).to_string(), title: (*task).into(), category: "限期整改".into(), department: "办公室".into(), due_on: d(12, 31).to_string(), ..Default::default() };
            supervision::add_item(store, p, actor, &c.ledger_id, None, &t).await?;
        }
        if let Some(a) = study.first() {
            campaigns::link_activity(store, p, actor, &c.id, &a.activity.id).await?;
        }
        s.programs += 1;
    }
    Ok(s)
}
