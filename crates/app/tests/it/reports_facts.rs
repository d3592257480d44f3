//! Facts over records constructed for the test (the organisation tree only, no demo), on
//! whichever database the run uses: counts, lists in order of first study, 第一议题 rate,
//! org counts, empty dues, and compliance gaps naming their rule.

use chrono::NaiveDate;
use dangwu_domain::activity::{ActivityInput, AttendeeInput};
use dangwu_domain::facts::FactValue;
use dangwu_domain::period::Period;
use dangwu_store::audit::Actor;
use dangwu_store::facts::{self, FactScope};
use dangwu_store::{activities, materials};

use crate::harness::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, m, day).unwrap()
}

fn texts(v: &FactValue) -> Vec<String> {
    match v {
        FactValue::List(items) => items.iter().map(|i| i.text.clone()).collect(),
        other => panic!("not a list: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facts_on_constructed_records() {
    let db = TestDb::new().await;
    let store = db.store().await;
    let today = d(4, 6);
    let tree = dangwu::create_tree(&store, today).await.unwrap();
    let (p, actor) = (dangwu::cli_principal(), Actor("test".into()));
    let m1 = materials::create(&store, &p, &actor, "材料甲", "theory", Some(d(1, 1)), None).await.unwrap();
    let m2 = materials::create(&store, &p, &actor, "材料乙", "theory", Some(d(1, 1)), None).await.unwrap();
    let guest = || vec![AttendeeInput { name: "列席人".into(), attendance: "guest".into(), ..Default::default() }];
    let add = |org: &str, kind: &str, title: &str, on: NaiveDate, mats: Vec<String>, first: Option<&str>| ActivityInput {
        org_id: org.to_owned(),
        kinds: vec![kind.to_owned()],
        title: title.to_owned(),
        held_on: on.to_string(),
        host: "主持人".into(),
        recorder: "记录人".into(),
        topics: "议题".into(),
        materials: mats,
        first_agenda_material: first.unwrap_or_default().to_owned(),
        flags: if first.is_some() { vec!["first_agenda_item".into()] } else { vec![] },
        attendees: guest(),
        ..Default::default()
    };
    let organ = &tree.organ_committee.id;
    let group = &tree.party_group.id;
    for input in [
        add(organ, "fixed_study_day", "学习日二", d(2, 4), vec![m1.id.clone()], None),
        add(organ, "fixed_study_day", "学习日一", d(1, 7), vec![m2.id.clone()], None),
        add(organ, "fixed_study_day", "学习日三", d(3, 4), vec![m2.id.clone(), m1.id.clone()], None),
        // Outside the quarter: not counted.
        add(organ, "fixed_study_day", "学习日四", d(4, 1), vec![m1.id.clone()], None),
        add(group, "party_group_meeting", "党组会一", d(1, 6), vec![], Some(&m1.id)),
        add(group, "party_group_meeting", "党组会二", d(2, 6), vec![], None),
    ] {
        activities::create(&store, &p, &actor, &input, today, 0).await.unwrap_or_else(|e| panic!("{}: {e}", input.title));
    }
    let scope = FactScope { root: tree.party_group.clone(), period: Period::parse("2022Q1").unwrap() };
    let f = facts::collect(&store, &scope).await.unwrap();
    let v = |n: &str| f.get(n).unwrap_or_else(|| panic!("fact {n}")).value.clone();
    assert_eq!(v("activities_total"), FactValue::Count(5));
    assert_eq!(v("activities_fixed_study_day_count"), FactValue::Count(3));
    assert_eq!(f.get("activities_fixed_study_day_count").unwrap().records.len(), 3);
    assert_eq!(texts(&v("activities_fixed_study_day_titles")), ["学习日一", "学习日二", "学习日三"], "by date");
    assert_eq!(texts(&v("activities_fixed_study_day_materials")), ["材料乙", "材料甲"], "in order of first study");
    let mats = match v("activities_fixed_study_day_materials") {
        FactValue::List(items) => items,
        _ => unreachable!(),
    };
    assert_eq!(mats[0].records.len(), 2, "材料乙 was studied at two sittings");
    assert_eq!(v("activities_party_group_meeting_count"), FactValue::Count(2));
    assert_eq!(v("activities_theme_day_count"), FactValue::Count(0), "every kind has its facts, empty ones too");
    assert_eq!(v("first_agenda_rate"), FactValue::Ratio { num: 1, den: 2 });
    assert_eq!(v("first_agenda_complete"), FactValue::Bool(false));
    assert_eq!(texts(&v("study_topics")), ["材料乙", "材料甲"], "first-agenda material is not a study topic");
    assert_eq!(v("orgs_branches"), FactValue::Count(6));
    assert_eq!(v("orgs_affiliated"), FactValue::Count(5), "the five directly affiliated units");
    assert_eq!(v("org_unit"), FactValue::Text("海滨市体育局".into()));
    assert_eq!(v("period_short"), FactValue::Text("一季度".into()));
    assert_eq!(v("members_total"), FactValue::Count(0));
    assert_eq!(v("dues_collected_fen"), FactValue::Money(dangwu_domain::money::Fen(0)));
    assert_eq!(v("dues_remitted_in_full"), FactValue::Bool(false), "nothing collected is not 按期足额");
    let gaps = texts(&v("compliance_gaps"));
    assert!(gaps.iter().any(|g| g.contains("“党组会、中心组学习落实“第一议题”制度”") || g.contains("第一议题")), "{gaps:?}");
    let citation = store.rulebook.rule("branch_assembly_quarterly").map(|r| r.citation());
    assert!(gaps.iter().all(|g| g.ends_with('）')), "each gap ends with its rule's citation: {gaps:?}");
    if let Some(c) = citation {
        assert!(gaps.iter().any(|g| g.contains(&format!("（{c}）"))), "{c} cited: {gaps:?}");
    }
    assert!(!texts(&v("compliance_next_obligations")).is_empty());
    // The catalogue documents every fact the set holds (so templates can be checked).
    let cat = facts::catalogue(&store.rulebook, &store.supervision);
    for fact in f.iter() {
        assert!(cat.iter().any(|c| c.name == fact.name), "{} is in the catalogue", fact.name);
    }
}

/// Members are counted where and as they were at the period end: a transfer and a death
/// recorded later do not change the first quarter's figures, and count as changes in theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_counted_as_they_were_at_the_period_end() {
    use dangwu_domain::MemberId;
    use dangwu_domain::member::MemberEventKind;
    let app = TestApp::spawn().await;
    let (p, actor) = (dangwu::cli_principal(), Actor("test".into()));
    let b = branches(&app.store).await;
    let q1 = Period::parse("2022Q1").unwrap();
    let count = |org: &dangwu_store::orgs::Org, period: Period| {
        let scope = FactScope { root: org.clone(), period };
        let store = app.store.clone();
        async move {
            let f = facts::collect(&store, &scope).await.unwrap();
            let n = |name: &str| match f.get(name).unwrap().value {
                FactValue::Count(n) => n,
                _ => unreachable!(),
            };
            (n("members_total"), n("members_changes"))
        }
    };
    let (before0, _) = count(&b[0], q1).await;
    let (before1, _) = count(&b[1], q1).await;
    let today = dangwu::today();
    let now = Period::containing(today, dangwu_domain::period::Granularity::Quarter);
    let (now0_before, changes_before) = count(&b[0], now).await;
    let now1_before = count(&b[1], now).await.0;
    let ms = members_of(&app.store, Some(&b[0])).await;
    let (a, c) = (MemberId::parse(&ms[0].member.id).unwrap(), MemberId::parse(&ms[1].member.id).unwrap());
    dangwu_store::members::record_event(&app.store, &p, &actor, a, MemberEventKind::Moved, today, Some(b[1].org_id()), "工作调动").await.unwrap();
    dangwu_store::members::record_event(&app.store, &p, &actor, c, MemberEventKind::Died, today, None, "").await.unwrap();
    assert_eq!(count(&b[0], q1).await.0, before0, "still in 机关党支部 at the end of Q1");
    assert_eq!(count(&b[1], q1).await.0, before1, "not yet in the other branch at the end of Q1");
    let (now0, changes) = count(&b[0], now).await;
    assert_eq!(now0, now0_before - 2, "moved and died by now");
    assert_eq!(changes, changes_before + 2, "both changes counted this quarter");
    assert_eq!(count(&b[1], now).await.0, now1_before + 1);
    app.shutdown().await;
}

/// Facts whose ids come joined from the database in one string per group (payments, members by
/// status, verified members) list exactly the records a plain query finds: none lost, split
/// wrongly or invented, on either backend.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joined_id_facts_list_exactly_the_records_behind_them() {
    let app = TestApp::spawn().await;
    let p = dangwu::cli_principal();
    let q1 = Period::parse("2022Q1").unwrap();
    let scope = dangwu_store::reports::scope(&app.store, &p, None, q1, dangwu::today()).await.unwrap();
    let f = facts::collect(&app.store, &scope).await.unwrap();
    let ids = |name: &str| -> Vec<String> {
        let fact = f.get(name).unwrap_or_else(|| panic!("fact {name}"));
        fact.records.iter().map(|r| r.id.clone()).collect()
    };
    let (lo, hi) = scope.root.org_path().subtree_range();
    let sql = "SELECT x.id FROM dues_payments x JOIN orgs o ON o.id = x.org_id \
               WHERE o.path >= $1 AND o.path < $2 AND x.paid_on >= $3 AND x.paid_on <= $4";
    let rows: Vec<(String,)> =
        app.store.db.read().all(sql, dangwu_store::args![lo.clone(), hi.clone(), q1.start(), q1.end()]).await.unwrap();
    let mut pays: Vec<String> = rows.into_iter().map(|(id,)| id).collect();
    pays.sort();
    assert!(pays.len() > 100, "the demo's quarter has its payments: {}", pays.len());
    assert_eq!(ids("dues_payments"), pays);
    assert_eq!(ids("dues_collected_fen"), pays);
    assert_eq!(f.get("dues_payments").unwrap().value, FactValue::Count(pays.len() as i64));

    let sql = "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id \
               WHERE o.path >= $1 AND o.path < $2 AND m.status IN ('full', 'probationary') AND m.joined_on <= $3";
    let rows: Vec<(String,)> = app.store.db.read().all(sql, dangwu_store::args![lo, hi, q1.end()]).await.unwrap();
    let mut members: Vec<String> = rows.into_iter().map(|(id,)| id).collect();
    members.sort();
    assert_eq!(ids("members_total"), members, "no later changes in the demo: the members now are those at the end of Q1");
    let mut by_status = [ids("members_full"), ids("members_probationary")].concat();
    by_status.sort();
    assert_eq!(by_status, members, "full and probationary split the total");
    assert!(!ids("members_probationary").is_empty(), "the demo's probationary members of Q1 (full since) count as probationary");
    let verified = ids("dues_members_verified");
    assert!(!verified.is_empty() && verified.iter().all(|id| members.binary_search(id).is_ok()), "verified members are counted members");
    app.shutdown().await;
}
