//! Verification, payments and arrears against a real database: bad input leaves nothing written.

use dangwu_domain::DomainError;
use dangwu_domain::dues::{ArrearsLevel, PayItem};
use dangwu_domain::money::Fen;

use super::tests_support::{Fixture, day, secretary};
use super::*;
use crate::StoreError;

fn item(name: &str, yuan: i64, included: bool) -> PayItem {
    PayItem { name: name.into(), amount: Fen(yuan * 100), included }
}

fn organ_input() -> VerificationInput {
    VerificationInput {
        person_type: "organ".into(),
        items: vec![item("职务工资", 3000, true), item("级别工资", 2500, true), item("规范津贴补贴", 1000, false), item("改革性补贴", 800, true)],
        deductions: Fen(120000),
        tax: Fen(20000),
        effective_month: 1,
        ..Default::default()
    }
}

/// Rows and audit entries, to show that a refused write changed nothing.
async fn state(f: &Fixture) -> (i64, i64, i64) {
    (f.count("dues_verifications").await, f.count("dues_payments").await, f.audit().await)
}

#[tokio::test]
async fn verification_computes_locks_and_versions() {
    let f = Fixture::new().await;
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    let wang = f.member(&f.branch, "王建国", day(2005, 7, 1), Some(day(2006, 7, 1)), "in_service").await;
    let li = f.member(&f.branch, "李秀兰", day(1985, 6, 1), Some(day(1986, 6, 1)), "retired").await;
    let zhao = f.member(&f.other, "赵晓燕", day(2020, 5, 1), Some(day(2021, 5, 1)), "student").await;

    // 6500 included (改革性补贴 excluded by person type, 规范津贴补贴 included) − 1200 − 200 = 5100 → 76.50.
    let v = save(s, p, a, wang, 2022, &organ_input()).await.unwrap();
    assert_eq!((v.base_fen, v.amount_fen, v.rate, v.version, v.status.as_str()), (Some(510000), 7650, Some(1500), 1, "draft"));
    assert_eq!(v.bracket, "5000元以上至10000元（含）");
    assert!(v.pay_items().iter().any(|i| i.name == "规范津贴补贴" && i.included));
    assert!(v.pay_items().iter().any(|i| i.name == "改革性补贴" && !i.included));
    // Retirees: the basic pension only, even when an allowance is marked as included.
    let r = VerificationInput { items: vec![item("基本养老金", 4800, true), item("津补贴", 600, true)], ..Default::default() };
    let v2 = save(s, p, a, li, 2022, &r).await.unwrap();
    assert_eq!((v2.base_fen, v2.amount_fen, v2.person_type.as_str()), (Some(480000), 2400, "retired"));
    let st = save(s, p, a, zhao, 2022, &VerificationInput::default()).await.unwrap();
    assert_eq!((st.base_fen, st.amount_fen, st.rate), (None, 20, None));

    // A draft is replaced in place.
    let mut changed = organ_input();
    changed.tax = Fen(30000);
    let v = save(s, p, a, wang, 2022, &changed).await.unwrap();
    assert_eq!((v.version, v.base_fen, v.amount_fen), (1, Some(500000), 5000));

    // Refusals write nothing: no person type, a reduction without its decision, a negative item.
    let before = state(&f).await;
    let e = save(s, p, a, wang, 2022, &VerificationInput { person_type: String::new(), ..organ_input() }).await.unwrap_err();
    assert!(e.to_string().contains("人员类别"), "{e}");
    let e = save(s, p, a, wang, 2022, &VerificationInput { reduced_amount: Some(Fen(1000)), ..organ_input() }).await.unwrap_err();
    assert!(e.to_string().contains("党支部研究决定"), "{e}");
    let mut neg = organ_input();
    neg.items[0].amount = Fen(-1);
    assert!(save(s, p, a, wang, 2022, &neg).await.unwrap_err().to_string().contains("不能为负数"));
    // Another branch's secretary cannot touch this branch's members.
    let e = save(s, &secretary(&f.other), a, wang, 2022, &organ_input()).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_) | StoreError::Domain(DomainError::Forbidden(_))), "{e}");
    assert_eq!(state(&f).await, before);

    let rows = for_org(s, p, f.branch.org_id(), 2022).await.unwrap();
    assert_eq!(VerificationTally::of(&rows), VerificationTally { members: 2, verified: 2, confirmed: 0 });
    // Confirming the branch locks its drafts only (赵晓燕 is in the other branch).
    assert_eq!(confirm(s, p, a, f.branch.org_id(), 2022).await.unwrap(), 2);
    assert_eq!(confirm(s, p, a, f.branch.org_id(), 2022).await.unwrap(), 0);
    let rows = for_org(s, p, f.committee.org_id(), 2022).await.unwrap();
    assert_eq!(VerificationTally::of(&rows), VerificationTally { members: 3, verified: 3, confirmed: 2 });

    // Editing the locked year is refused with a clear message, and changes nothing.
    let before = state(&f).await;
    let e = save(s, p, a, wang, 2022, &organ_input()).await.unwrap_err();
    assert!(e.to_string().contains("已确认锁定") && e.to_string().contains("王建国"), "{e}");
    assert_eq!(state(&f).await, before);

    // A mid-year change is a new version from July; the locked amount stays in force until it is confirmed.
    let raise = VerificationInput { effective_month: 7, items: vec![item("职务工资", 4000, true), item("级别工资", 3000, true)], ..organ_input() };
    let v3 = save(s, p, a, wang, 2022, &raise).await.unwrap();
    assert_eq!((v3.version, v3.effective_month, v3.amount_fen), (2, 7, 8400)); // 7000 − 1200 − 200 = 5600 × 1.5%
    assert_eq!(amount_for(s, wang, 2022, 7).await.unwrap(), Some(Fen(5000)));
    confirm(s, p, a, f.branch.org_id(), 2022).await.unwrap();
    assert_eq!(amount_for(s, wang, 2022, 6).await.unwrap(), Some(Fen(5000)));
    assert_eq!(amount_for(s, wang, 2022, 7).await.unwrap(), Some(Fen(8400)));
    // Until 2023 is verified, last year's amount applies; before any verification there is none.
    assert_eq!(amount_for(s, wang, 2023, 1).await.unwrap(), Some(Fen(8400)));
    assert_eq!(amount_for(s, wang, 2021, 12).await.unwrap(), None);
    let rows = for_org(s, p, f.branch.org_id(), 2022).await.unwrap();
    let w = rows.iter().find(|r| r.name == "王建国").unwrap();
    assert_eq!((w.versions, w.current.as_ref().unwrap().version), (2, 2));
    // A branch decision reduces a retiree's amount (a new version, with its reference).
    let cut = VerificationInput { effective_month: 3, reduced_amount: Some(Fen(0)), reduction_ref: Some("测试第一党支部〔2022〕2号".into()), ..r };
    let v4 = save(s, p, a, li, 2022, &cut).await.unwrap();
    assert_eq!((v4.amount_fen, v4.reduction_ref.as_deref()), (0, Some("测试第一党支部〔2022〕2号")));
    assert!(v4.note.unwrap().contains("免交"));
    f.close().await;
}

fn form(member: dangwu_domain::MemberId, months: &str, paid_on: &str) -> PaymentForm {
    PaymentForm { member_id: member.to_string(), months: months.into(), paid_on: paid_on.into(), ..Default::default() }
}

#[tokio::test]
async fn payments_refuse_bad_input_and_write_nothing() {
    let f = Fixture::new().await;
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    let today = day(2023, 6, 30);
    let wang = f.member(&f.branch, "王建国", day(2005, 7, 1), Some(day(2006, 7, 1)), "in_service").await;
    // Probationary since the branch meeting of 15 September 2021.
    let sun = f.member(&f.branch, "孙雅婷", day(2021, 9, 15), None, "in_service").await;
    for m in [wang, sun] {
        save(s, p, a, m, 2022, &organ_input()).await.unwrap();
    }
    confirm(s, p, a, f.branch.org_id(), 2022).await.unwrap();

    let paid = record(s, p, a, &form(wang, "2022Q1", "2022-03-10").parse(today).unwrap(), today).await.unwrap();
    assert_eq!(paid.len(), 3);
    assert!(paid.iter().all(|x| x.amount_fen == 7650 && x.payer == "self" && x.method == "cash"));
    let before = state(&f).await;

    // Text input: negative and non-numeric amounts name their field.
    let bad = PaymentForm { amount: "-76.50".into(), voluntary: "abc".into(), ..form(wang, "2022-04", "2022-04-10") };
    let DomainError::Invalid(errs) = bad.parse(today).unwrap_err() else { panic!() };
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["amount", "voluntary"], "{errs:?}");
    assert!(errs[0].message.contains("不能为负数") && errs[1].message.contains("格式不正确"));
    assert!(form(wang, "2022-13", "").parse(today).is_err());
    assert!(PaymentForm { paid_on: "昨天".into(), ..form(wang, "2022-04", "") }.parse(today).is_err());

    let try_pay = |m, months: &str, on: &str| {
        let input = form(m, months, on).parse(today).unwrap();
        async move { record(s, p, a, &input, today).await.unwrap_err().to_string() }
    };
    // Duplicate member-month (409), even within a batch with a new month.
    let e = record(s, p, a, &form(wang, "2022-03,2022-04", "2022-04-10").parse(today).unwrap(), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }) && e.to_string().contains("2022年3月"), "{e}");
    // Before membership: a probationary member pays from the month of the branch meeting.
    let e = try_pay(sun, "2021-08,2021-09", "2021-10-08").await;
    assert!(e.contains("2021年8月早于") && e.contains("预备党员"), "{e}");
    // More than six months back, and in advance (off by default).
    let e = try_pay(wang, "2022-05,2022-06", "2022-12-20").await;
    assert!(e.contains("2022年5月") && e.contains("不超过6个月") && !e.contains("2022年6月距"), "{e}");
    assert!(try_pay(wang, "2022-05", "2022-04-28").await.contains("不接受预交"));
    // A future payment date, a proxy without a name, a negative amount given directly.
    assert!(try_pay(wang, "2023-06", "2023-07-01").await.contains("晚于今天"));
    let proxy = PaymentInput { payer: Payer::Proxy, ..form(wang, "2022-04", "2022-04-10").parse(today).unwrap() };
    assert!(record(s, p, a, &proxy, today).await.unwrap_err().to_string().contains("代交人"));
    let neg = PaymentInput { amount: Some(Fen(-100)), ..form(wang, "2022-04", "2022-04-10").parse(today).unwrap() };
    assert!(record(s, p, a, &neg, today).await.unwrap_err().to_string().contains("不能为负数"));
    // No verification for a month and no amount given.
    let zhou = f.member(&f.branch, "周志强", day(2010, 1, 1), Some(day(2011, 1, 1)), "in_service").await;
    let before = (before.0, before.1, f.audit().await);
    assert!(try_pay(zhou, "2022-04", "2022-04-10").await.contains("尚无党费核定"));
    assert_eq!(state(&f).await, before, "refused payments wrote nothing");

    // The limits themselves are allowed: exactly six months back, the joining month, a proxy.
    let ok = PaymentForm { payer: "委托代交".into(), payer_name: "孙父".into(), method: "微信".into(), receipt_no: "No.0012".into(), amount: "15.00".into(), ..form(sun, "2021-09", "2022-03-20") };
    let r = record(s, p, a, &ok.parse(today).unwrap(), today).await.unwrap();
    // A branch's collection sheet: one member at fault refuses the whole batch, naming them.
    let before = state(&f).await;
    let batch = [form(wang, "2022-04", "2022-04-12").parse(today).unwrap(), form(sun, "2022-03", "2022-04-12").parse(today).unwrap(), form(zhou, "2022-04", "2022-04-12").parse(today).unwrap()];
    let e = record_many(s, p, a, &batch, today).await.unwrap_err().to_string();
    assert!(e.contains("周志强"), "{e}");
    assert_eq!(state(&f).await, before);
    assert_eq!(record_many(s, p, a, &batch[..2], today).await.unwrap(), 2);
    assert_eq!(state(&f).await, (before.0, before.1 + 2, before.2 + 1), "one audit entry for the sheet");
    assert_eq!((r[0].payer.as_str(), r[0].method.as_str(), r[0].amount_fen), ("proxy", "wechat", 1500));
    assert_eq!(r[0].payer_name.as_deref(), Some("孙父"));
    f.close().await;
}

#[tokio::test]
async fn arrears_across_a_year_end_flag_but_never_change_status() {
    let f = Fixture::new().await;
    let (s, p, a) = (&f.store, &f.p, &f.actor);
    let wang = f.member(&f.branch, "王建国", day(2005, 7, 1), Some(day(2006, 7, 1)), "in_service").await;
    let li = f.member(&f.branch, "李国华", day(2008, 7, 1), Some(day(2009, 7, 1)), "in_service").await;
    let _new = f.member(&f.other, "陈静", day(2015, 7, 1), Some(day(2016, 7, 1)), "in_service").await;
    for m in [wang, li] {
        save(s, p, a, m, 2022, &organ_input()).await.unwrap();
    }
    confirm(s, p, a, f.committee.org_id(), 2022).await.unwrap();
    let today = day(2023, 12, 31);
    let pay = |m, months: &str, on: &str| {
        let input = form(m, months, on).parse(today).unwrap();
        async move { record(s, p, a, &input, today).await.unwrap() }
    };
    for (mo, on) in [("2022-01,2022-02,2022-03", "2022-03-15"), ("2022-04,2022-05,2022-06", "2022-06-15"), ("2022-07,2022-08,2022-09", "2022-09-15"), ("2022-10", "2022-10-15")] {
        pay(wang, mo, on).await;
        pay(li, mo, on).await;
    }
    pay(li, "2022-11,2022-12", "2022-12-10").await;
    pay(li, "2023-01,2023-02", "2023-02-10").await;

    // Paid through October 2022; on 10 March 2023 November … February are unpaid: a warning.
    let list = arrears(s, p, None, day(2023, 3, 10)).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let w = &list[0];
    assert_eq!((w.name.as_str(), w.unpaid_months, w.level, w.since.as_str()), ("王建国", 4, ArrearsLevel::Warning, "2022-11"));
    assert_eq!(w.last_paid.as_deref(), Some("2022-10"));
    assert!(w.citation.is_none());
    // 陈静 has no dues records at all: not reported as arrears (she appears as not verified).
    // By May, six months: the flag citing 党章 第九条 — and the member is still a full member.
    let list = arrears(s, p, Some(f.branch.org_id()), day(2023, 5, 2)).await.unwrap();
    let names: Vec<(&str, u32)> = list.iter().map(|x| (x.name.as_str(), x.unpaid_months)).collect();
    assert_eq!(names, [("王建国", 6), ("李国华", 2)]);
    assert_eq!(list[0].level, ArrearsLevel::Flag);
    assert!(list[0].citation.as_deref().unwrap().contains("党章第九条") && list[0].note.contains("支部大会"));
    let m = crate::members::get(s, p, wang).await.unwrap();
    assert_eq!(m.member.status, "full");
    // Payments made after `as_of` do not count for it; scoping hides other branches.
    assert!(arrears(s, &secretary(&f.other), None, day(2023, 5, 2)).await.unwrap().is_empty());
    let list = arrears(s, p, None, day(2022, 10, 1)).await.unwrap();
    assert!(list.is_empty(), "{list:?}");
    // Paying the back months (within six) clears it.
    pay(wang, "2022-11,2022-12,2023-01,2023-02,2023-03,2023-04", "2023-05-06").await;
    let list = arrears(s, p, None, day(2023, 5, 10)).await.unwrap();
    assert_eq!(list.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), ["李国华"]);
    f.close().await;
}
