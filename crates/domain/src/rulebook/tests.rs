use super::*;

fn cat() -> OrgCatalogue {
    OrgCatalogue::shipped()
}

#[test]
fn shipped_rulebook_is_valid_and_cites_sources() {
    let b = Rulebook::shipped(&cat());
    assert!(b.rules.len() >= 10);
    let r = b.rule("branch_assembly_quarterly").unwrap();
    assert_eq!(r.citation(), "《中国共产党支部工作条例（试行）》第十一条");
    assert_eq!(r.period, Granularity::Quarter);
    assert_eq!(b.rule("committee_meeting_monthly").unwrap().condition, Condition::HasCommittee);
    assert!(b.kind("branch_assembly").unwrap().quorum == Quorum::MoreThanHalf);
    assert!(b.kinds_for("cell").iter().any(|k| k.id == "cell_meeting"));
}

#[test]
fn override_changes_a_minimum_and_disables_a_rule() {
    let text = "[[rule]]\nid = \"central_group_study_monthly\"\nminimum = 2\n\n[[rule]]\nid = \"talk_yearly\"\nenabled = false\n";
    let b = Rulebook::load(Some(Source { file: "/data/rulebook/rules.toml", text }), None, &cat()).unwrap();
    assert_eq!(b.rule("central_group_study_monthly").unwrap().minimum, 2);
    assert_eq!(b.rule("central_group_study_monthly").unwrap().title, Rulebook::shipped(&cat()).rule("central_group_study_monthly").unwrap().title);
    assert!(!b.rule("talk_yearly").unwrap().enabled);
}

#[test]
fn broken_override_names_file_line_and_key() {
    let text = "[[rule]]\nid = \"talk_yearly\"\nminimum = \"三\"\n";
    let e = Rulebook::load(Some(Source { file: "rules.toml", text }), None, &cat()).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert_eq!(e.key.as_deref(), Some("talk_yearly.minimum"));
    assert!(e.to_string().contains("应为非负整数"), "{e}");
    let e = Rulebook::load(Some(Source { file: "x.toml", text: "[[rule]\nid=1" }), None, &cat()).unwrap_err();
    assert_eq!(e.file, "x.toml");
    assert_eq!(e.line, Some(1));
    let text = "[[rule]]\nid = \"new\"\ntitle = \"t\"\ndocument = \"d\"\nconfidence = \"high\"\napplies_to = [\"branch\"]\ncounts = [\"nope\"]\nperiod = \"month\"\n";
    let e = Rulebook::load(Some(Source { file: "rules.toml", text }), None, &cat()).unwrap_err();
    assert!(e.to_string().contains("活动类型“nope”不存在"), "{e}");
    let text = "[[rule]]\nid = \"talk_yearly\"\nminimun = 2\n";
    let e = Rulebook::load(Some(Source { file: "rules.toml", text }), None, &cat()).unwrap_err();
    assert!(e.to_string().contains("未知的键“minimun”"), "{e}");
    assert_eq!(e.line, Some(3));
}

#[test]
fn quorum_arithmetic_is_strict_where_the_rules_say_more_than() {
    assert!(!Quorum::MoreThanHalf.met(5, 10));
    assert!(Quorum::MoreThanHalf.met(6, 10));
    assert!(Quorum::MoreThanHalf.met(4, 7));
    assert!(Quorum::TwoThirds.met(6, 9));
    assert!(!Quorum::TwoThirds.met(5, 9));
    assert!(Quorum::None.met(0, 10));
}
