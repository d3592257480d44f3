use super::*;
use crate::rulebook::Source;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn branch(id: &str, full: u32) -> OrgFacts {
    OrgFacts { id: id.into(), kind: "branch".into(), established_on: Some(d(2019, 1, 1)), abolished_on: None, full_members: full, latest_term: None }
}

fn act(id: &str, org: &str, kinds: &[&str], date: NaiveDate, present: u32, expected: u32) -> ActivityFacts {
    ActivityFacts { id: id.into(), org_id: org.into(), kinds: kinds.iter().map(|s| s.to_string()).collect(), date, flags: vec![], present, expected }
}

fn run(orgs: &[OrgFacts], acts: &[ActivityFacts], period: &str, today: NaiveDate) -> Vec<Finding> {
    let cat = OrgCatalogue::shipped();
    evaluate(&Rulebook::shipped(&cat), &cat, orgs, acts, Period::parse(period).unwrap(), today)
}

fn find<'a>(fs: &'a [Finding], rule: &str, org: &str, p: &str) -> &'a Finding {
    fs.iter().find(|f| f.rule_id == rule && f.org_id == org && f.period.to_string() == p).unwrap_or_else(|| panic!("no {rule} {org} {p}"))
}

#[test]
fn one_sitting_counts_for_several_kinds() {
    let acts = [act("a1", "b", &["branch_assembly", "party_lecture", "theme_day"], d(2022, 3, 31), 9, 10)];
    let fs = run(&[branch("b", 10)], &acts, "2022Q1", d(2022, 4, 6));
    assert_eq!(find(&fs, "branch_assembly_quarterly", "b", "2022Q1").status, Status::Ok);
    assert_eq!(find(&fs, "party_lecture_quarterly", "b", "2022Q1").record_ids, vec!["a1"]);
    assert_eq!(find(&fs, "theme_day_monthly", "b", "2022-03").status, Status::Ok);
    assert_eq!(find(&fs, "theme_day_monthly", "b", "2022-01").status, Status::Missing);
}

#[test]
fn quorum_decides_whether_an_assembly_counts() {
    let acts = [act("a1", "b", &["branch_assembly"], d(2022, 2, 1), 5, 10)];
    let f = run(&[branch("b", 10)], &acts, "2022Q1", d(2022, 4, 6)).into_iter().find(|f| f.rule_id == "branch_assembly_quarterly").unwrap();
    assert_eq!(f.status, Status::Missing);
    assert!(f.note.contains("未达到法定人数"), "{}", f.note);
    let acts = [act("a1", "b", &["branch_assembly"], d(2022, 2, 1), 6, 10)];
    let f = run(&[branch("b", 10)], &acts, "2022Q1", d(2022, 4, 6)).into_iter().find(|f| f.rule_id == "branch_assembly_quarterly").unwrap();
    assert_eq!(f.status, Status::Ok);
}

#[test]
fn period_boundaries_and_running_periods() {
    // The last day of the quarter counts; the first day of the next does not.
    let acts = [act("in", "b", &["branch_assembly"], d(2024, 3, 31), 8, 10), act("out", "b", &["branch_assembly"], d(2024, 4, 1), 8, 10)];
    let fs = run(&[branch("b", 10)], &acts, "2024Q1", d(2024, 5, 1));
    assert_eq!(find(&fs, "branch_assembly_quarterly", "b", "2024Q1").record_ids, vec!["in"]);
    // Leap day belongs to February.
    let acts = [act("leap", "b", &["theme_day"], d(2024, 2, 29), 8, 10)];
    let fs = run(&[branch("b", 10)], &acts, "2024Q1", d(2024, 5, 1));
    assert_eq!(find(&fs, "theme_day_monthly", "b", "2024-02").status, Status::Ok);
    // While the quarter runs, a missing meeting is pending, not red.
    let fs = run(&[branch("b", 10)], &[], "2024Q1", d(2024, 2, 10));
    assert_eq!(find(&fs, "branch_assembly_quarterly", "b", "2024Q1").status, Status::Pending);
    assert_eq!(find(&fs, "theme_day_monthly", "b", "2024-01").status, Status::Missing);
    // A yearly rule in Q1 is pending until the year ends.
    assert_eq!(find(&fs, "org_life_meeting_yearly", "b", "2024").status, Status::Pending);
}

#[test]
fn no_false_reds_for_new_orgs_small_branches_or_abolished_orgs() {
    let mut newb = branch("new", 10);
    newb.established_on = Some(d(2022, 2, 15));
    let mut gone = branch("gone", 10);
    gone.abolished_on = Some(d(2022, 1, 20));
    let small = branch("small", 5);
    let fs = run(&[newb, gone, small], &[], "2022Q1", d(2022, 4, 6));
    assert!(fs.iter().all(|f| f.org_id != "new" || f.period.to_string() == "2022-03"), "only March is judged for the new branch");
    assert!(fs.iter().all(|f| f.org_id != "gone" || f.period.to_string() == "2022"), "abolished mid-quarter: nothing judged but the year");
    assert!(!fs.iter().any(|f| f.org_id == "small" && f.rule_id == "committee_meeting_monthly"), "under 7 full members: no 支委会");
    assert!(fs.iter().any(|f| f.org_id == "small" && f.rule_id == "theme_day_monthly"));
}

#[test]
fn per_cell_obligations_and_first_agenda_item() {
    let cell = OrgFacts { id: "c".into(), kind: "cell".into(), established_on: None, abolished_on: None, full_members: 0, latest_term: None };
    let pg = OrgFacts { id: "pg".into(), kind: "party_group".into(), established_on: None, abolished_on: None, full_members: 0, latest_term: None };
    let mut m1 = act("m1", "pg", &["party_group_meeting"], d(2022, 1, 7), 7, 7);
    m1.flags = vec!["first_agenda_item".into()];
    let m2 = act("m2", "pg", &["party_group_meeting"], d(2022, 1, 21), 7, 7);
    let fs = run(&[cell, pg], &[m1, m2, act("cm", "c", &["cell_meeting"], d(2022, 1, 10), 5, 6)], "2022Q1", d(2022, 4, 6));
    assert_eq!(find(&fs, "cell_meeting_monthly", "c", "2022-01").status, Status::Ok);
    assert_eq!(find(&fs, "cell_meeting_monthly", "c", "2022-02").status, Status::Missing);
    let f = find(&fs, "first_agenda_item", "pg", "2022-01");
    assert_eq!((f.status, f.expected, f.actual), (Status::Insufficient, 2, 1));
    assert_eq!(f.record_ids[0], "m2");
    assert_eq!(find(&fs, "first_agenda_item", "pg", "2022-02").status, Status::Ok);
}

#[test]
fn override_changes_a_minimum() {
    let cat = OrgCatalogue::shipped();
    let text = "[[rule]]\nid = \"branch_assembly_quarterly\"\nminimum = 2\n";
    let book = Rulebook::load(Some(Source { file: "rules.toml", text }), None, &cat).unwrap();
    let acts = [act("a1", "b", &["branch_assembly"], d(2022, 2, 1), 8, 10)];
    let fs = evaluate(&book, &cat, &[branch("b", 10)], &acts, Period::parse("2022Q1").unwrap(), d(2022, 4, 6));
    let f = find(&fs, "branch_assembly_quarterly", "b", "2022Q1");
    assert_eq!((f.status, f.expected, f.actual), (Status::Insufficient, 2, 1));
}

#[test]
fn overdue_re_election() {
    let mut b = branch("b", 10);
    b.latest_term = Some((2, d(2021, 12, 31)));
    let fs = run(&[b], &[], "2022Q1", d(2022, 4, 6));
    let f = find(&fs, "re_election_on_time", "b", "2022Q1");
    assert_eq!(f.status, Status::Missing);
    assert!(f.note.contains("第2届已于2021-12-31届满"));
}

mod teams {
    use super::*;
    use crate::compliance::{TeamFacts, evaluate_teams};

    fn team(acts: &[&str]) -> TeamFacts {
        TeamFacts {
            id: "t".into(),
            org_id: "b".into(),
            kind: "volunteer".into(),
            name: "党员志愿服务队".into(),
            starts_on: d(2021, 3, 1),
            ends_on: None,
            activity_ids: acts.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_volunteer_team_must_serve_every_month() {
        let cat = OrgCatalogue::shipped();
        let book = Rulebook::shipped(&cat);
        let acts = vec![
            act("jan", "b", &["care_visit"], d(2022, 1, 20), 3, 3),
            act("mar", "b", &["community_service"], d(2022, 3, 12), 5, 5),
            act("other", "b", &["volunteer_service"], d(2022, 2, 12), 5, 5),
        ];
        // "other" is some other group's service: only the team's own records count.
        let fs = evaluate_teams(&book, &[team(&["jan", "mar"])], &acts, Period::parse("2022Q1").unwrap(), d(2022, 4, 6));
        let got: Vec<(String, Status)> = fs.iter().map(|f| (f.period.to_string(), f.status)).collect();
        assert_eq!(got, [("2022-01".into(), Status::Missing), ("2022-02".into(), Status::Missing), ("2022-03".into(), Status::Ok)]);
        assert!(fs.iter().all(|f| f.team_id.as_deref() == Some("t") && f.org_id == "b" && f.rule_id == "volunteer_team_monthly_service"));
        assert_eq!(fs[2].record_ids, ["mar"]);
        // The running month is pending, not red; a vanguard team is not judged by this rule.
        let fs = evaluate_teams(&book, &[team(&[])], &acts, Period::parse("2022Q1").unwrap(), d(2022, 3, 20));
        assert_eq!(fs[2].status, Status::Pending);
        let mut v = team(&[]);
        v.kind = "vanguard".into();
        assert!(evaluate_teams(&book, &[v], &acts, Period::parse("2022Q1").unwrap(), d(2022, 4, 6)).is_empty());
        // A team formed in February is not judged on January.
        let mut late = team(&["mar"]);
        late.starts_on = d(2022, 2, 1);
        assert_eq!(evaluate_teams(&book, &[late], &acts, Period::parse("2022Q1").unwrap(), d(2022, 4, 6)).len(), 2);
    }

    #[test]
    fn team_rules_are_not_applied_to_orgs() {
        let fs = run(&[branch("b", 10)], &[], "2022-01", d(2022, 2, 6));
        assert!(fs.iter().all(|f| f.rule_id != "volunteer_team_monthly_service" && f.team_id.is_none()));
    }
}
