//! The rulebook evaluated over the demo's first quarter of 2022: the three gaps the demo has by
//! design (and nothing else red), multi-kind credit and quorum, per-cell obligations, a record
//! typed in through the form turning a red month green, deployment overrides of the rulebook
//! (a changed minimum; a broken file that stops every command), an org established mid-quarter,
//! and period boundaries (the last day of a quarter, a leap day).

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;
use crate::scoping::{api_get, has_cjk};

const FITNESS: &str = "市全民健身服务中心党支部";
const THIRD_CELL: &str = "机关第三党小组";
const TRAINING: &str = "市竞技体育训练中心党支部";
const JIGUAN: &str = "机关党支部";

/// `dangwu check --period P --json` (optionally `--org`): the findings, exit code 0 required.
pub async fn check_json(app: &TestApp, period: &str, org: Option<&str>) -> Vec<Value> {
    let mut args = vec!["check", "--period", period, "--json"];
    if let Some(o) = org {
        args.extend(["--org", o]);
    }
    let (code, out, err) = app.cli(&args).await;
    assert_eq!(code, 0, "dangwu {args:?} exits 0 (a report, not a gate):\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("dangwu {args:?} is not JSON ({e}):\n{out}\n{err}"));
    v.as_array().unwrap_or_else(|| panic!("dangwu {args:?} prints an array: {v}")).clone()
}

fn s<'a>(f: &'a Value, k: &str) -> &'a str {
    f[k].as_str().unwrap_or_else(|| panic!("finding has string {k}: {f}"))
}

fn ids(f: &Value) -> Vec<String> {
    f["record_ids"].as_array().unwrap_or_else(|| panic!("finding has record_ids: {f}")).iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

fn red(f: &Value) -> bool {
    matches!(s(f, "status"), "missing" | "insufficient")
}

/// The one finding for (org name, rule, period).
fn one<'a>(fs: &'a [Value], org: &str, rule: &str, period: &str) -> &'a Value {
    let hits: Vec<&Value> =
        fs.iter().filter(|f| f["org_name"] == org && f["rule_id"] == rule && f["period"] == period).collect();
    assert_eq!(hits.len(), 1, "exactly one finding for {org} / {rule} / {period}, got {hits:#?}");
    hits[0]
}

fn short(fs: &[Value]) -> Vec<String> {
    fs.iter().map(|f| format!("{} {} {} {}", f["org_name"], f["rule_id"], f["period"], f["status"])).collect()
}

async fn api_compliance(app: &TestApp, token: &str, org_id: &str, period: &str) -> Vec<Value> {
    let v = api_get(app, token, &format!("/api/v1/compliance?org_id={org_id}&period={period}")).await;
    assert_eq!(v["period"], period, "{v}");
    v["findings"].as_array().unwrap_or_else(|| panic!("findings array: {v}")).clone()
}

/// POST /api/v1/activities: (status, body).
pub async fn api_post_activity(app: &TestApp, token: &str, body: &Value) -> (StatusCode, Value) {
    let r = client().post(app.url("/api/v1/activities")).bearer_auth(token).json(body).send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST /api/v1/activities answers JSON ({e}): {status} {text}")))
}

/// Everyone on the org's roster present.
pub async fn all_present(app: &TestApp, org_id: &str) -> Vec<Value> {
    let roster = dangwu_store::activities::roster(&app.store, org_id).await.unwrap();
    assert!(!roster.is_empty(), "org {org_id} has a roster");
    roster.iter().map(|(id, _)| json!({"member_id": id.to_string(), "attendance": "present"})).collect()
}

async fn org_named(app: &TestApp, name: &str) -> dangwu_store::orgs::Org {
    all_orgs(&app.store).await.into_iter().find(|o| o.name == name).unwrap_or_else(|| panic!("demo org {name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_2022q1_shows_the_three_demo_gaps_each_citing_its_rule_and_everything_else_ok() {
    let app = TestApp::spawn().await;
    let fs = check_json(&app, "2022Q1", None).await;
    assert!(fs.len() > 60, "findings for every org and rule of the bureau: {}", fs.len());
    for f in &fs {
        for k in ["rule_id", "org_id", "period", "status", "citation"] {
            assert!(f[k].is_string(), "finding has {k}: {f}");
        }
        assert!(f["expected"].is_u64() && f["actual"].is_u64() && f["record_ids"].is_array(), "finding shape: {f}");
        assert!(matches!(s(f, "status"), "ok" | "pending" | "insufficient" | "missing"), "status code: {f}");
    }

    let reds: BTreeSet<(String, String, String)> = fs
        .iter()
        .filter(|f| red(f))
        .map(|f| (s(f, "org_name").to_owned(), s(f, "rule_id").to_owned(), s(f, "period").to_owned()))
        .collect();
    let want: BTreeSet<(String, String, String)> = [
        (FITNESS, "committee_meeting_monthly", "2022-02"),
        (THIRD_CELL, "cell_meeting_monthly", "2022-03"),
        (TRAINING, "branch_assembly_quarterly", "2022Q1"),
        // Issue 6: the volunteer team served its community only in March.
        (JIGUAN, "volunteer_team_monthly_service", "2022-01"),
        (JIGUAN, "volunteer_team_monthly_service", "2022-02"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(reds, want, "the demo's Q1 2022 has exactly these five red findings");
    let not_ok: Vec<String> = short(&fs.iter().filter(|f| !red(f) && f["status"] != "ok").cloned().collect::<Vec<_>>());
    assert!(not_ok.is_empty(), "the quarter is over: every other finding is ok, not {not_ok:#?}");

    // Each red finding cites its rule as the rulebook does.
    let (code, out, err) = app.cli(&["rules", "list", "--json"]).await;
    assert_eq!(code, 0, "rules list --json: {err}");
    let rules: Vec<Value> = serde_json::from_str(&out).unwrap_or_else(|e| panic!("rules list --json ({e}): {out}"));
    let citation: BTreeMap<&str, &str> = rules.iter().map(|r| (s(r, "id"), s(r, "citation"))).collect();
    for f in fs.iter().filter(|f| red(f)) {
        let rule = s(f, "rule_id");
        let cited = citation.get(rule).unwrap_or_else(|| panic!("rules list has {rule}"));
        assert_eq!(s(f, "citation"), *cited, "the finding cites its rule: {f}");
        assert!(cited.contains('《') && has_cjk(cited), "a citation names a document: {cited}");
        assert_eq!(f["actual"], 0, "nothing counted for a missing obligation: {f}");
        assert_eq!(f["status"], "missing", "{f}");
    }
    assert!(citation["branch_assembly_quarterly"].contains("第十一条"), "{}", citation["branch_assembly_quarterly"]);
    assert!(citation["committee_meeting_monthly"].contains("第十二条"), "{}", citation["committee_meeting_monthly"]);
    assert!(citation["cell_meeting_monthly"].contains("第十三条"), "{}", citation["cell_meeting_monthly"]);

    // The text report says the same, with the citation under each red rule.
    let (code, text, err) = app.cli(&["check", "--period", "2022Q1"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("未落实5项"), "the text report counts five red findings:\n{text}");
    for rule in ["branch_assembly_quarterly", "committee_meeting_monthly", "cell_meeting_monthly"] {
        assert!(text.contains(&format!("依据：{}", citation[rule])), "the text report cites {rule}:\n{text}");
    }

    // The compliance page of the fitness centre's branch shows the red month with its citation.
    let fitness = secretary_org(&app.store, "secretary3").await;
    assert_eq!(fitness.name, FITNESS, "secretary3 is the fitness centre branch's secretary");
    let s3 = app.login("secretary3").await;
    let (status, page) = s3.get(&format!("/compliance?org={}&period=2022Q1", fitness.id)).await;
    assert_eq!(status, StatusCode::OK);
    let page = text_of(&page);
    assert!(page.contains(citation["committee_meeting_monthly"]) && page.contains("未开展"), "the page shows the red finding:\n{page}");
    let (status, page) = s3.get("/rules").await;
    assert_eq!(status, StatusCode::OK);
    let page = text_of(&page);
    for r in &rules {
        assert!(page.contains(s(r, "title")) && page.contains(s(r, "citation")), "/rules shows {} with its citation", s(r, "id"));
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sitting_without_quorum_counts_as_the_lecture_but_not_as_the_assembly() {
    let app = TestApp::spawn().await;
    let training = org_named(&app, TRAINING).await;
    let fs = check_json(&app, "2022Q1", Some(&training.id)).await;
    assert!(fs.iter().all(|f| f["org_id"] == training.id.as_str()), "--org limits the report to the branch (no cells): {:#?}", short(&fs));

    let lecture = one(&fs, TRAINING, "party_lecture_quarterly", "2022Q1");
    assert_eq!(lecture["status"], "ok", "the sitting counts as the quarter's 党课: {lecture}");
    assert_eq!(lecture["actual"], 1, "{lecture}");
    let counted = ids(lecture);
    assert_eq!(counted.len(), 1, "{lecture}");

    // The one record is the joint sitting of both kinds, 11 present of 26.
    let t = app.token("secretary5").await;
    let a = api_get(&app, &t, &format!("/api/v1/activities/{}", counted[0])).await;
    let kinds: BTreeSet<&str> = a["kinds"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert!(kinds.contains("branch_assembly") && kinds.contains("party_lecture"), "one sitting, both kinds: {a}");
    assert_eq!((a["present_count"].as_i64(), a["expected_count"].as_i64()), (Some(11), Some(26)), "{a}");
    assert_eq!(a["held_on"], "2022-01-18");

    let assembly = one(&fs, TRAINING, "branch_assembly_quarterly", "2022Q1");
    assert_eq!(assembly["status"], "missing", "without a quorum it is not the quarter's 党员大会: {assembly}");
    assert_eq!(assembly["actual"], 0, "{assembly}");
    assert!(!ids(assembly).contains(&counted[0]), "the sitting is not counted for the assembly: {assembly}");
    let note = s(assembly, "note");
    assert!(note.contains("2022-01-18") && note.contains("法定人数") && note.contains("11") && note.contains("26"), "the finding says why: {note}");

    // A sitting of both kinds that has a quorum counts for both (another branch's).
    let sports_school = secretary_org(&app.store, "secretary2").await;
    let fs2 = check_json(&app, "2022Q1", Some(&sports_school.id)).await;
    let (a2, l2) =
        (one(&fs2, &sports_school.name, "branch_assembly_quarterly", "2022Q1"), one(&fs2, &sports_school.name, "party_lecture_quarterly", "2022Q1"));
    assert_eq!((&a2["status"], &l2["status"]), (&json!("ok"), &json!("ok")));
    assert_eq!(ids(a2), ids(l2), "the same sitting counts for both rules");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cell_has_its_own_monthly_cell_meeting_finding() {
    let app = TestApp::spawn().await;
    let fs = check_json(&app, "2022Q1", None).await;
    let cells: Vec<dangwu_store::orgs::Org> = all_orgs(&app.store).await.into_iter().filter(|o| o.kind == "cell").collect();
    assert_eq!(cells.len(), 3, "机关党支部 has three 党小组");
    let cell_findings: Vec<&Value> = fs.iter().filter(|f| f["rule_id"] == "cell_meeting_monthly").collect();
    assert_eq!(cell_findings.len(), 9, "three cells × three months: {:#?}", cell_findings);
    for cell in &cells {
        let mine: Vec<&&Value> = cell_findings.iter().filter(|f| f["org_id"] == cell.id.as_str()).collect();
        let months: Vec<&str> = mine.iter().map(|f| s(f, "period")).collect();
        assert_eq!(months, ["2022-01", "2022-02", "2022-03"], "{} is judged on its own, month by month", cell.name);
        for f in mine {
            let want = if cell.name == THIRD_CELL && f["period"] == "2022-03" { "missing" } else { "ok" };
            assert_eq!(f["status"], want, "{f}");
            if want == "ok" {
                assert_eq!(ids(f).len(), 1, "each cell's month counts its own meeting: {f}");
            }
        }
    }
    // The cells' meetings are not credited to the branch, and the branch has no cell finding.
    let branch = secretary_org(&app.store, "secretary1").await;
    assert!(!fs.iter().any(|f| f["org_id"] == branch.id.as_str() && f["rule_id"] == "cell_meeting_monthly"));
    let all_cell_records: BTreeSet<String> = cell_findings.iter().flat_map(|f| ids(f)).collect();
    assert_eq!(all_cell_records.len(), 8, "eight distinct cell meetings (3 + 3 + 2)");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committee_meeting_recorded_through_the_form_turns_february_green() {
    let app = TestApp::spawn().await;
    let fitness = secretary_org(&app.store, "secretary3").await;
    assert_eq!(fitness.name, FITNESS);
    let token = app.token("secretary3").await;
    let before = api_compliance(&app, &token, &fitness.id, "2022Q1").await;
    let feb = one(&before, FITNESS, "committee_meeting_monthly", "2022-02");
    assert_eq!(feb["status"], "missing", "{feb}");

    let s3 = app.login("secretary3").await;
    let (status, page) = s3.get(&format!("/activities/new?org={}", fitness.id)).await;
    assert_eq!(status, StatusCode::OK);
    let mut form = scrape_form(&page, "/activities").expect("the 记录活动 form posts to /activities");
    assert!(form.iter().any(|(k, v)| k.starts_with("att_") && v == "present"), "the roster is pre-filled as present");
    form.push(("kinds".into(), "committee_meeting".into()));
    set_field(&mut form, "title", "2月支部委员会会议（补记）");
    set_field(&mut form, "held_on", "2022-02-25");
    set_field(&mut form, "start_time", "14:30");
    set_field(&mut form, "host", "支部书记");
    set_field(&mut form, "recorder", "组织委员");
    set_field(&mut form, "topics", "研究第一季度党员大会、党课安排");
    let r = s3.http.post(s3.url("/activities")).form(&form).send().await.unwrap();
    let status = r.status();
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = r.text().await.unwrap();
    assert_eq!(status, StatusCode::SEE_OTHER, "saving the form redirects to the record:\n{}", text_of(&body));
    let id = location.trim_start_matches("/activities/").split('?').next().unwrap().to_owned();
    assert!(location.starts_with("/activities/") && id.len() == 36, "redirect to /activities/{{id}}: {location}");

    let after = api_compliance(&app, &token, &fitness.id, "2022Q1").await;
    let feb = one(&after, FITNESS, "committee_meeting_monthly", "2022-02");
    assert_eq!(feb["status"], "ok", "February is green now: {feb}");
    assert_eq!(ids(feb), vec![id.clone()], "the finding links the record it counted");
    // Nothing else changed colour.
    let colours = |fs: &[Value]| -> Vec<(String, String, String)> {
        fs.iter().map(|f| (s(f, "rule_id").to_owned(), s(f, "period").to_owned(), s(f, "status").to_owned())).collect()
    };
    let changed: Vec<_> = colours(&before).into_iter().zip(colours(&after)).filter(|(b, a)| b != a).collect();
    assert_eq!(changed.len(), 1, "only February's committee meeting changed: {changed:?}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_override_raising_the_assembly_minimum_makes_single_assemblies_insufficient() {
    let app = TestApp::spawn().await;
    let dir = app.db.dir.path().join("rulebook");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rules.toml"), "# 本局规定：支部党员大会每季度至少2次\n[[rule]]\nid = \"branch_assembly_quarterly\"\nminimum = 2\n").unwrap();

    let (code, out, err) = app.cli(&["rules", "list", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    let rules: Vec<Value> = serde_json::from_str(&out).unwrap();
    let rule = rules.iter().find(|r| r["id"] == "branch_assembly_quarterly").expect("rule listed");
    assert_eq!(rule["minimum"], 2, "the override applies: {rule}");
    assert!(s(rule, "citation").contains("第十一条"), "the keys not overridden are kept: {rule}");

    let fs = check_json(&app, "2022Q1", None).await;
    let assemblies: Vec<&Value> = fs.iter().filter(|f| f["rule_id"] == "branch_assembly_quarterly").collect();
    assert_eq!(assemblies.len(), 6, "one finding per branch: {:#?}", short(&fs));
    for f in assemblies {
        assert_eq!(f["expected"], 2, "{f}");
        if f["org_name"] == TRAINING {
            assert_eq!((&f["status"], &f["actual"]), (&json!("missing"), &json!(0)), "no assembly with a quorum: {f}");
        } else {
            assert_eq!((&f["status"], &f["actual"]), (&json!("insufficient"), &json!(1)), "one assembly of two: {f}");
        }
    }
    // Only that rule changed: the other reds are the demo's.
    let other_reds: BTreeSet<(String, String)> =
        fs.iter().filter(|f| red(f) && f["rule_id"] != "branch_assembly_quarterly").map(|f| (s(f, "org_name").into(), s(f, "rule_id").into())).collect();
    assert_eq!(
        other_reds,
        BTreeSet::from([
            (FITNESS.to_owned(), "committee_meeting_monthly".to_owned()),
            (THIRD_CELL.to_owned(), "cell_meeting_monthly".to_owned()),
            (JIGUAN.to_owned(), "volunteer_team_monthly_service".to_owned()),
        ])
    );

    // Without the file the shipped minimum is back.
    std::fs::remove_file(dir.join("rules.toml")).unwrap();
    let fs = check_json(&app, "2022Q1", None).await;
    assert_eq!(fs.iter().filter(|f| f["rule_id"] == "branch_assembly_quarterly" && f["status"] == "ok").count(), 5);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_override_stops_every_command_naming_file_line_and_key() {
    let db = TestDb::new().await;
    let (code, _, err) = db.cli(&["migrate"]).await;
    assert_eq!(code, 0, "migrate: {err}");
    let dir = db.dir.path().join("rulebook");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rules.toml");
    // Line 4 holds the bad value; its entry starts on line 2, its id is on line 3.
    std::fs::write(&file, "# 本局规定\n[[rule]]\nid = \"branch_assembly_quarterly\"\nminimum = \"三\"\n").unwrap();
    for args in [&["check", "--period", "2022Q1", "--json"][..], &["rules", "list", "--json"], &["activity", "list", "--json"]] {
        let (code, out, err) = db.cli(args).await;
        assert_ne!(code, 0, "dangwu {args:?} with a broken rulebook must fail:\n{out}\n{err}");
        assert!(out.trim().is_empty() || !out.trim_start().starts_with('['), "no report from a broken rulebook: {out}");
        assert!(has_cjk(&err), "the message is in Chinese: {err}");
        assert!(err.contains(&file.display().to_string()), "dangwu {args:?}: the message names the file {}:\n{err}", file.display());
        assert!(["第2行", "第3行", "第4行"].iter().any(|l| err.contains(l)), "dangwu {args:?}: the message names the line:\n{err}");
        assert!(err.contains("minimum"), "dangwu {args:?}: the message names the key `minimum`:\n{err}");
    }
    // The server refuses to start rather than run with it.
    let serve = tokio::time::timeout(std::time::Duration::from_secs(60), db.cli(&["serve", "--listen", "127.0.0.1:0"])).await;
    let (code, _, err) = serve.expect("serve exits at once with a broken rulebook instead of serving");
    assert_ne!(code, 0, "serve with a broken rulebook: {err}");
    assert!(err.contains(&file.display().to_string()), "serve names the file: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_branch_established_mid_quarter_is_judged_only_on_whole_months() {
    let app = TestApp::spawn().await;
    let organ = all_orgs(&app.store).await.into_iter().find(|o| o.kind == "organ_committee").expect("the 机关党委");
    let admin = app.token("admin").await;
    let r = client()
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&admin)
        .json(&json!({"name": "市冬季运动管理中心党支部", "kind": "branch", "parent_id": organ.id, "established_on": "2022-02-15", "unit": "海滨市冬季运动管理中心"}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let created: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let new_id = s(&created, "id").to_owned();

    let fs = api_compliance(&app, &admin, &new_id, "2022Q1").await;
    assert!(!fs.is_empty(), "the new branch is judged on March");
    for f in &fs {
        assert_eq!(f["org_id"], new_id.as_str());
        assert_eq!(f["period"], "2022-03", "only March, which it existed for throughout: {f}");
    }
    let rules: BTreeSet<&str> = fs.iter().map(|f| s(f, "rule_id")).collect();
    assert!(rules.contains("theme_day_monthly"), "March's 主题党日 is due: {rules:?}");
    assert!(!rules.contains("branch_assembly_quarterly") && !rules.contains("party_lecture_quarterly"), "no quarterly finding: {rules:?}");
    assert!(!rules.contains("committee_meeting_monthly"), "no committee without members: {rules:?}");
    // The whole bureau's report agrees (set-based evaluation, same answer).
    let all = check_json(&app, "2022Q1", None).await;
    let mine: Vec<&Value> = all.iter().filter(|f| f["org_id"] == new_id.as_str()).collect();
    assert_eq!(mine.len(), fs.len(), "{mine:#?}");
    assert!(mine.iter().all(|f| f["period"] == "2022-03"));
    // Judged on February alone, nothing; on Q2, everything.
    assert!(api_compliance(&app, &admin, &new_id, "2022-02").await.is_empty(), "not judged on a month it began in");
    let q2 = api_compliance(&app, &admin, &new_id, "2022Q2").await;
    assert!(q2.iter().any(|f| f["rule_id"] == "branch_assembly_quarterly" && f["period"] == "2022Q2"), "{:#?}", short(&q2));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn period_boundaries_the_last_day_of_a_quarter_and_a_leap_day() {
    let app = TestApp::spawn().await;
    let training = secretary_org(&app.store, "secretary5").await;
    assert_eq!(training.name, TRAINING);
    let t = app.token("secretary5").await;
    let everyone = all_present(&app, &training.id).await;
    let assembly = |on: &str| {
        json!({
            "org_id": training.id, "kinds": ["branch_assembly"], "title": format!("支部党员大会（{on}）"), "held_on": on,
            "host": "支部书记", "recorder": "组织委员", "topics": "讨论支部2022年工作计划", "attendees": everyone,
        })
    };

    // The first day of Q2 is not Q1.
    let (status, april) = api_post_activity(&app, &t, &assembly("2022-04-01")).await;
    assert_eq!(status, StatusCode::CREATED, "{april}");
    let april = s(&april, "id").to_owned();
    let q1 = api_compliance(&app, &t, &training.id, "2022Q1").await;
    let f = one(&q1, TRAINING, "branch_assembly_quarterly", "2022Q1");
    assert_eq!(f["status"], "missing", "2022-04-01 does not count for 2022Q1: {f}");
    assert!(!ids(f).contains(&april));
    let q2 = api_compliance(&app, &t, &training.id, "2022Q2").await;
    let f = one(&q2, TRAINING, "branch_assembly_quarterly", "2022Q2");
    assert_eq!((&f["status"], ids(f)), (&json!("ok"), vec![april.clone()]), "it counts for 2022Q2: {f}");

    // The last day of Q1 is Q1.
    let (status, march) = api_post_activity(&app, &t, &assembly("2022-03-31")).await;
    assert_eq!(status, StatusCode::CREATED, "{march}");
    let march = s(&march, "id").to_owned();
    let q1 = api_compliance(&app, &t, &training.id, "2022Q1").await;
    let f = one(&q1, TRAINING, "branch_assembly_quarterly", "2022Q1");
    assert_eq!((&f["status"], ids(f)), (&json!("ok"), vec![march.clone()]), "2022-03-31 counts for 2022Q1 (and only it): {f}");
    let q2 = api_compliance(&app, &t, &training.id, "2022Q2").await;
    assert_eq!(ids(one(&q2, TRAINING, "branch_assembly_quarterly", "2022Q2")), vec![april.clone()], "and not for 2022Q2");
    // Month and year views agree on the same day.
    let m3 = api_compliance(&app, &t, &training.id, "2022-03").await;
    assert!(ids(one(&m3, TRAINING, "branch_assembly_quarterly", "2022Q1")).contains(&march), "a month is judged on its quarter");

    // 29 February 2024 is a day of February and of 2024Q1, not of March.
    let (status, leap) = api_post_activity(
        &app,
        &t,
        &json!({"org_id": training.id, "kinds": ["theme_day"], "title": "2月主题党日", "held_on": "2024-02-29", "topics": "重温入党誓词", "attendees": everyone}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{leap}");
    let leap = s(&leap, "id").to_owned();
    let q = api_compliance(&app, &t, &training.id, "2024Q1").await;
    let months: Vec<(&str, &str)> = q.iter().filter(|f| f["rule_id"] == "theme_day_monthly").map(|f| (s(f, "period"), s(f, "status"))).collect();
    assert_eq!(months, [("2024-01", "missing"), ("2024-02", "ok"), ("2024-03", "missing")], "{:#?}", short(&q));
    assert_eq!(ids(one(&q, TRAINING, "theme_day_monthly", "2024-02")), vec![leap.clone()]);
    let feb = api_compliance(&app, &t, &training.id, "2024-02").await;
    assert_eq!(ids(one(&feb, TRAINING, "theme_day_monthly", "2024-02")), [leap]);
    // A date that does not exist is refused, not moved to the next day.
    let (status, body) = api_post_activity(
        &app,
        &t,
        &json!({"org_id": training.id, "kinds": ["theme_day"], "title": "2月主题党日", "held_on": "2023-02-29", "topics": "重温入党誓词", "attendees": everyone}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "2023-02-29: {body}");
    assert!(body.to_string().contains("held_on"), "{body}");
    app.shutdown().await;
}
