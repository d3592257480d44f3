use super::*;
use crate::auth::Role;
use crate::{OrgId, UserId};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn input(no: &str, category: &str, due: &str) -> ItemInput {
    ItemInput { no: no.into(), title: "问题".into(), category: category.into(), department: "办公室".into(), due_on: due.into(), ..Default::default() }
}

#[test]
fn shipped_catalogue_and_override() {
    let b = SupervisionBook::shipped();
    assert_eq!(b.report_deadline().months, 2);
    assert_eq!(b.report_deadline().due(d("2021-12-20")), d("2022-02-20"));
    assert_eq!(b.category_named("长期坚持").unwrap().review_cycle_days, Some(90));
    assert!(b.position_kind("network_platform").is_some() && b.position_kind("school").is_some());
    assert_eq!(b.checklist("branch_party_work").unwrap().items.len(), 6);
    let text = "[[deadline]]\nid = \"rectification_report\"\nmonths = 1\n\n[[status]]\nid = \"closed\"\nlabel = \"已对账销号\"\n";
    let b = SupervisionBook::load(Some(Source { file: "DIR/rulebook/supervision.toml", text })).unwrap();
    assert_eq!(b.report_deadline().months, 1);
    assert_eq!(b.status_label(LedgerStatus::Closed), "已对账销号");
    let bad = "[[deadline]]\nid = \"rectification_report\"\nmonths = \"两\"\n";
    let e = SupervisionBook::load(Some(Source { file: "x.toml", text: bad })).unwrap_err();
    assert!(e.to_string().contains("x.toml") && e.to_string().contains("rectification_report.months"), "{e}");
    let bad = "[[status]]\nid = \"done\"\nlabel = \"完\"\n";
    assert!(SupervisionBook::load(Some(Source { file: "x.toml", text: bad })).is_err());
}

#[test]
fn items_validate_category_and_due_date() {
    let b = SupervisionBook::shipped();
    let fb = d("2021-12-20");
    let ok = input("1", "限期整改", "2022-03-31").validate(&b, fb).unwrap();
    assert_eq!((ok.no, ok.category.as_str(), ok.due_on), (1, "by_deadline", Some(d("2022-03-31"))));
    let e = input("2", "限期整改", "2021-12-01").validate(&b, fb).unwrap_err();
    assert!(e.to_string().contains("早于巡察反馈日期"), "{e}");
    assert_eq!(e.first_field(), Some("due_on"));
    let e = input("0", "马上改", "").validate(&b, fb).unwrap_err();
    let s = e.to_string();
    assert!(s.contains("序号") && s.contains("整改类别“马上改”无效"), "{s}");
    assert!(input("3", "立行立改", "").validate(&b, fb).unwrap_err().to_string().contains("须填写完成时限"));
    let ongoing = input("4", "ongoing", "").validate(&b, fb).unwrap();
    assert_eq!((ongoing.due_on, ongoing.review_cycle_days), (None, Some(90)));
}

#[test]
fn numbering_gaps_and_duplicates() {
    assert!(check_numbering(&[(2, 1), (3, 2), (4, 3)]).is_empty());
    let e = check_numbering(&[(2, 1), (3, 2), (4, 2), (5, 5)]);
    assert_eq!(e[0], (4, "序号 2 重复（第3行已有）".to_owned()));
    assert!(e[1].1.contains("缺少 3、4"), "{e:?}");
}

#[test]
fn lifecycle_and_close_rules() {
    use LedgerStatus::*;
    assert!(Open.may_move_to(InProgress) && InProgress.may_move_to(AwaitingVerification) && AwaitingVerification.may_move_to(Closed));
    assert!(!Open.may_move_to(Closed) && !InProgress.may_move_to(Closed) && !Closed.may_move_to(InProgress));
    let owner = MemberId::new();
    let p = |m: Option<MemberId>, u: &str| Principal {
        user_id: UserId::new(), username: u.into(), display_name: u.into(), role: Role::OrgAdmin, scope: None, member_id: m,
    };
    let e = check_close(&p(Some(owner), "sec"), Some(owner), 2).unwrap_err();
    assert!(matches!(e, DomainError::Forbidden(_)), "{e}");
    let e = check_close(&p(None, "admin"), Some(owner), 0).unwrap_err();
    assert_eq!(e.first_field(), Some("evidence"));
    assert!(check_close(&p(None, "admin"), Some(owner), 1).is_ok());
    let fb = d("2021-12-20");
    assert_eq!(next_due(None, Some(90), None, fb), Some(d("2022-03-20")));
    assert_eq!(next_due(None, Some(30), Some(d("2022-03-01")), fb), Some(d("2022-03-31")));
    assert_eq!(next_due(Some(d("2022-01-31")), None, None, fb), Some(d("2022-01-31")));
}

#[test]
fn reconciliation_counts() {
    use LedgerStatus::*;
    let l = |no: i64, status| ListLine { row: no as usize + 1, no, title: format!("问题{no}"), status };
    let i = |no: i64, status| LedgerLine { id: no.to_string(), no, title: format!("问题{no}"), status };
    let list = [l(1, Some(Closed)), l(2, Some(Closed)), l(3, None), l(4, None)];
    let ledger = [i(1, Closed), i(2, InProgress), i(3, Open), i(5, Open)];
    let r = reconcile(&list, &ledger);
    assert_eq!((r.matched, r.missing.len(), r.extra.len(), r.mismatched.len()), (2, 1, 1, 1));
    assert_eq!((r.missing[0].no, r.extra[0].no, r.mismatched[0].1.status), (4, 5, InProgress));
    assert!(!r.ok());
    assert_eq!(LedgerStatus::parse("已完成").unwrap(), Closed);
}

#[test]
fn checklist_items_are_known_or_refused() {
    let b = SupervisionBook::shipped();
    assert_eq!(b.checklist_item(Some("branch_party_work"), "work_safety").unwrap(), "安全生产台账");
    assert_eq!(b.checklist_item(Some("branch_party_work"), "三会一课").unwrap(), "三会一课");
    let e = b.checklist_item(Some("branch_party_work"), "canteen").unwrap_err();
    assert!(e.to_string().contains("检查项目“canteen”不在清单") && e.first_field() == Some("item"), "{e}");
    assert_eq!(b.checklist_item(None, REVIEW_ITEM).unwrap(), "复查");
    assert!(b.checklist_item(None, "x").is_err());
    assert_eq!(b.campaign_kind("special_inspection").unwrap().targets, TargetKind::Org);
    assert_eq!(CheckOutcome::parse("不合格").unwrap(), CheckOutcome::Fail);
    let bad = "[[campaign_kind]]\nid = \"special_inspection\"\nchecklist = \"nope\"\n";
    assert!(SupervisionBook::load(Some(Source { file: "x.toml", text: bad })).unwrap_err().to_string().contains("nope"));
}

#[test]
fn checklist_kinds_must_exist_in_the_activity_catalogue() {
    let cat = crate::org_catalogue::OrgCatalogue::shipped();
    let rules = crate::rulebook::Rulebook::shipped(&cat);
    SupervisionBook::shipped().check_kinds(&rules, "supervision.toml").unwrap();
    let text = "[[checklist]]\nid = \"branch_party_work\"\nitems = [{ id = \"integrity\", label = \"党风廉政建设\", kinds = [\"warning_education\", \"canteen_visit\"] }]\n";
    let b = SupervisionBook::load(Some(Source { file: "DIR/rulebook/supervision.toml", text })).unwrap();
    let e = b.check_kinds(&rules, "DIR/rulebook/supervision.toml").unwrap_err().to_string();
    for want in ["DIR/rulebook/supervision.toml", "checklist.branch_party_work.items.integrity.kinds", "党风廉政建设", "canteen_visit", "不存在"] {
        assert!(e.contains(want), "{want}: {e}");
    }
}

fn fields(e: DomainError) -> Vec<String> {
    match e {
        DomainError::Invalid(v) => v.into_iter().map(|f| f.field).collect(),
        other => panic!("not a field error: {other}"),
    }
}

const ORG: &str = "0190a1b2-0000-7000-8000-000000000001";

fn risk_point() -> RegisterInput {
    RegisterInput {
        org_id: ORG.into(), kind: "risk_point".into(), subkind: " 财务岗 ".into(), name: " 报销审核 ".into(), grade: Some("红".into()), review_cycle_days: Some(90),
        ..Default::default()
    }
}

#[test]
fn registers_validate_kind_grade_cycle_and_name() {
    let b = SupervisionBook::shipped();
    let ok = risk_point().validate(&b).unwrap();
    assert_eq!((ok.kind, ok.subkind.as_str(), ok.name.as_str(), ok.grade.as_deref(), ok.org_id.to_string().as_str()), ("risk_point", "财务岗", "报销审核", Some("red"), ORG));
    let pos = RegisterInput { kind: "position".into(), subkind: "network_platform".into(), grade: None, review_cycle_days: None, ..risk_point() };
    assert_eq!(pos.validate(&b).unwrap().kind, "position", "a position needs neither grade nor cycle");

    let e = RegisterInput { kind: "position".into(), subkind: "tv_station".into(), ..risk_point() }.validate(&b).unwrap_err();
    assert!(e.to_string().contains("阵地类别“tv_station”不存在"), "{e}");
    let e = RegisterInput { kind: "canteen".into(), ..risk_point() }.validate(&b).unwrap_err();
    assert!(e.to_string().contains("台账类别“canteen”无效"), "{e}");
    assert_eq!(fields(e), ["kind"]);
    // Every problem at once, each naming its field.
    let all = RegisterInput { org_id: "第一支部".into(), name: " ".into(), grade: Some("紫".into()), review_cycle_days: Some(0), ..risk_point() };
    let e = all.validate(&b).unwrap_err();
    assert!(e.to_string().contains("风险等级“紫”无效") && e.to_string().contains("复查周期"), "{e}");
    assert_eq!(fields(e), ["org_id", "grade", "review_cycle_days", "name"]);
    let e = RegisterInput { grade: Some(" ".into()), review_cycle_days: None, ..risk_point() }.validate(&b).unwrap_err();
    assert!(e.to_string().contains("请填写风险等级"), "{e}");
    assert_eq!(fields(e), ["grade", "review_cycle_days"]);
    assert_eq!(register_kind(" risk_point ").unwrap(), "risk_point");
    assert_eq!(register_kind("tv").unwrap_err().first_field(), Some("kind"));
}

fn program() -> CampaignInput {
    CampaignInput {
        org_id: OrgId::parse(ORG).unwrap(), kind: "program".into(), title: " 能力作风建设年 ".into(), starts_on: d("2022-03-01"), ends_on: d("2022-12-31"),
        goals: " 提升 ".into(), targets: vec![],
    }
}

#[test]
fn campaigns_validate_kind_dates_and_targets() {
    let b = SupervisionBook::shipped();
    let ok = program().validate(&b).unwrap();
    assert_eq!((ok.kind.id.as_str(), ok.title.as_str(), ok.goals.as_str()), ("program", "能力作风建设年", "提升"));
    let upper = "0190A1B2-0000-7000-8000-000000000002";
    let inspection = CampaignInput { kind: "special_inspection".into(), targets: vec![format!(" {upper} ")], ..program() };
    let ok = inspection.validate(&b).unwrap();
    assert_eq!((ok.kind.checklist.as_deref(), ok.targets), (Some("branch_party_work"), vec![upper.to_lowercase()]), "org targets in canonical form");

    let e = CampaignInput { kind: "parade".into(), ..program() }.validate(&b).unwrap_err();
    assert!(e.to_string().contains("活动类别“parade”不存在"), "{e}");
    let e = CampaignInput { title: "".into(), ends_on: d("2022-02-28"), targets: vec![ORG.into()], ..program() }.validate(&b).unwrap_err();
    assert!(e.to_string().contains("结束日期不能早于开始日期") && e.to_string().contains("该类活动没有检查对象"), "{e}");
    assert_eq!(fields(e), ["title", "ends_on", "targets"]);
    let e = CampaignInput { kind: "special_inspection".into(), targets: vec!["第一支部".into()], ..program() }.validate(&b).unwrap_err();
    assert!(e.to_string().contains("检查对象编号“第一支部”格式不正确"), "{e}");
    let screening = CampaignInput { kind: "risk_screening".into(), targets: vec!["any-register-id".into()], ..program() };
    assert_eq!(screening.validate(&b).unwrap().targets, ["any-register-id"], "register ids are looked up by the store");
}

#[test]
fn an_unknown_risk_grade_lists_the_catalogue_s_enabled_grades() {
    let mut b = SupervisionBook::shipped();
    let e = b.risk_grade_id("紫").unwrap_err().to_string();
    assert!(e.contains("风险等级“紫”无效，可选：红、黄、蓝"), "{e}");
    assert_eq!(b.risk_grade_id(" 黄 ").unwrap(), "yellow");
    // A deployment that disables a grade no longer offers it.
    b.risk_grades.iter_mut().find(|g| g.id == "blue").unwrap().enabled = false;
    assert!(b.risk_grade_id("蓝").unwrap_err().to_string().contains("可选：红、黄"), "disabled blue still accepted or listed");
}
