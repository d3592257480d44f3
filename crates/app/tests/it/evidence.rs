//! 整改佐证材料 through the JSON API (multipart, bearer token) and the CLI: each upload of a title
//! is a new version and the replaced one stays in the history; a wrong type, an oversized file,
//! a missing file or a caller outside the item's scope is refused and stores nothing.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::harness::*;

const LIMIT: usize = 16 * 1024;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-evidence";
const PDF: &[u8] = b"%PDF-1.7 second version";

async fn post(app: &TestApp, token: &str, item: &str, form: Form) -> (StatusCode, Value) {
    let r = client().post(app.url(&format!("/api/v1/ledger-items/{item}/evidence"))).bearer_auth(token).multipart(form).send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("the evidence upload answers JSON ({e}): {status} {text}")))
}

fn file(title: &str, name: &str, bytes: &[u8]) -> Form {
    Form::new().text("title", title.to_owned()).part("file", Part::bytes(bytes.to_vec()).file_name(name.to_owned()))
}

/// Evidence rows of the item, stored files and audit entries: what a refused upload leaves alone.
async fn stored(app: &TestApp, item: &str) -> (i64, i64, i64) {
    let rows: i64 = app.store.db.read().scalar("SELECT COUNT(*) FROM ledger_evidence WHERE item_id = $1", vec![item.into()]).await.unwrap();
    let blobs: i64 = app.store.db.read().scalar("SELECT COUNT(*) FROM blobs", vec![]).await.unwrap();
    (rows, blobs, audit_len(&app.store).await)
}

fn refused(e: &Value, field: &str, words: &str) {
    assert_eq!(e["field"], field, "{e}");
    let m = e["message"].as_str().unwrap_or_default();
    assert!(m.contains(words) && m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "a Chinese message saying {words}: {e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_upload_adds_versions_and_refusals_store_nothing() {
    let app = TestApp::spawn_with(dangwu_web::WebConfig { max_upload_bytes: LIMIT, ..Default::default() }).await;
    let sec = dangwu_store::users::by_username(&app.store, "secretary1").await.unwrap().unwrap();
    let item: String = app
        .store
        .db
        .read()
        .scalar("SELECT id FROM ledger_items WHERE owner_member_id = $1 AND status <> 'closed'", vec![sec.member_id.clone().unwrap().into()])
        .await
        .unwrap();
    let token = app.token("secretary1").await;
    let start = stored(&app, &item).await;

    let (code, v1) = post(&app, &token, &item, file("整改方案", "方案.png", PNG)).await;
    assert_eq!(code, StatusCode::CREATED, "{v1}");
    assert_eq!((v1["title"].as_str(), v1["version"].as_i64(), v1["current"].as_bool(), v1["filename"].as_str()), (Some("整改方案"), Some(1), Some(true), Some("方案.png")), "{v1}");
    assert_eq!(v1["digest"], dangwu_domain::crypto::sm3_hex(PNG).as_str());
    let (code, v2) = post(&app, &token, &item, file("整改方案", "方案.pdf", PDF)).await;
    assert_eq!(code, StatusCode::CREATED, "{v2}");
    assert_eq!((v2["version"].as_i64(), v2["current"].as_bool()), (Some(2), Some(true)), "{v2}");
    assert_eq!(stored(&app, &item).await, (start.0 + 2, start.1 + 2, start.2 + 2), "two versions, two files, two audit entries");
    assert!(recent_audit(&app.store, 1).await[0].contains("ledger_item.evidence"), "{:?}", recent_audit(&app.store, 1).await);

    // The item lists both: the first is replaced, not gone, and its file is still served.
    let (_, d) = api(&app, &token, reqwest::Method::GET, &format!("/api/v1/ledger-items/{item}"), None).await;
    let versions: Vec<(i64, bool)> =
        d["evidence"].as_array().unwrap().iter().filter(|e| e["title"] == "整改方案").map(|e| (e["version"].as_i64().unwrap(), e["current"].as_bool().unwrap())).collect();
    assert_eq!(versions, [(1, false), (2, true)], "{d}");
    let s = app.login("secretary1").await;
    let r = s.http.get(s.url(&format!("/ledger/evidence/{}", v1["id"].as_str().unwrap()))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG, "the replaced version is served as stored");

    // Refusals: each names the field in Chinese and stores nothing.
    let other = app.token("secretary2").await;
    let before = stored(&app, &item).await;
    let (code, e) = post(&app, &token, &item, file("整改方案", "照片.png", b"MZ\x90\x00 not a picture")).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    refused(&e, "file", "只接受");
    let mut big = PNG.to_vec();
    big.resize(LIMIT + 1024, 0);
    let (code, e) = post(&app, &token, &item, file("整改方案", "大照片.png", &big)).await;
    assert_eq!(code, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    refused(&e, "file", "上限");
    let (code, e) = post(&app, &token, &item, Form::new().text("title", "整改方案")).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    refused(&e, "file", "请选择要上传的文件");
    let (code, e) = api(&app, &token, reqwest::Method::POST, &format!("/api/v1/ledger-items/{item}/evidence"), Some(serde_json::json!({"title": "整改方案"}))).await;
    assert_eq!(code, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{e}");
    refused(&e, "body", "multipart/form-data");

    // Another branch's secretary does not see the item; no token is no caller; a browser
    // session must send its CSRF token.
    let (code, e) = post(&app, &other, &item, file("整改方案", "方案.png", PNG)).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "{e}");
    let r = client().post(app.url(&format!("/api/v1/ledger-items/{item}/evidence"))).multipart(file("整改方案", "方案.png", PNG)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = s.http.post(s.url(&format!("/api/v1/ledger-items/{item}/evidence"))).multipart(file("整改方案", "方案.png", PNG)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&app, &item).await, before, "no refusal stored anything");

    // The CLI adds the next version the same way and refuses the same file types.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("方案第三稿.pdf");
    std::fs::write(&good, PDF).unwrap();
    let (code, out, err) = app.cli(&["ledger", "evidence", &item, good.to_str().unwrap(), "--title", "整改方案"]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("已上传“整改方案”第3版"), "{out}");
    let bad = dir.path().join("照片.png");
    std::fs::write(&bad, b"MZ not a picture").unwrap();
    let after = stored(&app, &item).await;
    let (code, _, err) = app.cli(&["ledger", "evidence", &item, bad.to_str().unwrap(), "--title", "整改方案"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("只接受"), "{err}");
    assert_eq!(stored(&app, &item).await, after);
}
