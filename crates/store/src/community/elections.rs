//! Delegate nominations (代表推选): an election over a set of orgs, each eligible member marked
//! informed (知晓) and took part (参与). Eligibility and rates come from the roster on the closing
//! day (member_org_history), computed with one query over all target subtrees — never typed in.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::community::{Ballots, ElectionInput, Mark, Rates, RosterSpan, eligible_on, mark, rates};
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    /// Per target org, in tree order.
    pub per_org: Vec<Rates>,
    pub total: Rates,
    pub members: Vec<MemberMark>,
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

/// Eligible members on `on`: one query over the history rows of all target subtrees; each member
/// counts under the deepest target org holding their org.
async fn eligible(store: &Store, targets: &[Org], on: NaiveDate) -> Result<(BTreeMap<String, String>, HashMap<String, String>), StoreError> {
    if targets.is_empty() {
        return Ok(Default::default());
    }
    let mut conds = Vec::new();
    let mut a: Vec<Arg> = Vec::new();
    for t in targets {
        let (c, more) = crate::scope::subtree(&t.org_path(), a.len() + 1);
        conds.push(format!("({c})"));
        a.extend(more);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        member_id: String,
        name: String,
        path: String,
        from_date: NaiveDate,
        to_date: Option<NaiveDate>,
        joined_on: NaiveDate,
        full_on: Option<NaiveDate>,
    }
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT h.member_id, m.name, o.path, h.from_date, h.to_date, m.joined_on, m.full_on FROM member_org_history h \
                 JOIN members m ON m.id = h.member_id JOIN orgs o ON o.id = h.org_id WHERE {}",
                conds.join(" OR ")
            ),
            a,
        )
        .await?;
    let mut names = HashMap::new();
    let spans: Vec<RosterSpan> = rows
        .into_iter()
        .filter_map(|r| {
            let path = dangwu_domain::org::OrgPath::parse(&r.path).ok()?;
            let target = targets.iter().filter(|t| t.org_path().contains(&path)).max_by_key(|t| t.depth())?;
            names.insert(r.member_id.clone(), r.name);
            Some(RosterSpan { member_id: r.member_id, org_id: target.id.clone(), from: r.from_date, to: r.to_date, joined_on: r.joined_on, full_on: r.full_on })
        })
        .collect();
    Ok((eligible_on(&spans, on, &store.community.nomination.eligible_statuses), names))
}

pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<ElectionDetail, StoreError> {
    let (election, _, targets) = load(store, p, id).await?;
    let (elig, names) = eligible(store, &targets, election.closes_on).await?;
    #[derive(sqlx::FromRow)]
    struct M {
        member_id: String,
        informed: bool,
        took_part: bool,
        recommended: Option<String>,
    }
    let marks: Vec<M> =
        store.db.read().all("SELECT member_id, informed, took_part, recommended FROM election_marks WHERE election_id = $1", args![id]).await?;
    let by: HashMap<String, (Mark, Option<String>)> =
        marks.into_iter().map(|m| (m.member_id, (Mark { informed: m.informed, took_part: m.took_part }, m.recommended))).collect();
    let plain: HashMap<String, Mark> = by.iter().map(|(k, v)| (k.clone(), v.0)).collect();
    let (mut per_org, total) = rates(&elig, &plain);
    let order: HashMap<&str, usize> = targets.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    per_org.sort_by_key(|r| order.get(r.org_id.as_str()).copied().unwrap_or(usize::MAX));
    let mut members: Vec<MemberMark> = elig
        .iter()
        .map(|(m, org)| {
            let (mk, rec) = by.get(m).cloned().unwrap_or_default();
            MemberMark { member_id: m.clone(), name: names.get(m).cloned().unwrap_or_default(), org_id: org.clone(), mark: mk, recommended: rec }
        })
        .collect();
    members.sort_by(|a, b| (order.get(a.org_id.as_str()), &a.name).cmp(&(order.get(b.org_id.as_str()), &b.name)));
    if p.role == dangwu_domain::auth::Role::Member {
        let me = p.member_id.map(|m| m.to_string());
        members.retain(|x| Some(&x.member_id) == me.as_ref());
    }
    Ok(ElectionDetail { election, targets, per_org, total, members })
}

/// Records the marks of several members at once: every member must be eligible, or nothing is written.
pub async fn set_marks(store: &Store, p: &Principal, actor: &Actor, id: &str, input: &[MarkInput]) -> Result<usize, StoreError> {
    let (election, organiser, targets) = load(store, p, id).await?;
    check_write(p, &organiser)?;
    let (elig, names) = eligible(store, &targets, election.closes_on).await?;
    let mut rows = Vec::new();
    let mut errs = Vec::new();
    for (i, m) in input.iter().enumerate() {
        let n = i + 1;
        let Ok(mid) = MemberId::parse(m.member_id.trim()) else {
            errs.push(dangwu_domain::FieldError::new("member_id", format!("第{n}条：党员编号“{}”无效", m.member_id.trim())));
            continue;
        };
        let key = mid.to_string();
        if !elig.contains_key(&key) {
            let who = names.get(&key).cloned().unwrap_or_else(|| format!("第{n}条的党员"));
            errs.push(dangwu_domain::FieldError::new(
                "member_id",
                format!("{who}不是本次推选的参加对象（截至{}不在参加推选的党组织中，或不属于可参加的党员）", election.closes_on),
            ));
            continue;
        }
        match mark(m.informed, m.took_part, names.get(&key).map_or("", String::as_str)) {
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
    let (election, _, targets) = load(store, p, id).await?;
    let (elig, _) = eligible(store, &targets, election.closes_on).await?;
    let input: Vec<MarkInput> =
        elig.keys().map(|m| MarkInput { member_id: m.clone(), informed, took_part, recommended: String::new() }).collect();
    set_marks(store, p, actor, id, &input).await
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
