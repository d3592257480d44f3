//! The demo bureau's 巡察整改 in Q1 2022, as the seed report tells it: the 市委第三巡察组's
//! feedback (20 December 2021) to the 党组 as a ledger of ten problems owned by 科室 (机关党支部)
//! and directly affiliated units; weekly dispatch every Friday of the quarter; six problems closed
//! with evidence by a verifier, one awaiting verification, one overdue, two 长期坚持 under review.
//! One open problem is owned by secretary1's own member record, so the 销号 rule shows.

use anyhow::Context;
use chrono::{Days, NaiveDate};
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::{ItemInput, LedgerStatus};
use dangwu_store::Store;
use dangwu_store::audit::Actor;
use dangwu_store::orgs::Org;
use dangwu_store::supervision::{self, ImportRow, LedgerInput};

#[derive(Debug, Clone, Default)]
pub struct SupervisionSummary {
    pub ledger_id: String,
    pub items: usize,
    pub closed: usize,
    pub rounds: usize,
    /// The item owned by secretary1's member record (still open).
    pub owned_by_secretary1: String,
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, day).expect("valid date")
}

/// The smallest valid PNG signature: evidence content is checked by its bytes.
const PHOTO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// (no, problem, category, measures, department, branch index or None for the 机关党支部,
/// due, owner is secretary1, plan: closed on / awaiting on / in progress).
struct Spec {
    title: &'static str,
    category: &'static str,
    measures: &'static str,
    leader: &'static str,
    department: &'static str,
    branch: usize,
    due: Option<(u32, u32)>,
    end: End,
}

enum End {
    Closed((u32, u32)),
    Awaiting((u32, u32)),
    Open,
}

const SPECS: [Spec; 10] = [
    Spec { title: "“第一议题”学习后研究贯彻落实措施不具体", category: "立行立改", measures: "每次党组会学习后明确贯彻措施和责任科室", leader: "党组书记、局长", department: "办公室", branch: 0, due: Some((1, 31)), end: End::Closed((1, 28)) },
    Spec { title: "党组理论学习中心组学习计划性不强", category: "限期整改", measures: "制定2022年度中心组学习方案，按月安排专题", leader: "党组书记、局长", department: "办公室", branch: 0, due: Some((2, 28)), end: End::Closed((2, 25)) },
    Spec { title: "党费计算基数核定不规范", category: "立行立改", measures: "按规定重新核定全体党员2022年党费计算基数", leader: "党组成员、副局长", department: "财务审计科", branch: 0, due: Some((1, 31)), end: End::Closed((1, 21)) },
    Spec { title: "意识形态阵地管理责任不清", category: "限期整改", measures: "建立意识形态阵地台账，逐一明确责任人", leader: "党组成员、副局长", department: "办公室", branch: 0, due: Some((3, 31)), end: End::Closed((3, 18)) },
    Spec { title: "“三会一课”记录不规范、不完整", category: "限期整改", measures: "统一会议记录格式，每月由党建办抽查", leader: "机关党委专职副书记", department: "市体育运动学校", branch: 1, due: Some((2, 28)), end: End::Closed((2, 18)) },
    Spec { title: "支部换届未按期进行", category: "限期整改", measures: "制定换届工作方案，按程序完成换届选举", leader: "机关党委专职副书记", department: "市体育场馆服务中心", branch: 3, due: Some((3, 31)), end: End::Closed((3, 25)) },
    Spec { title: "公务用车使用登记不严格", category: "限期整改", measures: "完善用车审批和登记制度，每月公示", leader: "党组成员、副局长", department: "市竞技体育训练中心", branch: 4, due: Some((4, 30)), end: End::Awaiting((3, 24)) },
    Spec { title: "“三重一大”决策制度执行不到位", category: "限期整改", measures: "修订议事规则，重大事项一律集体研究", leader: "党组成员、副局长", department: "海滨体育产业发展有限公司", branch: 5, due: Some((3, 15)), end: End::Open },
    Spec { title: "全面从严治党主体责任压力传导不够", category: "长期坚持", measures: "每季度听取各支部履行主体责任情况汇报", leader: "党组书记、局长", department: "办公室", branch: 0, due: None, end: End::Open },
    Spec { title: "干部作风建设有待加强", category: "长期坚持", measures: "开展“能力作风建设年”活动，常态化督查", leader: "党组书记、局长", department: "组织人事科", branch: 0, due: None, end: End::Open },
];

#[allow(clippy::too_many_arguments)]
pub async fn create(store: &Store, p: &Principal, actor: &Actor, group: &Org, branches: &[Org], secretary1: &str, today: NaiveDate) -> anyhow::Result<SupervisionSummary> {
    let feedback_on = NaiveDate::from_ymd_opt(2021, 12, 20).expect("valid date");
    let input = LedgerInput {
        org_id: group.org_id(),
        title: "市委第三巡察组反馈问题整改台账".into(),
        source: "市委第三巡察组".into(),
        feedback_on,
    };
    let ledger = supervision::create_ledger(store, p, actor, &input, today).await.context("建立演示整改台账失败")?;
    let rows: Vec<ImportRow> = SPECS
        .iter()
        .enumerate()
        .map(|(i, s)| ImportRow {
            row: i + 2,
            input: ItemInput {
                no: (i + 1).to_string(),
                title: s.title.into(),
                category: s.category.into(),
                measures: s.measures.into(),
                leader: s.leader.into(),
                department: s.department.into(),
                // 第9项 is owned by secretary1's member record.
                owner_name: if i == 8 { secretary1.into() } else { String::new() },
                due_on: s.due.map(|(m, day)| d(m, day).to_string()).unwrap_or_default(),
                acceptance: "整改措施落实到位，佐证材料齐全".into(),
            },
            org: branches[s.branch].name.clone(),
        })
        .collect();
    supervision::import_items(store, p, actor, &ledger.id, &rows, false).await.map_err(|e| anyhow::anyhow!("导入演示反馈问题失败：{e}"))?;
    let detail = supervision::get(store, p, &ledger.id).await?;
    let mut closed = 0;
    for (item, s) in detail.items.iter().zip(SPECS.iter()) {
        let start = d(1, 7);
        supervision::progress(store, p, actor, &item.id, start, "制定整改方案，明确责任人和时限", Some(LedgerStatus::InProgress), today).await?;
        match s.end {
            End::Closed((m, day)) | End::Awaiting((m, day)) => {
                let done = d(m, day);
                supervision::add_evidence(store, p, actor, &item.id, "整改佐证", "整改佐证.png", PHOTO.to_vec(), 1 << 20).await?;
                supervision::progress(store, p, actor, &item.id, done - Days::new(3), "整改完成，提交核验", Some(LedgerStatus::AwaitingVerification), today).await?;
                if matches!(s.end, End::Closed(_)) {
                    supervision::close(store, p, actor, &item.id, done, "经核验，整改到位，予以销号", today).await?;
                    closed += 1;
                }
            }
            End::Open => {
                supervision::progress(store, p, actor, &item.id, d(2, 18), "按方案推进，已完成阶段性任务", None, today).await?;
            }
        }
    }
    // Every Friday of the quarter, from 7 January to 25 March.
    let mut rounds = 0;
    let mut friday = d(1, 7);
    while friday <= d(3, 31) {
        supervision::freeze_round(store, p, actor, &ledger.id, friday, today).await?;
        rounds += 1;
        friday = friday + Days::new(7);
    }
    Ok(SupervisionSummary { ledger_id: ledger.id, items: detail.items.len(), closed, rounds, owned_by_secretary1: detail.items[8].id.clone() })
}
