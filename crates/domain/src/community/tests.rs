use super::*;

#[test]
fn shipped_catalogue_has_the_seed_targets_and_kinds() {
    let b = CommunityBook::shipped();
    assert_eq!((b.training.member_hours, b.training.leader_hours), (32, 56));
    assert!(b.team_kind("vanguard").is_some() && b.team_kind("volunteer").is_some());
    assert_eq!(b.capabilities.len(), 8);
    assert!(b.post_kind("women_post").is_some());
}

#[test]
fn the_shipped_rules_name_known_team_kinds() {
    let cat = crate::org_catalogue::OrgCatalogue::shipped();
    CommunityBook::shipped().check_rules(&Rulebook::shipped(&cat)).unwrap();
    let text = "[[team_kind]]\nid = \"volunteer\"\nenabled = false\n";
    let b = CommunityBook::load(Some(Source { file: "x.toml", text })).unwrap();
    let e = b.check_rules(&Rulebook::shipped(&cat)).unwrap_err();
    assert!(e.to_string().contains("volunteer_team_monthly_service.applies_to"), "{e}");
}

#[test]
fn overrides_replace_keys_and_refuse_bad_values() {
    let text = "[training]\nmember_hours = 40\n[[team_kind]]\nid = \"vanguard\"\nenabled = false\n";
    let b = CommunityBook::load(Some(Source { file: "DIR/rulebook/community.toml", text })).unwrap();
    assert_eq!((b.training.member_hours, b.training.leader_hours), (40, 56));
    assert!(b.team_kind("vanguard").is_none());
    let bad = "[nomination]\neligible_statuses = [\"retired\"]\n";
    let e = CommunityBook::load(Some(Source { file: "x.toml", text: bad })).unwrap_err();
    assert!(e.to_string().contains("nomination.eligible_statuses"), "{e}");
    let bad = "[training]\nmember_hours = \"三十二\"\n";
    let e = CommunityBook::load(Some(Source { file: "x.toml", text: bad })).unwrap_err();
    assert!(e.to_string().contains("training.member_hours"), "{e}");
}

#[test]
fn rates_are_ratios_of_the_roster_counts() {
    // Who is eligible on the closing day is the store's roster query (tested on both databases in
    // the integration tests); the domain turns the counts into the rates shown.
    let per = [
        Rates { org_id: "o1".into(), eligible: 2, informed: 2, took_part: 1 },
        Rates { org_id: "o2".into(), eligible: 1, informed: 0, took_part: 0 },
    ];
    let total = Rates::total(&per);
    assert_eq!((total.org_id.as_str(), total.awareness(), total.participation()), ("", (2, 3), (1, 3)));
    assert_eq!(percent(total.awareness()), "66.7%");
    assert_eq!(percent(Rates::total(&[]).awareness()), "—");
    assert_eq!(percent((0, 0)), "—");
    assert_eq!(percent((179, 179)), "100%");
}

#[test]
fn taking_part_needs_being_informed() {
    assert!(mark(false, true, "张三").is_err());
    assert_eq!(mark(true, false, "张三").unwrap(), Mark { informed: true, took_part: false });
}

#[test]
fn hours_are_tenths_within_a_day() {
    assert_eq!(hours_tenths("2"), Some(20));
    assert_eq!(hours_tenths("1.5"), Some(15));
    assert_eq!(hours_tenths("24"), Some(240));
    for bad in ["-1", "24.5", "25", "1.25", "", "两小时", "1e2"] {
        assert_eq!(hours_tenths(bad), None, "{bad}");
    }
    assert_eq!(hours_text(15), "1.5");
    assert_eq!(hours_text(320), "32");
}

#[test]
fn training_hours_against_targets() {
    let b = CommunityBook::shipped();
    let members = vec![("m".to_owned(), false, false), ("s".to_owned(), true, true), ("n".to_owned(), false, true)];
    let tenths: HashMap<String, i64> = [("m".to_owned(), 320), ("s".to_owned(), 400)].into_iter().collect();
    let st = training_standings(&b.training, &members, &tenths);
    assert_eq!(st.iter().map(|s| (s.target, s.below())).collect::<Vec<_>>(), [(32, false), (56, true), (32, true)]);
}

#[test]
fn group_members_must_be_in_the_roster() {
    let m1 = MemberId::parse("018f0000-0000-7000-8000-000000000001").unwrap();
    let roster = vec![(m1, "张三".to_owned())];
    let b = CommunityBook::shipped();
    let mut i = GroupInput {
        org_id: "018f0000-0000-7000-8000-0000000000aa".into(),
        kind: "vanguard".into(),
        name: "疫情防控一线党员先锋队".into(),
        starts_on: "2022-01-05".into(),
        member_ids: vec![m1.to_string()],
        ..Default::default()
    };
    assert_eq!(i.validate(&b.team_kinds, "服务队", &roster).unwrap().members, vec![m1]);
    i.member_ids.push("018f0000-0000-7000-8000-000000000002".into());
    i.ends_on = "2021-12-31".into();
    let DomainError::Invalid(errs) = i.validate(&b.team_kinds, "服务队", &roster).unwrap_err() else { panic!() };
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["ends_on", "member_ids"]);
    assert!(errs[1].message.contains("第2位成员"), "{}", errs[1].message);
}

#[test]
fn ballots_are_consistent() {
    let mut b = Ballots { issued: 179, returned: 179, valid: 178, votes: [("王某".to_owned(), 170)].into_iter().collect() };
    assert!(b.check().is_ok());
    b.valid = 180;
    b.votes.insert("李某".into(), 181);
    let DomainError::Invalid(errs) = b.check().unwrap_err() else { panic!() };
    assert_eq!(errs.len(), 2);
}

#[test]
fn capability_tags_come_from_the_catalogue() {
    let b = CommunityBook::shipped();
    assert_eq!(b.capability_tags("专业操作、政策落实，policy").unwrap(), ["policy", "operation"]);
    assert_eq!(b.capability_labels("policy,operation"), "政策落实、专业操作");
    assert!(b.capability_tags("").unwrap().is_empty());
    let DomainError::Invalid(errs) = b.capability_tags("政策落实、唱歌").unwrap_err() else { panic!() };
    assert_eq!(errs[0].field, "capabilities");
    assert!(errs[0].message.contains("“唱歌”不在能力清单中") && errs[0].message.contains("依法办事"), "{}", errs[0].message);
}

#[test]
fn a_claiming_member_belongs_to_the_claiming_org_or_below() {
    use crate::member::MemberStatus;
    use crate::org::OrgPath;
    let committee = OrgPath::root(OrgId::new());
    let branch = committee.child(OrgId::new());
    let other = committee.child(OrgId::new());
    assert!(check_claimer(&committee, "机关党委", "张三", &branch, MemberStatus::Full).is_ok());
    assert!(check_claimer(&branch, "第一支部", "张三", &branch, MemberStatus::Probationary).is_ok());
    let e = check_claimer(&branch, "第一支部", "李四", &other, MemberStatus::Full).unwrap_err();
    assert_eq!(e.first_field(), Some("member_id"));
    assert!(e.to_string().contains("李四不是“第一支部”"), "{e}");
    let e = check_claimer(&branch, "第一支部", "王五", &branch, MemberStatus::TransferredOut).unwrap_err();
    assert!(e.to_string().contains("王五已转出"), "{e}");
}
