//! Reports: a template rendered over the facts of an org subtree and a period; saved reports
//! keep the template text and version, the facts with their record ids and the 【待填写】
//! texts, so a saved report renders the same after the records change, and regenerating it
//! shows what changed since.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangwu_domain::auth::{Principal, Role};
use dangwu_domain::facts::{Fact, FactSet, FactValue, RecordRef};
use dangwu_domain::period::Period;
use dangwu_domain::report::{Document, LoadedTemplate, TemplateError, Templates, format::value_text, parse, render};
use dangwu_domain::rulebook::Rulebook;
use dangwu_domain::{DomainError, OrgId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::facts::{self, FactScope};
use crate::orgs::{self, Org};
use dangwu_domain::supervision::SupervisionBook;
use crate::{Store, StoreError, args};

/// The shipped templates, checked against the catalogue of `rulebook`.
pub fn shipped_templates(rulebook: &Rulebook, supervision: &SupervisionBook) -> Templates {
    load_templates(rulebook, supervision, &[]).expect("shipped report templates are valid")
}

/// The shipped templates with a deployment's overrides (name → text), each checked against
/// the fact catalogue: a broken one is an error naming the template, line and fact.
pub fn load_templates(rulebook: &Rulebook, supervision: &SupervisionBook, overrides: &[(String, String)]) -> Result<Templates, TemplateError> {
    let names: Vec<String> = facts::catalogue(rulebook, supervision).into_iter().map(|f| f.name).collect();
    Templates::load(overrides, |n| names.iter().any(|k| k == n))
}

/// Facts the generator adds itself (not from records).
pub const REPORT_DATE: &str = "report_date";

pub struct Generated {
    pub org: Org,
    pub period: Period,
    pub template: LoadedTemplate,
    pub facts: FactSet,
    pub fills: BTreeMap<usize, String>,
    pub date: NaiveDate,
    pub doc: Document,
}

/// What a report may be generated over: the org (default: the top of what the user sees) and
/// a period that has begun. Members do not generate reports.
pub async fn scope(store: &Store, p: &Principal, org: Option<OrgId>, period: Period, today: NaiveDate) -> Result<FactScope, StoreError> {
    if p.role == Role::Member {
        return Err(StoreError::forbidden("党员账号不能生成党组织的工作报告"));
    }
    if period.start() > today {
        return Err(DomainError::field("period", format!("期间“{}”尚未开始，不能生成报告", period.label())).into());
    }
    let root = match org {
        Some(id) => orgs::get(store, p, id).await?,
        None => orgs::tree_order(orgs::list(store, p, false).await?).into_iter().next().ok_or(StoreError::NotFound("可生成报告的党组织"))?,
    };
    Ok(FactScope { root, period })
}

pub fn template<'a>(store: &'a Store, name: &str) -> Result<&'a LoadedTemplate, StoreError> {
    store.templates.get(name).ok_or_else(|| {
        let names: Vec<&str> = store.templates.list.iter().map(|t| t.name.as_str()).collect();
        DomainError::field("template", format!("没有名为“{name}”的报告模板，可用：{}", names.join("、"))).into()
    })
}

/// Computes the facts and renders the template (nothing is written).
pub async fn generate(store: &Store, scope: FactScope, template: &LoadedTemplate, today: NaiveDate) -> Result<Generated, StoreError> {
    let mut facts = facts::collect(store, &scope).await?;
    facts.insert(REPORT_DATE, FactValue::Date(Some(today)), vec![]);
    let fills = BTreeMap::new();
    let doc = render(&template.template, &facts, &fills, today);
    Ok(Generated { org: scope.root, period: scope.period, template: template.clone(), facts, fills, date: today, doc })
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SavedRow {
    pub id: String,
    pub org_id: String,
    pub period: String,
    pub template: String,
    pub template_version: String,
    pub template_text: String,
    pub facts: String,
    pub fills: String,
    pub generated_on: NaiveDate,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A saved report as it was generated.
pub struct Saved {
    pub row: SavedRow,
    pub org: Org,
    pub generated: Generated,
}

pub async fn save(store: &Store, actor: &Actor, g: &Generated) -> Result<String, StoreError> {
    let id = dangwu_domain::ids::new_row_id();
    let facts = serde_json::to_string(&g.facts).map_err(|e| StoreError::Io(e.to_string()))?;
    let fills = serde_json::to_string(&g.fills).map_err(|e| StoreError::Io(e.to_string()))?;
    let now = now_ms();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO reports (id, org_id, period, template, template_version, template_text, facts, fills, generated_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        args![
            id.clone(),
            g.org.id.clone(),
            g.period.to_string(),
            g.template.name.clone(),
            g.template.version.clone(),
            g.template.text.clone(),
            facts.clone(),
            fills,
            g.date,
            actor.0.clone(),
            now,
            now
        ],
    )
    .await?;
    let detail = format!("保存{}{}{}", g.org.name, g.period.label(), g.template.label);
    audit::append(&mut tx, actor, "report.save", "report", &id, String::new(), digest(Some(&facts)), &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// A saved report, rendered from what was saved (template text, facts, fills).
pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<Saved, StoreError> {
    let row: SavedRow = store.db.read().opt("SELECT * FROM reports WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("报告"))?;
    let org = orgs::get(store, p, OrgId::parse(&row.org_id)?).await?;
    if p.role == Role::Member {
        return Err(StoreError::forbidden("党员账号不能查看党组织的工作报告"));
    }
    let bad = |e: String| StoreError::Io(format!("报告{id}的保存内容无法读取：{e}"));
    let facts: FactSet = serde_json::from_str(&row.facts).map_err(|e| bad(e.to_string()))?;
    let fills: BTreeMap<usize, String> = serde_json::from_str(&row.fills).map_err(|e| bad(e.to_string()))?;
    let t = parse(&row.template_text).map_err(|e| bad(e.named(&row.template).to_string()))?;
    let period = Period::parse(&row.period)?;
    let label = store.templates.get(&row.template).map(|t| t.label.clone()).unwrap_or(row.template.clone());
    let template = LoadedTemplate {
        name: row.template.clone(),
        label,
        text: row.template_text.clone(),
        version: row.template_version.clone(),
        overridden: false,
        template: t,
    };
    let doc = render(&template.template, &facts, &fills, row.generated_on);
    let generated = Generated { org: org.clone(), period, template, facts, fills, date: row.generated_on, doc };
    Ok(Saved { row, org, generated })
}

/// Saved reports the principal may see, newest first.
pub async fn list(store: &Store, p: &Principal) -> Result<Vec<(SavedRow, String)>, StoreError> {
    let (cond, a) = crate::scope::org_condition(&p.visibility(), 1);
    if p.role == Role::Member {
        return Ok(vec![]);
    }
    #[derive(sqlx::FromRow)]
    struct Listed {
        #[sqlx(flatten)]
        row: SavedRow,
        org_name: String,
    }
    let rows: Vec<Listed> = store
        .db
        .read()
        .all(&format!("SELECT r.*, o.name AS org_name FROM reports r JOIN orgs o ON o.id = r.org_id WHERE {cond} ORDER BY r.created_at DESC, r.id"), a)
        .await?;
    Ok(rows.into_iter().map(|r| (r.row, r.org_name)).collect())
}

/// Writes the 【待填写】 texts (index → text; empty clears) into a saved report.
pub async fn fill(store: &Store, p: &Principal, actor: &Actor, id: &str, fills: BTreeMap<usize, String>) -> Result<(), StoreError> {
    let saved = get(store, p, id).await?;
    if !p.can_write_org(&saved.org.org_path()) {
        return Err(StoreError::forbidden("不能修改本人管理范围以外的报告"));
    }
    let blanks = count_blanks(&saved.generated.doc);
    if let Some(i) = fills.keys().find(|i| **i >= blanks) {
        return Err(DomainError::field("fills", format!("第{}处待填写内容不存在（本报告共{blanks}处）", i + 1)).into());
    }
    let fills: BTreeMap<usize, String> = fills.into_iter().map(|(k, v)| (k, v.trim().to_owned())).filter(|(_, v)| !v.is_empty()).collect();
    let text = serde_json::to_string(&fills).map_err(|e| StoreError::Io(e.to_string()))?;
    let mut tx = store.db.begin().await?;
    tx.exec("UPDATE reports SET fills = $1, updated_at = $2 WHERE id = $3", args![text.clone(), now_ms(), id]).await?;
    let detail = format!("填写报告{}处待填写内容", fills.len());
    audit::append(&mut tx, actor, "report.fill", "report", id, digest(Some(&saved.row.fills)), digest(Some(&text)), &detail).await?;
    tx.commit().await?;
    Ok(())
}

fn count_blanks(doc: &Document) -> usize {
    use dangwu_domain::report::{Block, Span};
    let n = |s: &[Span]| s.iter().filter(|x| matches!(x, Span::Blank { .. })).count();
    n(&doc.title)
        + doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { spans, .. } => n(spans),
                Block::Para { lead, spans } => lead.as_ref().map_or(0, |l| n(&l.spans)) + n(spans),
                Block::Date { .. } => 0,
            })
            .sum::<usize>()
}

/// One fact that differs between a saved report and the records now.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    pub name: String,
    pub before: String,
    pub after: String,
    pub records_added: usize,
    pub records_removed: usize,
}

fn text_of(f: Option<&Fact>) -> String {
    match f.map(|f| &f.value) {
        None => "（无）".into(),
        Some(FactValue::Bool(b)) => (if *b { "是" } else { "否" }).into(),
        Some(v) => value_text(v),
    }
}

/// What changed in the facts a saved report used, against `now` (recomputed from the records).
pub fn diff(saved: &FactSet, now: &FactSet) -> Vec<Change> {
    let mut names: Vec<&str> = saved.iter().map(|f| f.name.as_str()).chain(now.iter().map(|f| f.name.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter(|n| *n != REPORT_DATE)
        .filter_map(|n| {
            let (a, b) = (saved.get(n), now.get(n));
            if a == b {
                return None;
            }
            let ra: std::collections::HashSet<&RecordRef> = a.map(|f| f.records.iter().collect()).unwrap_or_default();
            let rb: std::collections::HashSet<&RecordRef> = b.map(|f| f.records.iter().collect()).unwrap_or_default();
            Some(Change {
                name: n.to_owned(),
                before: text_of(a),
                after: text_of(b),
                records_added: rb.difference(&ra).count(),
                records_removed: ra.difference(&rb).count(),
            })
        })
        .collect()
}

/// Recomputes the saved report's facts from the records now and lists what changed.
pub async fn changes(store: &Store, p: &Principal, id: &str) -> Result<(Saved, Vec<Change>), StoreError> {
    let saved = get(store, p, id).await?;
    let scope = FactScope { root: saved.org.clone(), period: saved.generated.period };
    let now = facts::collect(store, &scope).await?;
    let d = diff(&saved.generated.facts, &now);
    Ok((saved, d))
}
