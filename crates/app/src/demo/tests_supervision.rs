//! The demo's 巡察整改: a ledger under weekly dispatch through Q1 2022 with some items open.

use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::facts::FactValue;
use dangwu_store::supervision;
use dangwu_store::{Db, Store};

use super::*;

#[tokio::test]
async fn rectification_ledger_under_weekly_dispatch_with_items_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_sqlite(dir.path()).await.unwrap();
    db.migrate().await.unwrap();
    let store = Store::new(db, FieldKeys::from_master("k1", &[7u8; 32]), OrgCatalogue::shipped());
    let today = chrono::Local::now().date_naive();
    let s = create_demo(&store, today).await.unwrap();
    let p = system_principal();
    let sv = &s.supervision;
    assert_eq!((sv.items, sv.closed, sv.rounds), (10, 6, 12));
    let q1_end = NaiveDate::from_ymd_opt(2022, 3, 31).unwrap();
    let r = supervision::report(&store, &p, &sv.ledger_id, q1_end).await.unwrap();
    assert_eq!((r.total, r.closed, r.in_progress), (10, 6, 4));
    assert_eq!(r.rate_text(), "60.0%");
    assert!(r.overdue >= 1, "the company's item is overdue at the end of Q1");
    assert_eq!(r.deadline, NaiveDate::from_ymd_opt(2022, 2, 20).unwrap());
    // The last round of the quarter reproduces the ledger as of 25 March.
    let rounds = supervision::rounds(&store, &p, &sv.ledger_id).await.unwrap();
    let last = &rounds[0].snapshot;
    assert_eq!((last.totals.total, last.totals.closed), (10, 6));
    assert!(last.sections.iter().any(|x| x.department == "市体育运动学校"));
    // 第9项 belongs to secretary1's own member record.
    let item = supervision::item(&store, &p, &sv.owned_by_secretary1).await.unwrap();
    let sec = s.logins.iter().find(|l| l.username == "secretary1").unwrap();
    assert_eq!(item.item.owner_member_id, sec.member_id.map(|m| m.to_string()));

    // The report's facts for the bureau in Q1 2022.
    let root = dangwu_store::orgs::find(&store, s.party_group_id).await.unwrap().unwrap();
    let scope = dangwu_store::facts::FactScope { root, period: dangwu_domain::period::Period::parse("2022Q1").unwrap() };
    let f = dangwu_store::facts::collect(&store, &scope).await.unwrap();
    let count = |n: &str| match f.get(n).unwrap_or_else(|| panic!("fact {n}")).value {
        FactValue::Count(c) => c,
        ref v => panic!("{n}: {v:?}"),
    };
    assert_eq!((count("rectification_items_total"), count("rectification_items_closed"), count("dispatch_rounds")), (10, 6, 12));
    assert_eq!(f.get("rectification_completion_rate").unwrap().value, FactValue::Ratio { num: 6, den: 10 });
    assert_eq!((count("positions_screened_network_platform"), count("positions_screened_school"), count("positions_screened_total")), (7, 4, 11));
    assert_eq!((count("integrity_risk_points"), count("integrity_units_covered"), count("risk_screening_campaigns")), (8, 8, 1));
    assert_eq!((count("inspection_branches"), count("inspection_items_checked"), count("inspection_failures")), (5, 30, 2));
    let FactValue::List(programs) = &f.get("programs_started").unwrap().value else { panic!() };
    let names: Vec<&str> = programs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(names, ["“机关接地气、干部走基层”活动", "“能力作风建设年”活动"]);
    assert_eq!(f.get("dispatch_rounds").unwrap().records[0].kind, "dispatch");
    assert_eq!((s.campaigns.positions, s.campaigns.failures), (11, 2));
    // A branch's subtree sees only its own items.
    let school = dangwu_store::orgs::find(&store, s.branch_ids[1]).await.unwrap().unwrap();
    let f = dangwu_store::facts::collect(&store, &dangwu_store::facts::FactScope { root: school, period: scope.period }).await.unwrap();
    assert_eq!(f.get("rectification_items_total").unwrap().value, FactValue::Count(1));
    assert_eq!(f.get("positions_screened_school").unwrap().value, FactValue::Count(4));
    assert_eq!(f.get("inspection_branches").unwrap().value, FactValue::Count(1));
}
