//! Training (培训) on the demo bureau: hours per member computed from the recorded sessions
//! against the rulebook targets (32 学时, 56 for secretaries and committee members), a branch
//! secretary's scope, and bad input (negative hours, an unknown capability tag) refused in Chinese
//! with nothing written — through the API, the CLI and the pages.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, api, branches, client, post_login, scrape_form, set_field};


async fn hours(app: &TestApp, token: &str) -> Vec<Value> {
    let (st, v) = api(app, token, reqwest::Method::GET, "/api/v1/training/hours?year=2022", None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!((&v["member_target"], &v["leader_target"]), (&json!(32), &json!(56)), "{v}");
    v["members"].as_array().unwrap().clone()
}

async fn sessions(app: &TestApp, token: &str) -> Vec<Value> {
    let (st, v) = api(app, token, reqwest::Method::GET, "/api/v1/training/sessions?year=2022", None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

fn of<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter().find(|m| m["member_id"] == id).unwrap_or_else(|| panic!("{id} listed"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn training_hours_follow_the_sessions_against_the_targets_within_scope() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let sec = app.token("secretary3").await;
    let bs = branches(&app.store).await;
    let branch = &bs[2];

    // The demo's training for party workers: 3 学时 on two of the 八项能力, party workers listed apart.
    let all = sessions(&app, &admin).await;
    let demo = all.iter().find(|s| s["title"].as_str().unwrap().contains("党务工作者业务培训")).expect("the demo training");
    assert_eq!(demo["hours"], "3", "{demo}");
    let labels: Vec<&str> = demo["capabilities"].as_array().unwrap().iter().map(|c| c["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["政策落实", "专业操作"], "{demo}");
    let everyone = hours(&app, &admin).await;
    assert!(everyone.iter().any(|m| m["party_worker"] == true && m["hours"] == "3"), "a trained party worker");

    // The secretary sees their own branch only: members and sessions.
    let mine = hours(&app, &sec).await;
    assert!(!mine.is_empty() && mine.len() < everyone.len());
    assert!(mine.iter().all(|m| m["org_name"] == branch.name.as_str()), "{mine:?}");
    assert!(sessions(&app, &sec).await.iter().all(|s| s["org_id"] == branch.id.as_str()));
    let leader = mine.iter().find(|m| m["leader"] == true).expect("the branch secretary or a committee member")["member_id"].as_str().unwrap().to_owned();
    let plain = mine.iter().find(|m| m["leader"] == false && m["hours"] == "0").expect("a member without training")["member_id"].as_str().unwrap().to_owned();
    assert_eq!((&of(&mine, &leader)["target"], &of(&mine, &plain)["target"]), (&json!(56), &json!(32)));

    // 29 学时 through the API, 3 more through the CLI: the member reaches 32, the leader does not reach 56.
    let body = |hours: &str, tags: Value, org: &str| {
        json!({"org_id": org, "kind": "training", "title": "依法行政专题培训", "held_on": "2022-03-18", "hours": hours,
               "capabilities": tags, "topics": "依法办事", "participant_ids": [plain, leader]})
    };
    let (st, s) = api(&app, &sec, reqwest::Method::POST, "/api/v1/training/sessions", Some(body("24", json!(["依法办事", "policy"]), &branch.id))).await;
    assert_eq!(st, StatusCode::CREATED, "{s}");
    assert_eq!((&s["hours"], &s["participants"]), (&json!("24"), &json!(2)), "{s}");
    assert_eq!(s["capabilities"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect::<Vec<_>>(), ["policy", "law"]);
    let (st, _) = api(&app, &sec, reqwest::Method::POST, "/api/v1/training/sessions", Some(body("5", json!([]), &branch.id))).await;
    assert_eq!(st, StatusCode::CREATED);
    let (code, out, err) = app.cli(&["training", "add", "--org", &branch.id, "--title", "周五学习日", "--date", "2022-03-25", "--hours", "3",
        "--capability", "专业操作", "--topics", "党务知识", "--member", &plain, "--member", &leader]).await;
    assert_eq!(code, 0, "{out}{err}");
    let mine = hours(&app, &sec).await;
    let (p, l) = (of(&mine, &plain), of(&mine, &leader));
    assert_eq!((&p["hours"], &p["below_target"]), (&json!("32"), &json!(false)), "{p}");
    assert_eq!((&l["hours"], &l["target"], &l["below_target"]), (&json!("32"), &json!(56), &json!(true)), "{l}");
    let (code, out, _) = app.cli(&["training", "hours", "--year", "2022", "--org", &branch.id, "--json"]).await;
    assert_eq!(code, 0);
    let cli: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(of(&cli, &leader)["hours"], "32");

    // Bad input: negative hours, more than a day, an unknown tag, another branch — nothing written.
    let before = sessions(&app, &admin).await.len();
    for (b, field, words) in [
        (body("-1", json!([]), &branch.id), "hours", "时长"),
        (body("25", json!([]), &branch.id), "hours", "不超过一天"),
        (body("2", json!(["政策落实", "唱歌"]), &branch.id), "capabilities", "“唱歌”不在能力清单中"),
    ] {
        let (st, e) = api(&app, &sec, reqwest::Method::POST, "/api/v1/training/sessions", Some(b)).await;
        assert_eq!((st, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{e}");
        assert!(e["message"].as_str().unwrap().contains(words), "{e}");
    }
    let (st, e) = api(&app, &sec, reqwest::Method::POST, "/api/v1/training/sessions", Some(body("2", json!([]), &bs[0].id))).await;
    assert!(matches!(st, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{st} {e}");
    let (code, _, err) = app.cli(&["training", "add", "--org", &branch.id, "--title", "x", "--date", "2022-03-25", "--hours", "-2", "--topics", "x", "--member", &plain]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("[hours]") && err.contains("未写入"), "{err}");
    assert_eq!(sessions(&app, &admin).await.len(), before, "nothing written");
    assert_eq!(of(&hours(&app, &sec).await, &plain)["hours"], "32");

    // The page: party workers apart; the form records a session with ticked members and tags.
    let s = app.login("secretary3").await;
    let (st, page) = s.get("/training?year=2022").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("党务工作者学时") && page.contains("依法行政专题培训") && page.contains("未达标"), "{page}");
    let (st, page) = s.get(&format!("/training/new?org={}", branch.id)).await;
    assert_eq!(st, StatusCode::OK);
    let mut form = scrape_form(&page, "/training/new").expect("the training form");
    for (k, v) in [("title", "网页记录的培训"), ("held_on", "2022-03-30"), ("hours", "2"), ("topics", "学习")] {
        set_field(&mut form, k, v);
    }
    form.push(("participant".into(), plain.clone()));
    form.push(("capabilities".into(), "唱歌".into()));
    let (st, page) = s.post_form_raw("/training/new", &form).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("不在能力清单中"), "{page}");
    assert_eq!(sessions(&app, &admin).await.len(), before, "nothing written");
    form.pop();
    form.push(("capabilities".into(), "service".into()));
    let (st, _) = s.post_form_raw("/training/new", &form).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(of(&hours(&app, &sec).await, &plain)["hours"], "34");

    // A member sees their own hours on the phone page, and nobody else's.
    let m = app.token("member1").await;
    assert_eq!(hours(&app, &m).await.len(), 1);
    let http = client();
    let (st, _) = post_login(&http, &app.base, "member1", dangwu::demo::DEMO_PASSWORD).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let page = http.get(app.url("/training?year=2022")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("我的培训") && page.contains("本人学时") && !page.contains("党务工作者学时"), "{page}");
    app.shutdown().await;
}

/// Red-education visits (红色教育) and invited lecturers (专家授课) are activity kinds with their
/// own fields; their hours count as training hours; bad fields are refused with nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn red_education_visits_and_expert_lectures_are_activities_counting_as_training() {
    let app = TestApp::spawn().await;
    let sec = app.token("secretary3").await;
    let branch = &branches(&app.store).await[2];
    let plain = hours(&app, &sec).await.into_iter().find(|m| m["leader"] == false && m["hours"] == "0").expect("a member without training")["member_id"].as_str().unwrap().to_owned();
    let attendees = json!([{"member_id": plain, "attendance": "present"}]);
    let visit = |hours: &str| {
        json!({"org_id": branch.id, "kinds": ["red_education_visit"], "title": "参观革命纪念馆", "held_on": "2022-03-05", "place": "革命纪念馆",
               "attendees": attendees, "extra": {"site": "革命纪念馆", "hours": hours}})
    };
    let lecture = |lecturer: &str| {
        json!({"org_id": branch.id, "kinds": ["expert_lecture"], "title": "专家辅导讲座", "held_on": "2022-03-12", "lecturer": lecturer, "topics": "党的二十大精神",
               "attendees": attendees, "extra": {"hours": "2", "lecturer_from": "市委党校"}})
    };
    let count = |app: &TestApp| {
        let store = app.store.clone();
        async move { dangwu_store::activities::list(&store, &dangwu::cli_principal(), &Default::default()).await.unwrap().len() }
    };
    let before = count(&app).await;
    for (body, field) in [(visit("30"), "hours"), (visit("-1"), "hours"), (lecture(" "), "lecturer")] {
        let (st, e) = api(&app, &sec, reqwest::Method::POST, "/api/v1/activities", Some(body)).await;
        assert_eq!((st, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{e}");
    }
    assert_eq!(count(&app).await, before, "nothing written");
    let mut ids = Vec::new();
    for body in [visit("4"), lecture("王教授")] {
        let (st, a) = api(&app, &sec, reqwest::Method::POST, "/api/v1/activities", Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        ids.push(a["id"].as_str().unwrap().to_owned());
    }
    let (_, a) = api(&app, &sec, reqwest::Method::GET, &format!("/api/v1/activities/{}", ids[1]), None).await;
    assert!(a.to_string().contains("市委党校") && a.to_string().contains("王教授"), "the lecturer and their unit are kept: {a}");
    let (_, a) = api(&app, &sec, reqwest::Method::GET, &format!("/api/v1/activities/{}", ids[0]), None).await;
    assert!(a.to_string().contains("革命纪念馆"), "the site is kept: {a}");
    assert_eq!(of(&hours(&app, &sec).await, &plain)["hours"], "6", "4 + 2 学时");
    let (_, s) = api(&app, &sec, reqwest::Method::GET, "/api/v1/training/sessions?year=2022", None).await;
    assert!(s.as_array().unwrap().iter().any(|x| x["title"] == "参观革命纪念馆"), "listed with the training sessions: {s}");
    app.shutdown().await;
}
