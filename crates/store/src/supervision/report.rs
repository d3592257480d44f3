//! 对账 and the draft 整改情况报告 of a ledger, and the overdue and due-soon items for 工作台.

use chrono::{Days, NaiveDate};
use dangwu_domain::auth::Principal;
use dangwu_domain::date::format_cn;
use dangwu_domain::supervision::{LedgerLine, LedgerStatus, ListLine, Reconciliation};
use serde::Serialize;

use super::{Item, get};
use crate::scope::org_condition;
use crate::{Store, StoreError};

/// The ledger (the items the principal sees) against the inspector's list.
pub async fn reconcile(store: &Store, p: &Principal, ledger_id: &str, list: &[ListLine]) -> Result<Reconciliation, StoreError> {
    let d = get(store, p, ledger_id).await?;
    let lines: Vec<LedgerLine> = d.items.iter().map(|i| LedgerLine { id: i.id.clone(), no: i.no, title: i.title.clone(), status: i.status() }).collect();
    Ok(dangwu_domain::supervision::reconcile(list, &lines))
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportLine {
    pub item_id: String,
    pub no: i64,
    pub title: String,
    pub department: String,
    pub category: String,
    pub status: String,
    pub status_label: String,
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    pub closed_on: Option<NaiveDate>,
}

/// The draft 整改情况报告: totals, the report deadline and each item's status.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ledger_id: String,
    pub title: String,
    pub org_name: String,
    pub as_of: NaiveDate,
    pub feedback_on: NaiveDate,
    pub deadline: NaiveDate,
    pub deadline_citation: String,
    pub total: i64,
    pub closed: i64,
    pub in_progress: i64,
    pub overdue: i64,
    /// Closed / total, kept as parts.
    pub rate: (i64, i64),
    pub lines: Vec<ReportLine>,
    /// The draft text; the words no record gives are 【待填写】.
    pub text: String,
}

impl Report {
    /// "66.7%" (one decimal, half up); "—" for an empty ledger.
    pub fn rate_text(&self) -> String {
        let (n, d) = self.rate;
        if d == 0 {
            return "—".into();
        }
        let per_mille = (n * 2000 + d) / (2 * d);
        format!("{}.{}%", per_mille / 10, per_mille % 10)
    }
}

pub async fn report(store: &Store, p: &Principal, ledger_id: &str, as_of: NaiveDate) -> Result<Report, StoreError> {
    let d = get(store, p, ledger_id).await?;
    let book = &store.supervision;
    let rule = book.report_deadline();
    let l = &d.ledger;
    let lines: Vec<ReportLine> = d
        .items
        .iter()
        .map(|i| ReportLine {
            item_id: i.id.clone(),
            no: i.no,
            title: i.title.clone(),
            department: i.department.clone(),
            category: book.category_label(&i.category).to_owned(),
            status: i.status.clone(),
            status_label: book.status_label(i.status()).to_owned(),
            next_due: i.next_due(l.feedback_on),
            overdue: i.overdue(l.feedback_on, as_of),
            closed_on: i.closed_on,
        })
        .collect();
    let total = lines.len() as i64;
    let closed = d.items.iter().filter(|i| i.status() == LedgerStatus::Closed).count() as i64;
    let overdue = lines.iter().filter(|x| x.overdue).count() as i64;
    let mut r = Report {
        ledger_id: l.id.clone(),
        title: l.title.clone(),
        org_name: d.org.name.clone(),
        as_of,
        feedback_on: l.feedback_on,
        deadline: rule.due(l.feedback_on),
        deadline_citation: rule.citation(),
        total,
        closed,
        in_progress: total - closed,
        overdue,
        rate: (closed, total),
        lines,
        text: String::new(),
    };
    r.text = draft_text(&r, &l.source);
    Ok(r)
}

fn draft_text(r: &Report, source: &str) -> String {
    let source = if source.trim().is_empty() { "巡察组".to_owned() } else { source.trim().to_owned() };
    let mut out = vec![
        format!("关于{source}反馈问题整改情况的报告（草稿）"),
        String::new(),
        format!(
            "{}收到{source}反馈意见后，对照反馈问题逐项建立整改台账，每周调度各科室、直属单位整改进展，实行“对账销号”。截至{}，反馈问题共{}个，已整改销号{}个，正在整改{}个，其中超期{}个，整改完成率{}。",
            format_cn(r.feedback_on), format_cn(r.as_of), r.total, r.closed, r.in_progress, r.overdue, r.rate_text()
        ),
        format!("按照{}，整改情况报告应于{}前报送。", r.deadline_citation, format_cn(r.deadline)),
        String::new(),
        "一、整改工作开展情况".into(),
        "【待填写】".into(),
        "二、反馈问题整改落实情况".into(),
    ];
    for x in &r.lines {
        let when = match (x.closed_on, x.next_due) {
            (Some(c), _) => format!("，{}销号", format_cn(c)),
            (None, Some(d)) if x.overdue => format!("，应于{}完成，已超期", format_cn(d)),
            (None, Some(d)) => format!("，时限{}", format_cn(d)),
            _ => String::new(),
        };
        out.push(format!("{}. {}（{}，{}）：{}{when}。", x.no, x.title, x.department, x.category, x.status_label));
    }
    out.extend(["三、下一步工作打算".into(), "【待填写】".into()]);
    out.join("\n")
}

/// An open item that is overdue or falls due within the window, for 工作台.
#[derive(Debug, Clone, Serialize)]
pub struct DueItem {
    pub item_id: String,
    pub ledger_title: String,
    pub no: i64,
    pub title: String,
    pub org_name: String,
    pub due: NaiveDate,
    pub overdue: bool,
    pub days: i64,
}

/// Open items in the principal's scope that are overdue or fall due within `days`: one query.
pub async fn due_soon(store: &Store, p: &Principal, today: NaiveDate, days: u64) -> Result<Vec<DueItem>, StoreError> {
    let (cond, a) = org_condition(&p.visibility(), 1);
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        item: Item,
        ledger_title: String,
        feedback_on: NaiveDate,
        org_name: String,
    }
    let sql = format!(
        "SELECT i.*, l.title AS ledger_title, l.feedback_on, o.name AS org_name FROM ledger_items i \
         JOIN ledgers l ON l.id = i.ledger_id JOIN orgs o ON o.id = i.org_id WHERE i.status <> 'closed' AND {cond} ORDER BY i.ledger_id, i.no"
    );
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
    let horizon = today + Days::new(days);
    let mut out: Vec<DueItem> = rows
        .into_iter()
        .filter_map(|r| {
            let due = r.item.next_due(r.feedback_on).filter(|d| *d <= horizon)?;
            Some(DueItem {
                item_id: r.item.id,
                ledger_title: r.ledger_title,
                no: r.item.no,
                title: r.item.title,
                org_name: r.org_name,
                due,
                overdue: due < today,
                days: (due - today).num_days(),
            })
        })
        .collect();
    out.sort_by_key(|d| d.due);
    Ok(out)
}
