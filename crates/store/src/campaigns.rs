//! Registers (意识形态阵地, 廉政风险点) and campaigns over them or over organisations
//! (风险隐患排查, 专项检查, 廉政风险点排查, 实施方案): a checklist result per target and item;
//! a failure becomes an item of the campaign's own ledger, owned by the target's organisation.
//! The kinds and checklists are data (rulebook/supervision.toml).

use chrono::{Datelike, Months, NaiveDate};
use dangwu_domain::DomainError;
use dangwu_domain::OrgId;
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::registers::{POSITION, RISK_POINT};
use dangwu_domain::supervision::{CampaignInput, CheckOutcome, ItemDraft, REVIEW_ITEM, RegisterInput, TargetKind};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::{Arg, now_ms};
use crate::orgs::{self, Org};
use crate::scope::org_condition;
use crate::supervision::{Item, insert_ledger};
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Register {
    pub id: String,
    pub org_id: String,
    pub kind: String,
    pub subkind: String,
    pub name: String,
    pub responsible: String,
    pub description: String,
    pub measures: String,
    pub grade: Option<String>,
    pub review_cycle_days: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

pub async fn add_register(store: &Store, p: &Principal, actor: &Actor, r: &RegisterInput) -> Result<Register, StoreError> {
    let d = r.validate(&store.supervision)?;
    let org = writable_org(store, p, d.org_id, "只能登记本人管理范围内的台账").await?;
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO registers (id, org_id, kind, subkind, name, responsible, description, measures, grade, review_cycle_days, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        args![id.clone(), org.id.clone(), d.kind, d.subkind, d.name, d.responsible, d.description, d.measures, d.grade, d.review_cycle_days, actor.0.clone(), now_ms()],
    )
    .await?;
    let row: Register = tx.opt("SELECT * FROM registers WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("台账"))?;
    audit::append(&mut tx, actor, "register.create", "register", &id, String::new(), digest(Some(&row)), &row.name).await?;
    tx.commit().await?;
    Ok(row)
}

/// Register entries of `kind` in the principal's scope, by subkind and name.
pub async fn registers(store: &Store, p: &Principal, kind: &str) -> Result<Vec<(Register, String)>, StoreError> {
    let (cond, mut a) = org_condition(&p.visibility(), 2);
    a.insert(0, kind.into());
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        r: Register,
        org_name: String,
    }
    let sql = format!("SELECT r.*, o.name AS org_name FROM registers r JOIN orgs o ON o.id = r.org_id WHERE r.kind = $1 AND {cond} ORDER BY r.subkind, r.name, r.id");
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
    Ok(rows.into_iter().map(|r| (r.r, r.org_name)).collect())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Campaign {
    pub id: String,
    pub org_id: String,
    pub kind: String,
    pub checklist: Option<String>,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub goals: String,
    pub ledger_id: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Target {
    pub target_id: String,
    pub target_kind: String,
    pub org_id: String,
    pub name: String,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ResultRow {
    pub id: String,
    pub target_id: String,
    pub item: String,
    pub outcome: String,
    pub grade: Option<String>,
    pub note: String,
    pub ledger_item_id: Option<String>,
    pub checked_on: NaiveDate,
    pub created_by: String,
}

/// The organisation a new register entry or campaign belongs to: one that does not exist names
/// `org_id`; one outside the principal's scope is refused (the API names `org_id` for that too).
async fn writable_org(store: &Store, p: &Principal, id: OrgId, refusal: &str) -> Result<Org, StoreError> {
    let org = orgs::find(store, id).await?.ok_or_else(|| DomainError::field("org_id", "党组织不存在"))?;
    if !p.can_write_org(&org.org_path()) {
        return Err(StoreError::forbidden(refusal));
    }
    Ok(org)
}

/// Creates a campaign with its targets and its ledger (for the problems it raises, or a program's tasks).
pub async fn create_campaign(store: &Store, p: &Principal, actor: &Actor, c: &CampaignInput) -> Result<Campaign, StoreError> {
    let d = c.validate(&store.supervision)?;
    let org = writable_org(store, p, d.org_id, "只能在本人管理范围内开展检查或活动").await?;
    let mut targets: Vec<(String, &str, String, String)> = Vec::new();
    for t in &d.targets {
        match d.kind.targets {
            TargetKind::Org => {
                let o = orgs::get(store, p, OrgId::parse(t)?).await.map_err(|e| match e {
                    StoreError::NotFound(_) => DomainError::field("targets", format!("检查对象“{t}”不存在或不在本人范围内")).into(),
                    e => e,
                })?;
                targets.push((o.id.clone(), "org", o.id, o.name));
            }
            TargetKind::Position | TargetKind::RiskPoint => {
                let want = if d.kind.targets == TargetKind::Position { POSITION } else { RISK_POINT };
                let r: Option<Register> = store.db.read().opt("SELECT * FROM registers WHERE id = $1 AND kind = $2", args![t.as_str(), want]).await?;
                let r = r.ok_or_else(|| DomainError::field("targets", format!("对象“{t}”不在{}台账中", if want == POSITION { "阵地" } else { "廉政风险点" })))?;
                targets.push((r.id.clone(), want, r.org_id, r.name));
            }
            // A program's targets are refused by the validation above.
            TargetKind::None => {}
        }
    }
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    let ledger = insert_ledger(&mut tx, actor, &org.id, &d.kind.id, &format!("{}问题台账", d.title), &d.title, d.starts_on).await?;
    tx.exec(
        "INSERT INTO campaigns (id, org_id, kind, checklist, title, starts_on, ends_on, goals, ledger_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![id.clone(), org.id.clone(), d.kind.id.as_str(), d.kind.checklist.clone(), d.title.as_str(), d.starts_on, d.ends_on, d.goals.as_str(), ledger.id.clone(), actor.0.clone(), now_ms()],
    )
    .await?;
    for (tid, tk, org_id, name) in &targets {
        tx.exec(
            "INSERT INTO campaign_targets (campaign_id, target_id, target_kind, org_id, name) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            args![id.clone(), tid.as_str(), *tk, org_id.as_str(), name.as_str()],
        )
        .await?;
    }
    let row: Campaign = tx.opt("SELECT * FROM campaigns WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("活动"))?;
    audit::append(&mut tx, actor, "campaign.create", "campaign", &id, String::new(), digest(Some(&(&row, &targets))), &row.title).await?;
    tx.commit().await?;
    Ok(row)
}

/// Records one checklist result. A failure becomes an item of the campaign's ledger, owned by the
/// target's organisation and due a month after the check (or by the campaign's end, if later).
#[allow(clippy::too_many_arguments)]
pub async fn record_result(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    campaign_id: &str,
    target_id: &str,
    item: &str,
    outcome: CheckOutcome,
    grade: Option<&str>,
    note: &str,
    on: NaiveDate,
) -> Result<ResultRow, StoreError> {
    let d = campaign(store, p, campaign_id).await?;
    if !d.can_write {
        return Err(StoreError::forbidden("只有开展检查的党组织可以记录检查结果"));
    }
    let book = &store.supervision;
    let label = book.checklist_item(d.campaign.checklist.as_deref(), item)?.to_owned();
    let item_id = book.checklist(d.campaign.checklist.as_deref().unwrap_or("")).and_then(|c| c.items.iter().find(|i| i.id == item || i.label == item)).map_or(REVIEW_ITEM.to_owned(), |i| i.id.clone());
    let target = d.targets.iter().find(|t| t.target_id == target_id).ok_or_else(|| DomainError::field("target_id", "该对象不在本次检查范围内"))?;
    let grade = match grade.map(str::trim).filter(|g| !g.is_empty()) {
        None => None,
        Some(g) => Some(book.risk_grade_id(g)?),
    };
    if on < d.campaign.starts_on {
        return Err(DomainError::field("checked_on", format!("检查日期 {on} 早于开始日期 {}", d.campaign.starts_on)).into());
    }
    if outcome == CheckOutcome::Fail && note.trim().is_empty() {
        return Err(DomainError::field("note", "不合格须写明存在的问题").into());
    }
    if d.results.iter().any(|r| r.target_id == target_id && r.item == item_id) {
        return Err(StoreError::conflict("item", format!("“{}”的“{label}”已记录检查结果", target.name)));
    }
    let mut tx = store.db.begin().await?;
    let mut ledger_item = None;
    if outcome == CheckOutcome::Fail {
        let ledger = crate::supervision::find_ledger(store, &d.campaign.ledger_id).await?;
        let no: i64 = tx.scalar("SELECT COALESCE(MAX(no), 0) + 1 FROM ledger_items WHERE ledger_id = $1", args![ledger.id.clone()]).await?;
        let due = (on + Months::new(1)).max(d.campaign.ends_on);
        let draft = ItemDraft {
            no,
            title: format!("{}：{}——{}", target.name, label, note.trim()),
            category: "by_deadline".into(),
            measures: String::new(),
            leader: String::new(),
            department: target.name.clone(),
            owner_name: String::new(),
            due_on: Some(due),
            review_cycle_days: None,
            acceptance: "问题整改到位".into(),
        };
        let ids = crate::supervision::write_items(&mut tx, actor, &ledger, &[(draft, target.org_id.clone(), None)]).await?;
        ledger_item = ids.into_iter().next();
    }
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO campaign_results (id, campaign_id, target_id, item, outcome, grade, note, ledger_item_id, checked_on, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![id.clone(), campaign_id, target_id, item_id.as_str(), outcome.code(), grade, note.trim(), ledger_item, on, actor.0.clone(), now_ms()],
    )
    .await?;
    let row: ResultRow = tx
        .opt("SELECT id, target_id, item, outcome, grade, note, ledger_item_id, checked_on, created_by FROM campaign_results WHERE id = $1", args![id.clone()])
        .await?
        .ok_or(StoreError::NotFound("检查结果"))?;
    audit::append(&mut tx, actor, "campaign.result", "campaign", campaign_id, String::new(), digest(Some(&row)), &format!("{} {label} {}", target.name, outcome.label())).await?;
    tx.commit().await?;
    Ok(row)
}

/// A record of the target org that the checker sees for a checklist item (no re-upload).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Evidence {
    pub activity_id: String,
    pub org_id: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignDetail {
    pub campaign: Campaign,
    pub org: Org,
    pub targets: Vec<Target>,
    pub results: Vec<ResultRow>,
    /// Problems raised (or a program's tasks): the campaign ledger's items.
    pub items: Vec<Item>,
    /// Activities of org targets from 1 January of the start year to the end, of the checklist's kinds.
    pub records: Vec<Evidence>,
    /// Activities linked to the campaign (a program's).
    pub activities: Vec<Evidence>,
    pub can_write: bool,
}

impl CampaignDetail {
    pub fn result(&self, target: &str, item: &str) -> Option<&ResultRow> {
        self.results.iter().find(|r| r.target_id == target && r.item == item)
    }
}

pub async fn campaign(store: &Store, p: &Principal, id: &str) -> Result<CampaignDetail, StoreError> {
    let c: Campaign = store.db.read().opt("SELECT * FROM campaigns WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("检查或活动"))?;
    let org = orgs::find(store, OrgId::parse(&c.org_id)?).await?.ok_or(StoreError::NotFound("党组织"))?;
    let targets: Vec<Target> = store.db.read().all("SELECT target_id, target_kind, org_id, name FROM campaign_targets WHERE campaign_id = $1 ORDER BY name", args![id]).await?;
    let visible: Vec<String> = orgs::list(store, p, true).await?.into_iter().map(|o| o.id).collect();
    let sees_all = p.can_read_org(&org.org_path());
    if !sees_all && !targets.iter().any(|t| visible.contains(&t.org_id)) {
        return Err(StoreError::NotFound("检查或活动"));
    }
    let targets: Vec<Target> = targets.into_iter().filter(|t| sees_all || visible.contains(&t.org_id)).collect();
    let results: Vec<ResultRow> = store
        .db
        .read()
        .all("SELECT id, target_id, item, outcome, grade, note, ledger_item_id, checked_on, created_by FROM campaign_results WHERE campaign_id = $1 ORDER BY checked_on, created_at", args![id])
        .await?;
    let results = results.into_iter().filter(|r| targets.iter().any(|t| t.target_id == r.target_id)).collect();
    let items: Vec<Item> = store.db.read().all("SELECT * FROM ledger_items WHERE ledger_id = $1 ORDER BY no", args![c.ledger_id.as_str()]).await?;
    let items = items.into_iter().filter(|i| sees_all || visible.contains(&i.org_id)).collect();
    let kinds: Vec<String> = store.supervision.checklist(c.checklist.as_deref().unwrap_or("")).map_or(vec![], |cl| cl.items.iter().flat_map(|i| i.kinds.clone()).collect());
    let org_targets: Vec<&Target> = targets.iter().filter(|t| t.target_kind == "org").collect();
    let mut records = Vec::new();
    if !kinds.is_empty() && !org_targets.is_empty() {
        let from = NaiveDate::from_ymd_opt(c.starts_on.year(), 1, 1).expect("valid date");
        let mut a: Vec<Arg> = vec![from.into(), c.ends_on.into()];
        let om: Vec<String> = org_targets.iter().map(|t| {
            a.push(t.org_id.as_str().into());
            format!("${}", a.len())
        }).collect();
        let km: Vec<String> = kinds.iter().map(|k| {
            a.push(k.as_str().into());
            format!("${}", a.len())
        }).collect();
        let sql = format!(
            "SELECT a.id AS activity_id, a.org_id, a.title, a.held_on, k.kind FROM activities a JOIN activity_kinds k ON k.activity_id = a.id \
             WHERE a.held_on >= $1 AND a.held_on <= $2 AND a.org_id IN ({}) AND k.kind IN ({}) ORDER BY a.held_on, a.id",
            om.join(", "), km.join(", ")
        );
        records = store.db.read().all(&sql, a).await?;
    }
    let activities = store
        .db
        .read()
        .all(
            "SELECT a.id AS activity_id, a.org_id, a.title, a.held_on, '' AS kind FROM campaign_activities ca JOIN activities a ON a.id = ca.activity_id \
             WHERE ca.campaign_id = $1 ORDER BY a.held_on",
            args![id],
        )
        .await?;
    let can_write = p.can_write_org(&org.org_path());
    Ok(CampaignDetail { campaign: c, org, targets, results, items, records, activities, can_write })
}

/// Campaigns the principal sees (its org or a target in scope), newest first, optionally of one kind.
pub async fn campaigns(store: &Store, p: &Principal, kind: Option<&str>) -> Result<Vec<Campaign>, StoreError> {
    let (c1, mut a) = org_condition(&p.visibility(), 1);
    let (c2, a2) = org_condition(&p.visibility(), a.len() + 1);
    a.extend(a2);
    let mut sql = format!(
        "SELECT c.* FROM campaigns c WHERE (c.org_id IN (SELECT o.id FROM orgs o WHERE {c1}) OR c.id IN \
         (SELECT t.campaign_id FROM campaign_targets t JOIN orgs o ON o.id = t.org_id WHERE {c2}))"
    );
    if let Some(k) = kind {
        a.push(k.into());
        sql.push_str(&format!(" AND c.kind = ${}", a.len()));
    }
    sql.push_str(" ORDER BY c.starts_on DESC, c.id");
    store.db.read().all(&sql, a).await
}

/// Links an activity to a campaign (a program's activities).
pub async fn link_activity(store: &Store, p: &Principal, actor: &Actor, campaign_id: &str, activity_id: &str) -> Result<(), StoreError> {
    let d = campaign(store, p, campaign_id).await?;
    if !d.can_write {
        return Err(StoreError::forbidden("只有开展活动的党组织可以关联活动"));
    }
    crate::activities::get(store, p, activity_id).await.map_err(|e| match e {
        StoreError::NotFound(_) => DomainError::field("activity_id", "活动不存在或不在本人范围内").into(),
        e => e,
    })?;
    let mut tx = store.db.begin().await?;
    tx.exec("INSERT INTO campaign_activities (campaign_id, activity_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", args![campaign_id, activity_id]).await?;
    audit::append(&mut tx, actor, "campaign.activity", "campaign", campaign_id, String::new(), String::new(), activity_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A register entry with the results recorded on it (reviews, screenings), newest first.
pub async fn register(store: &Store, p: &Principal, id: &str) -> Result<(Register, Org, Vec<(String, ResultRow)>), StoreError> {
    let r: Register = store.db.read().opt("SELECT * FROM registers WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("台账条目"))?;
    let org = orgs::find(store, OrgId::parse(&r.org_id)?).await?.ok_or(StoreError::NotFound("党组织"))?;
    if !p.can_read_org(&org.org_path()) {
        return Err(StoreError::NotFound("台账条目"));
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        #[sqlx(flatten)]
        r: ResultRow,
    }
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            "SELECT c.title, r.id, r.target_id, r.item, r.outcome, r.grade, r.note, r.ledger_item_id, r.checked_on, r.created_by \
             FROM campaign_results r JOIN campaigns c ON c.id = r.campaign_id WHERE r.target_id = $1 ORDER BY r.checked_on DESC, r.created_at DESC",
            args![id],
        )
        .await?;
    Ok((r, org, rows.into_iter().map(|x| (x.title, x.r)).collect()))
}
