use super::*;
use crate::org_catalogue::OrgCatalogue;

fn book() -> Rulebook {
    Rulebook::shipped(&OrgCatalogue::shipped())
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 4, 6).unwrap()
}

fn roster() -> Vec<(MemberId, String)> {
    (1..=3u128).map(|i| (MemberId::from_u128(i), format!("党员{i}"))).collect()
}

fn input(kinds: &[&str]) -> ActivityInput {
    let r = roster();
    ActivityInput {
        org_id: OrgId::from_u128(9).to_string(),
        kinds: kinds.iter().map(|s| s.to_string()).collect(),
        title: "一季度支部党员大会暨党课".into(),
        held_on: "2022-03-25".into(),
        host: "张书记".into(),
        recorder: "李委员".into(),
        lecturer: "张书记".into(),
        topics: "学习十九届六中全会精神".into(),
        attendees: vec![
            AttendeeInput { member_id: r[0].0.to_string(), attendance: "present".into(), ..Default::default() },
            AttendeeInput { member_id: r[1].0.to_string(), attendance: "present".into(), ..Default::default() },
            AttendeeInput { member_id: r[2].0.to_string(), attendance: "absent".into(), reason: "出差".into(), ..Default::default() },
            AttendeeInput { name: "王列席".into(), attendance: "guest".into(), ..Default::default() },
        ],
        ..Default::default()
    }
}

fn ctx<'a>(book: &'a Rulebook, roster: &'a [(MemberId, String)], org_kind: &'a str) -> ActivityContext<'a> {
    ActivityContext { book, org_kind, roster, today: today(), future_days: 0 }
}

#[test]
fn multi_kind_sitting_validates_and_counts_attendance() {
    let (b, r) = (book(), roster());
    let d = input(&["branch_assembly", "party_lecture", "theme_day"]).validate(&ctx(&b, &r, "branch")).unwrap();
    assert_eq!(d.kinds.len(), 3);
    assert_eq!(d.attendance_counts(), (2, 3));
}

#[test]
fn bad_input_is_named() {
    let (b, r) = (book(), roster());
    let mut i = input(&["branch_assembly", "democratic_life_meeting", "nope"]);
    i.held_on = "2022-05-01".into();
    i.attendees.push(AttendeeInput { member_id: MemberId::from_u128(77).to_string(), attendance: "present".into(), ..Default::default() });
    i.attendees[2].reason = String::new();
    let s = i.validate(&ctx(&b, &r, "branch")).unwrap_err().to_string();
    for needle in ["“民主生活会”不适用于本组织", "“nope”不存在", "活动日期不能晚于", "不是本组织党员", "缺席，请填写缺席原因"] {
        assert!(s.contains(needle), "{needle} not in {s}");
    }
}

#[test]
fn required_fields_follow_the_kind() {
    let (b, r) = (book(), roster());
    let mut i = input(&["party_lecture"]);
    i.lecturer = String::new();
    let s = i.validate(&ctx(&b, &r, "branch")).unwrap_err().to_string();
    assert!(s.contains("党课须填写授课人"), "{s}");
}

#[test]
fn first_agenda_item_needs_its_material() {
    let (b, r) = (book(), roster());
    let mut i = input(&["party_group_meeting"]);
    i.flags = vec!["first_agenda_item".into()];
    let s = i.validate(&ctx(&b, &r, "party_group")).unwrap_err().to_string();
    assert!(s.contains("第一议题"), "{s}");
    i.first_agenda_material = "m1".into();
    assert!(i.validate(&ctx(&b, &r, "party_group")).is_ok());
    let mut j = input(&["branch_assembly"]);
    j.flags = vec!["first_agenda_item".into()];
    assert!(j.validate(&ctx(&b, &r, "branch")).unwrap_err().to_string().contains("没有“第一议题”标记"));
}
