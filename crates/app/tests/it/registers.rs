//! Registering 意识形态阵地 and 廉政风险点 and starting 排查, 专项检查 and 实施方案 through the API
//! and the CLI: good input is stored and audited; bad input (an unknown kind, a missing field, an
//! end before the start, an organisation outside the caller's scope …) is refused with a Chinese
//! message naming the field and writes nothing.

use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;

/// Registers, campaigns, ledgers, linked activities and audit entries: what a refusal leaves alone.
async fn counts(app: &TestApp) -> [i64; 5] {
    let mut out = [0; 5];
    for (i, t) in ["registers", "campaigns", "ledgers", "campaign_activities", "audit_log"].iter().enumerate() {
        out[i] = app.store.db.read().scalar(&format!("SELECT COUNT(*) FROM {t}"), vec![]).await.unwrap();
    }
    out
}

async fn latest_activity(app: &TestApp, org_id: &str) -> String {
    app.store.db.read().scalar("SELECT id FROM activities WHERE org_id = $1 ORDER BY held_on DESC, id LIMIT 1", vec![org_id.into()]).await.unwrap()
}

fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Sends each bad body and checks the refusal: status, the field named, a Chinese message, nothing written.
async fn refuse_all(app: &TestApp, token: &str, path: &str, base: &Value, cases: &[(&str, Value, StatusCode, &str)]) {
    for (what, patch, status, field) in cases {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        let before = counts(app).await;
        let (code, e) = api(app, token, Method::POST, path, Some(body)).await;
        assert_eq!(code, *status, "{what}: {e}");
        assert_eq!(e["field"], *field, "{what}: {e}");
        assert!(chinese(e["message"].as_str().unwrap_or_default()), "{what}: {e}");
        assert_eq!(counts(app).await, before, "{what} writes nothing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_over_the_api() {
    let app = TestApp::spawn().await;
    let (mine, theirs) = (secretary_org(&app.store, "secretary1").await, secretary_org(&app.store, "secretary2").await);
    let (t1, t2) = (app.token("secretary1").await, app.token("secretary2").await);

    let before = counts(&app).await;
    let position = json!({"org_id": mine.id, "kind": "position", "subkind": "network_platform", "name": "测试支部微信公众号", "responsible": "张三"});
    let (code, p) = api(&app, &t1, Method::POST, "/api/v1/registers", Some(position.clone())).await;
    assert_eq!(code, StatusCode::CREATED, "{p}");
    assert_eq!((p["kind"].as_str(), p["subkind"].as_str(), p["org_name"].as_str(), p["grade"].as_str()), (Some("position"), Some("network_platform"), Some(mine.name.as_str()), None), "{p}");
    let risk = json!({"org_id": mine.id, "kind": "risk_point", "subkind": "财务岗", "name": "测试报销审核", "measures": "双人复核", "grade": "红", "review_cycle_days": 90});
    let (code, r) = api(&app, &t1, Method::POST, "/api/v1/registers", Some(risk.clone())).await;
    assert_eq!(code, StatusCode::CREATED, "{r}");
    assert_eq!((r["grade"].as_str(), r["review_cycle_days"].as_i64()), (Some("red"), Some(90)), "the grade is kept by its id: {r}");
    let after = counts(&app).await;
    assert_eq!((after[0], after[4]), (before[0] + 2, before[4] + 2), "two entries, two audit entries");
    assert!(recent_audit(&app.store, 1).await[0].contains("register.create"), "{:?}", recent_audit(&app.store, 1).await);

    // Listed by kind, within scope only.
    let names = |v: &Value| v.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let (code, list) = api(&app, &t1, Method::GET, "/api/v1/registers?kind=position", None).await;
    assert_eq!(code, StatusCode::OK, "{list}");
    assert!(names(&list).contains(&"测试支部微信公众号".to_owned()) && !names(&list).contains(&"测试报销审核".to_owned()), "{list}");
    let (_, list) = api(&app, &t1, Method::GET, "/api/v1/registers?kind=risk_point", None).await;
    assert!(names(&list).contains(&"测试报销审核".to_owned()), "{list}");
    let (_, list) = api(&app, &t2, Method::GET, "/api/v1/registers?kind=position", None).await;
    assert!(!names(&list).contains(&"测试支部微信公众号".to_owned()), "another branch does not see it: {list}");
    for q in ["?kind=tv", ""] {
        let (code, e) = api(&app, &t1, Method::GET, &format!("/api/v1/registers{q}"), None).await;
        assert_eq!((code, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")), "{q}: {e}");
        assert!(chinese(e["message"].as_str().unwrap()), "{e}");
    }

    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    refuse_all(&app, &t1, "/api/v1/registers", &position, &[
        ("unknown kind", json!({"kind": "canteen"}), bad, "kind"),
        ("unknown position kind", json!({"subkind": "tv_station"}), bad, "subkind"),
        ("blank name", json!({"name": "  "}), bad, "name"),
        ("no name", json!({"name": null}), bad, "name"),
        ("malformed org", json!({"org_id": "第一支部"}), bad, "org_id"),
        ("an org that does not exist", json!({"org_id": "0190a1b2-0000-7000-8000-000000000000"}), bad, "org_id"),
        ("another branch", json!({"org_id": theirs.id}), StatusCode::FORBIDDEN, "org_id"),
    ])
    .await;
    refuse_all(&app, &t1, "/api/v1/registers", &risk, &[
        ("no grade", json!({"grade": null}), bad, "grade"),
        ("unknown grade", json!({"grade": "紫"}), bad, "grade"),
        ("no review cycle", json!({"review_cycle_days": null}), bad, "review_cycle_days"),
        ("a zero review cycle", json!({"review_cycle_days": 0}), bad, "review_cycle_days"),
    ])
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaigns_and_linked_activities_over_the_api() {
    let app = TestApp::spawn().await;
    let (mine, theirs) = (secretary_org(&app.store, "secretary1").await, secretary_org(&app.store, "secretary2").await);
    let (t1, t2) = (app.token("secretary1").await, app.token("secretary2").await);

    let before = counts(&app).await;
    let program = json!({"org_id": mine.id, "kind": "program", "title": "测试能力作风建设年", "starts_on": "2022-03-01", "ends_on": "2022-12-31", "goals": "提升能力"});
    let (code, c) = api(&app, &t1, Method::POST, "/api/v1/campaigns", Some(program.clone())).await;
    assert_eq!(code, StatusCode::CREATED, "{c}");
    assert_eq!((c["kind"].as_str(), c["title"].as_str(), c["goals"].as_str()), (Some("program"), Some("测试能力作风建设年"), Some("提升能力")), "{c}");
    let after = counts(&app).await;
    assert_eq!((after[1], after[2]), (before[1] + 1, before[2] + 1), "the campaign and its ledger");
    assert!(recent_audit(&app.store, 3).await.iter().any(|a| a.contains("campaign.create")), "{:?}", recent_audit(&app.store, 3).await);
    let cid = c["id"].as_str().unwrap().to_owned();

    let inspection = json!({"org_id": mine.id, "kind": "special_inspection", "title": "测试支部专项检查", "starts_on": "2022-03-01", "ends_on": "2022-03-31", "targets": [mine.id]});
    let (code, s) = api(&app, &t1, Method::POST, "/api/v1/campaigns", Some(inspection.clone())).await;
    assert_eq!(code, StatusCode::CREATED, "{s}");
    assert_eq!(s["checklist"], "branch_party_work", "the kind's checklist from the rulebook: {s}");
    let (_, d) = api(&app, &t1, Method::GET, &format!("/api/v1/campaigns/{}", s["id"].as_str().unwrap()), None).await;
    assert_eq!(d["targets"].as_array().unwrap().iter().map(|t| t["org_id"].as_str().unwrap()).collect::<Vec<_>>(), [mine.id.as_str()], "{d}");

    let bad = StatusCode::UNPROCESSABLE_ENTITY;
    refuse_all(&app, &t1, "/api/v1/campaigns", &program, &[
        ("unknown kind", json!({"kind": "parade"}), bad, "kind"),
        ("end before start", json!({"ends_on": "2022-02-28"}), bad, "ends_on"),
        ("malformed start", json!({"starts_on": "2022-13-01"}), bad, "starts_on"),
        ("blank title", json!({"title": " "}), bad, "title"),
        ("no title", json!({"title": null}), bad, "title"),
        ("targets on a program", json!({"targets": [mine.id]}), bad, "targets"),
        ("another branch", json!({"org_id": theirs.id}), StatusCode::FORBIDDEN, "org_id"),
    ])
    .await;
    refuse_all(&app, &t1, "/api/v1/campaigns", &inspection, &[
        ("a target outside the scope", json!({"targets": [mine.id, theirs.id]}), bad, "targets"),
        ("a malformed target", json!({"targets": ["第一支部"]}), bad, "targets"),
    ])
    .await;
    refuse_all(&app, &t1, "/api/v1/campaigns", &json!({"org_id": mine.id, "kind": "risk_screening", "title": "测试排查", "starts_on": "2022-03-01", "ends_on": "2022-03-31"}), &[
        ("a branch as a position", json!({"targets": [mine.id]}), bad, "targets"),
    ])
    .await;

    // Linking an activity of the branch: shown on the campaign, audited.
    let (ours, other) = (latest_activity(&app, &mine.id).await, latest_activity(&app, &theirs.id).await);
    let path = format!("/api/v1/campaigns/{cid}/activities");
    let (code, d) = api(&app, &t1, Method::POST, &path, Some(json!({"activity_id": ours}))).await;
    assert_eq!(code, StatusCode::OK, "{d}");
    assert_eq!(d["activities"].as_array().unwrap().iter().map(|a| a["activity_id"].as_str().unwrap()).collect::<Vec<_>>(), [ours.as_str()], "{d}");
    assert!(recent_audit(&app.store, 1).await[0].contains("campaign.activity"), "{:?}", recent_audit(&app.store, 1).await);
    refuse_all(&app, &t1, &path, &json!({"activity_id": ours}), &[
        ("a malformed activity", json!({"activity_id": "主题党日"}), bad, "activity_id"),
        ("another branch's activity", json!({"activity_id": other}), bad, "activity_id"),
        ("no activity", json!({"activity_id": null}), bad, "activity_id"),
    ])
    .await;
    let before = counts(&app).await;
    let (code, e) = api(&app, &t2, Method::POST, &path, Some(json!({"activity_id": other}))).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "another branch does not see the program: {e}");
    assert_eq!(counts(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaign_cli_registers_creates_and_links() {
    let app = TestApp::spawn().await;
    let org = secretary_org(&app.store, "secretary1").await;
    let before = counts(&app).await;
    let (code, out, err) =
        app.cli(&["campaign", "register", "--org", &org.id, "--kind", "risk_point", "--subkind", "办公室", "--name", "测试公务接待", "--grade", "黄", "--review-days", "180"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let rid = out.trim().to_owned();
    let (code, out, err) = app.cli(&["campaign", "registers", "risk_point", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    let list: Value = serde_json::from_str(&out).unwrap();
    let row = list.as_array().unwrap().iter().find(|r| r[0]["id"] == rid.as_str()).unwrap_or_else(|| panic!("{rid} listed: {out}"));
    assert_eq!((row[0]["grade"].as_str(), row[0]["review_cycle_days"].as_i64(), row[1].as_str()), (Some("yellow"), Some(180), Some(org.name.as_str())), "{row}");

    let (code, out, err) = app.cli(&["campaign", "create", "--org", &org.id, "--kind", "program", "--title", "测试走基层", "--from", "2022-03-01", "--to", "2022-06-30", "--goals", "接地气"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let cid = out.trim().to_owned();
    let activity = latest_activity(&app, &org.id).await;
    let (code, out, err) = app.cli(&["campaign", "link", &cid, "--activity", &activity]).await;
    assert_eq!((code, out.trim()), (0, "已关联"), "{err}");
    let after = counts(&app).await;
    assert_eq!([after[0], after[1], after[2], after[3]], [before[0] + 1, before[1] + 1, before[2] + 1, before[3] + 1], "one register entry, one program with its ledger, one link");
    let log = recent_audit(&app.store, 4).await.join("\n");
    for a in ["register.create", "campaign.create", "campaign.activity"] {
        assert!(log.contains(a), "{a} audited: {log}");
    }

    // Refusals: a Chinese message naming what is wrong, nothing written.
    let before = counts(&app).await;
    for (args, want) in [
        (vec!["campaign", "registers", "canteen"], "台账类别“canteen”无效"),
        (vec!["campaign", "register", "--org", &org.id, "--kind", "risk_point", "--subkind", "办公室", "--name", "无等级", "--review-days", "30"], "请填写风险等级"),
        (vec!["campaign", "register", "--org", &org.id, "--kind", "position", "--subkind", "tv_station", "--name", "电视台"], "阵地类别“tv_station”不存在"),
        (vec!["campaign", "create", "--org", &org.id, "--kind", "parade", "--title", "T", "--from", "2022-03-01", "--to", "2022-03-31"], "活动类别“parade”不存在"),
        (vec!["campaign", "create", "--org", &org.id, "--kind", "program", "--title", "T", "--from", "2022-03-01", "--to", "2022-02-01"], "结束日期不能早于开始日期"),
        (vec!["campaign", "create", "--org", &org.id, "--kind", "program", "--title", "T", "--from", "2022-03-32", "--to", "2022-04-01"], "--from"),
        (vec!["campaign", "link", &cid, "--activity", "0190a1b2-0000-7000-8000-000000000000"], "活动不存在"),
    ] {
        let (code, out, err) = app.cli(&args).await;
        assert_ne!(code, 0, "{args:?}: {out}");
        assert!(err.contains(want), "{args:?}: {want} in {err}");
        assert_eq!(counts(&app).await, before, "{args:?} writes nothing");
    }
}

/// Moves a register entry's registration back by `days`, as if it had been registered then.
async fn registered_days_ago(app: &TestApp, id: &str, days: i64) {
    let at = chrono::Utc::now().timestamp_millis() - days * 24 * 3600 * 1000;
    let mut tx = app.store.db.begin().await.unwrap();
    tx.exec("UPDATE registers SET created_at = $1 WHERE id = $2", vec![at.into(), id.into()]).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_risk_reviews_show_on_the_workbench_within_scope() {
    let app = TestApp::spawn().await;
    let mine = secretary_org(&app.store, "secretary1").await;
    let t1 = app.token("secretary1").await;
    let today = dangwu::today();
    let add = |name: &str| json!({"org_id": mine.id, "kind": "risk_point", "subkind": "财务岗", "name": name, "grade": "黄", "review_cycle_days": 30});
    let (code, r) = api(&app, &t1, Method::POST, "/api/v1/registers", Some(add("测试超期风险点"))).await;
    assert_eq!(code, StatusCode::CREATED, "{r}");
    let rid = r["id"].as_str().unwrap().to_owned();
    let (s1, s2, admin) = (app.login("secretary1").await, app.login("secretary2").await, app.login("admin").await);
    // The 工作台 line of a risk point: its link, with how late and by when.
    let line = |id: &str| format!("<a href=\"/integrity/risks/{id}\">");
    let home = |s: &Session| {
        let s = s.http.get(s.url("/"));
        async move { s.send().await.unwrap().text().await.unwrap() }
    };
    assert!(!home(&s1).await.contains(&line(&rid)), "registered today: the first review is not due yet");

    // Never reviewed and registered 40 days ago with a 30-day cycle: 10 days overdue.
    registered_days_ago(&app, &rid, 40).await;
    let page = home(&s1).await;
    let due = today - chrono::Days::new(10);
    let shown = format!("<span class=\"tag bad\">超期10天</span> {}测试超期风险点</a>（{}，应于 <time>{due}</time> 前复查）", line(&rid), mine.name);
    assert!(page.contains(&shown), "{shown}\n{}", text_of(&page));
    assert!(home(&admin).await.contains(&line(&rid)), "the bureau's administrator sees every branch");
    assert!(!home(&s2).await.contains(&line(&rid)), "another branch's secretary does not");

    // The list is one query however many risk points are overdue.
    let user = dangwu_store::users::by_username(&app.store, "secretary1").await.unwrap().unwrap();
    let p = dangwu_store::users::principal(&app.store, &user).await.unwrap();
    let (one, n1) = dangwu_store::db::count_statements(dangwu_store::risk_reviews::overdue(&app.store, &p, today)).await;
    for i in 0..5 {
        let (_, r) = api(&app, &t1, Method::POST, "/api/v1/registers", Some(add(&format!("测试超期风险点{i}")))).await;
        registered_days_ago(&app, r["id"].as_str().unwrap(), 31 + i).await;
    }
    let (six, n6) = dangwu_store::db::count_statements(dangwu_store::risk_reviews::overdue(&app.store, &p, today)).await;
    assert_eq!((one.unwrap().len() + 5, n1), (six.unwrap().len(), 1), "one statement for one overdue risk point and for six");
    assert_eq!(n6, n1);

    // A review recorded today (an 廉政风险点排查 over it) takes it off the list.
    let (code, c) = api(&app, &t1, Method::POST, "/api/v1/campaigns", Some(json!({"org_id": mine.id, "kind": "integrity_review", "title": "测试风险点复查", "starts_on": (today - chrono::Days::new(1)).to_string(), "ends_on": today.to_string(), "targets": [rid]}))).await;
    assert_eq!(code, StatusCode::CREATED, "{c}");
    let (code, d) = api(&app, &t1, Method::POST, &format!("/api/v1/campaigns/{}/results", c["id"].as_str().unwrap()), Some(json!({"target_id": rid, "item": "review", "outcome": "pass", "checked_on": today.to_string()}))).await;
    assert_eq!(code, StatusCode::CREATED, "{d}");
    let page = home(&s1).await;
    assert!(!page.contains(&line(&rid)) && page.contains("测试超期风险点0</a>"), "reviewed today, off the list; the others stay: {}", text_of(&page));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn program_page_links_an_activity() {
    let app = TestApp::spawn().await;
    let (mine, theirs) = (secretary_org(&app.store, "secretary1").await, secretary_org(&app.store, "secretary2").await);
    let t1 = app.token("secretary1").await;
    let (aid, other) = (latest_activity(&app, &mine.id).await, latest_activity(&app, &theirs.id).await);
    let held: chrono::NaiveDate = app.store.db.read().scalar("SELECT held_on FROM activities WHERE id = $1", vec![aid.clone().into()]).await.unwrap();
    let body = json!({"org_id": mine.id, "kind": "program", "title": "测试页面关联", "starts_on": (held - chrono::Days::new(30)).to_string(), "ends_on": held.to_string()});
    let (code, c) = api(&app, &t1, Method::POST, "/api/v1/campaigns", Some(body)).await;
    assert_eq!(code, StatusCode::CREATED, "{c}");
    let page_path = format!("/campaigns/{}", c["id"].as_str().unwrap());
    let action = format!("{page_path}/activities");
    let offered = |page: &str, id: &str| page.contains(&format!("<option value=\"{id}\""));

    let s1 = app.login("secretary1").await;
    let (code, page) = s1.get(&page_path).await;
    assert_eq!(code, StatusCode::OK);
    assert!(text_of(&page).contains("尚未关联活动"), "{}", text_of(&page));
    assert!(offered(&page, &aid) && !offered(&page, &other), "the branch's activities in the period are offered, no other branch's");
    let mut form = scrape_form(&page, &action).expect("the link form");

    // Refusals: nothing chosen, another branch's activity, no CSRF token, another branch's secretary.
    let s2 = app.login("secretary2").await;
    let before = counts(&app).await;
    let (code, page) = s1.post_form_raw(&action, &form).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&page).contains("请选择要关联的活动"), "{}", text_of(&page));
    set_field(&mut form, "activity_id", &other);
    let (code, page) = s1.post_form_raw(&action, &form).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&page).contains("活动不存在或不在本人范围内"), "{}", text_of(&page));
    set_field(&mut form, "activity_id", &aid);
    let (code, _) = s1.post_form_raw(&action, &without_field(&form, "csrf_token")).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    let (code, _) = s2.post_form(&action, &[("activity_id", &aid)]).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "another branch does not see the program");
    assert_eq!(counts(&app).await, before, "no refusal wrote anything");

    // Linked: shown under 关联活动, no longer offered, audited.
    let (code, _) = s1.post_form_raw(&action, &form).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    let (_, page) = s1.get(&page_path).await;
    assert!(page.contains(&format!("<a href=\"/activities/{aid}\">")) && !offered(&page, &aid), "{}", text_of(&page));
    assert_eq!(counts(&app).await[3], before[3] + 1);
    assert!(recent_audit(&app.store, 1).await[0].contains("campaign.activity"), "{:?}", recent_audit(&app.store, 1).await);
}
