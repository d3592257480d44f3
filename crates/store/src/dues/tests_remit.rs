//! Remittance and reconciliation (partial, late, large voluntary payments, a local ratio) and the ledger.

use dangwu_domain::dues::DuesRules;
use dangwu_domain::money::Fen;
use dangwu_domain::period::Period;
use dangwu_domain::rulebook::Source;

use super::tests_support::{Fixture, day};
use super::*;

fn q1() -> Period {
    "2022Q1".parse().unwrap()
}

fn remit(f: &Fixture, yuan: &str, on: chrono::NaiveDate, voucher: &str) -> RemittanceInput {
    RemittanceInput { org_id: f.branch.org_id(), period: q1(), amount: Fen::parse_yuan(yuan, "amount").unwrap(), remitted_on: on, voucher: voucher.into() }
}

/// Two members paying 76.50 and 0.20 for each month of Q1 (one with 1000 yuan voluntary extra).
async fn quarter(f: &Fixture) -> (dangwu_domain::MemberId, dangwu_domain::MemberId) {
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    let wang = f.member(&f.branch, "王建国", day(2005, 7, 1), Some(day(2006, 7, 1)), "in_service").await;
    let xu = f.member(&f.branch, "徐佳", day(2019, 7, 1), Some(day(2020, 7, 1)), "student").await;
    let today = day(2022, 12, 31);
    for (m, amount, voluntary) in [(wang, "76.50", "1000.00"), (xu, "0.20", "")] {
        for (mo, on) in [("2022-01", "2022-01-12"), ("2022-02", "2022-02-14"), ("2022-03", "2022-03-11")] {
            let v = if mo == "2022-02" { voluntary } else { "" };
            let form = PaymentForm { member_id: m.to_string(), months: mo.into(), amount: amount.into(), voluntary: v.into(), paid_on: on.into(), ..Default::default() };
            record(s, p, a, &form.parse(today).unwrap(), today).await.unwrap();
        }
    }
    (wang, xu)
}

#[tokio::test]
async fn reconciliation_adds_partial_remittances_and_says_what_is_missing() {
    let f = Fixture::new().await;
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    quarter(&f).await;
    let today = day(2022, 12, 31);
    // Collected 3 × 76.70 + 1000 = 1230.10; ratio 1: owed the same.
    let r = reconcile(s, p, f.branch.org_id(), q1(), day(2022, 4, 5)).await.unwrap();
    assert_eq!((r.collected, r.owed, r.remitted, r.payments, r.members_paid), (Fen(123010), Fen(123010), Fen::ZERO, 6, 2));
    assert_eq!(r.deadline, day(2022, 4, 30));
    assert!(!r.ok && r.status.contains("尚欠1230.10元") && r.status.contains("上缴期限2022-04-30"), "{}", r.status);
    assert_eq!(r.large_voluntary.len(), 1);
    assert!(r.notes.iter().any(|n| n.contains("大额党费1笔共1000.00元") && n.contains("中央")), "{:?}", r.notes);

    // Refusals: nothing is written.
    let before = (f.count("dues_remittances").await, f.audit().await);
    for (bad, want) in [
        (remit(&f, "0", day(2022, 4, 10), "V1"), "应大于0"),
        (remit(&f, "100", day(2022, 4, 10), " "), "凭证号"),
        (remit(&f, "100", day(2021, 12, 31), "V1"), "早于所属期间"),
        (remit(&f, "100", day(2023, 1, 1), "V1"), "晚于今天"),
        (RemittanceInput { period: "2022-03".parse().unwrap(), ..remit(&f, "100", day(2022, 4, 10), "V1") }, "每季度"),
    ] {
        let e = record_remittance(s, p, a, &bad, today).await.unwrap_err().to_string();
        assert!(e.contains(want), "{e} / {want}");
    }
    assert_eq!((f.count("dues_remittances").await, f.audit().await), before);

    // Two partial remittances before the deadline add up to 按期足额上缴.
    record_remittance(s, p, a, &remit(&f, "1000.00", day(2022, 4, 8), "ZY-2022-031"), today).await.unwrap();
    let r = reconcile(s, p, f.branch.org_id(), q1(), day(2022, 4, 9)).await.unwrap();
    assert!(r.status.contains("已上缴1000.00元，尚欠230.10元"), "{}", r.status);
    record_remittance(s, p, a, &remit(&f, "230.10", day(2022, 4, 20), "ZY-2022-036"), today).await.unwrap();
    let r = reconcile(s, p, f.branch.org_id(), q1(), today).await.unwrap();
    assert_eq!((r.status.as_str(), r.ok, r.on_time, r.difference), ("按期足额上缴", true, true, Fen::ZERO));
    assert_eq!(r.remittances.len(), 2);
    // The committee collected the same through its branch but remitted nothing itself.
    let c = reconcile(s, p, f.committee.org_id(), q1(), today).await.unwrap();
    assert_eq!(c.collected, Fen(123010));
    assert!(c.status.contains("已超过上缴期限2022-04-30"), "{}", c.status);
    // The other branch had no dues at all.
    let o = reconcile(s, p, f.other.org_id(), q1(), today).await.unwrap();
    assert!(!o.ok && o.status.contains("未收缴党费"), "{}", o.status);
    f.close().await;
}

#[tokio::test]
async fn late_remittance_and_a_local_ratio() {
    let mut f = Fixture::new().await;
    let text = "remit_ratio = \"0.5\"\n";
    let rules = DuesRules::load(Some(Source { file: "dues.toml", text })).unwrap();
    f.store = f.store.clone().with_dues(rules);
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    quarter(&f).await;
    let today = day(2022, 12, 31);
    // (1230.10 − 1000) × 50% + 1000 (the large voluntary payment in full) = 1115.05.
    let r = reconcile(s, p, f.branch.org_id(), q1(), today).await.unwrap();
    assert_eq!(r.owed, Fen(111505));
    record_remittance(s, p, a, &remit(&f, "1000", day(2022, 4, 29), "V-1"), today).await.unwrap();
    record_remittance(s, p, a, &remit(&f, "120.00", day(2022, 5, 6), "V-2"), today).await.unwrap();
    let r = reconcile(s, p, f.branch.org_id(), q1(), today).await.unwrap();
    assert!(!r.ok && !r.on_time, "{r:?}");
    assert_eq!(r.status, "已足额上缴，但逾期：上缴期限2022-04-30前只上缴1000.00元，其余于2022-05-06补缴");
    assert!(r.notes.iter().any(|n| n == "多上缴4.95元"), "{:?}", r.notes);
    f.close().await;
}

#[tokio::test]
async fn ledger_shows_paid_unpaid_and_not_due_months() {
    let f = Fixture::new().await;
    let (wang, xu) = quarter(&f).await;
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    save(s, p, a, wang, 2022, &VerificationInput { person_type: "organ".into(), base_override: Some(Fen(510000)), ..Default::default() }).await.unwrap();
    let late = f.member(&f.branch, "韩梦", day(2022, 2, 20), None, "in_service").await;
    let l = ledger(s, p, f.branch.org_id(), 2022, day(2022, 4, 15)).await.unwrap();
    let row = |id: dangwu_domain::MemberId| l.rows.iter().find(|r| r.member_id == id.to_string()).unwrap();
    let w = row(wang);
    assert_eq!(w.monthly, Some(Fen(7650)));
    assert_eq!(&w.cells[..5], &[LedgerCell::Paid(Fen(7650)), LedgerCell::Paid(Fen(107650)), LedgerCell::Paid(Fen(7650)), LedgerCell::NotDue, LedgerCell::NotDue]);
    assert_eq!(w.total, Fen(122950));
    assert_eq!((row(xu).monthly, row(xu).total), (None, Fen(60)));
    assert_eq!(&row(late).cells[..4], &[LedgerCell::NotDue, LedgerCell::Unpaid, LedgerCell::Unpaid, LedgerCell::NotDue]);
    assert_eq!((l.month_totals[1], l.total), (Fen(107670), Fen(123010)));
    f.close().await;
}

#[tokio::test]
async fn base_sheet_import_is_all_or_nothing() {
    use crate::import::ImportError;
    let f = Fixture::new().await;
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    let wang = f.member(&f.branch, "王建国", day(2005, 7, 1), Some(day(2006, 7, 1)), "in_service").await;
    let li = f.member(&f.branch, "李秀兰", day(1985, 6, 1), Some(day(1986, 6, 1)), "retired").await;
    let idno = |m| {
        let s = s.clone();
        async move {
            let m = crate::members::get(&s, &crate::dues::tests_support::admin(), m).await.unwrap().member;
            s.keys.decrypt(&m.id_card_enc).unwrap()
        }
    };
    let (wid, lid) = (idno(wang).await, idno(li).await);
    let items = |v: &[(&str, &str)]| v.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect::<Vec<_>>();
    let good = vec![
        BaseRow { row: 2, name: "王建国".into(), id_card_no: wid.clone(), person_type: "机关".into(),
                  items: items(&[("职务工资", "3000"), ("级别工资", "2500.00"), ("规范津贴补贴", "1,000"), ("改革性补贴", "800")]),
                  deductions: "1200".into(), tax: "200".into() },
        BaseRow { row: 3, name: "李秀兰".into(), id_card_no: lid.clone(), person_type: "离退休".into(),
                  items: items(&[("基本养老金", "4800"), ("津补贴", "600")]), ..Default::default() },
    ];
    let mut bad = good.clone();
    bad[0].tax = "abc".into();
    bad[1].items[0].1 = "-5".into();
    bad.push(BaseRow { row: 4, name: "查无此人".into(), id_card_no: "110105194912310021".into(), ..Default::default() });
    bad.push(BaseRow { row: 5, name: "王建华".into(), ..good[0].clone() });
    let before = (f.count("dues_verifications").await, f.audit().await);
    let Err(ImportError::Rows(errs)) = import_bases(s, p, a, 2022, bad, false).await else { panic!() };
    let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.row, e.field.as_str())).collect();
    assert!(got.contains(&(2, "tax")) && got.contains(&(3, "items")) && got.contains(&(5, "name")), "{errs:?}");
    assert!(errs.iter().any(|e| e.row == 5 && e.field == "id_card_no" && e.message.contains("第2行")), "{errs:?}");
    assert!(errs.iter().any(|e| e.row == 4), "{errs:?}");
    assert!(errs.iter().any(|e| e.row == 3 && e.message.contains("基本养老金") && e.message.contains("负数")), "{errs:?}");
    assert_eq!((f.count("dues_verifications").await, f.audit().await), before, "a bad sheet writes nothing");

    let dry = import_bases(s, p, a, 2022, good.clone(), true).await.unwrap();
    assert_eq!((dry.rows, dry.monthly_total), (2, Fen(7650 + 2400)));
    assert_eq!(f.count("dues_verifications").await, 0);
    import_bases(s, p, a, 2022, good.clone(), false).await.unwrap();
    let rows = for_org(s, p, f.branch.org_id(), 2022).await.unwrap();
    let amounts: Vec<(String, i64)> = rows.iter().map(|r| (r.name.clone(), r.current.as_ref().unwrap().amount_fen)).collect();
    assert_eq!(amounts, [("李秀兰".to_owned(), 2400), ("王建国".to_owned(), 7650)]);
    confirm(s, p, a, f.branch.org_id(), 2022).await.unwrap();
    let Err(ImportError::Rows(errs)) = import_bases(s, p, a, 2022, good, false).await else { panic!() };
    assert!(errs.iter().all(|e| e.message.contains("已确认锁定")) && errs.len() == 2, "{errs:?}");
    f.close().await;
}
