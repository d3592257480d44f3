//! The demo bureau (海滨市体育局, fictional): organisation tree, 179 members, committees and
//! terms, demo logins, and the first quarter of 2022 that the seed report describes (study
//! materials and plan, meetings, 三会一课 with a few gaps; the 2022 dues verification, payments,
//! remittances and a few members in arrears). Generated from a seeded RNG through
//! the same store functions that real use goes through, so every record has its audit entry.

pub mod activities;
pub mod bureau;
pub mod campaigns;
mod committees;
pub mod community;
pub mod dues;
pub mod people;
pub mod supervision;
mod wipe;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dangwu_domain::auth::{Principal, Role};
use dangwu_domain::member::MemberEventKind;
use dangwu_domain::org::OrgInput;
use dangwu_domain::passhash::hash_password;
use dangwu_domain::{MemberId, OrgId, UserId};
use dangwu_store::audit::Actor;
use dangwu_store::users::{self, NewUser};
use dangwu_store::{Store, members, orgs};

use bureau::{BRANCHES, ORGAN_COMMITTEE, OrgSpec, PARTY_GROUP};
use committees::{Leaders, create_terms};
use people::Kind;
pub use wipe::wipe;

/// Password of every demo login. Demo only: `serve` on a real database has no such accounts.
pub const DEMO_PASSWORD: &str = "Demo@2022";

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope_org_id: Option<OrgId>,
    pub member_id: Option<MemberId>,
}

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub party_group_id: OrgId,
    pub organ_committee_id: OrgId,
    /// In the order of [`bureau::BRANCHES`] (= secretary1 … secretary6).
    pub branch_ids: Vec<OrgId>,
    pub orgs: usize,
    pub grassroots_orgs: usize,
    pub members: usize,
    pub retired: usize,
    /// Members who were probationary in Q1 2022 (they joined in 2021 and became full in 2022).
    pub probationary: usize,
    /// Records of Q1 2022 (activities, study materials, study plan items).
    pub quarter: activities::QuarterSummary,
    /// Dues: 2022 verification, payments through last month, remittances, arrears at `today`.
    pub dues: dues::DuesSummary,
    pub community: community::CommunitySummary,
    /// 巡察整改: the ledger, its items, closed ones and weekly rounds.
    pub supervision: supervision::SupervisionSummary,
    /// Positions screened, integrity risk points, the branches' special inspection, programs.
    pub campaigns: campaigns::CampaignSummary,
    pub logins: Vec<DemoLogin>,
    /// The branch whose current term ends within 90 days, and the end date.
    pub term_ending_soon: Option<(String, NaiveDate)>,
}

fn system_principal() -> Principal {
    Principal {
        user_id: UserId::from_u128(0),
        username: "system".into(),
        display_name: "演示数据生成".into(),
        role: Role::Admin,
        scope: None,
        member_id: None,
    }
}

async fn create_org(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    spec: &OrgSpec,
    parent: Option<OrgId>,
    today: NaiveDate,
) -> anyhow::Result<orgs::Org> {
    let input = OrgInput {
        name: spec.name.into(),
        short_name: spec.short_name.map(Into::into),
        kind: spec.kind.into(),
        parent_id: parent.map(|p| p.to_string()),
        established_on: Some(spec.established_on.into()),
        unit: Some(spec.unit.into()).filter(|u: &String| !u.is_empty()),
    };
    let draft = input.validate(&store.catalogue, today)?;
    orgs::create(store, p, actor, draft).await.with_context(|| format!("创建党组织“{}”失败", spec.name))
}

/// The demo bureau's organisations, without members.
#[derive(Debug, Clone)]
pub struct DemoTree {
    pub party_group: orgs::Org,
    pub organ_committee: orgs::Org,
    /// In the order of [`bureau::BRANCHES`].
    pub branches: Vec<orgs::Org>,
    /// Each branch's 党小组, in the order of its `cells`.
    pub cells: Vec<Vec<orgs::Org>>,
}

/// Creates the organisation tree only (党组, 机关党委, branches, 党小组) in an empty store,
/// e.g. to import an exported roster into.
pub async fn create_tree(store: &Store, today: NaiveDate) -> anyhow::Result<DemoTree> {
    let p = system_principal();
    let actor = Actor("system:demo".into());
    if !orgs::list(store, &p, true).await?.is_empty() {
        bail!("数据库中已有党组织，演示数据只能生成到空数据库（dangwu demo 会先清空）");
    }
    let group = create_org(store, &p, &actor, &PARTY_GROUP, None, today).await?;
    let organ = create_org(store, &p, &actor, &ORGAN_COMMITTEE, Some(group.org_id()), today).await?;
    let mut branches = Vec::new();
    let mut cells = Vec::new();
    for spec in &BRANCHES {
        let b = create_org(store, &p, &actor, &spec.org, Some(organ.org_id()), today).await?;
        let mut mine = Vec::new();
        for cell in spec.cells {
            let c = OrgSpec { name: cell, short_name: None, kind: "cell", unit: "", established_on: spec.org.established_on };
            mine.push(create_org(store, &p, &actor, &c, Some(b.org_id()), today).await?);
        }
        branches.push(b);
        cells.push(mine);
    }
    Ok(DemoTree { party_group: group, organ_committee: organ, branches, cells })
}

/// Generates the demo bureau into an empty store (see [`wipe`]). Deterministic for a given
/// `today`: the same names, ID numbers and dates every time.
pub async fn create_demo(store: &Store, today: NaiveDate) -> anyhow::Result<DemoSummary> {
    let p = system_principal();
    let actor = Actor("system:demo".into());
    let DemoTree { party_group: group, organ_committee: organ, branches, cells } = create_tree(store, today).await?;

    let mut leaders = Leaders(vec![Vec::new(); BRANCHES.len()]);
    let mut plain: Vec<Option<(MemberId, String)>> = vec![None; BRANCHES.len()];
    let (mut count, mut retired, mut probationary) = (0, 0, 0);
    let mut rolls = Vec::new();
    for person in people::generate(today) {
        let branch = &branches[person.branch];
        let mut input = person.input;
        input.org_id = branch.id.clone();
        let draft = input.validate(today).with_context(|| format!("演示党员“{}”数据有误", input.name))?;
        let since = branch.established_on.map_or(draft.joined_on, |e| e.max(draft.joined_on));
        let name = draft.name.clone();
        let joined_on = draft.joined_on;
        let m = members::create(store, &p, &actor, draft, since).await.with_context(|| format!("登记演示党员“{name}”失败"))?;
        if person.kind == Kind::Probationary {
            // Probationary through Q1 2022; full at the end of the probation year, as recorded.
            let full_on = joined_on + chrono::Months::new(12);
            if full_on <= today {
                let note = "预备期满，经支部党员大会讨论通过，报上级党组织批准，按期转为正式党员";
                members::record_event(store, &p, &actor, m.member_id(), MemberEventKind::BecameFull, full_on, None, note)
                    .await
                    .with_context(|| format!("演示党员“{name}”转正失败"))?;
            }
        }
        rolls.push(activities::Roll { id: m.member_id(), name: name.clone(), branch: person.branch, kind: person.kind, joined_on });
        match person.kind {
            Kind::Leader(_) => leaders.0[person.branch].push(m.member_id()),
            Kind::InService if plain[person.branch].is_none() => plain[person.branch] = Some((m.member_id(), name)),
            Kind::Retired => retired += 1,
            Kind::Probationary => probationary += 1,
            Kind::InService => {}
        }
        count += 1;
    }

    // Each branch's members take turns into its 党小组 (机关党支部 has three).
    for (b, cells) in cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
        for (k, r) in rolls.iter().filter(|r| r.branch == b).enumerate() {
            members::assign_cell(store, &p, &actor, r.id, Some(cells[k % cells.len()].org_id()))
                .await
                .with_context(|| format!("把演示党员“{}”编入党小组失败", r.name))?;
        }
    }

    let branch_ids: Vec<OrgId> = branches.iter().map(|b| b.org_id()).collect();
    let soon = create_terms(store, &p, &actor, today, group.org_id(), organ.org_id(), &branch_ids, &leaders).await?;
    let bureau = activities::Bureau { group: &group, organ: &organ, branches: &branches, cells: &cells[0], people: &rolls };
    let quarter = activities::create_q1_2022(store, &p, &actor, today, &bureau).await?;
    let dues = dues::create(store, &p, &actor, today, &organ, &branches, &rolls).await?;
    let community = community::create(store, &p, &actor, today, &organ, &branches, &rolls).await?;
    let secretary1 = rolls.iter().find(|r| r.id == leaders.0[0][0]).map(|r| r.name.clone()).context("机关党支部书记不在名册中")?;
    let supervision = supervision::create(store, &p, &actor, &group, &branches, &secretary1, today).await?;
    let campaigns = campaigns::create(store, &p, &actor, &group, &branches).await?;

    let mut logins = vec![DemoLogin {
        username: "admin".into(),
        display_name: "党建办".into(),
        role: Role::Admin,
        scope_org_id: None,
        member_id: None,
    }];
    for (i, b) in branches.iter().enumerate() {
        logins.push(DemoLogin {
            username: format!("secretary{}", i + 1),
            display_name: format!("{}书记", b.name),
            role: Role::OrgAdmin,
            scope_org_id: Some(b.org_id()),
            member_id: Some(leaders.0[i][0]),
        });
    }
    let (member, member_name) = plain[0].clone().context("机关党支部没有普通党员")?;
    logins.push(DemoLogin {
        username: "member1".into(),
        display_name: member_name,
        role: Role::Member,
        scope_org_id: None,
        member_id: Some(member),
    });
    // 纪检: the only account that sees 问题线索 (the demo has none; they are confidential).
    logins.push(DemoLogin {
        username: "jijian".into(),
        display_name: "机关纪委".into(),
        role: Role::Discipline,
        scope_org_id: None,
        member_id: None,
    });
    for l in &logins {
        let new = NewUser {
            username: l.username.clone(),
            display_name: l.display_name.clone(),
            password_hash: hash_password(DEMO_PASSWORD),
            role: l.role,
            scope_org_id: l.scope_org_id,
            member_id: l.member_id,
        };
        users::create(store, &actor, new).await.with_context(|| format!("创建演示账号 {} 失败", l.username))?;
    }

    let all = orgs::list(store, &p, false).await?;
    let grassroots = all.iter().filter(|o| store.catalogue.kind(&o.kind).is_some_and(|k| k.grassroots)).count();
    Ok(DemoSummary {
        party_group_id: group.org_id(),
        organ_committee_id: organ.org_id(),
        branch_ids,
        orgs: all.len(),
        grassroots_orgs: grassroots,
        members: count,
        retired,
        probationary,
        quarter,
        dues,
        community,
        supervision,
        campaigns,
        logins,
        term_ending_soon: Some(soon),
    })
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_dues;
#[cfg(test)]
mod tests_supervision;
