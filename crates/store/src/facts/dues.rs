//! 党费: the year's base verification, what was collected and remitted in the period, and
//! whether every collecting org remitted in full by the deadline (按期足额).

use std::collections::{HashMap, HashSet};

use dangwu_domain::facts::{FactDoc, FactSet, FactValue, RecordRef};
use dangwu_domain::money::{Fen, apply_rate};
use dangwu_domain::period::Period;

use super::FactScope;
use crate::dues::remittance::deadline;
use crate::db::split_ids;
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "dues_members_verified", label: "已核定党费基数的党员数", doc: "子树内本年度党费基数已确认核定的党员" },
    FactDoc {
        name: "dues_verification_complete",
        label: "党费基数全部核定",
        doc: "期末在册党员都已确认本年度核定（条件）",
    },
    FactDoc { name: "dues_collected_fen", label: "收缴党费（元）", doc: "本期（按交纳日期）子树内收缴的党费，含自愿多交" },
    FactDoc { name: "dues_payments", label: "党费交纳笔数", doc: "本期交纳记录（党员·月）" },
    FactDoc { name: "dues_remitted_fen", label: "上缴党费（元）", doc: "子树内最上一级上缴单位为本期上缴的党费" },
    FactDoc {
        name: "dues_remitted_in_full",
        label: "按期足额上缴",
        doc: "本期每个收缴党费的党组织都在上缴期限前足额上缴（条件；按 dues.toml 的上缴比例和大额党费规定）",
    },
];

/// What one org collected in a period: the total, the large voluntary part (remitted in full),
/// and (when asked) the payments' ids, grouped so a city's quarter is a few thousand rows, not
/// 290,000.
#[derive(sqlx::FromRow)]
struct Collected {
    org_id: String,
    collected: i64,
    large: i64,
    ids: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Remit {
    id: String,
    org_id: String,
    path: String,
    amount_fen: i64,
    remitted_on: chrono::NaiveDate,
    period: String,
}

async fn collected(store: &Store, scope: &FactScope, p: Period, with_ids: bool) -> Result<Vec<Collected>, StoreError> {
    let (cond, mut a) = scope.subtree(1);
    a.push(p.start().into());
    a.push(p.end().into());
    let sql = format!(
        "SELECT x.org_id, CAST(SUM(x.amount_fen + x.voluntary_fen) AS BIGINT) AS collected, \
         CAST(SUM(CASE WHEN x.voluntary_fen >= {large} THEN x.voluntary_fen ELSE 0 END) AS BIGINT) AS large, {ids} AS ids \
         FROM dues_payments x JOIN orgs o ON o.id = x.org_id WHERE {cond} AND x.paid_on >= $3 AND x.paid_on <= $4 GROUP BY x.org_id",
        large = store.dues.large_voluntary.0,
        // The remittance periods of a longer report need only the sums.
        ids = if with_ids { store.db.backend().join_ids("x.id") } else { "CAST(NULL AS TEXT)".to_owned() },
    );
    store.db.read().all(&sql, a).await
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let mut r = store.db.read();
    let (cond, mut a) = scope.subtree(1);
    a.push(i64::from(scope.period.year()).into());
    a.push(scope.period.end().into());
    // The subtree's members, each probed for a confirmed verification (CROSS JOIN keeps SQLite
    // from scanning every year's verifications first); the ids come joined in one row.
    let verified: Option<(Option<String>,)> = r
        .opt(
            &format!(
                "SELECT {ids} FROM orgs o CROSS JOIN members m WHERE m.org_id = o.id AND {cond} \
                 AND m.status IN ('full', 'probationary') AND m.joined_on <= $4 AND EXISTS (SELECT 1 FROM dues_verifications v \
                 WHERE v.member_id = m.id AND v.year = $3 AND v.status = 'confirmed')",
                ids = store.db.backend().join_ids("m.id"),
            ),
            a,
        )
        .await?;
    let verified: Vec<RecordRef> = split_ids(verified.and_then(|(s,)| s).as_deref()).map(|id| RecordRef::new("member", id)).collect();
    // A set: a city has 100,000 members, and a scan of `verified` per member was quadratic.
    let is_verified: HashSet<&RecordRef> = verified.iter().collect();
    let complete = out.get("members_total").is_some_and(|f| !f.records.is_empty() && f.records.iter().all(|m| is_verified.contains(m)));
    out.insert("dues_verification_complete", FactValue::Bool(complete), verified.clone());
    out.count("dues_members_verified", verified);

    // Remittances are per remittance period (quarters by default); a longer report period
    // covers each of its remittance periods.
    let periods: Vec<Period> = if scope.period.granularity() == store.dues.remit_period {
        vec![scope.period]
    } else {
        scope.period.split(store.dues.remit_period)
    };
    let in_period = collected(store, scope, scope.period, true).await?;
    let pay_refs: Vec<RecordRef> =
        in_period.iter().flat_map(|c| split_ids(c.ids.as_deref()).map(|id| RecordRef::new("dues_payment", id))).collect();
    let total: i64 = in_period.iter().map(|c| c.collected).sum();
    out.insert("dues_collected_fen", FactValue::Money(Fen(total)), pay_refs.clone());
    out.count("dues_payments", pay_refs);

    let (cond, a) = scope.subtree(1);
    let rems: Vec<Remit> = r
        .all(
            &format!(
                "SELECT x.id, x.org_id, o.path, x.amount_fen, x.remitted_on, x.period FROM dues_remittances x JOIN orgs o ON o.id = x.org_id \
                 WHERE {cond} ORDER BY o.path, x.remitted_on, x.id"
            ),
            a,
        )
        .await?;
    let names: Vec<String> = periods.iter().map(Period::to_string).collect();
    let rems: Vec<&Remit> = rems.iter().filter(|x| names.contains(&x.period)).collect();
    // What the top remitting orgs (no remitting ancestor inside the subtree) sent upward.
    let paths: HashSet<&str> = rems.iter().map(|x| x.path.as_str()).collect();
    let top: Vec<&&Remit> = rems.iter().filter(|x| !has_ancestor_in(&x.path, &paths)).collect();
    let remitted: i64 = top.iter().map(|x| x.amount_fen).sum();
    out.insert("dues_remitted_fen", FactValue::Money(Fen(remitted)), top.iter().map(|x| RecordRef::new("dues_remittance", x.id.clone())).collect());

    // 按期足额: each org that collected owes its collection × ratio (large voluntary payments in
    // full), remitted by the period's deadline.
    let rules = &store.dues;
    let mut in_full = !in_period.is_empty() && !periods.is_empty();
    for p in &periods {
        let owed = if *p == scope.period { None } else { Some(collected(store, scope, *p, false).await?) };
        let due = deadline(*p);
        let mut sent: HashMap<&str, i64> = HashMap::new();
        for x in rems.iter().filter(|x| x.period == p.to_string() && x.remitted_on <= due) {
            *sent.entry(x.org_id.as_str()).or_default() += x.amount_fen;
        }
        for c in owed.as_ref().unwrap_or(&in_period) {
            let need = apply_rate(Fen(c.collected - c.large), rules.remit_ratio, rules.rounding) + Fen(c.large);
            if Fen(sent.get(c.org_id.as_str()).copied().unwrap_or(0)) < need {
                in_full = false;
            }
        }
    }
    out.insert("dues_remitted_in_full", FactValue::Bool(in_full), rems.iter().map(|x| RecordRef::new("dues_remittance", x.id.clone())).collect());
    Ok(())
}

/// Whether a proper ancestor of the org at `path` (`/a/b/c/` has `/a/` and `/a/b/`) is in `paths`.
fn has_ancestor_in(path: &str, paths: &HashSet<&str>) -> bool {
    path[..path.len().saturating_sub(1)].match_indices('/').any(|(i, _)| paths.contains(&path[..=i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ancestor_is_a_shorter_path_prefix_at_a_slash() {
        let paths: HashSet<&str> = ["/a/", "/a/b/", "/ab/"].into_iter().collect();
        assert!(has_ancestor_in("/a/b/", &paths));
        assert!(has_ancestor_in("/a/b/c/", &paths));
        assert!(!has_ancestor_in("/a/", &paths), "an org is not its own ancestor");
        assert!(!has_ancestor_in("/abc/", &paths), "/ab/ is a string prefix, not an ancestor");
        assert!(!has_ancestor_in("/x/", &paths));
    }
}
