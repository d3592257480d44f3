use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 4, 6).unwrap()
}

fn good() -> MemberInput {
    MemberInput {
        name: "张三".into(),
        id_card_no: "11010519491231002X".into(),
        ethnicity: "汉族".into(),
        education: "本科".into(),
        phone: "13800138000".into(),
        joined_on: "1975-07-01".into(),
        full_on: "1976-07-01".into(),
        dues_category: "离退休".into(),
        ..Default::default()
    }
}

#[test]
fn good_input_derives_gender_birth_and_status() {
    let d = good().validate(today()).unwrap();
    assert_eq!(d.gender, Gender::Female);
    assert_eq!(d.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
    assert_eq!(d.status, MemberStatus::Full);
    assert_eq!(d.education, Some(Education::Bachelor));
    assert_eq!(d.dues_category, DuesCategory::Retired);
}

#[test]
fn every_bad_field_is_named() {
    let input = MemberInput {
        name: "".into(),
        id_card_no: "110105194912310021".into(),
        gender: "未知".into(),
        ethnicity: "火星族".into(),
        phone: "abc".into(),
        joined_on: "2030-01-01".into(),
        dues_category: "".into(),
        is_party_worker: "也许".into(),
        ..Default::default()
    };
    let DomainError::Invalid(errs) = input.validate(today()).unwrap_err() else { panic!() };
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    for f in ["name", "id_card_no", "gender", "ethnicity", "phone", "joined_on", "dues_category", "is_party_worker"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
}

#[test]
fn gender_and_birth_must_match_the_id_number() {
    let mut i = good();
    i.gender = "男".into();
    i.birth_date = "1950-01-01".into();
    let s = i.validate(today()).unwrap_err().to_string();
    assert!(s.contains("性别“男”与身份证号不一致") && s.contains("不一致"), "{s}");
}

#[test]
fn status_and_dates_are_consistent() {
    let mut i = good();
    i.full_on = "".into();
    i.status = "正式党员".into();
    assert!(i.validate(today()).unwrap_err().to_string().contains("正式党员应填写转正日期"));
    let mut i = good();
    i.status = "预备党员".into();
    assert!(i.validate(today()).unwrap_err().to_string().contains("预备党员不应有转正日期"));
    let mut i = good();
    i.joined_on = "1960-01-01".into();
    assert!(i.validate(today()).unwrap_err().to_string().contains("年满十八周岁"));
    let mut i = good();
    i.status = "已去世".into();
    assert!(i.validate(today()).unwrap_err().to_string().contains("党员变动"));
}

#[test]
fn status_events_follow_the_rules() {
    assert_eq!(MemberEventKind::BecameFull.apply(MemberStatus::Probationary).unwrap(), MemberStatus::Full);
    assert_eq!(MemberEventKind::TransferOut.apply(MemberStatus::Full).unwrap(), MemberStatus::TransferredOut);
    assert!(MemberEventKind::BecameFull.apply(MemberStatus::Full).is_err());
    assert!(MemberEventKind::Died.apply(MemberStatus::Deceased).is_err());
}

#[test]
fn labels_and_codes_both_parse() {
    assert_eq!(MemberStatus::parse("full").unwrap(), MemberStatus::Full);
    assert_eq!(MemberStatus::parse("正式党员").unwrap(), MemberStatus::Full);
    assert!(DuesCategory::parse("x").unwrap_err().to_string().contains("可选：在职"));
}
