//! 廉政风险点 whose review cycle has lapsed, for the 工作台: like overdue ledger items, within the
//! principal's scope. A review is any result recorded on the risk point (a 排查 campaign's).

use chrono::{DateTime, NaiveDate};
use dangwu_domain::auth::Principal;
use dangwu_domain::supervision::review_due;
use serde::Serialize;

use crate::scope::org_condition;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueReview {
    pub register_id: String,
    pub name: String,
    pub org_name: String,
    pub last_review: Option<NaiveDate>,
    pub due: NaiveDate,
    /// Days past `due`.
    pub days: i64,
}

/// Risk points with a review cycle in scope whose next review lies before `today`, most overdue first.
pub async fn overdue(store: &Store, p: &Principal, today: NaiveDate) -> Result<Vec<OverdueReview>, StoreError> {
    let (cond, a) = org_condition(&p.visibility(), 1);
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        name: String,
        org_name: String,
        review_cycle_days: i64,
        created_at: i64,
        last_review: Option<NaiveDate>,
    }
    let sql = format!(
        "SELECT r.id, r.name, o.name AS org_name, r.review_cycle_days, r.created_at, \
         (SELECT MAX(c.checked_on) FROM campaign_results c WHERE c.target_id = r.id) AS last_review \
         FROM registers r JOIN orgs o ON o.id = r.org_id WHERE r.kind = 'risk_point' AND r.review_cycle_days IS NOT NULL AND {cond}"
    );
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
    let mut out: Vec<OverdueReview> = rows
        .into_iter()
        .filter_map(|r| {
            let registered = DateTime::from_timestamp_millis(r.created_at)?.date_naive();
            let due = review_due(r.last_review, registered, r.review_cycle_days);
            (due < today).then(|| OverdueReview { register_id: r.id, name: r.name, org_name: r.org_name, last_review: r.last_review, due, days: (today - due).num_days() })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}
