//! The API through the whole router on a fresh SQLite database: status codes, JSON error shape,
//! scoping of a branch secretary's token.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use dangwu_domain::auth::Role;
use dangwu_domain::crypto::{FieldKeys, sm3_hex};
use dangwu_domain::idcard::check_char;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::{MemberId, OrgId};
use dangwu_store::audit::Actor;
use dangwu_store::users::{self, NewUser};
use dangwu_store::{Db, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::{AppState, WebConfig};

struct Api {
    app: Router,
    _dir: tempfile::TempDir,
}

const ADMIN: &str = "admin-test-token";
const SECRETARY: &str = "secretary-test-token";

impl Api {
    async fn new() -> (Api, Store) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_sqlite(dir.path()).await.unwrap();
        db.migrate().await.unwrap();
        let store = Store::new(db, FieldKeys::from_master("test", &[7u8; 32]), OrgCatalogue::shipped());
        let app = crate::router(AppState::new(store.clone(), WebConfig::default()));
        add_user(&store, "admin", Role::Admin, None, ADMIN).await;
        (Api { app, _dir: dir }, store)
    }

    async fn call(&self, method: Method, uri: &str, token: Option<&str>, body: Option<&str>) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        let req = req.body(body.map(|b| Body::from(b.to_owned())).unwrap_or_default()).unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24).await.unwrap();
        let v = serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{uri}: not JSON: {}", String::from_utf8_lossy(&bytes)));
        (status, v)
    }

    async fn post(&self, uri: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, uri, Some(token), Some(&body.to_string())).await
    }

    async fn put(&self, uri: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, uri, Some(token), Some(&body.to_string())).await
    }

    async fn get(&self, uri: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, uri, Some(token), None).await
    }

    async fn org(&self, name: &str, kind: &str, parent: Option<&str>) -> String {
        let (s, v) = self.post("/api/v1/orgs", ADMIN, json!({"name": name, "kind": kind, "parent_id": parent})).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_owned()
    }
}

async fn add_user(store: &Store, name: &str, role: Role, scope: Option<OrgId>, token: &str) {
    let actor = Actor("test".into());
    let u = NewUser {
        username: name.into(),
        display_name: name.into(),
        password_hash: "x".into(),
        role,
        scope_org_id: scope,
        member_id: None,
    };
    let u = users::create(store, &actor, u).await.unwrap();
    users::create_token(store, &actor, &u.id, "test", &sm3_hex(token.as_bytes())).await.unwrap();
}

/// A valid ID number (male, born 1980-05-01) with serial `n`.
fn id_no(n: u32) -> String {
    let first = format!("37060219800501{:03}", n * 2 + 1);
    format!("{first}{}", check_char(&first))
}

fn member(org: &str, id: &str) -> Value {
    json!({"name": "张三", "id_card_no": id, "joined_on": "2005-07-01", "full_on": "2006-07-01",
           "dues_category": "in_service", "org_id": org, "ethnicity": "汉族", "is_party_worker": true})
}

fn assert_error(v: &Value, code: &str, field: Option<&str>) {
    assert_eq!(v["code"], code, "{v}");
    assert_eq!(v["field"].as_str(), field, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_ascii()), "message in Chinese: {v}");
}

#[tokio::test]
async fn orgs_and_members_end_to_end() {
    let (api, store) = Api::new().await;
    let root = api.org("机关党委", "organ_committee", None).await;
    let a = api.org("第一党支部", "branch", Some(&root)).await;
    let b = api.org("第二党支部", "branch", Some(&root)).await;
    add_user(&store, "secretary1", Role::OrgAdmin, Some(OrgId::parse(&a).unwrap()), SECRETARY).await;

    // Authentication: every resource needs it; the document does not.
    let (s, v) = api.call(Method::GET, "/api/v1/orgs", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_error(&v, "unauthenticated", None);
    let (s, v) = api.call(Method::GET, "/api/v1/members", Some("wrong"), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
    let (s, v) = api.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["paths"]["/api/v1/members/{id}"]["put"].is_object());

    // Orgs: tree order, get, bad and unknown ids.
    let (s, v) = api.get("/api/v1/orgs", ADMIN).await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["机关党委", "第一党支部", "第二党支部"]);
    assert_eq!(v[1]["kind_label"], "党支部");
    let (s, v) = api.get(&format!("/api/v1/orgs/{a}"), ADMIN).await;
    assert_eq!((s, v["parent_id"].as_str()), (StatusCode::OK, Some(root.as_str())));
    let (s, v) = api.get("/api/v1/orgs/not-an-id", ADMIN).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("id"));
    let (s, v) = api.get(&format!("/api/v1/orgs/{}", OrgId::new()), ADMIN).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found", None);

    // Bad bodies.
    let (s, v) = api.call(Method::POST, "/api/v1/orgs", Some(ADMIN), Some("{\"name\": ")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_error(&v, "malformed_json", Some("body"));
    let (s, v) = api.post("/api/v1/orgs", ADMIN, json!({"short_name": "x"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "kind"], "{v}");
    let (s, v) = api.post("/api/v1/orgs", ADMIN, json!({"name": 5, "kind": "branch"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("name"));
    let (s, v) = api.post("/api/v1/orgs", ADMIN, json!({"name": "小组", "kind": "cell", "parent_id": root})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a 党小组 only inside a branch: {v}");
    let req = Request::post("/api/v1/orgs").header(header::AUTHORIZATION, format!("Bearer {ADMIN}")).body(Body::from("{}")).unwrap();
    assert_eq!(api.app.clone().oneshot(req).await.unwrap().status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Members: create, duplicate, invalid ID, list, get, update.
    let (s, m) = api.post("/api/v1/members", ADMIN, member(&b, &id_no(1))).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!((m["org_name"].as_str(), m["status"].as_str(), m["gender"].as_str()), (Some("第二党支部"), Some("full"), Some("male")));
    assert_eq!(m["id_card_masked"], format!("370602********{}", &id_no(1)[14..]));
    assert!(m.get("id_card_no").is_none() && m.get("id_card_index").is_none() && m.get("id_card_enc").is_none());
    let mid = m["id"].as_str().unwrap().to_owned();
    let (s, v) = api.post("/api/v1/members", ADMIN, member(&b, &id_no(1))).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_error(&v, "conflict", Some("id_card_no"));
    let mut bad = id_no(2);
    bad.replace_range(17.., if bad.ends_with('0') { "1" } else { "0" });
    let (s, v) = api.post("/api/v1/members", ADMIN, member(&b, &bad)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("id_card_no"));
    let (s, v) = api.post("/api/v1/members", ADMIN, json!({"org_id": b})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["errors"].as_array().unwrap().len() >= 3, "{v}");
    let (s, v) = api.post("/api/v1/members", ADMIN, member(&root, &id_no(3))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "members belong in a branch: {v}");
    assert_error(&v, "rule", Some("org_id"));

    let (s, v) = api.get(&format!("/api/v1/members?org_id={b}&per_page=10"), ADMIN).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((v["total"].as_i64(), v["page"].as_u64(), v["per_page"].as_u64()), (Some(1), Some(1), Some(10)));
    let (s, v) = api.get(&format!("/api/v1/members?org_id={a}"), ADMIN).await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(0)));
    let (s, v) = api.get("/api/v1/members?page=0&status=bogus", ADMIN).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("status"));
    assert_eq!(v["errors"][1]["field"], "page");
    let (s, v) = api.get(&format!("/api/v1/members?q={}", id_no(1)), ADMIN).await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(1)));

    let mut edit = member(&b, &id_no(1));
    edit["phone"] = json!("13800000000");
    edit["is_party_worker"] = json!("否");
    let (s, v) = api.put(&format!("/api/v1/members/{mid}"), ADMIN, edit.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["phone"].as_str(), v["is_party_worker"].as_bool()), (Some("13800000000"), Some(false)));
    let mut probationary = edit.clone();
    probationary["status"] = json!("probationary");
    probationary["full_on"] = Value::Null;
    let (s, v) = api.put(&format!("/api/v1/members/{mid}"), ADMIN, probationary).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "rule", Some("status"));
    let (s, v) = api.put("/api/v1/members/123", ADMIN, edit.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("id"));
    let (s, _) = api.put(&format!("/api/v1/members/{}", MemberId::new()), ADMIN, edit.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A branch secretary: sees only the own branch, cannot read or change the other one.
    let (s, v) = api.get("/api/v1/orgs", SECRETARY).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_array().unwrap().iter().all(|o| o["id"] == a), "{v}");
    let (s, v) = api.get(&format!("/api/v1/members/{mid}"), SECRETARY).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found", None);
    let (s, _) = api.put(&format!("/api/v1/members/{mid}"), SECRETARY, edit.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = api.get("/api/v1/members?status=all", SECRETARY).await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(0)));
    let (s, _) = api.get(&format!("/api/v1/members?org_id={b}"), SECRETARY).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = api.post("/api/v1/members", SECRETARY, member(&b, &id_no(4))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_error(&v, "forbidden", Some("org_id"));
    let (s, v) = api.post("/api/v1/members", SECRETARY, member(&a, &id_no(4))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, _) = api.put(&format!("/api/v1/orgs/{b}"), SECRETARY, json!({"name": "改名", "kind": "branch", "parent_id": root})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Unknown routes and methods answer in JSON too.
    let (s, v) = api.get("/api/v1/nothing", ADMIN).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found", None);
    let (s, v) = api.call(Method::DELETE, "/api/v1/orgs", Some(ADMIN), None).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&v, "method_not_allowed", None);
}

#[tokio::test]
async fn org_update_edits_and_moves_the_subtree() {
    let (api, _store) = Api::new().await;
    let root = api.org("机关党委", "organ_committee", None).await;
    let other = api.org("直属党委", "committee", None).await;
    let branch = api.org("第一党支部", "branch", Some(&root)).await;
    let cell = api.org("第一党小组", "cell", Some(&branch)).await;

    let uri = format!("/api/v1/orgs/{branch}");
    let (s, v) = api.put(&uri, ADMIN, json!({"name": "第一支部", "kind": "branch", "parent_id": root, "unit": "办公室"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["name"].as_str(), v["unit"].as_str()), (Some("第一支部"), Some("办公室")));

    let (s, v) = api.put(&uri, ADMIN, json!({"name": "第一支部", "kind": "branch", "parent_id": other})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["parent_id"], other);
    assert_eq!(v["path"], format!("/{other}/{branch}/"));
    let (_, c) = api.get(&format!("/api/v1/orgs/{cell}"), ADMIN).await;
    assert_eq!(c["path"], format!("/{other}/{branch}/{cell}/"), "the subtree moved along");

    // Refusals leave the tree as it was.
    let (s, v) = api.put(&format!("/api/v1/orgs/{other}"), ADMIN, json!({"name": "直属党委", "kind": "committee", "parent_id": branch})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = api.put(&uri, ADMIN, json!({"name": "第一支部", "kind": "branch"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "rule", Some("parent_id"));
    let (s, v) = api.put(&uri, ADMIN, json!({"name": "第一支部", "kind": "cell", "parent_id": root})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = api.put(&uri, ADMIN, json!({"name": "第一支部", "kind": "branch", "parent_id": OrgId::new().to_string()})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("parent_id"));
    let (_, v) = api.get(&uri, ADMIN).await;
    assert_eq!((v["parent_id"].as_str(), v["kind"].as_str()), (Some(other.as_str()), Some("branch")));
}

#[tokio::test]
async fn browser_session_needs_the_csrf_header_on_writes() {
    let (api, store) = Api::new().await;
    let admin = users::by_username(&store, "admin").await.unwrap().unwrap();
    users::create_session(&store, &sm3_hex(b"session-token"), &admin.id, "csrf-value", None, None).await.unwrap();
    let send = |method: Method, csrf: Option<&str>| {
        let mut req = Request::builder()
            .method(method.clone())
            .uri("/api/v1/orgs")
            .header(header::COOKIE, format!("{}=session-token", crate::auth::SESSION_COOKIE))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        let body = if method == Method::POST { r#"{"name": "党委", "kind": "committee"}"# } else { "" };
        api.app.clone().oneshot(req.body(Body::from(body)).unwrap())
    };
    assert_eq!(send(Method::GET, None).await.unwrap().status(), StatusCode::OK);
    let resp = send(Method::POST, None).await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let v: Value = serde_json::from_slice(&axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap()).unwrap();
    assert_error(&v, "csrf", None);
    assert_eq!(send(Method::POST, Some("wrong-value")).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(send(Method::POST, Some("csrf-value")).await.unwrap().status(), StatusCode::CREATED);
}

#[tokio::test]
async fn activities_and_compliance_end_to_end() {
    let (api, store) = Api::new().await;
    let root = api.org("机关党委", "organ_committee", None).await;
    let a = api.org("第一党支部", "branch", Some(&root)).await;
    let b = api.org("第二党支部", "branch", Some(&root)).await;
    add_user(&store, "secretary2", Role::OrgAdmin, Some(OrgId::parse(&b).unwrap()), SECRETARY).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let (s, m) = api.post("/api/v1/members", ADMIN, member(&a, &id_no(10 + n))).await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        ids.push(m["id"].as_str().unwrap().to_owned());
    }
    let (_, outsider) = api.post("/api/v1/members", ADMIN, member(&b, &id_no(20))).await;
    let outsider = outsider["id"].as_str().unwrap().to_owned();
    let p = dangwu_domain::auth::Principal {
        user_id: dangwu_domain::UserId::new(),
        username: "t".into(),
        display_name: "t".into(),
        role: Role::Admin,
        scope: None,
        member_id: None,
    };
    let day = chrono::NaiveDate::from_ymd_opt(2021, 11, 11);
    let material = dangwu_store::materials::create(&store, &p, &Actor("t".into()), "十九届六中全会精神", "meeting_spirit", day, None).await.unwrap();

    let sitting = json!({
        "org_id": a, "kinds": ["branch_assembly", "party_lecture"], "title": "第一季度支部党员大会暨专题党课",
        "held_on": "2022-03-25", "host": "支部书记", "recorder": "组织委员", "lecturer": "支部书记", "topics": "学习十九届六中全会精神",
        "materials": [material.id],
        "attendees": [
            {"member_id": ids[0], "attendance": "present"},
            {"member_id": ids[1], "attendance": "出席"},
            {"member_id": ids[2], "attendance": "absent", "reason": "因公出差"},
            {"name": "上级党组织联系人", "attendance": "guest"},
        ],
    });
    let (s, v) = api.post("/api/v1/activities", ADMIN, sitting.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_owned();
    assert_eq!(v["kinds"], json!(["branch_assembly", "party_lecture"]));
    assert_eq!(v["kind_labels"], json!(["支部党员大会", "党课"]));
    assert_eq!((v["present_count"].as_i64(), v["expected_count"].as_i64()), (Some(2), Some(3)));
    assert_eq!(v["attendance"].as_array().unwrap().len(), 4);
    assert_eq!(v["materials"][0]["title"], "十九届六中全会精神");
    assert_eq!(v["org_name"], "第一党支部");
    assert!(v["attachments"].as_array().unwrap().is_empty());
    let (s, got) = api.get(&format!("/api/v1/activities/{id}"), ADMIN).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got, v);
    let absent = got["attendance"].as_array().unwrap().iter().find(|r| r["attendance"] == "absent").unwrap();
    assert_eq!((absent["reason"].as_str(), absent["attendance_label"].as_str()), (Some("因公出差"), Some("缺席")));

    // Lists and filters.
    let count = |v: &Value| v.as_array().unwrap().len();
    let (s, v) = api.get(&format!("/api/v1/activities?org_id={a}&kind=party_lecture&from=2022-01-01&to=2022-03-31"), ADMIN).await;
    assert_eq!((s, count(&v)), (StatusCode::OK, 1), "{v}");
    assert_eq!(v[0]["kinds"], json!(["branch_assembly", "party_lecture"]));
    let (_, v) = api.get("/api/v1/activities?kind=theme_day", ADMIN).await;
    assert_eq!(count(&v), 0);
    let (_, v) = api.get("/api/v1/activities?from=2022-03-26", ADMIN).await;
    assert_eq!(count(&v), 0);
    let (s, v) = api.get("/api/v1/activities?kind=chat&from=2022-02-30", ADMIN).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("from"));
    assert_eq!(v["errors"][1]["field"], "kind");

    // Bad input: a clear message naming the field, and nothing written.
    let bad = |patch: Value| {
        let mut body = sitting.clone();
        for (k, x) in patch.as_object().unwrap() {
            body[k] = x.clone();
        }
        body
    };
    let cases = [
        (json!({"kinds": ["chat"]}), "kinds"),
        (json!({"kinds": ["party_group_meeting"]}), "kinds"),
        (json!({"held_on": "2099-01-01"}), "held_on"),
        (json!({"attendees": [{"member_id": outsider, "attendance": "present"}]}), "attendees"),
        (json!({"attendees": [{"member_id": ids[0], "attendance": "absent"}]}), "attendees"),
        (json!({"title": ""}), "title"),
        (json!({"flags": ["first_agenda_item"]}), "flags"),
        (json!({"materials": [OrgId::new().to_string()]}), "materials"),
    ];
    for (patch, field) in cases {
        let (s, v) = api.post("/api/v1/activities", ADMIN, bad(patch.clone())).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{patch}: {v}");
        assert_error(&v, "invalid", Some(field));
    }
    let (s, v) = api.post("/api/v1/activities", ADMIN, json!({"kinds": "branch_assembly"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("kinds"));
    // An outsider may be there as 列席.
    let guest = bad(json!({"kinds": ["party_lecture"], "attendees": [{"member_id": outsider, "name": "王五", "attendance": "guest"}]}));
    let (s, v) = api.post("/api/v1/activities", ADMIN, guest).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["expected_count"], 0);
    let (_, v) = api.get("/api/v1/activities", ADMIN).await;
    assert_eq!(count(&v), 2, "only the two valid records were written");

    // Scope: another branch's secretary neither sees nor records here.
    // (An org the caller cannot see is not found, as for reading.)
    let (s, v) = api.post("/api/v1/activities", SECRETARY, sitting.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert_error(&v, "not_found", None);
    let (s, _) = api.get(&format!("/api/v1/activities/{id}"), SECRETARY).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = api.get("/api/v1/activities", SECRETARY).await;
    assert_eq!((s, count(&v)), (StatusCode::OK, 0));
    let (s, v) = api.get("/api/v1/activities/not-an-id", ADMIN).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("id"));
    let (s, v) = api.get(&format!("/api/v1/activities/{}", OrgId::new()), ADMIN).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_error(&v, "not_found", None);

    // Compliance: the sitting counts for the quarter's assembly (2 of 3 present) and lecture.
    let (s, v) = api.get(&format!("/api/v1/compliance?org_id={a}&period=2022Q1"), ADMIN).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["period"].as_str(), v["period_label"].as_str()), (Some("2022Q1"), Some("2022年第一季度")));
    let findings = v["findings"].as_array().unwrap();
    let find = |rule: &str, period: &str| findings.iter().find(|f| f["rule_id"] == rule && f["period"] == period).unwrap_or_else(|| panic!("{rule} {period}: {v}"));
    let assembly = find("branch_assembly_quarterly", "2022Q1");
    assert_eq!((assembly["status"].as_str(), assembly["actual"].as_u64()), (Some("ok"), Some(1)));
    assert_eq!(assembly["record_ids"], json!([id]));
    assert_eq!((assembly["org_name"].as_str(), assembly["rule_title"].as_str()), (Some("第一党支部"), Some("支部党员大会一般每季度召开1次")));
    assert!(assembly["citation"].as_str().unwrap().contains("第十一条"));
    assert_eq!(find("party_lecture_quarterly", "2022Q1")["actual"], 2);
    let theme = find("theme_day_monthly", "2022-02");
    assert_eq!((theme["status"].as_str(), theme["status_label"].as_str()), (Some("missing"), Some("未开展")));
    assert!(findings.iter().all(|f| f["org_id"] == a), "org_id limits to the subtree");
    let (s, v) = api.get("/api/v1/compliance?period=2022Q1", SECRETARY).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["org_id"] == b), "{v}");
    let (s, v) = api.get("/api/v1/compliance", ADMIN).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("period"));
    let (s, v) = api.get("/api/v1/compliance?period=2022Q5&org_id=x", ADMIN).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&v, "invalid", Some("org_id"));
    assert_eq!(v["errors"][1]["field"], "period");
    let (s, _) = api.get(&format!("/api/v1/compliance?period=2022&org_id={a}"), SECRETARY).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
