//! The dues endpoints through the whole router on a fresh SQLite database.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use dangwu_domain::auth::{Principal, Role};
use dangwu_domain::crypto::{FieldKeys, sm3_hex};
use dangwu_domain::idcard::check_char;
use dangwu_domain::member::MemberInput;
use dangwu_domain::org::OrgInput;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::{OrgId, UserId};
use dangwu_store::audit::Actor;
use dangwu_store::dues::{self, VerificationInput};
use dangwu_store::users::{self, NewUser};
use dangwu_store::{Db, Store, members, orgs};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::{AppState, WebConfig};

const ADMIN: &str = "dues-admin-token";
const OTHER: &str = "dues-other-branch-token";

async fn call(app: &axum::Router, method: Method, uri: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let req = req.body(body.map(|b| Body::from(b.to_string())).unwrap_or_default()).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 24).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{uri}: {}", String::from_utf8_lossy(&bytes))))
}

async fn token(store: &Store, name: &str, role: Role, scope: Option<OrgId>, token: &str) {
    let actor = Actor("test".into());
    let u = NewUser { username: name.into(), display_name: name.into(), password_hash: "x".into(), role, scope_org_id: scope, member_id: None };
    let u = users::create(store, &actor, u).await.unwrap();
    users::create_token(store, &actor, &u.id, "test", &sm3_hex(token.as_bytes())).await.unwrap();
}

#[tokio::test]
async fn dues_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_sqlite(dir.path()).await.unwrap();
    db.migrate().await.unwrap();
    let store = Store::new(db, FieldKeys::from_master("test", &[7u8; 32]), OrgCatalogue::shipped());
    let app = crate::router(AppState::new(store.clone(), WebConfig::default()));
    let p = Principal { user_id: UserId::from_u128(1), username: "t".into(), display_name: "t".into(), role: Role::Admin, scope: None, member_id: None };
    let a = Actor("test".into());
    let today = chrono::Local::now().date_naive();
    let mk = |name: &str, kind: &str, parent: Option<String>| OrgInput { name: name.into(), kind: kind.into(), parent_id: parent, ..Default::default() };
    let root = orgs::create(&store, &p, &a, mk("机关党委", "organ_committee", None).validate(&store.catalogue, today).unwrap()).await.unwrap();
    let branch = orgs::create(&store, &p, &a, mk("第一党支部", "branch", Some(root.id.clone())).validate(&store.catalogue, today).unwrap()).await.unwrap();
    let other = orgs::create(&store, &p, &a, mk("第二党支部", "branch", Some(root.id.clone())).validate(&store.catalogue, today).unwrap()).await.unwrap();
    let first = "37060219800501003";
    let m = MemberInput {
        name: "张三".into(),
        id_card_no: format!("{first}{}", check_char(first)),
        joined_on: "2005-07-01".into(),
        full_on: "2006-07-01".into(),
        dues_category: "in_service".into(),
        org_id: branch.id.clone(),
        ..Default::default()
    };
    let mid = members::create(&store, &p, &a, m.validate(today).unwrap(), chrono::NaiveDate::from_ymd_opt(2005, 7, 1).unwrap()).await.unwrap().member_id();
    let v = VerificationInput { person_type: "机关".into(), base_override: Some(dangwu_domain::money::Fen(510000)), ..Default::default() };
    dues::save(&store, &p, &a, mid, 2022, &v).await.unwrap();
    dues::confirm(&store, &p, &a, branch.org_id(), 2022).await.unwrap();
    token(&store, "admin", Role::Admin, None, ADMIN).await;
    token(&store, "sec2", Role::OrgAdmin, Some(other.org_id()), OTHER).await;
    let get = |uri: String| {
        let app = app.clone();
        async move { call(&app, Method::GET, &uri, ADMIN, None).await }
    };

    let (s, v) = get("/api/v1/dues/calc?category=in_service&base=5100.00".into()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["amount"].as_str(), v["amount_fen"].as_i64(), v["rate"].as_str()), (Some("76.50"), Some(7650), Some("0.015")));
    assert_eq!(v["bracket"], "5000元以上至10000元（含）");
    let (s, v) = get("/api/v1/dues/calc?category=retired&base=5000.01".into()).await;
    assert_eq!((s, v["amount"].as_str()), (StatusCode::OK, Some("50.00")));
    let (s, v) = get("/api/v1/dues/calc?category=bogus&base=-1".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["errors"].as_array().unwrap().len(), 2, "{v}");
    let (s, v) = get("/api/v1/dues/calc?category=in_service".into()).await;
    assert_eq!((s, v["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("base")), "{v}");

    let (s, v) = get(format!("/api/v1/dues/verifications?org_id={}&year=2022", root.id)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["members"].as_u64(), v["confirmed"].as_u64()), (Some(1), Some(1)));
    assert_eq!(v["rows"][0]["verification"]["amount"], "76.50");

    let pay = |token: &'static str, body: Value| {
        let app = app.clone();
        async move { call(&app, Method::POST, "/api/v1/dues/payments", token, Some(body)).await }
    };
    let (s, v) = pay(ADMIN, json!({"member_id": mid.to_string(), "months": ["2022-01", "2022-02"], "paid_on": "2022-02-10", "receipt_no": "No.1"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!((v[0]["month"].as_str(), v[1]["amount"].as_str(), v[1]["amount_fen"].as_i64()), (Some("2022-01"), Some("76.50"), Some(7650)));
    let (s, v) = pay(ADMIN, json!({"member_id": mid.to_string(), "months": "2022-02,2022-03", "paid_on": "2022-03-10"})).await;
    assert_eq!((s, v["code"].as_str(), v["field"].as_str()), (StatusCode::CONFLICT, Some("conflict"), Some("months")), "{v}");
    let (s, v) = pay(ADMIN, json!({"member_id": mid.to_string(), "months": "2022-03", "amount": -76.5, "voluntary": "abc"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["amount", "voluntary"], "{v}");
    let (s, v) = pay(ADMIN, json!({"member_id": mid.to_string(), "months": [3]})).await;
    assert_eq!((s, v["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("months")), "{v}");
    let (s, v) = pay(OTHER, json!({"member_id": mid.to_string(), "months": "2022-03", "paid_on": "2022-03-10"})).await;
    assert!(s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN, "{s} {v}");
    let (s, v) = pay(ADMIN, json!({"member_id": mid.to_string(), "months": "2022-03", "amount": 76.5, "voluntary": 1000, "paid_on": "2022-03-10"})).await;
    assert_eq!((s, v[0]["voluntary"].as_str()), (StatusCode::CREATED, Some("1000.00")), "{v}");

    let (s, v) = get(format!("/api/v1/dues/arrears?org_id={}&as_of=2022-08-01", branch.id)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v[0]["unpaid_months"].as_u64(), v[0]["level"].as_str(), v[0]["since"].as_str()), (Some(4), Some("warning"), Some("2022-04")));
    let (s, v) = get(format!("/api/v1/dues/reconciliation?org_id={}&period=2022Q1", branch.id)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((v["collected"].as_str(), v["ok"].as_bool(), v["large_voluntary"][0]["voluntary"].as_str()), (Some("1229.50"), Some(false), Some("1000.00")));
    assert!(v["status"].as_str().unwrap().contains("尚欠1229.50元"), "{v}");
    let (s, v) = get(format!("/api/v1/dues/reconciliation?org_id={}&period=2022-03", branch.id)).await;
    assert_eq!((s, v["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("period")), "{v}");
}
