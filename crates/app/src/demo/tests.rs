use std::collections::{BTreeSet, HashSet};

use chrono::{Days, NaiveDate};
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::idcard::IdCardNo;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_store::audit::{Verification, verify};
use dangwu_store::members::{MemberFilter, StatusFilter};
use dangwu_store::{Db, terms};

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
                assert!(d.full_on.is_none() && d.joined_on > today - Days::new(366) && d.status.code() == "probationary")
            }
            _ => assert!(age < 60 && d.full_on.is_some() && d.dues_category.code() == "in_service", "{age}"),
        }
    }
    let count = |k: fn(&Kind) -> bool| a.iter().filter(|p| k(&p.kind)).count();
    assert_eq!(count(|k| *k == Kind::Retired), 44);
    assert_eq!(count(|k| *k == Kind::Probationary), 4);
    assert!(a.iter().filter(|p| p.input.ethnicity == "汉族").count() > 150);
    assert!(a.iter().filter(|p| p.input.is_party_worker == "是").count() >= 8);
    // Another day shifts ages and dates but keeps the same people.
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
    let expected: BTreeSet<_> = generate(today).into_iter().map(|p| (p.input.name, p.input.id_card_no)).collect();
    assert_eq!(first, expected);
    for (_, id) in &first {
        IdCardNo::parse_at(id, today).unwrap();
    }

    let p = system_principal();
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
    assert_eq!(names, ["admin", "member1", "secretary1", "secretary2", "secretary3", "secretary4", "secretary5", "secretary6"]);
    let sec = users::by_username(&store, "secretary3").await.unwrap().unwrap();
    assert!(dangwu_domain::passhash::verify_password(DEMO_PASSWORD, &sec.password_hash));
    assert_eq!(sec.scope_org_id, Some(s.branch_ids[2].to_string()));

    match verify(&store.db).await.unwrap() {
        Verification::Intact { entries } => assert!(entries > 179 + 11 + 8, "{entries}"),
        Verification::Broken(b) => panic!("{b}"),
    }
    assert!(create_demo(&store, today).await.is_err(), "refuses a store that is not empty");

    // Re-creating after a wipe gives the same people and a fresh, intact chain.
    wipe(&store).await.unwrap();
    assert!(roster(&store).await.is_empty());
    assert!(matches!(verify(&store.db).await.unwrap(), Verification::Intact { entries: 0 }));
    create_demo(&store, today).await.unwrap();
    assert_eq!(roster(&store).await, first);
    assert!(matches!(verify(&store.db).await.unwrap(), Verification::Intact { .. }));
}
