//! Delegate nominations (代表推选): an election over a set of orgs, each eligible member marked
//! informed (知晓) and took part (参与). Eligibility and rates come from the roster on the closing
//! day (member_org_history) — never typed in. One SQL definition of the eligible roster serves
//! the member list and a grouped count, for any number of elections in one statement.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::community::{Ballots, ElectionInput, Mark, Rates, mark};
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;
use std::collections::HashMap;

use crate::audit::{self, Actor, digest};
use crate::db::{Arg, now_ms};
use crate::orgs::{self, Org, check_write};
use crate::scope::org_condition;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Election {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub note: Option<String>,
    pub ballots: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

impl Election {
    pub fn ballots(&self) -> Option<Ballots> {
        self.ballots.as_deref().and_then(|b| serde_json::from_str(b).ok())
    }
}

/// One eligible member with their marks.
#[derive(Debug, Clone, Serialize)]
pub struct MemberMark {
    pub member_id: String,
    pub name: String,
    pub org_id: String,
    pub mark: Mark,
    pub recommended: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElectionDetail {
    pub election: Election,
    pub targets: Vec<Org>,
    /// Per target org holding eligible members, in tree order.
    pub per_org: Vec<Rates>,
    pub total: Rates,
    pub members: Vec<MemberMark>,
}

/// An election with its rates, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct ElectionRates {
    pub election: Election,
    pub targets: Vec<Org>,
    pub per_org: Vec<Rates>,
    pub total: Rates,
}

impl From<ElectionDetail> for ElectionRates {
    fn from(d: ElectionDetail) -> Self {
        ElectionRates { election: d.election, targets: d.targets, per_org: d.per_org, total: d.total }
    }
}

/// One member's marks as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkInput {
    pub member_id: String,
    pub informed: bool,
    pub took_part: bool,
    pub recommended: String,
}

pub async fn create(store: &Store, p: &Principal, actor: &Actor, input: &ElectionInput) -> Result<Election, StoreError> {
    let d = input.validate()?;
    let organiser = orgs::get(store, p, d.org_id).await?;
    check_write(p, &organiser)?;
    for t in &d.org_ids {
        let o = orgs::find(store, *t).await?.ok_or_else(|| DomainError::field("org_ids", "参加推选的党组织不存在"))?;
        if !organiser.org_path().contains(&o.org_path()) {
            return Err(DomainError::field("org_ids", format!("“{}”不在“{}”之下，不能列为参加推选的党组织", o.name, organiser.name)).into());
        }
    }
    let id = dangwu_domain::ids::new_row_id();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO elections (id, org_id, title, opens_on, closes_on, note, ballots, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)",
        args![id.clone(), d.org_id, d.title.clone(), d.opens_on, d.closes_on, d.note.clone(), actor.0.clone(), now_ms()],
    )
    .await?;
    for t in &d.org_ids {
        tx.exec("INSERT INTO election_orgs (election_id, org_id) VALUES ($1, $2)", args![id.clone(), *t]).await?;
    }
    let e: Election = tx.opt("SELECT * FROM elections WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("代表推选"))?;
    audit::append(&mut tx, actor, "election.create", "election", &id, String::new(), digest(Some(&(&e, &d))), &e.title).await?;
    tx.commit().await?;
    Ok(e)
}

/// Elections organised within the principal's scope (a member: those they are eligible in), newest first.
pub async fn list(store: &Store, p: &Principal) -> Result<Vec<(Election, i64)>, StoreError> {
    let (cond, a) = match p.member_id.filter(|_| p.role == dangwu_domain::auth::Role::Member) {
        Some(m) => ("e.id IN (SELECT election_id FROM election_marks WHERE member_id = $1)".to_owned(), args![m]),
        None => org_condition(&p.visibility(), 1),
    };
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        e: Election,
        targets: i64,
    }
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT e.*, (SELECT COUNT(*) FROM election_orgs t WHERE t.election_id = e.id) AS targets \
                 FROM elections e JOIN orgs o ON o.id = e.org_id WHERE {cond} ORDER BY e.closes_on DESC, e.title"
            ),
            a,
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.e, r.targets)).collect())
}

async fn load(store: &Store, p: &Principal, id: &str) -> Result<(Election, Org, Vec<Org>), StoreError> {
    let e: Election = store.db.read().opt("SELECT * FROM elections WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("代表推选"))?;
    let organiser = orgs::find(store, OrgId::parse(&e.org_id)?).await?.ok_or(StoreError::NotFound("代表推选"))?;
    let targets: Vec<Org> = store
        .db
        .read()
        .all("SELECT o.* FROM orgs o JOIN election_orgs t ON t.org_id = o.id WHERE t.election_id = $1 ORDER BY o.path", args![id])
        .await?;
    let member_sees = match p.member_id {
        Some(m) if p.role == dangwu_domain::auth::Role::Member => {
            store.db.read().scalar::<i64>("SELECT COUNT(*) FROM election_marks WHERE election_id = $1 AND member_id = $2", args![id, m]).await? > 0
        }
        _ => false,
    };
    if !p.can_read_org(&organiser.org_path()) && !member_sees {
        return Err(StoreError::NotFound("代表推选"));
    }
    Ok((e, organiser, targets))
}

/// `col IN ($first, …)` for the given ids.
fn in_list(col: &str, ids: &[String], first: usize) -> (String, Vec<Arg>) {
    let marks: Vec<String> = (first..first + ids.len()).map(|i| format!("${i}")).collect();
    (format!("{col} IN ({})", marks.join(", ")), ids.iter().map(Arg::from).collect())
}

/// `WITH eligible(election_id, member_id, org_id)`: the members eligible in each listed election on
/// its closing day. A history span counts if it covers the closing day, the member had joined by
/// then, and their status on that day (full once `full_on` has passed, else probationary) is one
/// the rulebook admits; so a member moving in mid-campaign counts and one moving out does not.
/// Each member counts once, under the deepest target org holding their org (targets may nest).
fn eligible_cte(store: &Store, ids: &[String]) -> (String, Vec<Arg>) {
    let st = &store.community.nomination.eligible_statuses;
    let full = "(m.full_on IS NOT NULL AND m.full_on <= e.closes_on)";
    let status = match (st.iter().any(|s| s == "full"), st.iter().any(|s| s == "probationary")) {
        (true, true) => "1 = 1".to_owned(),
        (true, false) => full.to_owned(),
        (false, true) => format!("NOT {full}"),
        (false, false) => "1 = 0".to_owned(),
    };
    let (within, a) = in_list("t.election_id", ids, 1);
    let sql = format!(
        "WITH span AS (\
           SELECT t.election_id, h.member_id, t.org_id, \
             ROW_NUMBER() OVER (PARTITION BY t.election_id, h.member_id ORDER BY length(tp.path) DESC, h.from_date DESC) AS rn \
           FROM election_orgs t JOIN elections e ON e.id = t.election_id JOIN orgs tp ON tp.id = t.org_id \
           JOIN orgs mo ON mo.path >= tp.path AND mo.path < substr(tp.path, 1, length(tp.path) - 1) || '0' \
           JOIN member_org_history h ON h.org_id = mo.id JOIN members m ON m.id = h.member_id \
           WHERE {within} AND h.from_date <= e.closes_on AND (h.to_date IS NULL OR h.to_date > e.closes_on) \
             AND m.joined_on <= e.closes_on AND {status}), \
         eligible AS (SELECT election_id, member_id, org_id FROM span WHERE rn = 1) "
    );
    (sql, a)
}

/// Per election, per target org: eligible, informed and took-part counts — one grouped statement
/// for all `ids`, orgs in tree order, and the total.
pub async fn rates_of(store: &Store, ids: &[String]) -> Result<HashMap<String, (Vec<Rates>, Rates)>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let (cte, a) = eligible_cte(store, ids);
    #[derive(sqlx::FromRow)]
    struct Row {
        election_id: String,
        org_id: String,
        eligible: i64,
        informed: i64,
        took_part: i64,
    }
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            &format!(
                "{cte}SELECT el.election_id, el.org_id, COUNT(*) AS eligible, \
                   SUM(CASE WHEN k.informed THEN 1 ELSE 0 END) AS informed, SUM(CASE WHEN k.took_part THEN 1 ELSE 0 END) AS took_part \
                 FROM eligible el JOIN orgs o ON o.id = el.org_id \
                 LEFT JOIN election_marks k ON k.election_id = el.election_id AND k.member_id = el.member_id \
                 GROUP BY el.election_id, el.org_id, o.path ORDER BY el.election_id, o.path"
            ),
            a,
        )
        .await?;
    let mut per: HashMap<String, Vec<Rates>> = ids.iter().map(|i| (i.clone(), Vec::new())).collect();
    for r in rows {
        per.entry(r.election_id).or_default().push(Rates { org_id: r.org_id, eligible: r.eligible, informed: r.informed, took_part: r.took_part });
    }
    Ok(per
        .into_iter()
        .map(|(id, v)| {
            let t = Rates::total(&v);
            (id, (v, t))
        })
        .collect())
}

/// One eligible member of an election with their marks.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterMark {
    pub election_id: String,
    pub member_id: String,
    pub name: String,
    pub org_id: String,
    pub informed: Option<bool>,
    pub took_part: Option<bool>,
    pub recommended: Option<String>,
}

/// The eligible members of all `ids` with their marks, in one query.
pub async fn roster(store: &Store, ids: &[String]) -> Result<Vec<RosterMark>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (cte, a) = eligible_cte(store, ids);
    store
        .db
        .read()
        .all(
            &format!(
                "{cte}SELECT el.election_id, el.member_id, m.name, el.org_id, k.informed, k.took_part, k.recommended \
                 FROM eligible el JOIN members m ON m.id = el.member_id JOIN orgs o ON o.id = el.org_id \
                 LEFT JOIN election_marks k ON k.election_id = el.election_id AND k.member_id = el.member_id \
                 ORDER BY el.election_id, o.path, el.member_id"
            ),
            a,
        )
        .await
}

/// The target orgs of all `ids` (election id, org), in tree order.
pub async fn targets_of(store: &Store, ids: &[String]) -> Result<Vec<(String, Org)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        election_id: String,
        #[sqlx(flatten)]
        org: Org,
    }
    let (within, a) = in_list("t.election_id", ids, 1);
    let rows: Vec<Row> =
        store.db.read().all(&format!("SELECT t.election_id, o.* FROM orgs o JOIN election_orgs t ON t.org_id = o.id WHERE {within} ORDER BY o.path"), a).await?;
    Ok(rows.into_iter().map(|r| (r.election_id, r.org)).collect())
}

/// The listed elections with their targets and rates, in a fixed number of queries.
pub async fn list_rates(store: &Store, p: &Principal) -> Result<Vec<ElectionRates>, StoreError> {
    let list = list(store, p).await?;
    let ids: Vec<String> = list.iter().map(|(e, _)| e.id.clone()).collect();
    let mut targets: HashMap<String, Vec<Org>> = HashMap::new();
    for (e, o) in targets_of(store, &ids).await? {
        targets.entry(e).or_default().push(o);
    }
    let mut rates = rates_of(store, &ids).await?;
    Ok(list
        .into_iter()
        .map(|(election, _)| {
            let (per_org, total) = rates.remove(&election.id).unwrap_or_default();
            ElectionRates { targets: targets.remove(&election.id).unwrap_or_default(), election, per_org, total }
        })
        .collect())
}

pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<ElectionDetail, StoreError> {
    let (election, _, targets) = load(store, p, id).await?;
    let ids = [election.id.clone()];
    let (per_org, total) = rates_of(store, &ids).await?.remove(&election.id).unwrap_or_default();
    let mut members: Vec<MemberMark> = roster(store, &ids)
        .await?
        .into_iter()
        .map(|r| MemberMark {
            member_id: r.member_id,
            name: r.name,
            org_id: r.org_id,
            mark: Mark { informed: r.informed.unwrap_or(false), took_part: r.took_part.unwrap_or(false) },
            recommended: r.recommended,
        })
        .collect();
    let order: HashMap<&str, usize> = targets.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    members.sort_by(|a, b| (order.get(a.org_id.as_str()), &a.name).cmp(&(order.get(b.org_id.as_str()), &b.name)));
    if p.role == dangwu_domain::auth::Role::Member {
        let me = p.member_id.map(|m| m.to_string());
        members.retain(|x| Some(&x.member_id) == me.as_ref());
    }
    Ok(ElectionDetail { election, targets, per_org, total, members })
}

/// Records the marks of several members at once: every member must be eligible, or nothing is written.
pub async fn set_marks(store: &Store, p: &Principal, actor: &Actor, id: &str, input: &[MarkInput]) -> Result<usize, StoreError> {
    let (election, organiser, _) = load(store, p, id).await?;
    check_write(p, &organiser)?;
    let elig: HashMap<String, String> = roster(store, std::slice::from_ref(&election.id)).await?.into_iter().map(|r| (r.member_id, r.name)).collect();
    let mut rows = Vec::new();
    let mut errs = Vec::new();
    for (i, m) in input.iter().enumerate() {
        let n = i + 1;
        let Ok(mid) = MemberId::parse(m.member_id.trim()) else {
            errs.push(dangwu_domain::FieldError::new("member_id", format!("第{n}条：党员编号“{}”无效", m.member_id.trim())));
            continue;
        };
        let key = mid.to_string();
        let Some(name) = elig.get(&key) else {
            let who = visible_name(store, p, &key).await?.unwrap_or_else(|| format!("第{n}条的党员"));
            errs.push(dangwu_domain::FieldError::new(
                "member_id",
                format!("{who}不是本次推选的参加对象（截至{}不在参加推选的党组织中，或不属于可参加的党员）", election.closes_on),
            ));
            continue;
        };
        match mark(m.informed, m.took_part, name) {
            Ok(mk) => rows.push((key, mk, Some(m.recommended.trim().to_owned()).filter(|s| !s.is_empty()))),
            Err(DomainError::Invalid(v)) => errs.extend(v),
            Err(e) => return Err(e.into()),
        }
    }
    if !errs.is_empty() {
        return Err(DomainError::Invalid(errs).into());
    }
    let mut tx = store.db.begin().await?;
    let now = now_ms();
    for (m, mk, rec) in &rows {
        tx.exec(
            "INSERT INTO election_marks (election_id, member_id, informed, took_part, recommended, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (election_id, member_id) DO UPDATE SET informed = excluded.informed, took_part = excluded.took_part, \
             recommended = excluded.recommended, updated_at = excluded.updated_at",
            args![id, m.as_str(), mk.informed, mk.took_part, rec.clone(), now],
        )
        .await?;
    }
    audit::append(&mut tx, actor, "election.marks", "election", id, String::new(), digest(Some(&rows)), &format!("{}人", rows.len())).await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Marks every eligible member at once (e.g. all informed and taking part after a meeting).
pub async fn mark_all(store: &Store, p: &Principal, actor: &Actor, id: &str, informed: bool, took_part: bool) -> Result<usize, StoreError> {
    let (election, _, _) = load(store, p, id).await?;
    let input: Vec<MarkInput> = roster(store, &[election.id])
        .await?
        .into_iter()
        .map(|r| MarkInput { member_id: r.member_id, informed, took_part, recommended: String::new() })
        .collect();
    set_marks(store, p, actor, id, &input).await
}

/// A refused member's name for the message, if the principal may see them.
async fn visible_name(store: &Store, p: &Principal, member_id: &str) -> Result<Option<String>, StoreError> {
    let (cond, mut a) = crate::scope::member_condition(&p.visibility(), 2);
    a.insert(0, Arg::from(member_id));
    let row: Option<(String,)> =
        store.db.read().opt(&format!("SELECT m.name FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = $1 AND {cond}"), a).await?;
    Ok(row.map(|r| r.0))
}

/// Optional paper-ballot counts.
pub async fn set_ballots(store: &Store, p: &Principal, actor: &Actor, id: &str, b: &Ballots) -> Result<(), StoreError> {
    let (before, organiser, _) = load(store, p, id).await?;
    check_write(p, &organiser)?;
    b.check()?;
    let mut tx = store.db.begin().await?;
    tx.exec("UPDATE elections SET ballots = $1 WHERE id = $2", args![serde_json::to_string(b).expect("ballots"), id]).await?;
    audit::append(&mut tx, actor, "election.ballots", "election", id, digest(Some(&before)), digest(Some(b)), &before.title).await?;
    tx.commit().await?;
    Ok(())
}
