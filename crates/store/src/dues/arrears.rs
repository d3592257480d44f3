//! Arrears (欠交党费): consecutive unpaid months up to the last month due, per member. A warning
//! at 3 months; at 6 a flag citing 党章 第九条 for the branch meeting to decide — a flag only:
//! nothing here changes a member's status. Two queries (members, payments) whatever the size.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::dues::{ArrearsLevel, arrears_level, consecutive_unpaid, months_between};
use dangwu_domain::OrgId;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

use super::{Ym, add_months, org_scope, ym_key, ym_of, ym_text};
use crate::db::Arg;
use crate::scope::{member_condition, org_condition};
use crate::{Store, StoreError};

/// 党章 第九条 第三款, quoted with the flag.
pub const ARTICLE_9: &str = "党章第九条：党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，\
就被认为是自行脱党。支部大会应当决定把这样的党员除名，并报上级党组织批准。";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberArrears {
    pub member_id: String,
    pub name: String,
    pub org_id: String,
    pub org_name: String,
    /// Consecutive unpaid months up to the last month due.
    pub unpaid_months: u32,
    pub level: ArrearsLevel,
    /// First unpaid month of the run ("2022-10").
    pub since: String,
    /// Last month paid before the run, if any.
    pub last_paid: Option<String>,
    /// What the branch should do, in Chinese.
    pub note: String,
    /// Set with the flag: 党章 第九条.
    pub citation: Option<String>,
}

/// Members of the org subtree (or everyone the principal may see) with unpaid months as of
/// `as_of`, longest run first. Months count from joining, and only from the member's first
/// dues record (verification or payment): months before the records began are not arrears.
/// The last month due is the month before `as_of`'s (a month's dues may be paid within it).
pub async fn arrears(store: &Store, p: &Principal, org_id: Option<OrgId>, as_of: NaiveDate) -> Result<Vec<MemberArrears>, StoreError> {
    let (cond, mut a): (String, Vec<Arg>) = match org_id {
        Some(id) => {
            let (_, c, a) = org_scope(store, p, id, 1).await?;
            (c, a)
        }
        None => org_condition(&p.visibility(), 1),
    };
    let (mcond, ma) = member_condition(&p.visibility(), a.len() + 1);
    a.extend(ma);
    let last_due = add_months(ym_of(as_of), -1);
    let n = a.len();
    a.push(ym_key(last_due).into());
    a.push(as_of.into());
    let where_ = format!("{cond} AND {mcond} AND m.status IN ('full', 'probationary')");
    #[derive(sqlx::FromRow)]
    struct M {
        id: String,
        name: String,
        org_id: String,
        org_name: String,
        joined_on: NaiveDate,
        first_verified: Option<i64>,
    }
    let members: Vec<M> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT m.id, m.name, m.org_id, o.name AS org_name, m.joined_on, \
                 (SELECT MIN(v.year * 100 + v.effective_month) FROM dues_verifications v WHERE v.member_id = m.id) AS first_verified \
                 FROM members m JOIN orgs o ON o.id = m.org_id WHERE {where_} ORDER BY o.path, m.name, m.id"
            ),
            a[..n].to_vec(),
        )
        .await?;
    #[derive(sqlx::FromRow)]
    struct P {
        member_id: String,
        first_paid: i64,
        last_paid: i64,
    }
    let paid: Vec<P> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT x.member_id, MIN(x.year * 100 + x.month) AS first_paid, MAX(x.year * 100 + x.month) AS last_paid \
                 FROM dues_payments x JOIN members m ON m.id = x.member_id JOIN orgs o ON o.id = m.org_id \
                 WHERE {where_} AND x.year * 100 + x.month <= ${} AND x.paid_on <= ${} GROUP BY x.member_id",
                n + 1,
                n + 2
            ),
            a,
        )
        .await?;
    let paid: HashMap<&str, &P> = paid.iter().map(|p| (p.member_id.as_str(), p)).collect();
    let rules = &store.dues;
    let from_key = |k: i64| -> Ym { ((k / 100) as i32, (k % 100) as u32) };
    let mut out = Vec::new();
    for m in &members {
        let pay = paid.get(m.id.as_str());
        let first_record = [m.first_verified, pay.map(|p| p.first_paid)].into_iter().flatten().min();
        let Some(first_record) = first_record else { continue };
        let start = ym_of(m.joined_on).max(from_key(first_record));
        if start > last_due {
            continue;
        }
        let due = months_between(start, last_due);
        let last_paid = pay.map(|p| from_key(p.last_paid));
        let paid_set: BTreeSet<Ym> = last_paid.into_iter().collect();
        let unpaid = consecutive_unpaid(&due, &paid_set);
        if unpaid == 0 {
            continue;
        }
        let level = arrears_level(rules, unpaid);
        let since = add_months(last_due, -(unpaid as i64 - 1));
        let (note, citation) = match level {
            ArrearsLevel::Flag => (
                format!("连续{unpaid}个月未交纳党费：请党支部了解原因；无正当理由的，提交支部大会讨论决定（系统不会自动改变党员状态）"),
                Some(ARTICLE_9.to_owned()),
            ),
            ArrearsLevel::Warning => (format!("连续{unpaid}个月未交纳党费：请提醒本人按时交纳，补交一般不超过{}个月", rules.back_payment_max_months), None),
            ArrearsLevel::None => (format!("{unpaid}个月未交纳"), None),
        };
        out.push(MemberArrears {
            member_id: m.id.clone(),
            name: m.name.clone(),
            org_id: m.org_id.clone(),
            org_name: m.org_name.clone(),
            unpaid_months: unpaid,
            level,
            since: ym_text(since),
            last_paid: last_paid.map(ym_text),
            note,
            citation,
        });
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.unpaid_months));
    Ok(out)
}
