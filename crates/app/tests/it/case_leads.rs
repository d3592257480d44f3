//! 问题线索: only the 纪检 account sees and moves them — on the web, over the API and on the
//! command line; administrators, secretaries and members are refused; a move the catalogue
//! does not allow is refused in Chinese and writes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::*;

async fn api(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut r = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let code = r.status();
    (code, r.json().await.unwrap_or(Value::Null))
}

async fn events(app: &TestApp) -> i64 {
    app.store.db.read().scalar("SELECT COUNT(*) FROM case_lead_events", vec![]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_discipline_sees_and_moves_case_leads() {
    let app = TestApp::spawn().await;
    let org = secretary_org(&app.store, "secretary2").await;
    let jj = app.token("jijian").await;
    let body = json!({"number": "XS2022-001", "received_on": "2022-03-01", "source": "信访举报", "subject_org_id": org.id, "summary": "反映违规发放津补贴"});
    let (code, lead) = api(&app, &jj, Method::POST, "/api/v1/case-leads", Some(body.clone())).await;
    assert_eq!(code, StatusCode::CREATED, "{lead}");
    assert_eq!(lead["lead"]["status_label"], "受理");
    let id = lead["lead"]["id"].as_str().unwrap().to_owned();
    let (code, _) = api(&app, &jj, Method::POST, "/api/v1/case-leads", Some(body)).await;
    assert_eq!(code, StatusCode::CONFLICT, "a number is registered once");

    // 受理 → 立案 skips 初核: refused in Chinese, naming the field, nothing written.
    let before = (audit_len(&app.store).await, events(&app).await);
    let (code, e) = api(&app, &jj, Method::POST, &format!("/api/v1/case-leads/{id}/status"), Some(json!({"status": "立案", "on_date": "2022-03-05"}))).await;
    assert_eq!((code, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("status")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("不能从“受理”改为“立案”"), "{e}");
    assert_eq!((audit_len(&app.store).await, events(&app).await), before);
    let (code, e) = api(&app, &jj, Method::POST, &format!("/api/v1/case-leads/{id}/status"), Some(json!({"status": "preliminary_check", "on_date": "2022-02-01"}))).await;
    assert_eq!((code, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("on_date")), "before the last change: {e}");
    let (code, d) = api(&app, &jj, Method::POST, &format!("/api/v1/case-leads/{id}/status"), Some(json!({"status": "preliminary_check", "on_date": "2022-03-05", "note": "报批初核"}))).await;
    assert_eq!(code, StatusCode::OK, "{d}");
    assert_eq!(d["lead"]["status"], "preliminary_check");

    // The web page: the list is the 纪检 account's 工作台; the status form moves it on, audited.
    let s = app.login("jijian").await;
    let (code, home) = s.get("/").await;
    assert_eq!(code, StatusCode::OK);
    assert!(text_of(&home).contains("XS2022-001") && text_of(&home).contains("初核"), "{}", text_of(&home));
    assert_eq!(s.get("/members").await.0, StatusCode::SEE_OTHER, "no roster for 纪检");
    let (code, page) = s.post_form(&format!("/case-leads/{id}/status"), &[("status", "concluded"), ("on_date", "2022-03-10")]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("不能从“初核”改为“审结”"), "{}", text_of(&page));
    let (code, _) = s.post_form(&format!("/case-leads/{id}/status"), &[("status", "filed"), ("on_date", "2022-03-10"), ("note", "")]).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    let (_, page) = s.get(&format!("/case-leads/{id}")).await;
    let text = text_of(&page);
    assert!(text.contains("受理 → 初核") && text.contains("初核 → 立案") && text.contains("报批初核"), "{text}");
    let audit = recent_audit(&app.store, 1).await;
    assert!(audit[0].contains("case_lead.status") && audit[0].contains("jijian") && !audit[0].contains("津补贴"), "the log names the lead by number only: {audit:?}");

    // Everyone else is refused: administrators too, on the page and the API.
    for who in ["admin", "secretary2", "member1"] {
        let t = app.token(who).await;
        assert_eq!(api(&app, &t, Method::GET, "/api/v1/case-leads", None).await.0, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(api(&app, &t, Method::GET, &format!("/api/v1/case-leads/{id}"), None).await.0, StatusCode::FORBIDDEN, "{who}");
        let (code, _) = api(&app, &t, Method::POST, &format!("/api/v1/case-leads/{id}/status"), Some(json!({"status": "concluded", "on_date": "2022-03-20"}))).await;
        assert_eq!(code, StatusCode::FORBIDDEN, "{who}");
    }
    for who in ["admin", "secretary2"] {
        let s = app.login(who).await;
        assert_eq!(s.get("/case-leads").await.0, StatusCode::FORBIDDEN, "{who}");
        let (code, page) = s.get(&format!("/case-leads/{id}")).await;
        assert_eq!(code, StatusCode::FORBIDDEN, "{who}");
        assert!(!page.contains("津补贴"));
        assert_eq!(s.post_form(&format!("/case-leads/{id}/status"), &[("status", "concluded"), ("on_date", "2022-03-20")]).await.0, StatusCode::FORBIDDEN);
    }
    let status: String = app.store.db.read().scalar("SELECT status FROM case_leads WHERE id = $1", vec![id.clone().into()]).await.unwrap();
    assert_eq!(status, "filed");

    // The command line acts as a named 纪检 account; the administrator account is refused.
    let (code, out, err) = app.cli(&["case-lead", "add", "--as", "jijian", "--number", "XS2022-002", "--received-on", "2022-03-02", "--source", "巡察移交", "--org", &org.id, "--summary", "反映公车私用"]).await;
    assert_eq!(code, 0, "{err}");
    let id2 = out.trim().to_owned();
    let (code, out, _) = app.cli(&["case-lead", "list", "--as", "jijian"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("XS2022-001") && out.contains("XS2022-002"), "{out}");
    let (code, _, err) = app.cli(&["case-lead", "list", "--as", "admin"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("仅纪检账号"), "{err}");
    let (code, _, err) = app.cli(&["case-lead", "status", &id2, "--as", "jijian", "--to", "审结", "--date", "2022-03-03"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("不能从“受理”改为“审结”"), "{err}");
    let (code, out, err) = app.cli(&["case-lead", "status", &id2, "--as", "jijian", "--to", "了结", "--date", "2022-03-03"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("了结"), "{out}");
}
