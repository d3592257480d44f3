//! People and community (issue 6) on the demo bureau: the delegate nominations with rates computed
//! from the roster (members who move in or out mid-campaign), the teams and their service, the
//! volunteer team's monthly rule across months, report facts, and bad input refused with nothing
//! written — through the API, the CLI and the pages.

use dangwu_domain::facts::FactValue;
use dangwu_domain::member::MemberEventKind;
use dangwu_domain::period::Period;
use dangwu_store::audit::Actor;
use dangwu_store::facts::{self, FactScope};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, all_orgs, api, branches, client, members_of, post_login, scrape_form};


async fn api_raw(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, String) {
    let r = client().put(app.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn check(app: &TestApp) -> Vec<Value> {
    let (code, out, err) = app.cli(&["check", "--period", "2022Q1", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Vec<Value>>(&out).unwrap()
}

fn admin() -> dangwu_domain::auth::Principal {
    dangwu::cli_principal()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nominations_rates_come_from_the_roster_and_follow_moves_mid_campaign() {
    let app = TestApp::spawn().await;
    let token = app.token("admin").await;
    let get = reqwest::Method::GET;

    // The seed: three elections over 7 orgs and 179 members, every one informed and taking part.
    let (st, list) = api(&app, &token, get.clone(), "/api/v1/elections", None).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let titles: Vec<&str> = list.as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    for t in ["党的二十大代表", "省第十二次党代会代表", "市第十四次党代会代表"] {
        assert!(titles.contains(&t), "{t} in {titles:?}");
    }
    for e in list.as_array().unwrap() {
        assert_eq!(e["org_ids"].as_array().unwrap().len(), 7, "{e}");
        assert_eq!((&e["total"]["eligible"], &e["total"]["awareness_rate"], &e["total"]["participation_rate"]), (&json!(179), &json!("100%"), &json!("100%")), "{e}");
    }

    // The same through the CLI and the report facts.
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (code, out, err) = app.cli(&["election", "rates", &id, "--json"]).await;
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((&v["orgs"], &v["total"]["eligible"], &v["total"]["participation_rate"]), (&json!(7), &json!(179), &json!("100%")), "{v}");
    let root = all_orgs(&app.store).await.into_iter().find(|o| o.parent_id.is_none()).unwrap();
    let fs = facts::collect(&app.store, &FactScope { root, period: Period::parse("2022Q1").unwrap() }).await.unwrap();
    assert_eq!(fs.get("nomination_orgs").unwrap().value, FactValue::Count(7));
    assert_eq!(fs.get("nomination_members").unwrap().value, FactValue::Count(179));
    assert_eq!(fs.get("nomination_awareness_rate").unwrap().value, FactValue::Ratio { num: 179, den: 179 });
    assert_eq!(fs.get("nomination_participation_rate").unwrap().value, FactValue::Ratio { num: 179, den: 179 });
    let FactValue::List(items) = &fs.get("nomination_elections").unwrap().value else { panic!() };
    assert_eq!(items.len(), 3);
    assert_eq!(fs.get("teams_vanguard").unwrap().value, FactValue::Count(6));
    assert_eq!(fs.get("care_households_visited").unwrap().value, FactValue::Count(5));
    assert!(!fs.get("teams_vanguard").unwrap().records.is_empty(), "facts carry their records");

    // A campaign over one branch, everyone marked at the start; then one member moves in from
    // another branch and one moves out before the close.
    let bs = branches(&app.store).await;
    let (a, b) = (&bs[0], &bs[1]);
    let body = json!({"org_id": a.id, "title": "测试推选", "opens_on": "2022-02-01", "closes_on": "2022-03-31", "org_ids": [a.id]});
    let (st, e) = api(&app, &token, reqwest::Method::POST, "/api/v1/elections", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{e}");
    let eid = e["id"].as_str().unwrap().to_owned();
    let n = e["total"]["eligible"].as_u64().unwrap();
    assert!(n > 30, "{e}");
    let (code, _, err) = app.cli(&["election", "mark", &eid, "--all"]).await;
    assert_eq!(code, 0, "{err}");
    let active = |m: &&dangwu_store::members::MemberRow| m.member.status == "full";
    let incoming = members_of(&app.store, Some(b)).await.into_iter().find(|m| active(&m)).unwrap();
    let leaving = members_of(&app.store, Some(a)).await.into_iter().rev().find(|m| active(&m)).unwrap();
    let actor = Actor("test".into());
    dangwu_store::members::record_event(&app.store, &admin(), &actor, incoming.member.member_id(), MemberEventKind::Moved, chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap(), Some(a.org_id()), "调整")
        .await
        .unwrap();
    dangwu_store::members::record_event(&app.store, &admin(), &actor, leaving.member.member_id(), MemberEventKind::Moved, chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap(), Some(b.org_id()), "调整")
        .await
        .unwrap();
    let (_, e) = api(&app, &token, get.clone(), &format!("/api/v1/elections/{eid}"), None).await;
    assert_eq!(e["total"]["eligible"], json!(n), "one in, one out: {e}");
    assert_eq!(e["total"]["informed"], json!(n - 1), "the newcomer is not marked yet, the leaver no longer counts: {e}");
    assert_ne!(e["total"]["awareness_rate"], json!("100%"));

    // Marking the leaver is refused (not eligible on the closing day), and nothing is written.
    let marks = json!({"marks": [{"member_id": incoming.member.id, "informed": true, "took_part": true}, {"member_id": leaving.member.id, "informed": true, "took_part": true}]});
    let (st, err) = api(&app, &token, reqwest::Method::PUT, &format!("/api/v1/elections/{eid}/marks"), Some(marks)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["message"].as_str().unwrap().contains("不是本次推选的参加对象"), "{err}");
    let (_, e) = api(&app, &token, get.clone(), &format!("/api/v1/elections/{eid}"), None).await;
    assert_eq!(e["total"]["informed"], json!(n - 1), "nothing written: {e}");
    // A rate typed by hand, or taking part without being informed, is refused too.
    let (st, err) = api(&app, &token, reqwest::Method::PUT, &format!("/api/v1/elections/{eid}/marks"), Some(json!({"marks": [], "awareness_rate": "100%"}))).await;
    assert_eq!((st, err["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("awareness_rate")), "{err}");
    let bad = json!({"marks": [{"member_id": incoming.member.id, "informed": false, "took_part": true}]});
    let (st, err) = api(&app, &token, reqwest::Method::PUT, &format!("/api/v1/elections/{eid}/marks"), Some(bad)).await;
    assert_eq!((st, err["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("informed")), "{err}");
    // Marking the newcomer brings the campaign to 100%.
    let (code, _, err) = app.cli(&["election", "mark", &eid, "--took-part", &incoming.member.id]).await;
    assert_eq!(code, 0, "{err}");
    let (_, e) = api(&app, &token, get.clone(), &format!("/api/v1/elections/{eid}"), None).await;
    assert_eq!((&e["total"]["awareness_rate"], &e["total"]["participation_rate"]), (&json!("100%"), &json!("100%")), "{e}");

    // Paper-ballot counts are optional and must add up.
    let (st, err) = api_raw(&app, &token, &format!("/api/v1/elections/{eid}/ballots"), json!({"issued": 40, "returned": 41, "valid": 40})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err.contains("收回票数"), "{err}");
    let (st, err) = api_raw(&app, &token, &format!("/api/v1/elections/{eid}/ballots"), json!({"issued": 40, "returned": 40, "valid": 39, "votes": {"王某": 30}})).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{err}");

    // A branch secretary does not see the bureau's campaign; the page shows the rates to the admin.
    let sec = app.token("secretary3").await;
    let (st, _) = api(&app, &sec, get.clone(), &format!("/api/v1/elections/{id}"), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let s = app.login("admin").await;
    let (st, page) = s.get(&format!("/elections/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("100%") && page.contains("知晓率"), "{page}");

    // Per-member marking on the web: the form lists the org's eligible members; unticking one
    // member's 参与 lowers the participation rate; a leaver, or 参与 without 知晓, is refused.
    let (st, page) = s.get(&format!("/elections/{eid}?org={}", a.id)).await;
    assert_eq!(st, StatusCode::OK);
    let action = format!("/elections/{eid}/marks");
    let form = scrape_form(&page, &action).expect("the marking form");
    assert_eq!(form.iter().filter(|(k, _)| k == "member").count() as u64, n, "every eligible member listed");
    assert!(!form.iter().any(|(_, v)| *v == leaving.member.id), "the leaver is not listed");
    let who = incoming.member.id.clone();
    let unticked: Vec<(String, String)> = form.iter().filter(|(k, v)| !(k == "took_part" && *v == who)).cloned().collect();
    let (st, _) = s.post_form_raw(&action, &unticked).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, e) = api(&app, &token, get.clone(), &format!("/api/v1/elections/{eid}"), None).await;
    assert_eq!((&e["total"]["took_part"], &e["total"]["informed"]), (&json!(n - 1), &json!(n)), "{e}");
    assert_ne!(e["total"]["participation_rate"], json!("100%"));
    let mut leaver = form.clone();
    leaver.extend([("member".into(), leaving.member.id.clone()), ("informed".into(), leaving.member.id.clone()), ("took_part".into(), leaving.member.id.clone())]);
    let (st, page) = s.post_form_raw(&action, &leaver).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("不是本次推选的参加对象"), "{page}");
    let not_informed: Vec<(String, String)> = form.iter().filter(|(k, v)| !(k == "informed" && *v == who)).cloned().collect();
    let (st, _) = s.post_form_raw(&action, &not_informed).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, e) = api(&app, &token, get.clone(), &format!("/api/v1/elections/{eid}"), None).await;
    assert_eq!(e["total"]["took_part"], json!(n - 1), "nothing written: {e}");
    app.shutdown().await;
}

/// The list computes all elections' rates at once; they must be exactly each election's own.
/// Eligibility on the closing day: nested targets count a member once (under the deepest), a move
/// after the close changes nothing, one before moves the member, and the rulebook's statuses apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_rates_equal_each_elections_own_rates() {
    let app = TestApp::spawn().await;
    let token = app.token("admin").await;
    let get = reqwest::Method::GET;
    let orgs = all_orgs(&app.store).await;
    let root = orgs.iter().find(|o| o.parent_id.is_none()).unwrap().clone();
    let bs = branches(&app.store).await;
    let create = |title: &str, closes: &str, targets: Vec<&str>| json!({"org_id": root.id, "title": title, "opens_on": "2022-01-01", "closes_on": closes, "org_ids": targets});
    let mut ids = Vec::new();
    for body in [
        create("嵌套推选", "2022-03-31", vec![&root.id, &bs[0].id]),
        create("两支部推选", "2022-03-31", vec![&bs[1].id, &bs[2].id]),
        create("一月推选", "2022-01-15", vec![&bs[0].id, &bs[1].id]),
    ] {
        let (st, e) = api(&app, &token, reqwest::Method::POST, "/api/v1/elections", Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{e}");
        ids.push(e["id"].as_str().unwrap().to_owned());
    }
    let (nested, two, january) = (&ids[0], &ids[1], &ids[2]);
    // A rate typed by hand is refused wherever it is sent, naming the field; nothing written.
    let mut typed = create("带比率的推选", "2022-03-31", vec![&bs[1].id]);
    typed["awareness_rate"] = json!("100%");
    let (st, err) = api(&app, &token, reqwest::Method::POST, "/api/v1/elections", Some(typed)).await;
    assert_eq!((st, err["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("awareness_rate")), "{err}");
    let in_mark = json!({"marks": [{"member_id": members_of(&app.store, Some(&bs[1])).await[0].member.id, "informed": true, "took_part": true, "participation_rate": "100%"}]});
    let (st, err) = api(&app, &token, reqwest::Method::PUT, &format!("/api/v1/elections/{two}/marks"), Some(in_mark)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err.to_string().contains("participation_rate"), "{err}");
    let total = |e: &Value| e["total"]["eligible"].as_i64().unwrap();
    let detail = |id: String| {
        let (app, token) = (&app, &token);
        async move { api(app, token, reqwest::Method::GET, &format!("/api/v1/elections/{id}"), None).await.1 }
    };
    let two_before = total(&detail(two.clone()).await);
    let january_before = detail(january.clone()).await;

    // Some marks in one election, and a member of branch 2 moving to branch 1 on 1 March.
    let some: Vec<_> = members_of(&app.store, Some(&bs[1])).await.into_iter().filter(|m| m.member.status == "full").collect();
    let marks = json!({"marks": [
        {"member_id": some[0].member.id, "informed": true, "took_part": true},
        {"member_id": some[1].member.id, "informed": true, "took_part": false},
    ]});
    let (st, e) = api(&app, &token, reqwest::Method::PUT, &format!("/api/v1/elections/{two}/marks"), Some(marks)).await;
    assert_eq!(st, StatusCode::OK, "{e}");
    let mover = &some[2];
    dangwu_store::members::record_event(&app.store, &admin(), &Actor("test".into()), mover.member.member_id(), MemberEventKind::Moved, chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap(), Some(bs[0].org_id()), "调整")
        .await
        .unwrap();

    // The list and every election's own detail agree, for the seed's three and these three.
    let (st, list) = api(&app, &token, get.clone(), "/api/v1/elections", None).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 6, "{list:?}");
    for e in list {
        let d = detail(e["id"].as_str().unwrap().to_owned()).await;
        assert_eq!(e, &d, "list and detail of {}", e["title"]);
    }
    let find = |id: &str| list.iter().find(|e| e["id"] == id).unwrap().clone();

    // Marks and the move show in the two-branch election: the mover no longer counts there.
    let e = find(two);
    assert_eq!((total(&e), &e["total"]["informed"], &e["total"]["took_part"]), (two_before - 1, &json!(2), &json!(1)), "{e}");
    // The January election closed before the move: unchanged.
    assert_eq!(find(january), january_before);
    // Nested targets: everyone counted once, branch 1's members (the mover too) under branch 1.
    let e = find(nested);
    let per = e["per_org"].as_array().unwrap();
    assert_eq!(per.iter().map(|r| r["eligible"].as_i64().unwrap()).sum::<i64>(), total(&e), "{e}");
    assert_eq!(total(&e), 179, "{e}");
    let d = dangwu_store::community::elections::get(&app.store, &admin(), nested).await.unwrap();
    let mut seen: Vec<&str> = d.members.iter().map(|m| m.member_id.as_str()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len() as i64, total(&e), "each member once");
    let in_branch = |id: &str| d.members.iter().find(|m| m.member_id == id).unwrap().org_id.clone();
    assert_eq!(in_branch(&mover.member.id), bs[0].id, "the mover counts under the deepest target holding their org");
    let branch1 = per.iter().find(|r| r["org_id"] == json!(bs[0].id)).unwrap();
    assert_eq!(branch1["eligible"].as_i64().unwrap(), d.members.iter().filter(|m| m.org_id == bs[0].id).count() as i64);

    // With full members only (a deployment's rulebook), those still probationary on the closing
    // day drop out (the demo's four became full later in 2022).
    let close = chrono::NaiveDate::from_ymd_opt(2022, 3, 31).unwrap();
    let everyone = members_of(&app.store, None).await;
    let probationary_then = |id: &str| everyone.iter().find(|m| m.member.id == id).unwrap().member.full_on.is_none_or(|f| f > close);
    let prob = d.members.iter().filter(|m| probationary_then(&m.member_id)).count() as i64;
    assert_eq!(prob, 4, "the demo's probationary members of Q1 2022");
    let mut full_only = app.store.clone();
    let mut book = (*full_only.community).clone();
    book.nomination.eligible_statuses = vec!["full".into()];
    full_only.community = std::sync::Arc::new(book);
    let d = dangwu_store::community::elections::get(&full_only, &admin(), nested).await.unwrap();
    assert_eq!(d.total.eligible, 179 - prob, "{:?}", d.total);
    assert!(!d.members.iter().any(|m| probationary_then(&m.member_id)));
    assert_eq!(d.members.len() as i64, d.total.eligible);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teams_serve_their_community_and_the_monthly_rule_follows_the_records() {
    let app = TestApp::spawn().await;
    let token = app.token("admin").await;
    let (st, teams) = api(&app, &token, reqwest::Method::GET, "/api/v1/teams", None).await;
    assert_eq!(st, StatusCode::OK, "{teams}");
    let teams = teams.as_array().unwrap().clone();
    assert_eq!(teams.iter().filter(|t| t["kind"] == "vanguard").count(), 6);
    assert!(teams.iter().filter(|t| t["kind"] == "vanguard").all(|t| t["services"] == 1 && t["hours"] == "4"), "{teams:?}");
    let vol = teams.iter().find(|t| t["kind"] == "volunteer").unwrap().clone();

    // January and February red, March done; the CLI says the same.
    let month = |fs: &[Value], m: &str| -> String {
        fs.iter().find(|f| f["rule_id"] == "volunteer_team_monthly_service" && f["period"] == m).map(|f| f["status"].as_str().unwrap().to_owned()).unwrap()
    };
    let fs = check(&app).await;
    assert_eq!((month(&fs, "2022-01"), month(&fs, "2022-02"), month(&fs, "2022-03")), ("missing".into(), "missing".into(), "ok".into()));

    // A February service recorded through the API turns February green.
    let org = vol["org_id"].as_str().unwrap().to_owned();
    let members: Vec<Value> = dangwu_store::community::groups::get(&app.store, &admin(), dangwu_store::community::groups::Register::Team, vol["id"].as_str().unwrap())
        .await
        .unwrap()
        .members
        .iter()
        .take(3)
        .map(|m| json!({"member_id": m.member_id, "attendance": "present"}))
        .collect();
    let act = |hours: &str, team: &str| {
        json!({"org_id": org, "kinds": ["volunteer_service"], "title": "志愿服务", "held_on": "2022-02-18", "attendees": members,
               "extra": {"hours": hours, "community": "东山街道海韵社区", "team": team}})
    };
    // Hours beyond a day, or another org's team: refused, nothing written.
    let other = teams.iter().find(|t| t["org_id"] != org.as_str()).unwrap()["id"].as_str().unwrap().to_owned();
    for (body, field) in [(act("25", vol["id"].as_str().unwrap()), "hours"), (act("-1", vol["id"].as_str().unwrap()), "hours"), (act("2", &other), "team")] {
        let (st, err) = api(&app, &token, reqwest::Method::POST, "/api/v1/activities", Some(body)).await;
        assert_eq!((st, err["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{err}");
    }
    assert_eq!(month(&check(&app).await, "2022-02"), "missing", "nothing written");
    let (st, a) = api(&app, &token, reqwest::Method::POST, "/api/v1/activities", Some(act("2.5", vol["id"].as_str().unwrap()))).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!(month(&check(&app).await, "2022-02"), "ok");
    let (_, t) = api(&app, &token, reqwest::Method::GET, &format!("/api/v1/teams/{}", vol["id"].as_str().unwrap()), None).await;
    assert_eq!((&t["services"], &t["hours"]), (&json!(2), &json!("5.5")), "{t}");

    // A secretary cannot put another branch's member in their team.
    let bs = branches(&app.store).await;
    let stranger = members_of(&app.store, Some(&bs[0])).await[0].member.id.clone();
    let sec = app.token("secretary2").await;
    let body = json!({"org_id": bs[1].id, "kind": "volunteer", "name": "测试志愿服务队", "starts_on": "2022-01-01", "member_ids": [stranger]});
    let (st, err) = api(&app, &sec, reqwest::Method::POST, "/api/v1/teams", Some(body.clone())).await;
    assert_eq!((st, err["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("member_ids")), "{err}");
    let (code, _, err) = app.cli(&["team", "add", "--org", &bs[1].id, "--kind", "nonexistent", "--name", "x", "--from", "2022-01-01"]).await;
    assert_eq!(code, 1, "refused");
    assert!(err.contains("kind") && err.contains("不存在"), "{err}");
    let (code, out, _) = app.cli(&["team", "list", "--json"]).await;
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 7, "nothing written");

    // member1 sees their own team on their phone, not the others.
    let http = client();
    let (st, _) = post_login(&http, &app.base, "member1", dangwu::demo::DEMO_PASSWORD).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "member1 logs in");
    let r = http.get(app.url("/teams")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("机关党员志愿服务队") && !page.contains("先锋队"), "{page}");
    // …their own posts (one set up for them now, not the seed's three), and their team's service.
    let me = dangwu_store::users::by_username(&app.store, "member1").await.unwrap().unwrap().member_id.expect("member1 is a member");
    let seed_post = dangwu_store::community::groups::list(&app.store, &admin(), dangwu_store::community::groups::Register::Post, None).await.unwrap()[0].group.name.clone();
    let body = json!({"org_id": org, "kind": "model_post", "name": "member1的示范岗", "starts_on": "2022-03-01", "member_ids": [me]});
    let (st, p) = api(&app, &token, reqwest::Method::POST, "/api/v1/posts", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let page = http.get(app.url("/teams")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("我的服务队和岗位") && page.contains("member1的示范岗") && !page.contains(&seed_post), "{page}");
    let r = http.get(app.url(&format!("/teams/{}", vol["id"].as_str().unwrap()))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("2022-02-18") && page.contains("2.5"), "the team's service, as recorded: {page}");
    let vanguard = teams.iter().find(|t| t["kind"] == "vanguard").unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(http.get(app.url(&format!("/teams/{vanguard}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND, "not their team");
    let s = app.login("admin").await;
    let (_, page) = s.get("/teams").await;
    assert!(page.contains("疫情防控一线党员先锋队"), "{page}");
    let (st, page) = s.get(&format!("/teams/{}", vol["id"].as_str().unwrap())).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("志愿服务") && page.contains("5.5"), "{page}");
    // 双报到: the community lists the orgs reporting to it and its needs, one done.
    let (_, page) = s.get("/communities").await;
    let at = page.match_indices("/communities/").map(|(i, _)| i).find(|i| !page[*i..].starts_with("/communities/new")).expect("a community link");
    let link: String = page[at..].chars().take_while(|c| *c != '"').collect();
    let (st, page) = s.get(&link).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("机关党支部") && page.contains("已办结") && page.contains("待认领"), "{page}");
    app.shutdown().await;
}

/// 为社区办实事: at least 3 a year per branch (rules.toml, from 2023), evaluated by compliance from
/// the recorded 为社区办实事 activities like any other obligation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn community_projects_are_counted_per_branch_per_year() {
    let app = TestApp::spawn().await;
    let token = app.token("admin").await;
    let b = &branches(&app.store).await[1];
    async fn status(app: &TestApp, org: &str) -> (String, u64) {
        let (code, out, err) = app.cli(&["check", "--period", "2023", "--json"]).await;
        assert_eq!(code, 0, "{err}");
        let fs: Vec<Value> = serde_json::from_str(&out).unwrap();
        let f = fs.iter().find(|f| f["rule_id"] == "community_projects_yearly" && f["org_id"] == org).expect("the yearly rule for the branch");
        (f["status"].as_str().unwrap().to_owned(), f["actual"].as_u64().unwrap())
    }
    assert_eq!(status(&app, &b.id).await, ("missing".to_owned(), 0));
    for (i, on) in ["2023-02-10", "2023-06-18", "2023-11-05"].into_iter().enumerate() {
        let body = json!({"org_id": b.id, "kinds": ["community_project"], "title": format!("为社区办实事{}", i + 1), "held_on": on, "topics": "社区需求"});
        let (st, a) = api(&app, &token, reqwest::Method::POST, "/api/v1/activities", Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        if i == 1 {
            assert_eq!(status(&app, &b.id).await.1, 2, "two of three");
        }
    }
    assert_eq!(status(&app, &b.id).await, ("ok".to_owned(), 3));
    // 2022 is before the rule took effect: not judged.
    let (_, out, _) = app.cli(&["check", "--period", "2022", "--json"]).await;
    let fs: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(!fs.iter().any(|f| f["rule_id"] == "community_projects_yearly"), "not in force in 2022");
    app.shutdown().await;
}
