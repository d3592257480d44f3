//! Committee terms (届) of the demo bureau: every branch (all have ≥7 full members), the
//! 机关党委 and the 党组. One branch's current term ends within 90 days of `today`.

use chrono::{Datelike, Days, NaiveDate};
use dangwu_domain::auth::Principal;
use dangwu_domain::{MemberId, OrgId};
use dangwu_store::Store;
use dangwu_store::audit::Actor;
use dangwu_store::terms::{self, CommitteeInput, TermInput};

use super::bureau::{BRANCHES, TERM_ENDING_SOON, TERM_STARTED_DAYS_AGO};

/// Who holds which leader post in each branch: `leaders[b][i]` is the member with
/// `BRANCHES[b].leaders[i]`.
pub struct Leaders(pub Vec<Vec<MemberId>>);

impl Leaders {
    fn get(&self, branch: usize, i: usize) -> MemberId {
        self.0[branch][i]
    }
}

const BRANCH_ROLES: [&str; 4] = ["secretary", "organisation_officer", "publicity_officer", "discipline_officer"];

fn years_before(d: NaiveDate, years: i32) -> NaiveDate {
    d.with_year(d.year() - years).unwrap_or_else(|| d - Days::new(365 * years as u64 + 1))
}

async fn term(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    org: OrgId,
    starts_on: NaiveDate,
    note: &str,
    holders: &[(&str, MemberId)],
) -> anyhow::Result<NaiveDate> {
    let input = TermInput { starts_on, ends_on: None, elected_on: Some(starts_on), note: Some(note.into()) };
    let t = terms::add_term(store, p, actor, org, input).await?;
    for (role, member) in holders {
        let c = CommitteeInput { member_id: Some(*member), name: None, role: (*role).to_owned(), starts_on: None };
        terms::add_committee_member(store, p, actor, &t.id, c).await?;
    }
    Ok(t.ends_on)
}

/// Creates all terms; returns the branch whose term ends soon and the end date.
#[allow(clippy::too_many_arguments)]
pub async fn create_terms(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    today: NaiveDate,
    party_group: OrgId,
    organ_committee: OrgId,
    branches: &[OrgId],
    leaders: &Leaders,
) -> anyhow::Result<(String, NaiveDate)> {
    let mut soon = None;
    for (b, spec) in BRANCHES.iter().enumerate() {
        let n = if spec.size >= 30 { 4 } else { 3 };
        let holders: Vec<(&str, MemberId)> = (0..n).map(|i| (BRANCH_ROLES[i], leaders.get(b, i))).collect();
        let starts_on = match TERM_STARTED_DAYS_AGO[b] {
            Some(days) => today - Days::new(days as u64),
            // Started three years before (today + 40 days), so it ends 39 days from now.
            None => years_before(today + Days::new(40), 3),
        };
        if b < 2 {
            // The two largest branches show a previous term and its committee as history.
            let prev: Vec<(&str, MemberId)> =
                [(0, 1), (1, 0), (2, 2)].iter().map(|&(r, i)| (BRANCH_ROLES[r], leaders.get(b, i))).collect();
            term(store, p, actor, branches[b], years_before(starts_on, 3), "支部党员大会选举产生", &prev).await?;
        }
        let ends = term(store, p, actor, branches[b], starts_on, "支部党员大会选举产生", &holders).await?;
        if b == TERM_ENDING_SOON {
            soon = Some((spec.org.name.to_owned(), ends));
        }
    }
    // 机关党委: a 副局长 as secretary, the full-time deputy, officers from several branches.
    let organ = [
        ("secretary", leaders.get(0, 5)),
        ("deputy_secretary", leaders.get(0, 8)),
        ("organisation_officer", leaders.get(0, 1)),
        ("publicity_officer", leaders.get(1, 0)),
        ("discipline_officer", leaders.get(0, 3)),
        ("committee_member", leaders.get(2, 0)),
        ("committee_member", leaders.get(4, 0)),
    ];
    term(store, p, actor, organ_committee, today - Days::new(600), "机关党员大会选举产生", &organ).await?;
    // 党组: 书记 (the director) and the three deputy directors as 成员.
    let group = [
        ("secretary", leaders.get(0, 4)),
        ("committee_member", leaders.get(0, 5)),
        ("committee_member", leaders.get(0, 6)),
        ("committee_member", leaders.get(0, 7)),
    ];
    term(store, p, actor, party_group, today - Days::new(900), "经市委批准", &group).await?;
    soon.ok_or_else(|| anyhow::anyhow!("演示数据缺少即将届满的任期"))
}
