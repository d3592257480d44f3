//! Study plans (学习方案) of the period's year in the subtree.

use chrono::Datelike;
use dangwu_domain::facts::{FactDoc, FactSet, FactValue, ListItem, RecordRef};

use super::FactScope;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "study_plans", label: "学习方案", doc: "子树内本年度的学习方案名称（如党组理论学习中心组学习方案）" },
    FactDoc { name: "study_plan_items", label: "学习方案专题数", doc: "这些方案全年安排的学习专题" },
    FactDoc { name: "study_plan_items_in_period", label: "本期安排的学习专题数", doc: "其中安排在本期各月的专题" },
];

#[derive(sqlx::FromRow)]
struct Row {
    org_id: String,
    title: String,
    item_id: Option<String>,
    month: Option<i64>,
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (cond, mut a) = scope.subtree(1);
    a.push(i64::from(scope.period.year()).into());
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT p.org_id, p.title, i.id AS item_id, i.month FROM study_plans p JOIN orgs o ON o.id = p.org_id \
                 LEFT JOIN study_plan_items i ON i.plan_id = p.id WHERE {cond} AND p.year = $3 ORDER BY o.path, i.month, i.sort_order"
            ),
            a,
        )
        .await?;
    // A plan is named by its org: there is one per org and year, and its page is the org's.
    let plan = |org: &str| RecordRef::new("study_plan", org.to_owned());
    let mut plans: Vec<ListItem> = Vec::new();
    let mut listed: std::collections::HashSet<&str> = Default::default();
    for r in &rows {
        if listed.insert(r.org_id.as_str()) {
            plans.push(ListItem { text: format!("《{}》", r.title), records: vec![plan(&r.org_id)] });
        }
    }
    let recs = plans.iter().flat_map(|p| p.records.clone()).collect();
    out.insert("study_plans", FactValue::List(plans), recs);
    let (start, end) = (scope.period.start().month() as i64, scope.period.end().month() as i64);
    let items = |in_period: bool| {
        rows.iter()
            .filter(|r| r.item_id.is_some() && (!in_period || r.month.is_some_and(|m| (start..=end).contains(&m))))
            .map(|r| plan(&r.org_id))
            .collect::<Vec<_>>()
    };
    // Counted per item, each pointing at its plan.
    out.insert("study_plan_items", FactValue::Count(items(false).len() as i64), items(false));
    out.insert("study_plan_items_in_period", FactValue::Count(items(true).len() as i64), items(true));
    Ok(())
}
