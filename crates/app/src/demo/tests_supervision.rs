//! The demo's 巡察整改: a ledger under weekly dispatch through Q1 2022 with some items open.

use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::org_catalogue::OrgCatalogue;
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
}
