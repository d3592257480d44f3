//! The JSON API under /api/v1 with a Bearer token: list, get, create, update; the error shape
//! `{code, message, field}` in Chinese; the OpenAPI document.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;
use crate::scoping::{api_get, has_cjk, member_json, new_member_json};
use crate::xlsx::people;

async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let r = req.send().await.unwrap();
    let status = r.status();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}), content-type {ct}: {text}"));
    assert!(ct.starts_with("application/json"), "{status}: content-type {ct}");
    (status, v)
}

/// `{code, message, field}` with a Chinese message (and the field, when one is expected).
fn assert_error(v: &Value, code: Option<&str>, field: Option<&str>) {
    assert!(v["code"].is_string(), "error has a code: {v}");
    if let Some(c) = code {
        assert_eq!(v["code"], c, "error code: {v}");
    }
    let msg = v["message"].as_str().unwrap_or_else(|| panic!("error has a message: {v}"));
    assert!(has_cjk(msg), "error message is Chinese: {v}");
    assert!(v.get("field").is_some(), "error has a field key: {v}");
    if let Some(f) = field {
        assert_eq!(v["field"], f, "error names the field: {v}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_get_create_and_update_with_a_bearer_token() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let t = app.token("admin").await;
    let http = client();

    // Organisations.
    let orgs = api_get(&app, &t, "/api/v1/orgs").await;
    let orgs = orgs.as_array().or_else(|| orgs["items"].as_array()).expect("org list").clone();
    assert_eq!(orgs.len(), all_orgs(&app.store).await.iter().filter(|o| o.abolished_on.is_none()).count());
    for o in &orgs {
        for k in ["id", "parent_id", "name", "kind"] {
            assert!(o.get(k).is_some(), "org has {k}: {o}");
        }
    }
    let one = api_get(&app, &t, &format!("/api/v1/orgs/{}", b[2].id)).await;
    assert_eq!(one["name"], b[2].name.as_str());
    assert_eq!(one["kind"], "branch");

    // Members: list with paging and a filter.
    let page = api_get(&app, &t, "/api/v1/members?per_page=20&page=2").await;
    assert_eq!(page["total"], 179);
    assert_eq!(page["items"].as_array().unwrap().len(), 20);
    let in_b2 = api_get(&app, &t, &format!("/api/v1/members?org_id={}&per_page=500", b[1].id)).await;
    assert_eq!(in_b2["total"].as_i64().unwrap() as usize, members_of(&app.store, Some(&b[1])).await.len());
    let first = &page["items"][0];
    for k in ["id", "org_id", "name", "status", "id_card_masked"] {
        assert!(first.get(k).is_some(), "member has {k}: {first}");
    }
    let text = page.to_string();
    assert!(!text.contains("id_card_enc") && !text.contains("id_card_index"), "no ciphertext or blind index in the API");

    // Get one.
    let m = members_of(&app.store, Some(&b[3])).await.remove(5).member;
    let got = api_get(&app, &t, &format!("/api/v1/members/{}", m.id)).await;
    assert_eq!(got["id"], m.id.as_str());
    assert_eq!(got["name"], m.name.as_str());
    assert_eq!(got["org_id"], b[3].id.as_str());
    let full = app.store.keys.decrypt(&m.id_card_enc).unwrap();
    assert!(!got.to_string().contains(&full), "the full ID number is not in the API answer");

    // Create.
    let p = &people(1, &b[3].name, 30)[0];
    let before = fingerprint(&app.store).await;
    let (status, created) = send(http.post(app.url("/api/v1/members")).bearer_auth(&t).json(&new_member_json(p, &b[3].id))).await;
    assert_eq!(status, StatusCode::CREATED, "create: {created}");
    assert_eq!(created["name"], p.name.as_str());
    assert_eq!(created["org_id"], b[3].id.as_str());
    let new_id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(fingerprint(&app.store).await, (before.0 + 1, before.1 + 1), "one member, one audit entry");
    let stored = member_by_id(&app.store, &new_id).await;
    assert_eq!(app.store.keys.decrypt(&stored.id_card_enc).unwrap(), p.id);
    assert_eq!(stored.id_card_masked, format!("{}********{}", &p.id[..6], &p.id[14..]));

    // Update.
    let mut body = member_json(&app, &stored);
    body["work_unit"] = json!("海滨市游泳运动管理中心");
    body["name"] = json!(format!("{}新", p.name));
    let (status, updated) = send(http.put(app.url(&format!("/api/v1/members/{new_id}"))).bearer_auth(&t).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "update: {updated}");
    assert_eq!(updated["work_unit"], "海滨市游泳运动管理中心");
    let stored = member_by_id(&app.store, &new_id).await;
    assert_eq!(stored.name, format!("{}新", p.name));

    // Status and organisation change only through events, not a plain update.
    let mut moved = member_json(&app, &stored);
    moved["org_id"] = json!(b[4].id);
    let (status, err) = send(http.put(app.url(&format!("/api/v1/members/{new_id}"))).bearer_auth(&t).json(&moved)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "moving by update: {err}");
    assert_error(&err, None, Some("org_id"));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_json_in_chinese_naming_the_field() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let t = app.token("secretary2").await;
    let http = client();
    let before = fingerprint(&app.store).await;

    // No token, a wrong token.
    let (status, v) = send(http.get(app.url("/api/v1/members"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&v, Some("unauthenticated"), None);
    let (status, v) = send(http.get(app.url("/api/v1/members")).bearer_auth("not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(&v, None, None);
    let (status, _) = send(http.post(app.url("/api/v1/members")).json(&json!({}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "POST without a token");

    let url = app.url("/api/v1/members");
    // Malformed JSON.
    let (status, v) = send(http.post(&url).bearer_auth(&t).header("content-type", "application/json").body("{\"name\": \"张")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "malformed JSON: {v}");
    assert_error(&v, None, None);
    // A field of the wrong type names the field.
    let p = &people(3, &b[1].name, 31);
    let mut body = new_member_json(&p[0], &b[1].id);
    body["name"] = json!(123);
    let (status, v) = send(http.post(&url).bearer_auth(&t).json(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "wrong type: {v}");
    assert_error(&v, None, Some("name"));
    // Not JSON at all.
    let (status, v) = send(http.post(&url).bearer_auth(&t).body("name=x")).await;
    assert!(status.is_client_error(), "form body to a JSON API: {status}");
    assert_error(&v, None, None);

    // Invalid ID number (wrong check digit).
    let mut body = new_member_json(&p[0], &b[1].id);
    body["id_card_no"] = json!(bad_check(&p[0].id));
    let (status, v) = send(http.post(&url).bearer_auth(&t).json(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "invalid ID number: {v}");
    assert_error(&v, Some("invalid"), Some("id_card_no"));
    assert!(v["message"].as_str().unwrap().contains("身份证号"), "message names 身份证号: {v}");

    // A birth date that contradicts the ID number.
    let mut body = new_member_json(&p[1], &b[1].id);
    body["birth_date"] = json!("1950-01-01");
    let (status, v) = send(http.post(&url).bearer_auth(&t).json(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "birth date not matching the ID number: {v}");
    assert_error(&v, None, None);
    let named = v["field"] == "birth_date" || v["field"] == "id_card_no";
    assert!(named, "names birth_date or id_card_no: {v}");

    // Missing required fields.
    let (status, v) = send(http.post(&url).bearer_auth(&t).json(&json!({"org_id": b[1].id}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "empty member: {v}");
    assert_error(&v, None, None);
    assert!(v["field"].is_string(), "names a field: {v}");

    // Duplicate ID number: 409.
    let existing = members_of(&app.store, Some(&b[1])).await.remove(0).member;
    // The same person registered a second time (all fields valid, the number already taken).
    let mut body = member_json(&app, &existing);
    body["name"] = json!("重复登记");
    let (status, v) = send(http.post(&url).bearer_auth(&t).json(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "duplicate ID number: {v}");
    assert_error(&v, Some("conflict"), Some("id_card_no"));

    // Unknown member, malformed id, unknown route.
    let (status, v) = send(http.get(app.url("/api/v1/members/0190a0a0-0000-7000-8000-000000000001")).bearer_auth(&t)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&v, Some("not_found"), None);
    let (status, v) = send(http.get(app.url("/api/v1/members/not-an-id")).bearer_auth(&t)).await;
    assert!(status.is_client_error());
    assert_error(&v, None, None);
    let (status, v) = send(http.get(app.url("/api/v1/nothing-here")).bearer_auth(&t)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&v, None, None);

    assert_eq!(fingerprint(&app.store).await, before, "refused API calls wrote nothing");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_paths() {
    let app = TestApp::spawn().await;
    let r = client().get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let doc: Value = r.json().await.expect("OpenAPI document is JSON");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with('3')), "OpenAPI 3: {}", doc["openapi"]);
    let paths = doc["paths"].as_object().expect("paths");
    let has = |suffix: &str| paths.keys().any(|k| k.ends_with(suffix));
    for p in ["/orgs", "/orgs/{id}", "/members", "/members/{id}"] {
        assert!(has(p), "OpenAPI has {p}: {:?}", paths.keys().collect::<Vec<_>>());
    }
    let members = paths.iter().find(|(k, _)| k.ends_with("/members/{id}")).unwrap().1;
    assert!(members.get("get").is_some() && members.get("put").is_some(), "GET and PUT /members/{{id}}");
    let list = paths.iter().find(|(k, _)| k.ends_with("/members")).unwrap().1;
    assert!(list.get("get").is_some() && list.get("post").is_some(), "GET and POST /members");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_the_cli_works_on_the_api() {
    let app = TestApp::spawn().await;
    let (code, out, err) = app.cli(&["user", "token", "secretary3"]).await;
    assert_eq!(code, 0, "user token:\n{out}\n{err}");
    let token = out.lines().map(str::trim).rfind(|l| !l.is_empty()).expect("the token is the last line").to_owned();
    let b = branches(&app.store).await;
    let list = api_get(&app, &token, "/api/v1/members?per_page=500").await;
    assert_eq!(list["total"].as_i64().unwrap() as usize, members_of(&app.store, Some(&b[2])).await.len(), "the token has secretary3's scope");
    app.shutdown().await;
}
