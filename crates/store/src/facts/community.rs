//! People-and-community facts: teams, their service and hours, care visits, 双报到 communities,
//! community projects, delegate nominations with rates from the roster, training hours, posts.

use chrono::NaiveDate;
use dangwu_domain::community::{CommunityBook, hours_tenths, hours_text, overlaps};
use dangwu_domain::facts::{FactDoc, FactSet, FactValue, ListItem, RecordRef};
use dangwu_domain::period::{Granularity, Period};
use std::collections::{BTreeSet, HashMap};

use super::FactScope;
use crate::community::{elections, groups::Register, training};
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "teams_vanguard", label: "党员先锋队数", doc: "子树内期间存续的党员先锋队（如疫情防控一线党员先锋队）" },
    FactDoc { name: "teams_volunteer", label: "党员志愿服务队数", doc: "子树内期间存续的党员志愿服务队" },
    FactDoc { name: "team_service_activities", label: "服务队服务次数", doc: "期间内记为某服务队服务的活动（下沉社区、志愿服务）" },
    FactDoc { name: "team_service_hours", label: "服务队服务时长（小时）", doc: "上述活动的时长之和（文本，如 12.5）" },
    FactDoc { name: "care_households_visited", label: "走访慰问户数", doc: "期间内走访慰问活动的走访户数之和" },
    FactDoc { name: "communities_linked", label: "双报到社区数", doc: "子树内党组织（或其党员）报到的社区" },
    FactDoc { name: "community_projects_done", label: "为社区办实事（已办）", doc: "期末所在年度内截至期末的“为社区办实事”活动" },
    FactDoc { name: "community_projects_planned", label: "为社区办实事（已认领待办）", doc: "子树内党组织认领、尚未办结的社区需求" },
    FactDoc { name: "nomination_elections", label: "代表推选", doc: "子树内组织、期间内进行的代表推选（名称列表）" },
    FactDoc { name: "nomination_orgs", label: "参加推选的党组织数", doc: "上述推选的参加党组织（去重）" },
    FactDoc { name: "nomination_members", label: "参加推选的党员数", doc: "截至各推选结束日在参加推选党组织中的可参加党员（去重）" },
    FactDoc { name: "nomination_awareness_rate", label: "知晓率", doc: "记为知晓的党员 / 可参加党员，由名册计算" },
    FactDoc { name: "nomination_participation_rate", label: "参与率", doc: "记为参与推荐的党员 / 可参加党员，由名册计算" },
    FactDoc { name: "training_sessions", label: "培训次数", doc: "期间内培训类活动（培训、专家授课、红色教育等，见 community.toml）" },
    FactDoc { name: "training_hours", label: "培训学时", doc: "上述活动的时长之和（文本）" },
    FactDoc { name: "training_party_worker_hours", label: "党务工作者人均培训学时", doc: "党务工作者年内截至期末的人均参训学时（文本）" },
    FactDoc { name: "training_party_worker_target", label: "党务工作者年度学时目标", doc: "党务工作者中最高的年度目标学时" },
    FactDoc { name: "training_members_below_target", label: "未达年度学时的党员数", doc: "年内截至期末参训学时低于年度目标的党员" },
    FactDoc { name: "posts", label: "岗位", doc: "期间内及下一期间设岗的党员示范岗、志愿服务岗、巾帼文明岗等（列表，注明计划设岗）" },
];

#[derive(sqlx::FromRow)]
struct Act {
    id: String,
    kind: String,
    extra: String,
}

fn hours(extra: &str, key: &str) -> i64 {
    let m: HashMap<String, String> = serde_json::from_str(extra).unwrap_or_default();
    match key {
        "hours" => m.get("hours").and_then(|h| hours_tenths(h)).unwrap_or(0),
        _ => m.get(key).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0),
    }
}

fn has_team(extra: &str) -> bool {
    serde_json::from_str::<HashMap<String, String>>(extra).is_ok_and(|m| m.contains_key("team"))
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (from, to) = (scope.period.start(), scope.period.end());
    let (cond, a) = scope.subtree(1);
    let mut r = store.db.read();

    // Teams running in the period.
    let teams: Vec<(String, String, NaiveDate, Option<NaiveDate>)> =
        r.all(&format!("SELECT t.id, t.kind, t.starts_on, t.ends_on FROM teams t JOIN orgs o ON o.id = t.org_id WHERE {cond}"), a.clone()).await?;
    for (fact, kind) in [("teams_vanguard", "vanguard"), ("teams_volunteer", "volunteer")] {
        let refs = teams.iter().filter(|t| t.1 == kind && overlaps(t.2, t.3, from, to)).map(|t| RecordRef::new("team", t.0.clone())).collect();
        out.count(fact, refs);
    }

    // Activities of the community kinds in the period (one query), split by kind in memory.
    let mut pa = a.clone();
    pa.push(from.into());
    pa.push(to.into());
    let mut kinds: Vec<String> = vec!["care_visit".into(), "community_service".into(), "volunteer_service".into()];
    kinds.extend(store.community.training.kinds.iter().cloned());
    let marks: Vec<String> = (0..kinds.len()).map(|i| format!("${}", pa.len() + 1 + i)).collect();
    pa.extend(kinds.iter().map(crate::db::Arg::from));
    let acts: Vec<Act> = r
        .all(
            &format!(
                "SELECT a.id, k.kind, a.extra FROM activities a JOIN activity_kinds k ON k.activity_id = a.id JOIN orgs o ON o.id = a.org_id \
                 WHERE {cond} AND a.held_on >= $3 AND a.held_on <= $4 AND k.kind IN ({})",
                marks.join(", ")
            ),
            pa,
        )
        .await?;
    let pick = |f: &dyn Fn(&Act) -> bool| -> Vec<&Act> {
        let mut seen = BTreeSet::new();
        acts.iter().filter(|x| f(x) && seen.insert(x.id.clone())).collect()
    };
    let service = pick(&|x| matches!(x.kind.as_str(), "community_service" | "volunteer_service") && has_team(&x.extra));
    out.count("team_service_activities", service.iter().map(|x| RecordRef::new("activity", x.id.clone())).collect());
    let refs = |v: &[&Act]| v.iter().map(|x| RecordRef::new("activity", x.id.clone())).collect::<Vec<_>>();
    out.insert("team_service_hours", FactValue::Text(hours_text(service.iter().map(|x| hours(&x.extra, "hours")).sum())), refs(&service));
    let visits = pick(&|x| x.kind == "care_visit");
    out.insert("care_households_visited", FactValue::Count(visits.iter().map(|x| hours(&x.extra, "households")).sum()), refs(&visits));
    let book: &CommunityBook = &store.community;
    let trainings = pick(&|x| book.training.kinds.contains(&x.kind));
    out.count("training_sessions", refs(&trainings));
    out.insert("training_hours", FactValue::Text(hours_text(trainings.iter().map(|x| hours(&x.extra, "hours")).sum())), refs(&trainings));

    // 双报到 communities and projects.
    let linked: Vec<(String,)> =
        r.all(&format!("SELECT DISTINCT l.community_id FROM community_links l JOIN orgs o ON o.id = l.org_id WHERE {cond}"), a.clone()).await?;
    out.count("communities_linked", linked.into_iter().map(|(c,)| RecordRef::new("community", c)).collect());
    let year = Period::containing(to, Granularity::Year).start();
    let mut ya = a.clone();
    ya.push(year.into());
    ya.push(to.into());
    let done: Vec<(String,)> = r
        .all(
            &format!(
                "SELECT a.id FROM activities a JOIN orgs o ON o.id = a.org_id WHERE {cond} AND a.held_on >= $3 AND a.held_on <= $4 \
                 AND a.id IN (SELECT activity_id FROM activity_kinds WHERE kind = 'community_project')"
            ),
            ya,
        )
        .await?;
    out.count("community_projects_done", done.into_iter().map(|(i,)| RecordRef::new("activity", i)).collect());
    let planned: Vec<(String,)> = r
        .all(&format!("SELECT n.id FROM community_needs n JOIN orgs o ON o.id = n.org_id WHERE {cond} AND n.status = 'claimed'"), a.clone())
        .await?;
    out.count("community_projects_planned", planned.into_iter().map(|(i,)| RecordRef::new("community_need", i)).collect());

    nominations(store, scope, out).await?;
    training_facts(store, scope, out).await?;
    posts(store, scope, out).await?;
    Ok(())
}

async fn nominations(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (cond, mut a) = scope.subtree(1);
    a.push(scope.period.start().into());
    a.push(scope.period.end().into());
    let ids: Vec<(String, String)> = store
        .db
        .read()
        .all(
            &format!("SELECT e.id, e.title FROM elections e JOIN orgs o ON o.id = e.org_id WHERE {cond} AND e.opens_on <= $4 AND e.closes_on >= $3 ORDER BY e.opens_on, e.title"),
            a,
        )
        .await?;
    let (mut items, mut orgs, mut members, mut informed, mut took) = (Vec::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let keys: Vec<String> = ids.iter().map(|(i, _)| i.clone()).collect();
    items.extend(ids.iter().map(|(id, title)| ListItem { text: title.clone(), records: vec![RecordRef::new("election", id.clone())] }));
    orgs.extend(elections::targets_of(store, &keys).await?.into_iter().map(|(_, o)| o.id));
    // All elections' eligible rosters in one query; a member in several counts once.
    for r in elections::roster(store, &keys).await? {
        if r.informed == Some(true) {
            informed.insert(r.member_id.clone());
        }
        if r.took_part == Some(true) {
            took.insert(r.member_id.clone());
        }
        members.insert(r.member_id);
    }
    let election_refs: Vec<RecordRef> = ids.iter().map(|(i, _)| RecordRef::new("election", i.clone())).collect();
    out.insert("nomination_elections", FactValue::List(items), election_refs.clone());
    out.count("nomination_orgs", orgs.iter().map(|o| RecordRef::new("org", o.clone())).collect());
    out.count("nomination_members", members.iter().map(|m| RecordRef::new("member", m.clone())).collect());
    let den = members.len() as i64;
    out.insert("nomination_awareness_rate", FactValue::Ratio { num: informed.len() as i64, den }, election_refs.clone());
    out.insert("nomination_participation_rate", FactValue::Ratio { num: took.len() as i64, den }, election_refs);
    Ok(())
}

async fn training_facts(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let to = scope.period.end();
    let from = Period::containing(to, Granularity::Year).start();
    let st = training::standings(store, &scope.root.org_path(), from, to).await?;
    let below: Vec<RecordRef> = st.iter().filter(|s| s.standing.below()).map(|s| RecordRef::new("member", s.standing.member_id.clone())).collect();
    out.count("training_members_below_target", below);
    let workers: Vec<_> = st.iter().filter(|s| s.standing.party_worker).collect();
    let total: i64 = workers.iter().map(|s| s.standing.tenths).sum();
    let avg = if workers.is_empty() { 0 } else { total / workers.len() as i64 };
    let refs: Vec<RecordRef> = workers.iter().map(|s| RecordRef::new("member", s.standing.member_id.clone())).collect();
    out.insert("training_party_worker_hours", FactValue::Text(hours_text(avg)), refs.clone());
    let target = workers.iter().map(|s| s.standing.target).max().unwrap_or(store.community.training.member_hours);
    out.insert("training_party_worker_target", FactValue::Count(i64::from(target)), refs);
    Ok(())
}

async fn posts(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let next = scope.period.next();
    let admin = crate::community::system_principal();
    let rows = crate::community::groups::list(store, &admin, Register::Post, Some((scope.period.start(), next.end()))).await?;
    let root = scope.root.org_path();
    let mut items = Vec::new();
    let mut refs = Vec::new();
    for r in rows.iter().filter(|r| store_path_in(&r.org_path, &root)) {
        let g = &r.group;
        let label = CommunityBook::label(&store.community.post_kinds, &g.kind);
        let planned = if g.starts_on > scope.period.end() { "（计划设岗）" } else { "" };
        let purpose = g.purpose.as_deref().map(|p| format!("（{p}）")).unwrap_or_default();
        items.push(ListItem { text: format!("{}{}{}{planned}", g.name, purpose, if g.name.contains(label) { String::new() } else { format!("·{label}") }), records: vec![RecordRef::new("post", g.id.clone())] });
        refs.push(RecordRef::new("post", g.id.clone()));
    }
    out.insert("posts", FactValue::List(items), refs);
    Ok(())
}

fn store_path_in(path: &str, root: &dangwu_domain::org::OrgPath) -> bool {
    root.contains(&dangwu_domain::org::OrgPath::from_stored(path.to_owned()))
}
