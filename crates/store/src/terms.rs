//! Committee terms (届) and committee members with their roles.

use chrono::{Datelike, NaiveDate};
use dangwu_domain::auth::Principal;
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::orgs::{self, Org, check_write};
use crate::scope::org_condition;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Term {
    pub id: String,
    pub org_id: String,
    pub term_no: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub elected_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct CommitteeMember {
    pub id: String,
    pub term_id: String,
    pub org_id: String,
    pub member_id: Option<String>,
    pub name: String,
    pub role: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub sort_order: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermWithMembers {
    pub term: Term,
    pub members: Vec<CommitteeMember>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TermInput {
    pub starts_on: NaiveDate,
    /// Defaults to the start plus the kind's term length (e.g. 3 years for a branch).
    pub ends_on: Option<NaiveDate>,
    pub elected_on: Option<NaiveDate>,
    pub note: Option<String>,
}

pub async fn list(store: &Store, p: &Principal, org_id: OrgId) -> Result<Vec<TermWithMembers>, StoreError> {
    orgs::get(store, p, org_id).await?;
    let terms: Vec<Term> =
        store.db.read().all("SELECT * FROM org_terms WHERE org_id = $1 ORDER BY starts_on DESC", args![org_id]).await?;
    let members: Vec<CommitteeMember> = store
        .db
        .read()
        .all("SELECT * FROM committee_members WHERE org_id = $1 ORDER BY sort_order, starts_on", args![org_id])
        .await?;
    Ok(terms
        .into_iter()
        .map(|t| {
            let ms = members.iter().filter(|m| m.term_id == t.id).cloned().collect();
            TermWithMembers { term: t, members: ms }
        })
        .collect())
}

/// Opens a new term for an org's committee; numbered after the previous one.
pub async fn add_term(store: &Store, p: &Principal, actor: &Actor, org_id: OrgId, input: TermInput) -> Result<Term, StoreError> {
    let mut tx = store.db.begin().await?;
    let org = orgs::find_in(&mut tx, &org_id.to_string()).await?.ok_or(StoreError::NotFound("党组织"))?;
    check_write(p, &org)?;
    let kind = store.catalogue.kind_or_err(&org.kind)?;
    let ends_on = match (input.ends_on, kind.term_years) {
        (Some(e), _) => e,
        (None, Some(y)) => add_years(input.starts_on, y as i32),
        (None, None) => return Err(DomainError::field("ends_on", format!("{}没有固定任期，请填写届满日期", kind.label)).into()),
    };
    if ends_on <= input.starts_on {
        return Err(DomainError::field("ends_on", "届满日期应晚于任期开始日期").into());
    }
    let last: Option<Term> =
        tx.opt("SELECT * FROM org_terms WHERE org_id = $1 ORDER BY starts_on DESC LIMIT 1", args![org_id]).await?;
    if let Some(l) = &last {
        if input.starts_on < l.starts_on {
            return Err(DomainError::field("starts_on", format!("新一届的开始日期不能早于第{}届（{}）", l.term_no, l.starts_on)).into());
        }
    }
    let term_no = last.as_ref().map(|l| l.term_no + 1).unwrap_or(1);
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO org_terms (id, org_id, term_no, starts_on, ends_on, elected_on, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![id.clone(), org_id, term_no, input.starts_on, ends_on, input.elected_on, input.note.clone(), now_ms()],
    )
    .await?;
    // The previous term's members leave office when the new term starts.
    if let Some(l) = &last {
        tx.exec(
            "UPDATE committee_members SET ends_on = $1 WHERE term_id = $2 AND ends_on IS NULL",
            args![input.starts_on, l.id.clone()],
        )
        .await?;
    }
    let term: Term = tx.opt("SELECT * FROM org_terms WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("任期"))?;
    audit::append(&mut tx, actor, "org.term.create", "org", &org.id, String::new(), digest(Some(&term)), &format!("第{term_no}届")).await?;
    tx.commit().await?;
    Ok(term)
}

fn add_years(d: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year() + years, d.month(), d.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(d.year() + years, d.month(), 28).expect("valid date"))
        .pred_opt()
        .expect("valid date")
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitteeInput {
    pub member_id: Option<MemberId>,
    /// Needed only when the office holder is not in the roster.
    pub name: Option<String>,
    pub role: String,
    pub starts_on: Option<NaiveDate>,
}

/// Adds an office holder to a term, with the roles the rules allow for the org's size.
pub async fn add_committee_member(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    term_id: &str,
    input: CommitteeInput,
) -> Result<CommitteeMember, StoreError> {
    let mut tx = store.db.begin().await?;
    let term: Term = tx.opt("SELECT * FROM org_terms WHERE id = $1", args![term_id]).await?.ok_or(StoreError::NotFound("任期"))?;
    let org: Org = orgs::find_in(&mut tx, &term.org_id).await?.ok_or(StoreError::NotFound("党组织"))?;
    check_write(p, &org)?;
    let full: i64 = tx.scalar("SELECT COUNT(*) FROM members WHERE org_id = $1 AND status = 'full'", args![org.id.clone()]).await?;
    store.catalogue.check_role(&org.kind, full as u32, input.role.trim())?;
    let name = match input.member_id {
        Some(mid) => {
            let r: Option<(String, String)> = tx.opt("SELECT name, status FROM members WHERE id = $1", args![mid]).await?;
            match r {
                Some((n, s)) if s == "full" => n,
                Some((n, _)) => return Err(DomainError::field("member_id", format!("{n}不是正式党员，不能担任委员")).into()),
                None => return Err(DomainError::field("member_id", "所选党员不存在").into()),
            }
        }
        None => match input.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(n) => n.to_owned(),
            None => return Err(DomainError::field("name", "请选择党员或填写姓名").into()),
        },
    };
    let starts_on = input.starts_on.unwrap_or(term.starts_on);
    if starts_on < term.starts_on || starts_on > term.ends_on {
        return Err(DomainError::field("starts_on", "任职日期应在本届任期之内").into());
    }
    if input.role == "secretary" {
        let n: i64 = tx
            .scalar("SELECT COUNT(*) FROM committee_members WHERE term_id = $1 AND role = 'secretary' AND ends_on IS NULL", args![term_id])
            .await?;
        if n > 0 {
            return Err(DomainError::field("role", "本届已有书记在任").into());
        }
    }
    let so: i64 = tx.scalar("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM committee_members WHERE term_id = $1", args![term_id]).await?;
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO committee_members (id, term_id, org_id, member_id, name, role, starts_on, ends_on, sort_order) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
        args![id.clone(), term_id, org.id.clone(), input.member_id, name, input.role.trim(), starts_on, so],
    )
    .await?;
    let cm: CommitteeMember =
        tx.opt("SELECT * FROM committee_members WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("委员"))?;
    audit::append(&mut tx, actor, "org.committee.add", "org", &org.id, String::new(), digest(Some(&cm)), store.catalogue.role_label(&cm.role))
        .await?;
    tx.commit().await?;
    Ok(cm)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EndingTerm {
    pub org_id: String,
    pub org_name: String,
    pub term_no: i64,
    pub ends_on: NaiveDate,
}

/// Current terms (the latest per org) ending in `[from, to]`, within what the principal sees.
pub async fn ending_between(store: &Store, p: &Principal, from: NaiveDate, to: NaiveDate) -> Result<Vec<EndingTerm>, StoreError> {
    let (cond, mut a) = org_condition(&p.visibility(), 3);
    a.insert(0, crate::db::Arg::from(from));
    a.insert(1, crate::db::Arg::from(to));
    let sql = format!(
        "SELECT o.id AS org_id, o.name AS org_name, t.term_no, t.ends_on FROM org_terms t JOIN orgs o ON o.id = t.org_id \
         WHERE t.ends_on >= $1 AND t.ends_on <= $2 AND o.abolished_on IS NULL AND {cond} \
         AND NOT EXISTS (SELECT 1 FROM org_terms n WHERE n.org_id = t.org_id AND n.starts_on > t.starts_on) \
         ORDER BY t.ends_on, o.name"
    );
    store.db.read().all(&sql, a).await
}
