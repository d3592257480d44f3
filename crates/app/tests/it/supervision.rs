//! 整改台账 end to end: the lifecycle and the 销号 rule on the web (the owner cannot close),
//! evidence versions, a weekly snapshot that reads the same after later edits, reconciliation
//! counts and the report over the API, and the Excel import refusing gaps and duplicates.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::harness::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-evidence";

async fn upload(s: &Session, item: &str, title: &str, bytes: &[u8]) -> StatusCode {
    let form = Form::new()
        .text("csrf_token", s.csrf.clone())
        .text("title", title.to_owned())
        .part("file", Part::bytes(bytes.to_vec()).file_name("photo.png").mime_str("image/png").unwrap());
    s.http.post(s.url(&format!("/ledger/{item}/evidence"))).multipart(form).send().await.unwrap().status()
}

async fn status_of(app: &TestApp, item: &str) -> String {
    app.store.db.read().scalar::<String>("SELECT status FROM ledger_items WHERE id = $1", vec![item.into()]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_cannot_close_and_evidence_keeps_its_versions() {
    let app = TestApp::spawn().await;
    let sec = dangwu_store::users::by_username(&app.store, "secretary1").await.unwrap().unwrap();
    let owned: String = app
        .store
        .db
        .read()
        .scalar("SELECT id FROM ledger_items WHERE owner_member_id = $1", vec![sec.member_id.clone().unwrap().into()])
        .await
        .unwrap();
    let s = app.login("secretary1").await;
    let (code, page) = s.get(&format!("/ledger/{owned}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("整改中"), "{}", text_of(&page));

    // Submitting for verification needs evidence.
    let (code, page) = s.post_form(&format!("/ledger/{owned}/progress"), &[("on_date", "2022-03-20"), ("status", "awaiting_verification"), ("text", "完成")]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("提交核验须先上传整改佐证材料"), "{}", text_of(&page));
    assert_eq!(status_of(&app, &owned).await, "in_progress");

    // Two versions of the same document: the first stays in the history.
    assert_eq!(upload(&s, &owned, "整改方案", PNG).await, StatusCode::SEE_OTHER);
    assert_eq!(upload(&s, &owned, "整改方案", b"%PDF-1.7 second").await, StatusCode::SEE_OTHER);
    assert_eq!(upload(&s, &owned, "整改方案", b"MZ not a picture").await, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, page) = s.get(&format!("/ledger/{owned}")).await;
    let text = text_of(&page);
    assert!(text.matches("整改方案").count() >= 2 && text.contains("第1版") && text.contains("第2版") && text.contains("已替换") && text.contains("现行"), "{text}");

    let (code, _) = s.post_form(&format!("/ledger/{owned}/progress"), &[("on_date", "2022-03-20"), ("status", "awaiting_verification"), ("text", "整改完成")]).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &owned).await, "awaiting_verification");

    // The owner may not close their own item; nothing changes.
    let before = audit_len(&app.store).await;
    let (code, page) = s.post_form(&format!("/ledger/{owned}/close"), &[("on_date", "2022-03-25"), ("text", "")]).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    assert!(page.contains("责任人不能为本人负责的问题销号"), "{}", text_of(&page));
    assert_eq!(status_of(&app, &owned).await, "awaiting_verification");
    assert_eq!(audit_len(&app.store).await, before);

    // Another branch's secretary does not see it at all.
    let other = app.login("secretary2").await;
    assert_eq!(other.get(&format!("/ledger/{owned}")).await.0, StatusCode::NOT_FOUND);

    // The administrator verifies and closes it, audited.
    let a = app.login("admin").await;
    let (code, _) = a.post_form(&format!("/ledger/{owned}/close"), &[("on_date", "2022-03-25"), ("text", "经核验，整改到位")]).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &owned).await, "closed");
    assert!(recent_audit(&app.store, 3).await.iter().any(|a| a.contains("ledger_item.close")), "{:?}", recent_audit(&app.store, 3).await);
    // A closed item takes no more changes.
    let (code, _) = a.post_form(&format!("/ledger/{owned}/progress"), &[("on_date", "2022-03-26"), ("text", "再记一笔")]).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn api(app: &TestApp, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut r = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let code = r.status();
    (code, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_survives_later_edits_and_reconciliation_counts() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let token = app.token("admin").await;
    let today = dangwu::today();
    let day = |n: u64| (today - chrono::Days::new(n)).to_string();
    let organ = all_orgs(&app.store).await.into_iter().find(|o| o.kind == "organ_committee").unwrap();
    let (code, l) = api(&app, &token, Method::POST, "/api/v1/ledgers", Some(json!({"org_id": organ.id, "title": "测试整改台账", "feedback_on": day(30)}))).await;
    assert_eq!(code, StatusCode::CREATED, "{l}");
    let lid = l["id"].as_str().unwrap().to_owned();
    let items = |n: i64, due: String| json!({"no": n, "title": format!("问题{n}"), "category": "限期整改", "department": "办公室", "due_on": due});

    // A due date before the feedback is refused, naming the field, and nothing is written.
    let (code, e) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/items"), Some(items(1, day(40)))).await;
    assert_eq!((code, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("due_on")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("早于巡察反馈日期"), "{e}");
    let n: i64 = app.store.db.read().scalar("SELECT COUNT(*) FROM ledger_items WHERE ledger_id = $1", vec![lid.clone().into()]).await.unwrap();
    assert_eq!(n, 0);

    let (code, i1) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/items"), Some(items(1, day(3)))).await;
    assert_eq!(code, StatusCode::CREATED, "{i1}");
    let (code, _) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/items"), Some(items(2, today.to_string()))).await;
    assert_eq!(code, StatusCode::CREATED);
    let (code, _) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/items"), Some(items(2, today.to_string()))).await;
    assert_eq!(code, StatusCode::CONFLICT, "a number is used once");
    let id1 = i1["item"]["id"].as_str().unwrap().to_owned();
    let (code, _) = api(&app, &token, Method::POST, &format!("/api/v1/ledger-items/{id1}/progress"), Some(json!({"on_date": day(10), "text": "制定方案"}))).await;
    assert_eq!(code, StatusCode::OK);

    let (code, r1) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/dispatch"), Some(json!({"as_of": day(7)}))).await;
    assert_eq!(code, StatusCode::CREATED, "{r1}");
    let t = &r1["snapshot"]["totals"];
    assert_eq!((t["total"].as_i64(), t["changed"].as_i64(), t["overdue"].as_i64(), t["due_next_week"].as_i64()), (Some(2), Some(1), Some(0), Some(2)), "{r1}");
    let rid = r1["id"].as_str().unwrap().to_owned();

    // Later edits: a note after the round, and the item is overdue by today.
    let (code, _) = api(&app, &token, Method::POST, &format!("/api/v1/ledger-items/{id1}/progress"), Some(json!({"on_date": day(1), "text": "推进中"}))).await;
    assert_eq!(code, StatusCode::OK);
    let (_, again) = api(&app, &token, Method::GET, &format!("/api/v1/dispatch/{rid}"), None).await;
    assert_eq!(again, r1, "the frozen round reads exactly as it was frozen");
    let (code, e) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/dispatch"), Some(json!({"as_of": day(8)}))).await;
    assert_eq!((code, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("as_of")), "a round goes after the previous one");
    let (code, r2) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/dispatch"), Some(json!({"as_of": today.to_string()}))).await;
    assert_eq!(code, StatusCode::CREATED);
    assert_eq!((r2["round_no"].as_i64(), r2["snapshot"]["totals"]["overdue"].as_i64(), r2["snapshot"]["totals"]["changed"].as_i64()), (Some(2), Some(1), Some(1)), "{r2}");
    let (code, page) = app.login("admin").await.get(&format!("/ledger/dispatch/{rid}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(text_of(&page).contains("制定方案") && !text_of(&page).contains("推进中"));

    // 对账: the inspector lists 1 (closed) and 3; the ledger has 1 (open) and 2.
    let lines = json!({"lines": [{"no": 1, "status": "已销号"}, {"no": 3, "title": "问题3"}]});
    let (code, rec) = api(&app, &token, Method::POST, &format!("/api/v1/ledgers/{lid}/reconciliation"), Some(lines)).await;
    assert_eq!(code, StatusCode::OK, "{rec}");
    assert_eq!(rec, json!({"ok": false, "matched": 0, "missing": [3], "extra": [2], "mismatched": [1]}));
    let (_, rep) = api(&app, &token, Method::GET, &format!("/api/v1/ledgers/{lid}/report"), None).await;
    assert_eq!((rep["total"].as_i64(), rep["closed"].as_i64(), rep["overdue"].as_i64(), rep["completion_rate"].as_str()), (Some(2), Some(0), Some(1), Some("0.0%")), "{rep}");
    assert!(rep["text"].as_str().unwrap().contains("【待填写】"));

    // A secretary sees neither this ledger nor its rounds.
    let st = app.token("secretary2").await;
    assert_eq!(api(&app, &st, Method::GET, &format!("/api/v1/ledgers/{lid}"), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api(&app, &st, Method::GET, &format!("/api/v1/dispatch/{rid}"), None).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_gaps_and_duplicates_and_cli_reconciles() {
    let app = TestApp::spawn().await;
    let group = all_orgs(&app.store).await.into_iter().find(|o| o.kind == "party_group").unwrap();
    let (code, out, err) = app.cli(&["ledger", "create", "--org", &group.id, "--title", "CLI台账", "--feedback-on", "2022-01-04"]).await;
    assert_eq!(code, 0, "{err}");
    let lid = out.trim().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let headers = ["序号", "问题描述", "整改类别", "责任部门", "完成时限", "责任党组织", "整改状态"];
    let row = |no: &str, due: &str, org: &str, status: &str| vec![no.to_owned(), format!("问题{no}"), "限期整改".into(), "办公室".into(), due.to_owned(), org.to_owned(), status.to_owned()];
    let write = |name: &str, rows: &[Vec<String>]| {
        let p = dir.path().join(name);
        std::fs::write(&p, crate::xlsx::workbook(&headers, rows)).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let count = || async { app.store.db.read().scalar::<i64>("SELECT COUNT(*) FROM ledger_items", vec![]).await.unwrap() };
    let before = count().await;

    let bad = write("bad.xlsx", &[row("1", "2022-03-31", "", ""), row("2", "2021-12-01", "", ""), row("2", "2022-03-31", "", ""), row("5", "2022-03-31", "不存在的支部", "")]);
    let (code, _, err) = app.cli(&["ledger", "import", &lid, &bad]).await;
    assert_eq!(code, 1, "{err}");
    for want in ["第3行", "早于巡察反馈日期", "第4行", "序号 2 重复", "序号不连续：缺少 3、4", "第5行", "不存在的支部"] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert_eq!(count().await, before, "a bad sheet writes nothing");

    let good = write("good.xlsx", &[row("1", "2022-03-31", "机关党支部", ""), row("2", "2022-03-31", "", ""), row("3", "", "", "")]);
    let (code, _, err) = app.cli(&["ledger", "import", &lid, &good]).await;
    assert_eq!(code, 1, "限期整改 without a date: {err}");
    assert!(err.contains("须填写完成时限"), "{err}");
    let good = write("good.xlsx", &[row("1", "2022-03-31", "机关党支部", ""), row("2", "2022-03-31", "", "")]);
    let (code, out, err) = app.cli(&["ledger", "import", &lid, &good]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("已导入2个问题"), "{out}");
    assert_eq!(count().await, before + 2);

    let list = write("list.xlsx", &[row("1", "", "", "已销号"), row("2", "", "", "待整改"), row("3", "", "", "")]);
    let (code, out, _) = app.cli(&["ledger", "reconcile", &lid, &list]).await;
    assert_eq!(code, 3, "differences found: {out}");
    assert!(out.contains("相符1项，缺少1项，多出0项，状态不一致1项"), "{out}");

    let file = dir.path().join("ledger.xlsx");
    let (code, out, err) = app.cli(&["ledger", "export", &lid, file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{out}{err}");
    let rows = dangwu_docgen::read_table(&std::fs::read(&file).unwrap(), dangwu_docgen::rectification::list_columns(), 100).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].get("org"), rows[0].get("status")), ("机关党支部", "待整改"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspection_failure_becomes_a_ledger_item_for_that_branch() {
    let app = TestApp::spawn().await;
    let a = app.login("admin").await;
    let group = all_orgs(&app.store).await.into_iter().find(|o| o.kind == "party_group").unwrap();
    let school = secretary_org(&app.store, "secretary2").await;
    let gym = secretary_org(&app.store, "secretary3").await;
    let today = dangwu::today().to_string();
    let (code, _) = a
        .post_form("/campaigns", &[("kind", "special_inspection"), ("org_id", &group.id), ("title", "测试专项检查"), ("starts_on", "2022-03-01"), ("ends_on", &today), ("targets", &school.id), ("targets", &gym.id)])
        .await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    let cid: String = app.store.db.read().scalar("SELECT id FROM campaigns WHERE title = '测试专项检查'", vec![]).await.unwrap();
    // The checker sees the school branch's existing records beside 三会一课.
    let (_, page) = a.get(&format!("/campaigns/{cid}")).await;
    assert!(text_of(&page).contains("已有记录"), "{}", text_of(&page));

    // An unknown checklist item is refused by the API and nothing is written.
    let token = app.token("admin").await;
    let items = || async { app.store.db.read().scalar::<i64>("SELECT COUNT(*) FROM ledger_items", vec![]).await.unwrap() };
    let before = items().await;
    let r = client()
        .post(app.url(&format!("/api/v1/campaigns/{cid}/results")))
        .bearer_auth(&token)
        .json(&json!({"target_id": school.id, "item": "canteen", "outcome": "fail", "note": "x", "checked_on": "2022-03-10"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["field"], "item", "{e}");
    assert!(e["message"].as_str().unwrap().contains("不在清单"), "{e}");
    assert_eq!(items().await, before);

    // A failure on the web becomes a ledger item owned by that branch.
    let (code, _) = a.post_form(&format!("/campaigns/{cid}/results"), &[("target_id", &gym.id), ("item", "work_safety"), ("outcome", "fail"), ("note", "安全生产台账缺失"), ("checked_on", "2022-03-10")]).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
    let (org, title): (String, String) = app.store.db.read().opt("SELECT org_id, title FROM ledger_items ORDER BY created_at DESC LIMIT 1", vec![]).await.unwrap().unwrap();
    assert_eq!(org, gym.id);
    assert!(title.contains("安全生产台账") && title.contains("安全生产台账缺失"), "{title}");
    // The branch's secretary sees it; the school's does not.
    let s3 = app.login("secretary3").await;
    let (_, home) = s3.get("/").await;
    assert!(home.contains("安全生产台账缺失"), "on 工作台 of the branch");
    let s2 = app.login("secretary2").await;
    let (_, home) = s2.get("/").await;
    assert!(!home.contains("安全生产台账缺失"));
    // The same item twice is a conflict; a pass by the CLI is recorded.
    let (code, _) = a.post_form(&format!("/campaigns/{cid}/results"), &[("target_id", &gym.id), ("item", "work_safety"), ("outcome", "pass"), ("checked_on", "2022-03-10")]).await;
    assert_eq!(code, StatusCode::CONFLICT);
    let (code, out, err) = app.cli(&["campaign", "result", &cid, "--target", &school.id, "--item", "三会一课", "--outcome", "合格", "--date", "2022-03-11"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let (_, d) = {
        let r = client().get(app.url(&format!("/api/v1/campaigns/{cid}"))).bearer_auth(&token).send().await.unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(d["results"].as_array().unwrap().len(), 2, "{d}");
    assert_eq!(d["items"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_supervision_pages_and_sheets() {
    let app = TestApp::spawn().await;
    let a = app.login("admin").await;
    let lid: String = app.store.db.read().scalar("SELECT id FROM ledgers WHERE kind = 'rectification'", vec![]).await.unwrap();
    let pos: String = app.store.db.read().scalar("SELECT id FROM registers WHERE kind = 'position' ORDER BY name LIMIT 1", vec![]).await.unwrap();
    let risk: String = app.store.db.read().scalar("SELECT id FROM registers WHERE kind = 'risk_point' ORDER BY name LIMIT 1", vec![]).await.unwrap();
    for (path, want) in [
        ("/ledger".to_owned(), "市委第三巡察组反馈问题整改台账"),
        (format!("/ledger/books/{lid}"), "第12次调度"),
        (format!("/ledger/books/{lid}/report?as_of=2022-03-31"), "整改完成率60.0%"),
        ("/campaigns".to_owned(), "直属党支部党建工作专项检查"),
        ("/positions".to_owned(), "“海滨体育”微信公众号"),
        ("/integrity".to_owned(), "廉政家书"),
        (format!("/positions/{pos}"), "意识形态领域风险隐患排查"),
        (format!("/integrity/risks/{risk}"), "已复查"),
    ] {
        let (code, page) = a.get(&path).await;
        assert_eq!(code, StatusCode::OK, "{path}");
        assert!(text_of(&page).contains(want), "{path}: {want}\n{}", text_of(&page));
    }
    let r = a.http.get(a.url(&format!("/ledger/books/{lid}/ledger.xlsx"))).send().await.unwrap();
    let rows = dangwu_docgen::read_table(&r.bytes().await.unwrap(), dangwu_docgen::rectification::list_columns(), 100).unwrap();
    assert_eq!(rows.len(), 10);
    let rid: String = app.store.db.read().scalar("SELECT id FROM dispatch_rounds WHERE ledger_id = $1 AND round_no = 12", vec![lid.into()]).await.unwrap();
    let r = a.http.get(a.url(&format!("/ledger/dispatch/{rid}/sheet.xlsx"))).send().await.unwrap();
    let rows = dangwu_docgen::read_table(&r.bytes().await.unwrap(), dangwu_docgen::rectification::dispatch_columns(), 100).unwrap();
    assert_eq!(rows.len(), 10);
}
