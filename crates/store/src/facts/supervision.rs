//! Supervision facts: 巡察整改 items and weekly dispatch rounds, 风险隐患排查 of positions by kind,
//! 廉政风险点排查, 专项检查 of branches, and programs started. Items and targets count when their
//! organisation is in the subtree; campaigns when they started in the period.

use dangwu_domain::supervision::SupervisionBook;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangwu_domain::facts::{FactDoc, FactSet, FactValue, ListItem, RecordRef};
use dangwu_domain::supervision::next_due;

use super::FactScope;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "rectification_items_total", label: "巡察反馈问题数", doc: "子树内党组织负责的巡察整改问题（反馈日期不晚于期末）" },
    FactDoc { name: "rectification_items_closed", label: "已整改销号", doc: "其中期末前已核验销号的问题" },
    FactDoc { name: "rectification_items_in_progress", label: "正在整改", doc: "其中期末尚未销号的问题" },
    FactDoc { name: "rectification_items_overdue", label: "超期未完成", doc: "期末尚未销号且已过完成时限（长期坚持为复查周期）的问题" },
    FactDoc { name: "rectification_completion_rate", label: "整改完成率", doc: "已销号 / 问题总数" },
    FactDoc { name: "rectification_items_verified", label: "本期核验销号", doc: "本期内经核验销号的问题" },
    FactDoc { name: "dispatch_rounds", label: "每周调度次数", doc: "本期内形成的每周调度（调度日期在期内）" },
    FactDoc { name: "risk_screening_campaigns", label: "风险隐患排查", doc: "本期开始的意识形态领域风险隐患排查" },
    FactDoc { name: "positions_screened_total", label: "排查阵地数", doc: "本期排查（有检查结果）的意识形态阵地；另按阵地类别给出 positions_screened_<类别>，如 network_platform、school" },
    FactDoc { name: "integrity_risk_points", label: "廉政风险点数", doc: "本期排查防控复查的廉政风险点" },
    FactDoc { name: "integrity_units_covered", label: "覆盖科室和单位", doc: "这些风险点所在的科室、直属单位或岗位（不同名称数）" },
    FactDoc { name: "integrity_reviews", label: "风险点复查次数", doc: "本期的复查记录" },
    FactDoc { name: "inspection_branches", label: "专项检查党支部数", doc: "本期专项检查（有检查结果）的党组织" },
    FactDoc { name: "inspection_items_checked", label: "检查项目数", doc: "本期专项检查记录的检查项目结果" },
    FactDoc { name: "inspection_failures", label: "检查发现问题", doc: "其中不合格的项目（各转为问题台账事项）" },
    FactDoc { name: "programs_started", label: "启动的实施方案", doc: "本期开始的实施方案（名称列表）" },
];

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: String,
    due_on: Option<NaiveDate>,
    review_cycle_days: Option<i64>,
    closed_on: Option<NaiveDate>,
    feedback_on: NaiveDate,
    last_on: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct ResultFact {
    kind: String,
    target_id: String,
    subkind: Option<String>,
    result_id: String,
    outcome: String,
}

/// `positions_screened_<kind>` for every position kind of the catalogue.
pub fn per_kind(book: &SupervisionBook) -> Vec<super::FactInfo> {
    book.position_kinds
        .iter()
        .filter(|k| k.enabled)
        .map(|k| super::FactInfo {
            name: format!("positions_screened_{}", k.id),
            label: format!("排查{}阵地数", k.label),
            doc: format!("本期排查（有检查结果）的{}类意识形态阵地", k.label),
        })
        .collect()
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (start, end) = (scope.period.start(), scope.period.end());
    let refs = |kind: &'static str, ids: &mut dyn Iterator<Item = String>| ids.map(|i| RecordRef::new(kind, i)).collect::<Vec<_>>();

    // 巡察整改 items, with each one's last progress note up to the period's end.
    let (cond, mut a) = scope.subtree(1);
    a.push(end.into());
    let sql = format!(
        "SELECT i.id, i.due_on, i.review_cycle_days, i.closed_on, l.feedback_on, \
         (SELECT MAX(n.on_date) FROM ledger_notes n WHERE n.item_id = i.id AND n.on_date <= $3) AS last_on \
         FROM ledger_items i JOIN ledgers l ON l.id = i.ledger_id JOIN orgs o ON o.id = i.org_id \
         WHERE {cond} AND l.kind = 'rectification' AND l.feedback_on <= $3 ORDER BY i.id"
    );
    let items: Vec<ItemRow> = store.db.read().all(&sql, a).await?;
    let closed = |i: &ItemRow| i.closed_on.is_some_and(|c| c <= end);
    let overdue = |i: &ItemRow| !closed(i) && next_due(i.due_on, i.review_cycle_days, i.last_on, i.feedback_on).is_some_and(|d| d < end);
    let all = refs("ledger_item", &mut items.iter().map(|i| i.id.clone()));
    let done = refs("ledger_item", &mut items.iter().filter(|i| closed(i)).map(|i| i.id.clone()));
    out.count("rectification_items_total", all.clone());
    out.count("rectification_items_closed", done.clone());
    out.count("rectification_items_in_progress", refs("ledger_item", &mut items.iter().filter(|i| !closed(i)).map(|i| i.id.clone())));
    out.count("rectification_items_overdue", refs("ledger_item", &mut items.iter().filter(|i| overdue(i)).map(|i| i.id.clone())));
    out.insert("rectification_completion_rate", FactValue::Ratio { num: done.len() as i64, den: all.len() as i64 }, all);
    out.count("rectification_items_verified", refs("ledger_item", &mut items.iter().filter(|i| i.closed_on.is_some_and(|c| c >= start && c <= end)).map(|i| i.id.clone())));

    // Dispatch rounds of ledgers held by an org in the subtree or holding its items.
    let (c1, mut a) = scope.subtree(1);
    let (c2, a2) = scope.subtree(a.len() + 1);
    a.extend(a2);
    a.push(start.into());
    a.push(end.into());
    let n = a.len();
    let sql = format!(
        "SELECT r.id FROM dispatch_rounds r JOIN ledgers l ON l.id = r.ledger_id WHERE l.kind = 'rectification' AND r.as_of >= ${} AND r.as_of <= ${n} \
         AND (l.org_id IN (SELECT o.id FROM orgs o WHERE {c1}) OR l.id IN (SELECT i.ledger_id FROM ledger_items i JOIN orgs o ON o.id = i.org_id WHERE {c2})) ORDER BY r.id",
        n - 1
    );
    let rounds: Vec<(String,)> = store.db.read().all(&sql, a).await?;
    out.count("dispatch_rounds", refs("dispatch", &mut rounds.into_iter().map(|r| r.0)));

    // Campaigns that started in the period, by kind (the campaign's org in the subtree).
    let (cond, mut a) = scope.subtree(1);
    a.push(start.into());
    a.push(end.into());
    let sql = format!("SELECT c.id, c.kind, c.title FROM campaigns c JOIN orgs o ON o.id = c.org_id WHERE {cond} AND c.starts_on >= $3 AND c.starts_on <= $4 ORDER BY c.starts_on, c.id");
    let camps: Vec<(String, String, String)> = store.db.read().all(&sql, a).await?;
    out.count("risk_screening_campaigns", refs("campaign", &mut camps.iter().filter(|c| c.1 == "risk_screening").map(|c| c.0.clone())));
    let programs: Vec<ListItem> = camps.iter().filter(|c| c.1 == "program").map(|c| ListItem { text: c.2.clone(), records: vec![RecordRef::new("program", c.0.clone())] }).collect();
    let program_refs = programs.iter().flat_map(|p| p.records.clone()).collect();
    out.insert("programs_started", FactValue::List(programs), program_refs);

    // Results checked in the period on targets in the subtree.
    let (cond, mut a) = scope.subtree(1);
    a.push(start.into());
    a.push(end.into());
    let sql = format!(
        "SELECT c.kind, r.target_id, g.subkind, r.id AS result_id, r.outcome FROM campaign_results r \
         JOIN campaigns c ON c.id = r.campaign_id JOIN campaign_targets t ON t.campaign_id = r.campaign_id AND t.target_id = r.target_id \
         JOIN orgs o ON o.id = t.org_id LEFT JOIN registers g ON g.id = r.target_id \
         WHERE {cond} AND r.checked_on >= $3 AND r.checked_on <= $4 ORDER BY r.id"
    );
    let results: Vec<ResultFact> = store.db.read().all(&sql, a).await?;
    let of = |k: &'static str| results.iter().filter(move |r| r.kind == k);
    let mut by_kind: BTreeMap<String, Vec<RecordRef>> = store.supervision.position_kinds.iter().map(|k| (k.id.clone(), vec![])).collect();
    for r in of("risk_screening") {
        by_kind.entry(r.subkind.clone().unwrap_or_default()).or_default().push(RecordRef::new("position", r.target_id.clone()));
    }
    let mut screened = Vec::new();
    for (kind, list) in by_kind {
        screened.extend(list.clone());
        out.count(&format!("positions_screened_{kind}"), list);
    }
    out.count("positions_screened_total", screened);
    out.count("integrity_risk_points", refs("risk_point", &mut of("integrity_review").map(|r| r.target_id.clone())));
    let mut units: Vec<&str> = of("integrity_review").filter_map(|r| r.subkind.as_deref()).collect();
    units.sort();
    units.dedup();
    out.insert("integrity_units_covered", FactValue::Count(units.len() as i64), refs("risk_point", &mut of("integrity_review").map(|r| r.target_id.clone())));
    out.count("integrity_reviews", refs("campaign_result", &mut of("integrity_review").map(|r| r.result_id.clone())));
    out.count("inspection_branches", refs("org", &mut of("special_inspection").map(|r| r.target_id.clone())));
    out.count("inspection_items_checked", refs("campaign_result", &mut of("special_inspection").map(|r| r.result_id.clone())));
    out.count("inspection_failures", refs("campaign_result", &mut of("special_inspection").filter(|r| r.outcome == "fail").map(|r| r.result_id.clone())));
    Ok(())
}
