use super::*;
use std::collections::BTreeSet;

fn amount(c: DuesCategory, base: &str) -> String {
    calc(&DuesRules::shipped(), c, Some(Fen::parse_yuan(base, "base").unwrap()), None).unwrap().amount.to_string()
}

#[test]
fn documented_examples() {
    use DuesCategory::*;
    for (base, want) in [("5100", "76.50"), ("4900", "49.00"), ("3000.00", "15.00"), ("3000.01", "30.00"), ("10000.00", "150.00"), ("10000.01", "200.00")] {
        assert_eq!(amount(InService, base), want, "in service {base}");
    }
    assert_eq!(amount(Retired, "5000.00"), "25.00");
    assert_eq!(amount(Retired, "5000.01"), "50.00");
    // 年薪制 bonus month: 245,000 × 2% (2008问答)
    assert_eq!(amount(Other, "245000"), "4900.00");
}

#[test]
fn brackets_and_flat_amounts_explain_themselves() {
    let r = DuesRules::shipped();
    let c = calc(&r, DuesCategory::InService, Some(Fen(510000)), None).unwrap();
    assert_eq!(c.bracket, "5000元以上至10000元（含）");
    assert_eq!(c.rate.unwrap().percent(), "1.5%");
    assert!(c.citation.contains("第二条"));
    let s = calc(&r, DuesCategory::Student, None, None).unwrap();
    assert_eq!((s.amount, s.bracket.as_str()), (Fen(20), "0.20元/月"));
    assert_eq!(calc(&r, DuesCategory::Farmer, None, Some(Fen(50))).unwrap().amount, Fen(50));
    assert!(calc(&r, DuesCategory::Farmer, None, Some(Fen(150))).unwrap_err().to_string().contains("0.20至1.00"));
    let big = calc(&r, DuesCategory::InService, Some(Fen(6_000_000)), None).unwrap();
    assert!(big.note.unwrap().contains("1000元"));
    assert!(calc(&r, DuesCategory::InService, None, None).is_err());
}

#[test]
fn base_from_pay_items() {
    let items = [
        PayItem { name: "职务工资".into(), amount: Fen(300000), included: true },
        PayItem { name: "级别工资".into(), amount: Fen(250000), included: true },
        PayItem { name: "车补".into(), amount: Fen(50000), included: false },
    ];
    assert_eq!(base_from_items(&items, Fen(40000), Fen(0)), Fen(510000));
    assert_eq!(base_from_items(&items, Fen(900000), Fen(0)), Fen(0));
}

#[test]
fn arrears_across_a_year_end() {
    let r = DuesRules::shipped();
    let due = months_between((2021, 10), (2022, 3));
    assert_eq!(due.len(), 6);
    let paid: BTreeSet<_> = [(2021, 9), (2021, 10)].into_iter().collect();
    let n = consecutive_unpaid(&due, &paid);
    assert_eq!(n, 5);
    assert_eq!(arrears_level(&r, n), ArrearsLevel::Warning);
    assert_eq!(arrears_level(&r, consecutive_unpaid(&due, &BTreeSet::new())), ArrearsLevel::Flag);
    let paid: BTreeSet<_> = [(2022, 3)].into_iter().collect();
    assert_eq!(consecutive_unpaid(&due, &paid), 0);
}

#[test]
fn override_changes_rounding_and_adds_nothing_unexpected() {
    let text = "rounding = \"down\"\narrears_warning_months = 2\n";
    let r = DuesRules::load(Some(Source { file: "dues.toml", text })).unwrap();
    assert_eq!(r.rounding, Rounding::Down);
    assert_eq!(r.arrears_warning_months, 2);
    assert_eq!(r.scales.len(), DuesRules::shipped().scales.len());
    let e = DuesRules::load(Some(Source { file: "/d/dues.toml", text: "[[scale]]\ncategory = \"in_service\"\ncitation = \"x\"\nbrackets = [{ up_to = \"5000\", rate = \"0.01\" }, { up_to = \"3000\", rate = \"0.02\" }, { rate = \"0.03\" }]\n" }))
        .unwrap_err();
    assert!(e.to_string().contains("逐档增大"), "{e}");
    let e = DuesRules::load(Some(Source { file: "/d/dues.toml", text: "rounding = " })).unwrap_err();
    assert_eq!(e.line, Some(1));
}

proptest::proptest! {
    #[test]
    fn never_negative_whole_fen_and_monotone_within_a_bracket(a in 0i64..5_000_000, b in 0i64..5_000_000) {
        let r = DuesRules::shipped();
        let (lo, hi) = (a.min(b), a.max(b));
        let cl = calc(&r, DuesCategory::InService, Some(Fen(lo)), None).unwrap();
        let ch = calc(&r, DuesCategory::InService, Some(Fen(hi)), None).unwrap();
        proptest::prop_assert!(cl.amount.0 >= 0 && ch.amount.0 >= 0);
        if cl.bracket == ch.bracket {
            proptest::prop_assert!(cl.amount <= ch.amount);
        } else {
            // A higher bracket applies a higher rate to the whole base.
            proptest::prop_assert!(cl.rate < ch.rate);
        }
    }
}
