use std::collections::{BTreeSet, HashSet};

use chrono::{Days, NaiveDate};
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::idcard::IdCardNo;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_store::audit::{Verification, verify};
use dangwu_domain::compliance::Status;
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_store::members::{MemberFilter, StatusFilter};
use dangwu_store::{Db, compliance, study_plans, terms};

use super::people::{Kind, generate};
use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn generated_people_are_valid_unique_and_deterministic() {
    let today = day(2024, 2, 29);
    let a = generate(today);
    let b = generate(today);
    assert_eq!(a.len(), 179);
    let key = |v: &[people::Person]| v.iter().map(|p| (p.input.name.clone(), p.input.id_card_no.clone())).collect::<Vec<_>>();
    assert_eq!(key(&a), key(&b));
    let ids: HashSet<&str> = a.iter().map(|p| p.input.id_card_no.as_str()).collect();
    let names: HashSet<&str> = a.iter().map(|p| p.input.name.as_str()).collect();
    assert_eq!((ids.len(), names.len()), (179, 179));
    for p in &a {
        let id = IdCardNo::parse_at(&p.input.id_card_no, today).unwrap();
        assert!(id.as_str().starts_with("3706"));
        assert_eq!(id.is_male(), p.input.gender == "男", "{}", p.input.name);
        let d = p.input.validate(today).unwrap_or_else(|e| panic!("{}: {e}", p.input.name));
        assert_eq!(d.birth_date, id.birth_date());
        let age = dangwu_domain::member::age_on(d.birth_date, today);
        match p.kind {
            Kind::Retired => assert!(age >= 55 && d.dues_category.code() == "retired", "{age}"),
            Kind::Probationary => {
                // Probationary through Q1 2022: joined in 2021, a year's probation ends after March 2022.
                assert!(d.full_on.is_none() && d.status.code() == "probationary");
                assert!(d.joined_on >= people::PROBATIONARY_FROM && d.joined_on < day(2022, 1, 1), "{}", d.joined_on);
                assert!(dangwu_domain::member::age_on(d.birth_date, d.joined_on) >= 22);
            }
            _ => assert!(age < 60 && d.full_on.is_some() && d.dues_category.code() == "in_service", "{age}"),
        }
        if p.kind != Kind::Probationary {
            // Everyone else was a full member before 2022.
            assert!(d.full_on.is_some_and(|f| f <= people::FULL_BY), "{}: {:?}", p.input.name, d.full_on);
        }
        assert!(dangwu_domain::member::age_on(d.birth_date, d.joined_on) >= 18);
    }
    let count = |k: fn(&Kind) -> bool| a.iter().filter(|p| k(&p.kind)).count();
    assert_eq!(count(|k| *k == Kind::Retired), 44);
    assert_eq!(count(|k| *k == Kind::Probationary), 4);
    assert!(a.iter().filter(|p| p.input.ethnicity == "汉族").count() > 150);
    assert!(a.iter().filter(|p| p.input.is_party_worker == "是").count() >= 8);
    // Another day shifts ages and dates but keeps the same people, all joined before 2022.
    let later = generate(day(2030, 6, 30));
    assert_eq!(later.iter().map(|p| &p.input.name).collect::<Vec<_>>(), a.iter().map(|p| &p.input.name).collect::<Vec<_>>());
    assert!(later.iter().all(|p| p.input.validate(day(2030, 6, 30)).unwrap().joined_on < day(2022, 1, 1)));
    assert_eq!(generate(day(2025, 1, 1)).iter().map(|p| &p.input.name).collect::<Vec<_>>(), a.iter().map(|p| &p.input.name).collect::<Vec<_>>());
}

async fn temp_store(dir: &std::path::Path) -> Store {
    let db = Db::open_sqlite(dir).await.unwrap();
    db.migrate().await.unwrap();
    Store::new(db, FieldKeys::from_master("k1", &[7u8; 32]), OrgCatalogue::shipped())
}

/// (name, full ID number) of every member in the store.
async fn roster(store: &Store) -> BTreeSet<(String, String)> {
    let p = system_principal();
    let f = MemberFilter { status: StatusFilter::All, per_page: 500, page: 1, ..Default::default() };
    let page = members::list(store, &p, &f).await.unwrap();
    assert_eq!(page.total as usize, page.items.len());
    page.items.iter().map(|r| (r.member.name.clone(), store.keys.decrypt(&r.member.id_card_enc).unwrap())).collect()
}

#[tokio::test]
async fn demo_bureau_in_a_fresh_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_store(dir.path()).await;
    let today = chrono::Local::now().date_naive();
    let s = create_demo(&store, today).await.unwrap();
    assert_eq!((s.members, s.grassroots_orgs, s.orgs, s.retired, s.probationary), (179, 7, 11, 44, 4));

    let first = roster(&store).await;
    assert_eq!(first.len(), 179);
    // The four probationary members of Q1 2022 became full in 2022, through a status event.
    let p = system_principal();
    let all = members::list(&store, &p, &MemberFilter { status: StatusFilter::All, per_page: 500, page: 1, ..Default::default() }).await.unwrap();
    assert!(all.items.iter().all(|r| r.member.status == "full" && r.member.joined_on < day(2022, 1, 1)));
    let mut became_full = Vec::new();
    for r in &all.items {
        for e in members::events(&store, &p, r.member.member_id()).await.unwrap() {
            if e.kind == "became_full" {
                became_full.push((e.on_date, r.member.full_on));
            }
        }
    }
    assert_eq!(became_full.len(), 4, "{became_full:?}");
    assert!(became_full.iter().all(|(on, full)| Some(*on) == *full && *on > day(2022, 3, 31) && *on < day(2023, 1, 1)), "{became_full:?}");
    let expected: BTreeSet<_> = generate(today).into_iter().map(|p| (p.input.name, p.input.id_card_no)).collect();
    assert_eq!(first, expected);
    for (_, id) in &first {
        IdCardNo::parse_at(id, today).unwrap();
    }

    let ending = terms::ending_between(&store, &p, today, today + Days::new(90)).await.unwrap();
    assert_eq!(ending.len(), 1, "{ending:?}");
    assert_eq!(ending[0].org_name, "市体育场馆服务中心党支部");
    assert_eq!(Some((ending[0].org_name.clone(), ending[0].ends_on)), s.term_ending_soon);
    for id in &s.branch_ids {
        let t = terms::list(&store, &p, *id).await.unwrap();
        assert!(t[0].members.iter().any(|m| m.role == "secretary" && m.ends_on.is_none()));
    }
    assert_eq!(terms::list(&store, &p, s.party_group_id).await.unwrap()[0].members.len(), 4);

    let names: Vec<String> = users::list(&store).await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["admin", "jijian", "member1", "secretary1", "secretary2", "secretary3", "secretary4", "secretary5", "secretary6"]);
    let sec = users::by_username(&store, "secretary3").await.unwrap().unwrap();
    assert!(dangwu_domain::passhash::verify_password(DEMO_PASSWORD, &sec.password_hash));
    assert_eq!(sec.scope_org_id, Some(s.branch_ids[2].to_string()));

    match verify(&store.db).await.unwrap() {
        Verification::Intact { entries } => assert!(entries > 179 + 11 + 8, "{entries}"),
        Verification::Broken(b) => panic!("{b}"),
    }
    assert!(create_demo(&store, today).await.is_err(), "refuses a store that is not empty");
    let before = fingerprint(&store).await;
    assert!(before.len() > 80, "{}", before.len());

    // Re-creating after a wipe gives the same people and records and a fresh, intact chain.
    wipe(&store).await.unwrap();
    assert!(roster(&store).await.is_empty());
    assert!(fingerprint(&store).await.is_empty());
    assert!(matches!(verify(&store.db).await.unwrap(), Verification::Intact { entries: 0 }));
    create_demo(&store, today).await.unwrap();
    assert_eq!(roster(&store).await, first);
    assert_eq!(fingerprint(&store).await, before, "the quarter's records are deterministic");
    assert!(matches!(verify(&store.db).await.unwrap(), Verification::Intact { .. }));
}

/// Every activity as (date, org, title, kinds, present/expected, attendee names), in a stable order.
/// Kind fields without the generated id of a team (new on every run).
fn without_ids(extra: &str) -> String {
    let mut m: std::collections::BTreeMap<String, String> = serde_json::from_str(extra).unwrap();
    m.remove("team");
    format!("{m:?}")
}

async fn fingerprint(store: &Store) -> Vec<String> {
    let p = system_principal();
    let rows = activities::list(store, &p, &ActivityFilter { limit: 5000, ..Default::default() }).await.unwrap();
    let mut out = Vec::new();
    for r in rows {
        let d = activities::get(store, &p, &r.activity.id).await.unwrap();
        let names: Vec<String> = d.attendance.iter().map(|a| format!("{}:{}:{}", a.name, a.attendance, a.reason.clone().unwrap_or_default())).collect();
        let a = d.activity;
        out.push(format!("{} {} {} {:?} {}/{} {:?} {:?}", a.held_on, r.org_name, a.title, d.kinds, a.present_count, a.expected_count, names, without_ids(&a.extra)));
    }
    out.sort();
    out
}

fn is_workday(d: NaiveDate) -> bool {
    use chrono::Datelike;
    let holiday = [(day(2022, 1, 1), day(2022, 1, 3)), (day(2022, 1, 31), day(2022, 2, 6))].iter().any(|(a, b)| *a <= d && d <= *b);
    d.weekday().num_days_from_monday() < 5 && !holiday
}

#[tokio::test]
async fn q1_2022_matches_the_seed_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_store(dir.path()).await;
    let today = chrono::Local::now().date_naive();
    let started = std::time::Instant::now();
    let s = create_demo(&store, today).await.unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "create_demo took {:?}", started.elapsed());
    assert!(s.quarter.activities > 80 && s.quarter.materials >= 10 && s.quarter.plan_items >= 12, "{:?}", s.quarter);
    let p = system_principal();
    let q1 = |kind: &str| ActivityFilter { kind: Some(kind.into()), from: Some(day(2022, 1, 1)), to: Some(day(2022, 3, 31)), limit: 5000, ..Default::default() };
    let all = activities::list(&store, &p, &ActivityFilter { limit: 5000, ..Default::default() }).await.unwrap();
    for r in &all {
        assert!(is_workday(r.activity.held_on), "{} on {} is not a working day", r.activity.title, r.activity.held_on);
    }

    // Every 党组会 (two or three a month) and every 中心组 session opens with the 第一议题.
    let meetings = activities::list(&store, &p, &q1("party_group_meeting")).await.unwrap();
    assert_eq!(meetings.len(), 8);
    let studies = activities::list(&store, &p, &q1("central_group_study")).await.unwrap();
    assert_eq!(studies.len(), 3, "monthly 中心组");
    for r in meetings.iter().chain(&studies) {
        assert_eq!(r.org_name, "中共海滨市体育局党组");
        assert!(r.activity.flag_list().contains(&"first_agenda_item".to_owned()), "{}", r.activity.title);
        let d = activities::get(&store, &p, &r.activity.id).await.unwrap();
        let first: Vec<_> = d.materials.iter().filter(|m| m.first_agenda).collect();
        assert_eq!(first.len(), 1, "{}", r.activity.title);
        assert!(first[0].title.starts_with("习近平总书记") || first[0].title == "十九届六中全会精神", "{}", first[0].title);
        assert!(d.attendance.iter().any(|a| a.attendance == "present" && a.member_id.is_some()));
    }

    // 周五学习日 on Fridays, on the four topics in the order the seed report gives.
    let fridays = activities::list(&store, &p, &q1("fixed_study_day")).await.unwrap();
    assert!(fridays.len() >= 8, "{}", fridays.len());
    let mut order: Vec<String> = Vec::new();
    let mut dated: Vec<_> = fridays.iter().map(|r| (r.activity.held_on, r.activity.id.clone())).collect();
    dated.sort();
    for (on, id) in dated {
        use chrono::Datelike;
        assert_eq!(on.weekday(), chrono::Weekday::Fri);
        let d = activities::get(&store, &p, &id).await.unwrap();
        assert_eq!(d.materials.len(), 1);
        if !order.contains(&d.materials[0].title) {
            order.push(d.materials[0].title.clone());
        }
    }
    assert_eq!(
        order,
        [
            "十九届六中全会精神",
            "市第十四次党代会精神",
            "习近平总书记在2022年春季学期中央党校（国家行政学院）中青年干部培训班开班式上的重要讲话",
            "习近平新时代中国特色社会主义思想“十个明确”“十四个坚持”",
        ]
    );

    // Two 民主生活会 (巡察反馈; 党史学习教育专题), at least two thirds present, then the 总结大会.
    let dlm = activities::list(&store, &p, &q1("democratic_life_meeting")).await.unwrap();
    let mut topics: Vec<(NaiveDate, String)> = dlm.iter().map(|r| (r.activity.held_on, r.activity.topics.clone().unwrap_or_default())).collect();
    topics.sort();
    assert_eq!(topics.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["巡察反馈", "党史学习教育专题"]);
    for r in &dlm {
        assert!(r.activity.expected_count > 0 && 3 * r.activity.present_count >= 2 * r.activity.expected_count, "{:?}", r.activity);
    }
    let general = activities::list(&store, &p, &q1("general_meeting")).await.unwrap();
    assert_eq!(general.len(), 1);
    assert!(general[0].activity.title.contains("党史学习教育总结大会") && general[0].activity.held_on > topics[1].0);

    // Discipline: notices before 元旦 and 春节, the 廉政家书, two warning films; the care visit.
    let notices = activities::list(&store, &p, &ActivityFilter { kind: Some("festival_discipline_notice".into()), limit: 50, ..Default::default() }).await.unwrap();
    let festivals: BTreeSet<String> = notices.iter().map(|r| r.activity.extra_map()["festival"].clone()).collect();
    assert_eq!(festivals, BTreeSet::from(["元旦".to_owned(), "春节".to_owned()]));
    assert!(notices.iter().all(|r| r.activity.held_on < day(2022, 1, 31)));
    assert_eq!(activities::list(&store, &p, &q1("integrity_letter")).await.unwrap().len(), 1);
    let films = activities::list(&store, &p, &q1("warning_education")).await.unwrap();
    let films: BTreeSet<String> = films.iter().map(|r| r.activity.extra_map()["film"].clone()).collect();
    assert_eq!(films.len(), 2);
    let visits = activities::list(&store, &p, &q1("care_visit")).await.unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].activity.extra_map()["households"], "5");
    assert_eq!(visits[0].activity.held_on.format("%Y-%m").to_string(), "2022-01");

    // The 党组's study plan for 2022 with monthly items, carried out by the 中心组 in Q1.
    let (plan, items) = study_plans::progress(&store, &p, s.party_group_id, 2022).await.unwrap().expect("study plan");
    assert!(plan.title.contains("学习方案"));
    let months: BTreeSet<i64> = items.iter().map(|i| i.item.month).collect();
    assert_eq!(months, (1..=12).collect());
    assert!(items.iter().filter(|i| i.item.month <= 3).all(|i| !i.done_by.is_empty()), "Q1 items are carried out");

    // Attendance is each org's roster: members who had joined by the day, absentees with reasons.
    for r in activities::list(&store, &p, &q1("branch_assembly")).await.unwrap() {
        let d = activities::get(&store, &p, &r.activity.id).await.unwrap();
        assert!(d.attendance.iter().filter(|a| a.attendance == "absent").all(|a| a.reason.is_some()));
        assert!(d.attendance.iter().all(|a| a.member_id.is_some()));
    }

    // Compliance for the quarter: mostly green, with the three gaps the demo has.
    let c = compliance::check(&store, &p, None, "2022Q1".parse().unwrap(), today).await.unwrap();
    let name = |id: &str| c.orgs.iter().find(|o| o.id == id).unwrap().name.clone();
    let ok = c.findings.iter().filter(|f| f.status == Status::Ok).count();
    let red: BTreeSet<(String, String, String)> = c
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Missing | Status::Insufficient))
        .map(|f| (name(&f.org_id), f.rule_id.clone(), f.period.to_string()))
        .collect();
    assert!(ok > 60, "{ok}");
    let expected: BTreeSet<(String, String, String)> = [
        ("市全民健身服务中心党支部", "committee_meeting_monthly", "2022-02"),
        ("机关第三党小组", "cell_meeting_monthly", "2022-03"),
        ("市竞技体育训练中心党支部", "branch_assembly_quarterly", "2022Q1"),
        // The volunteer team served its community only in March (seed report: 存在的问题).
        ("机关党支部", "volunteer_team_monthly_service", "2022-01"),
        ("机关党支部", "volunteer_team_monthly_service", "2022-02"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(red, expected);
    let assembly = c.findings.iter().find(|f| f.rule_id == "branch_assembly_quarterly" && name(&f.org_id) == "市竞技体育训练中心党支部").unwrap();
    assert!(assembly.note.contains("未达到法定人数"), "{}", assembly.note);
    // The same sitting still counts as the quarter's 党课 (multi-kind credit; a lecture has no quorum).
    let lecture = c.findings.iter().find(|f| f.rule_id == "party_lecture_quarterly" && name(&f.org_id) == "市竞技体育训练中心党支部").unwrap();
    assert_eq!(lecture.status, Status::Ok);
}
