//! Study plans (学习方案): yearly plan items per org, and plan against what was studied.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::{DomainError, OrgId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::orgs::{self, check_write};
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Plan {
    pub id: String,
    pub org_id: String,
    pub year: i64,
    pub title: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct PlanItem {
    pub id: String,
    pub plan_id: String,
    pub month: i64,
    pub topic: String,
    pub form: Option<String>,
    pub material_id: Option<String>,
    pub sort_order: i64,
}

/// A plan item and the activities that carried it out (same org, same month, same material or topic).
#[derive(Debug, Clone, Serialize)]
pub struct ItemProgress {
    pub item: PlanItem,
    pub done_by: Vec<(String, NaiveDate, String)>,
}

pub async fn create(store: &Store, p: &Principal, actor: &Actor, org_id: OrgId, year: i32, title: &str) -> Result<Plan, StoreError> {
    let org = orgs::get(store, p, org_id).await?;
    check_write(p, &org)?;
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::field("year", "年份不正确").into());
    }
    let title = title.trim();
    if title.is_empty() {
        return Err(DomainError::field("title", "方案名称不能为空").into());
    }
    let mut tx = store.db.begin().await?;
    let n: i64 = tx.scalar("SELECT COUNT(*) FROM study_plans WHERE org_id = $1 AND year = $2", args![org_id, year as i64]).await?;
    if n > 0 {
        return Err(StoreError::conflict("year", format!("{}已有{year}年学习方案", org.name)));
    }
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO study_plans (id, org_id, year, title, created_at) VALUES ($1, $2, $3, $4, $5)",
        args![id.clone(), org_id, year as i64, title, now_ms()],
    )
    .await?;
    let plan: Plan = tx.opt("SELECT * FROM study_plans WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("学习方案"))?;
    audit::append(&mut tx, actor, "study_plan.create", "study_plan", &id, String::new(), digest(Some(&plan)), title).await?;
    tx.commit().await?;
    Ok(plan)
}

pub async fn add_item(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    plan_id: &str,
    month: u32,
    topic: &str,
    form: Option<&str>,
    material_id: Option<&str>,
) -> Result<PlanItem, StoreError> {
    let plan: Plan = store.db.read().opt("SELECT * FROM study_plans WHERE id = $1", args![plan_id]).await?.ok_or(StoreError::NotFound("学习方案"))?;
    let org = orgs::get(store, p, OrgId::parse(&plan.org_id)?).await?;
    check_write(p, &org)?;
    if !(1..=12).contains(&month) {
        return Err(DomainError::field("month", "月份应为1–12").into());
    }
    if topic.trim().is_empty() {
        return Err(DomainError::field("topic", "学习专题不能为空").into());
    }
    let mut tx = store.db.begin().await?;
    let so: i64 = tx.scalar("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM study_plan_items WHERE plan_id = $1", args![plan_id]).await?;
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO study_plan_items (id, plan_id, month, topic, form, material_id, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![id.clone(), plan_id, month as i64, topic.trim(), form.map(str::trim).filter(|s| !s.is_empty()), material_id.filter(|s| !s.is_empty()), so],
    )
    .await?;
    let item: PlanItem = tx.opt("SELECT * FROM study_plan_items WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("学习计划条目"))?;
    audit::append(&mut tx, actor, "study_plan.item.add", "study_plan", plan_id, String::new(), digest(Some(&item)), topic.trim()).await?;
    tx.commit().await?;
    Ok(item)
}

/// The org's plan for `year` with, per item, the activities that carried it out.
pub async fn progress(store: &Store, p: &Principal, org_id: OrgId, year: i32) -> Result<Option<(Plan, Vec<ItemProgress>)>, StoreError> {
    orgs::get(store, p, org_id).await?;
    let Some(plan): Option<Plan> = store.db.read().opt("SELECT * FROM study_plans WHERE org_id = $1 AND year = $2", args![org_id, year as i64]).await? else {
        return Ok(None);
    };
    let items: Vec<PlanItem> =
        store.db.read().all("SELECT * FROM study_plan_items WHERE plan_id = $1 ORDER BY month, sort_order", args![plan.id.clone()]).await?;
    let from = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid");
    let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid");
    // One query for the year's studies of this org: (activity, date, title, topics, material).
    let done: Vec<(String, NaiveDate, String, Option<String>, Option<String>)> = store
        .db
        .read()
        .all(
            "SELECT a.id, a.held_on, a.title, a.topics, am.material_id FROM activities a \
             LEFT JOIN activity_materials am ON am.activity_id = a.id \
             WHERE a.org_id = $1 AND a.held_on >= $2 AND a.held_on <= $3 ORDER BY a.held_on",
            args![org_id, from, to],
        )
        .await?;
    let out = items
        .into_iter()
        .map(|item| {
            let mut by: Vec<(String, NaiveDate, String)> = done
                .iter()
                .filter(|(_, d, title, topics, m)| {
                    use chrono::Datelike;
                    let same_material = item.material_id.is_some() && m == &item.material_id;
                    let same_topic = title.contains(&item.topic) || topics.as_deref().is_some_and(|t| t.contains(&item.topic));
                    (same_material || same_topic) && d.month() as i64 >= item.month
                })
                .map(|(id, d, t, _, _)| (id.clone(), *d, t.clone()))
                .collect();
            by.dedup_by(|a, b| a.0 == b.0);
            ItemProgress { item, done_by: by }
        })
        .collect();
    Ok(Some((plan, out)))
}
