//! The demo's dues: the seed report's 核定 and 按期足额上缴, arrears before today, and the wipe.

use chrono::NaiveDate;
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::dues::ArrearsLevel;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::period::Period;
use dangwu_store::dues::{self, VerificationTally};
use dangwu_store::members::{MemberFilter, StatusFilter};
use dangwu_store::{Db, Store, members};

use super::*;

#[tokio::test]
async fn dues_2022_verified_q1_remitted_in_full_and_arrears_before_today() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_sqlite(dir.path()).await.unwrap();
    db.migrate().await.unwrap();
    let store = Store::new(db, FieldKeys::from_master("k1", &[7u8; 32]), OrgCatalogue::shipped());
    let today = chrono::Local::now().date_naive();
    let s = create_demo(&store, today).await.unwrap();
    let p = system_principal();

    // 完成新年度核定党员交纳党费计算基数: every member verified for 2022 and confirmed.
    let rows = dues::for_org(&store, &p, s.organ_committee_id, 2022).await.unwrap();
    assert_eq!(VerificationTally::of(&rows), VerificationTally { members: 179, verified: 179, confirmed: 179 });
    assert_eq!((s.dues.verified, s.dues.confirmed), (179, 179));
    for r in &rows {
        let v = r.current.as_ref().unwrap();
        let want = match (r.dues_category.as_str(), r.org_name.as_str()) {
            ("retired", _) => "retired",
            (_, "机关党支部") => "organ",
            (_, "海滨体育产业发展有限公司党支部") => "enterprise",
            _ => "institution",
        };
        assert_eq!(v.person_type, want, "{}", r.name);
        assert!(v.amount_fen > 0 && v.base_fen.is_some_and(|b| b > 200_000), "{}: {v:?}", r.name);
        if want == "retired" {
            assert!(v.pay_items().iter().all(|i| i.included == (i.name == "基本养老金")), "{v:?}");
        }
    }

    // 按期足额完成一季度党费上缴: every branch and the 机关党委, with every member's Q1 paid.
    let q1: Period = "2022Q1".parse().unwrap();
    for id in s.branch_ids.iter().chain([&s.organ_committee_id]) {
        let r = dues::reconcile(&store, &p, *id, q1, today).await.unwrap();
        assert_eq!(r.status, "按期足额上缴", "{}: {r:?}", r.org_name);
        assert!(r.ok && r.on_time && r.remittances.iter().all(|x| x.remitted_on < NaiveDate::from_ymd_opt(2022, 4, 15).unwrap()));
    }
    let all = dues::reconcile(&store, &p, s.organ_committee_id, q1, today).await.unwrap();
    assert_eq!((all.members_paid, all.payments), (179, 179 * 3));
    assert_eq!(all.large_voluntary.len(), 1, "the veteran's 1000 yuan, remitted in full");
    let ledger = dues::ledger(&store, &p, s.branch_ids[0], 2022, today).await.unwrap();
    assert!(ledger.rows.iter().all(|r| r.cells[..3].iter().all(|c| matches!(c, dues::LedgerCell::Paid(_)))));

    // Before today: two members 3–4 months behind (warnings), one 7 (the 党章 第九条 flag).
    let list = dues::arrears(&store, &p, None, today).await.unwrap();
    let got: Vec<(u32, ArrearsLevel)> = list.iter().map(|a| (a.unpaid_months, a.level)).collect();
    assert_eq!(got, [(7, ArrearsLevel::Flag), (4, ArrearsLevel::Warning), (3, ArrearsLevel::Warning)], "{list:?}");
    assert!(list[0].citation.as_deref().unwrap().contains("党章第九条"));
    assert_eq!((s.dues.warnings, s.dues.flags), (2, 1));
    // A flag only: nobody's status changed.
    let f = MemberFilter { status: StatusFilter::All, per_page: 500, page: 1, ..Default::default() };
    assert!(members::list(&store, &p, &f).await.unwrap().items.iter().all(|r| r.member.status == "full"));

    // The wipe empties the dues tables too.
    wipe(&store).await.unwrap();
    for t in ["dues_verifications", "dues_payments", "dues_remittances"] {
        let n: i64 = store.db.read().scalar(&format!("SELECT COUNT(*) FROM {t}"), vec![]).await.unwrap();
        assert_eq!(n, 0, "{t}");
    }
}
