//! Posts, communities (双报到), needs and claims through the API, the CLI and the web forms, and
//! the pages of a post and of a need that report provenance links to.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, api, branches, members_of, scrape_form, set_field, without_field};


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_communities_and_needs_through_api_cli_and_forms() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let (get, post) = (reqwest::Method::GET, reqwest::Method::POST);
    let bs = branches(&app.store).await;

    // The seed's three posts for the 第25届省运会, each with its page.
    let (st, posts) = api(&app, &admin, get.clone(), "/api/v1/posts", None).await;
    assert_eq!(st, StatusCode::OK, "{posts}");
    let kinds: Vec<&str> = posts.as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3, "{posts}");
    assert!(kinds.contains(&"women_post"));
    let pid = posts[0]["id"].as_str().unwrap().to_owned();
    let (_, p) = api(&app, &admin, get.clone(), &format!("/api/v1/posts/{pid}"), None).await;
    assert_eq!(p["member_ids"].as_array().unwrap().len(), 3, "{p}");
    let s = app.login("admin").await;
    let (st, page) = s.get(&format!("/posts/{pid}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(posts[0]["name"].as_str().unwrap()) && page.contains("成员（3人）"), "{page}");

    // A community, a branch reporting to it, a need raised, claimed and shown on its page.
    let (st, c) = api(&app, &admin, post.clone(), "/api/v1/communities", Some(json!({"name": "测试社区", "address": "东山街道"}))).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_str().unwrap().to_owned();
    let (st, dup) = api(&app, &admin, post.clone(), "/api/v1/communities", Some(json!({"name": "测试社区"}))).await;
    assert_eq!((st, dup["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")), "{dup}");
    let (st, e) = api(&app, &admin, post.clone(), &format!("/api/v1/communities/{cid}/links"), Some(json!({"org_id": bs[0].id, "since": "2022年1月"}))).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("since")), "{e}");
    let (st, c) = api(&app, &admin, post.clone(), &format!("/api/v1/communities/{cid}/links"), Some(json!({"org_id": bs[0].id, "since": "2022-01-05"}))).await;
    assert_eq!((st, c["links"].as_u64()), (StatusCode::OK, Some(1)), "{c}");
    let (st, n) = api(&app, &admin, post.clone(), &format!("/api/v1/communities/{cid}/needs"), Some(json!({"title": "修缮社区活动室", "raised_on": "2022-02-01"}))).await;
    assert_eq!(st, StatusCode::CREATED, "{n}");
    let nid = n["id"].as_str().unwrap().to_owned();
    let sec = app.token("secretary2").await;
    let (st, _) = api(&app, &sec, post.clone(), &format!("/api/v1/needs/{nid}/claim"), Some(json!({"org_id": bs[0].id}))).await;
    assert!(matches!(st, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "another branch's secretary cannot claim for branch 1: {st}");
    let (st, n) = api(&app, &admin, post.clone(), &format!("/api/v1/needs/{nid}/claim"), Some(json!({"org_id": bs[0].id}))).await;
    assert_eq!((st, &n["status"]), (StatusCode::OK, &json!("claimed")), "{n}");
    let (st, n) = api(&app, &admin, post.clone(), &format!("/api/v1/needs/{nid}/claim"), Some(json!({"org_id": bs[0].id}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "claimed twice: {n}");
    let (st, page) = s.get(&format!("/communities/needs/{nid}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("修缮社区活动室") && page.contains("已认领") && page.contains(bs[0].name.as_str()), "{page}");
    assert_eq!(dangwu_web::pages::report_html::record_url("community_need", &nid), Some(format!("/communities/needs/{nid}")));
    assert_eq!(dangwu_web::pages::report_html::record_url("post", &pid), Some(format!("/posts/{pid}")));

    // The CLI lists posts and communities, and refuses an empty need.
    let (code, out, err) = app.cli(&["post", "list", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 3);
    let (code, _, err) = app.cli(&["community", "need", &cid, "--title", " ", "--date", "2022-03-01"]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("[title]") && err.contains("不能为空"), "{err}");
    let (code, out, err) = app.cli(&["community", "list", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    let list: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(list.iter().any(|c| c["name"] == "测试社区" && c["open_needs"] == 1), "{list:?}");

    // Web forms: a team whose member comes from the in-scope select; a stranger is refused.
    let sec3 = app.login("secretary3").await;
    let (st, page) = sec3.get("/teams/new").await;
    assert_eq!(st, StatusCode::OK);
    let own = members_of(&app.store, Some(&bs[2])).await[0].member.id.clone();
    let stranger = members_of(&app.store, Some(&bs[0])).await[0].member.id.clone();
    assert!(page.contains(&own) && !page.contains(&stranger), "only in-scope members to choose");
    let mut form = without_field(&scrape_form(&page, "/teams/new").expect("the team form"), "member_ids");
    for (k, v) in [("org_id", bs[2].id.as_str()), ("kind", "volunteer"), ("name", "网页组建的志愿服务队"), ("starts_on", "2022-03-01")] {
        set_field(&mut form, k, v);
    }
    let mut bad = form.clone();
    bad.push(("member_ids".into(), stranger));
    let (st, page) = sec3.post_form_raw("/teams/new", &bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("不在本组织（含下级）的在册党员中"), "{page}");
    form.push(("member_ids".into(), own));
    let (st, page) = sec3.post_form_raw("/teams/new", &form).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{page}");
    let (_, teams) = api(&app, &admin, get.clone(), "/api/v1/teams", None).await;
    assert_eq!(teams.as_array().unwrap().iter().filter(|t| t["name"] == "网页组建的志愿服务队").count(), 1, "written once");

    // A post, a community and an election through their forms.
    let (_, page) = s.get("/posts/new").await;
    // A multiple select sends nothing when nothing is chosen (the scraper picks the first option).
    let mut form = without_field(&scrape_form(&page, "/posts/new").expect("the post form"), "member_ids");
    for (k, v) in [("org_id", bs[1].id.as_str()), ("kind", "model_post"), ("name", "网页设立的示范岗"), ("starts_on", "2022-04-01")] {
        set_field(&mut form, k, v);
    }
    assert_eq!(s.post_form_raw("/posts/new", &form).await.0, StatusCode::SEE_OTHER);
    let (_, page) = s.get("/communities/new").await;
    let mut form = scrape_form(&page, "/communities/new").expect("the community form");
    set_field(&mut form, "name", "网页登记的社区");
    assert_eq!(s.post_form_raw("/communities/new", &form).await.0, StatusCode::SEE_OTHER);
    let (_, page) = s.get("/elections/new").await;
    let mut form = without_field(&scrape_form(&page, "/elections/new").expect("the election form"), "org_ids");
    for (k, v) in [("org_id", bs[1].id.as_str()), ("title", "网页发起的推选"), ("opens_on", "2022-03-01"), ("closes_on", "2022-03-31")] {
        set_field(&mut form, k, v);
    }
    let (st, page) = s.post_form_raw("/elections/new", &form).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no target org chosen");
    assert!(page.contains("请至少选择一个参加推选的党组织"), "{page}");
    form.push(("org_ids".into(), bs[1].id.clone()));
    assert_eq!(s.post_form_raw("/elections/new", &form).await.0, StatusCode::SEE_OTHER);
    let (_, list) = api(&app, &admin, get, "/api/v1/elections", None).await;
    assert!(list.as_array().unwrap().iter().any(|e| e["title"] == "网页发起的推选"));
    app.shutdown().await;
}

/// A need is claimed for an org by one of its own members (or a member of an org under it), and
/// closed on its page with the claiming org's 为社区办实事 activity; bad input writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_are_claimed_by_the_orgs_own_members_and_closed_on_their_page() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let (get, post) = (reqwest::Method::GET, reqwest::Method::POST);
    let bs = branches(&app.store).await;
    let committee = crate::harness::all_orgs(&app.store).await.into_iter().find(|o| Some(&o.id) == bs[0].parent_id.as_ref()).expect("branch 1's committee");
    let (_, c) = api(&app, &admin, post.clone(), "/api/v1/communities", Some(json!({"name": "办结测试社区"}))).await;
    let cid = c["id"].as_str().unwrap().to_owned();
    let mut needs = Vec::new();
    for title in ["修缮社区活动室", "清理楼道杂物"] {
        let (st, n) = api(&app, &admin, post.clone(), &format!("/api/v1/communities/{cid}/needs"), Some(json!({"title": title, "raised_on": "2022-02-01"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{n}");
        needs.push(n["id"].as_str().unwrap().to_owned());
    }
    let status = |id: String| {
        let (app, admin) = (&app, &admin);
        async move { api(app, admin, reqwest::Method::GET, &format!("/api/v1/needs/{id}"), None).await.1 }
    };
    let own = members_of(&app.store, Some(&bs[0])).await.into_iter().find(|m| m.member.status == "full").unwrap().member.id;
    let stranger = members_of(&app.store, Some(&bs[1])).await.into_iter().find(|m| m.member.status == "full").unwrap().member;

    // Another branch's member cannot claim for branch 1: API and CLI refuse, naming the field.
    let (st, err) = api(&app, &admin, post.clone(), &format!("/api/v1/needs/{}/claim", needs[0]), Some(json!({"org_id": bs[0].id, "member_id": stranger.id}))).await;
    assert_eq!((st, err["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("member_id")), "{err}");
    assert!(err["message"].as_str().unwrap().contains(&format!("{}不是“{}”", stranger.name, bs[0].name)), "{err}");
    let (code, _, err) = app.cli(&["community", "claim", &needs[0], "--org", &bs[0].id, "--member", &stranger.id]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("[member_id]") && err.contains("不能以该组织名义认领"), "{err}");
    assert_eq!(status(needs[0].clone()).await["status"], "open", "nothing written");
    // The org's own member claims; the committee above may send a member of its branch.
    let (st, n) = api(&app, &admin, post.clone(), &format!("/api/v1/needs/{}/claim", needs[0]), Some(json!({"org_id": bs[0].id, "member_id": own}))).await;
    assert_eq!((st, &n["member_id"]), (StatusCode::OK, &json!(own)), "{n}");
    let (code, _, err) = app.cli(&["community", "claim", &needs[1], "--org", &committee.id, "--member", &own]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(status(needs[1].clone()).await["status"], "claimed");

    // The claiming org's 为社区办实事 activity closes the need; another org's does not.
    let act = |org: &str, title: &str| json!({"org_id": org, "kinds": ["community_project"], "title": title, "held_on": "2022-03-10", "topics": title, "extra": {"community": "办结测试社区"}});
    let (st, good) = api(&app, &admin, post.clone(), "/api/v1/activities", Some(act(&bs[0].id, "修缮活动室"))).await;
    assert_eq!(st, StatusCode::CREATED, "{good}");
    let (st, wrong) = api(&app, &admin, post.clone(), "/api/v1/activities", Some(act(&bs[1].id, "别的支部办的实事"))).await;
    assert_eq!(st, StatusCode::CREATED, "{wrong}");
    let (good, wrong) = (good["id"].as_str().unwrap().to_owned(), wrong["id"].as_str().unwrap().to_owned());
    let s = app.login("admin").await;
    let action = format!("/communities/needs/{}/done", needs[0]);
    let (st, page) = s.get(&format!("/communities/needs/{}", needs[0])).await;
    assert_eq!(st, StatusCode::OK);
    let form = scrape_form(&page, &action).expect("the 办结 form");
    assert!(page.contains(&good) && !page.contains(&wrong), "only the claiming org's activities to choose");
    for (bad, msg) in [(wrong.as_str(), "认领组织记录的“为社区办实事”活动"), ("", "请选择办结所关联")] {
        let mut f = form.clone();
        set_field(&mut f, "activity_id", bad);
        let (st, page) = s.post_form_raw(&action, &f).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(page.contains(msg), "{page}");
    }
    let mut no_csrf = without_field(&form, "csrf_token");
    set_field(&mut no_csrf, "activity_id", &good);
    let (st, _) = s.post_form_raw(&action, &no_csrf).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(status(needs[0].clone()).await["status"], "claimed", "nothing written");
    let mut f = form.clone();
    set_field(&mut f, "activity_id", &good);
    let (st, _) = s.post_form_raw(&action, &f).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let n = status(needs[0].clone()).await;
    assert_eq!((&n["status"], &n["activity_id"], &n["done_on"]), (&json!("done"), &json!(good), &json!("2022-03-10")), "{n}");
    let (_, page) = s.get(&format!("/communities/needs/{}", needs[0])).await;
    assert!(page.contains("已办结") && scrape_form(&page, &action).is_none(), "done: no form left");
    let (st, page) = s.post_form_raw(&action, &f).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "closed twice");
    assert!(page.contains("已办结"), "{page}");
    // The other need, claimed through the committee, is untouched.
    let (_, n2) = api(&app, &admin, get, &format!("/api/v1/needs/{}", needs[1]), None).await;
    assert_eq!(n2["status"], "claimed");
    app.shutdown().await;
}

/// A pledge or sign-up (倡议书, 签名) is an activity naming its post: recorded by the post's own
/// org within the post's period, and listed on the post's page and in the API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pledges_are_activities_naming_their_post() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let post = reqwest::Method::POST;
    let bs = branches(&app.store).await;
    let members = members_of(&app.store, Some(&bs[1])).await;
    let body = json!({"org_id": bs[1].id, "kind": "model_post", "name": "倡议测试示范岗", "starts_on": "2022-03-01", "member_ids": [members[0].member.id]});
    let (st, p) = api(&app, &admin, post.clone(), "/api/v1/posts", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let pid = p["id"].as_str().unwrap().to_owned();
    let pledge = |org: &str, on: &str, post_id: &str| {
        json!({"org_id": org, "kinds": ["pledge"], "title": "文明办赛倡议签名", "held_on": on, "topics": "文明办赛",
               "attendees": [{"member_id": members[0].member.id, "attendance": "present"}], "extra": {"post": post_id}})
    };
    let before = dangwu_store::activities::list(&app.store, &dangwu::cli_principal(), &Default::default()).await.unwrap().len();
    let other_org = members_of(&app.store, Some(&bs[2])).await[0].member.id.clone();
    let mut foreign = pledge(&bs[2].id, "2022-03-10", &pid);
    foreign["attendees"] = json!([{"member_id": other_org, "attendance": "present"}]);
    for (body, words) in [(pledge(&bs[1].id, "2022-02-10", &pid), "存续期"), (foreign, "不属于本组织"), (pledge(&bs[1].id, "2022-03-10", "no-such-post"), "不存在")] {
        let (st, e) = api(&app, &admin, post.clone(), "/api/v1/activities", Some(body)).await;
        assert_eq!((st, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("post")), "{e}");
        assert!(e["message"].as_str().unwrap().contains(words), "{e}");
    }
    assert_eq!(dangwu_store::activities::list(&app.store, &dangwu::cli_principal(), &Default::default()).await.unwrap().len(), before, "nothing written");
    let (st, a) = api(&app, &admin, post, "/api/v1/activities", Some(pledge(&bs[1].id, "2022-03-10", &pid))).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let (_, p) = api(&app, &admin, reqwest::Method::GET, &format!("/api/v1/posts/{pid}"), None).await;
    assert_eq!(p["pledge_ids"], json!([a["id"]]), "{p}");
    let s = app.login("admin").await;
    let (_, page) = s.get(&format!("/posts/{pid}")).await;
    assert!(page.contains("倡议、签名") && page.contains("文明办赛倡议签名"), "{page}");
    app.shutdown().await;
}
