//! Recording organisational life: bad input through the form and the API each gets a Chinese
//! message naming the field and writes nothing; attachments are type-checked from their bytes,
//! size-limited and served back as stored; records are scoped (another branch's secretary cannot
//! open or edit one; a member may read one they attended, never edit it); the audit chain holds.

use chrono::Days;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::compliance::{all_present, api_post_activity};
use crate::harness::*;
use crate::scoping::{api_get, has_cjk};

fn refused(s: StatusCode) -> bool {
    s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND
}

/// What a refused write must leave as it was: activities, their attendance, attachments, blobs
/// and the audit log.
async fn activity_fingerprint(app: &TestApp) -> [i64; 5] {
    let n = |sql: &'static str| async move { app.store.db.read().scalar(sql, vec![]).await.unwrap() };
    [
        n("SELECT COUNT(*) FROM activities").await,
        n("SELECT COUNT(*) FROM activity_attendance").await,
        n("SELECT COUNT(*) FROM attachments").await,
        n("SELECT COUNT(*) FROM blobs").await,
        audit_len(&app.store).await,
    ]
}

/// The text of `<span class="field-error" id="err-FIELD">` on a form page.
fn field_error(html: &str, field: &str) -> Option<String> {
    let at = html.find(&format!("id=\"err-{field}\""))?;
    let start = at + html[at..].find('>')? + 1;
    let end = start + html[start..].find("</span>")?;
    Some(unescape(&html[start..end]))
}

/// A past date for the records written here (the demo's quarter is over).
const HELD_ON: &str = "2022-03-28";

fn tomorrow() -> String {
    (dangwu::today() + Days::new(1)).to_string()
}

/// One kind of bad input: which field the message belongs to and what it must say.
struct Bad {
    what: &'static str,
    field: &'static str,
    says: Vec<String>,
}

/// The member of another branch used as a stray attendee.
async fn stranger(app: &TestApp) -> dangwu_store::members::Member {
    let b = branches(&app.store).await;
    members_of(&app.store, Some(&b[1])).await.into_iter().find(|m| m.member.status == "full").expect("a full member of branch 2").member
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_through_the_form_names_the_field_in_chinese_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let b0 = secretary_org(&app.store, "secretary1").await;
    let other = stranger(&app).await;
    let s1 = app.login("secretary1").await;
    let (status, page) = s1.get(&format!("/activities/new?org={}", b0.id)).await;
    assert_eq!(status, StatusCode::OK);
    let mut good = scrape_form(&page, "/activities").expect("the 记录活动 form");
    assert!(good.iter().any(|(k, v)| k == "csrf_token" && !v.is_empty()), "the form carries a CSRF token");
    for (k, v) in [
        ("title", "第一季度支部党员大会暨专题党课"),
        ("held_on", HELD_ON),
        ("host", "支部书记"),
        ("recorder", "组织委员"),
        ("lecturer", "党组书记"),
        ("topics", "学习贯彻党的十九届六中全会精神"),
    ] {
        set_field(&mut good, k, v);
    }
    good.push(("kinds".into(), "branch_assembly".into()));
    good.push(("kinds".into(), "party_lecture".into()));

    let with = |extra: &[(&str, &str)]| {
        let mut f = good.clone();
        f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    };
    let replaced = |k: &str, v: &str| {
        let mut f = good.clone();
        set_field(&mut f, k, v);
        f
    };
    let att = format!("att_{}", other.id);
    let cases: Vec<(Bad, Vec<(String, String)>)> = vec![
        (Bad { what: "unknown kind", field: "kinds", says: vec!["活动类型".into(), "tea_party".into()] }, with(&[("kinds", "tea_party")])),
        (Bad { what: "党组会 at a branch", field: "kinds", says: vec!["党组会".into(), "不适用".into()] }, with(&[("kinds", "party_group_meeting")])),
        (Bad { what: "attendee of another branch", field: "attendees", says: vec!["参加人员".into(), "列席".into()] }, with(&[(att.as_str(), "present")])),
        (Bad { what: "a future date", field: "held_on", says: vec!["活动日期".into()] }, replaced("held_on", &tomorrow())),
        (Bad { what: "党课 without 授课人", field: "lecturer", says: vec!["党课".into(), "授课人".into()] }, replaced("lecturer", "")),
    ];

    let before = activity_fingerprint(&app).await;
    for (bad, form) in &cases {
        let (status, html) = s1.post_form_raw("/activities", form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: the form comes back with 422\n{}", bad.what, text_of(&html));
        let msg = field_error(&html, bad.field).unwrap_or_else(|| panic!("{}: no message at the {} field:\n{}", bad.what, bad.field, text_of(&html)));
        assert!(has_cjk(&msg), "{}: the message is in Chinese: {msg}", bad.what);
        for w in &bad.says {
            assert!(msg.contains(w.as_str()), "{}: the message at {} says “{w}”: {msg}", bad.what, bad.field);
        }
        assert!(html.contains("第一季度支部党员大会暨专题党课"), "{}: what was typed is kept", bad.what);
        assert_eq!(activity_fingerprint(&app).await, before, "{}: nothing written, nothing logged", bad.what);
    }
    // A record of another branch's org through this secretary's form is refused too.
    let mut foreign = good.clone();
    set_field(&mut foreign, "org_id", &branches(&app.store).await[1].id);
    let (status, _) = s1.post_form_raw("/activities", &foreign).await;
    assert!(refused(status), "recording for another branch: {status}");
    assert_eq!(activity_fingerprint(&app).await, before);

    // The same form without the mistakes is saved (so each refusal above was for its mistake).
    let (status, html) = s1.post_form_raw("/activities", &good).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the good form is saved:\n{}", text_of(&html));
    let after = activity_fingerprint(&app).await;
    assert_eq!(after[0], before[0] + 1, "one activity written");
    assert_eq!(after[4], before[4] + 1, "and one audit entry");
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify after these writes:\n{out}\n{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_through_the_api_names_the_field_in_chinese_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let b0 = secretary_org(&app.store, "secretary1").await;
    let other = stranger(&app).await;
    let t = app.token("secretary1").await;
    let good = json!({
        "org_id": b0.id,
        "kinds": ["branch_assembly", "party_lecture"],
        "title": "第一季度支部党员大会暨专题党课",
        "held_on": HELD_ON,
        "host": "支部书记",
        "recorder": "组织委员",
        "lecturer": "党组书记",
        "topics": "学习贯彻党的十九届六中全会精神",
        "attendees": all_present(&app, &b0.id).await,
    });
    let changed = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v
    };
    let cases: Vec<(Bad, Value)> = vec![
        (
            Bad { what: "unknown kind", field: "kinds", says: vec!["活动类型".into(), "tea_party".into()] },
            changed(&|v| v["kinds"].as_array_mut().unwrap().push(json!("tea_party"))),
        ),
        (
            Bad { what: "党组会 at a branch", field: "kinds", says: vec!["党组会".into(), "不适用".into()] },
            changed(&|v| v["kinds"] = json!(["party_group_meeting"])),
        ),
        (
            Bad { what: "attendee of another branch", field: "attendees", says: vec!["参加人员".into(), "列席".into()] },
            changed(&|v| v["attendees"].as_array_mut().unwrap().push(json!({"member_id": other.id, "attendance": "present"}))),
        ),
        (Bad { what: "a future date", field: "held_on", says: vec!["活动日期".into()] }, changed(&|v| v["held_on"] = json!(tomorrow()))),
        (
            Bad { what: "党课 without 授课人", field: "lecturer", says: vec!["党课".into(), "授课人".into()] },
            changed(&|v| {
                v.as_object_mut().unwrap().remove("lecturer");
            }),
        ),
    ];
    let before = activity_fingerprint(&app).await;
    for (bad, body) in &cases {
        let (status, err) = api_post_activity(&app, &t, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {err}", bad.what);
        assert!(has_cjk(err["message"].as_str().unwrap_or("")), "{}: a Chinese message: {err}", bad.what);
        let errors = err["errors"].as_array().unwrap_or_else(|| panic!("{}: field errors listed: {err}", bad.what));
        let mine: Vec<&str> = errors.iter().filter(|e| e["field"] == bad.field).filter_map(|e| e["message"].as_str()).collect();
        assert!(!mine.is_empty(), "{}: an error for field {}: {err}", bad.what, bad.field);
        for w in &bad.says {
            assert!(mine.iter().any(|m| m.contains(w.as_str()) && has_cjk(m)), "{}: the {} message says “{w}”: {mine:?}", bad.what, bad.field);
        }
        assert_eq!(errors.len(), 1, "{}: only that mistake is reported: {err}", bad.what);
        assert_eq!(activity_fingerprint(&app).await, before, "{}: nothing written, nothing logged", bad.what);
    }
    // Another branch's org: forbidden, naming the organisation; an unknown org: not found.
    let (status, err) = api_post_activity(&app, &t, &changed(&|v| v["org_id"] = json!(NO_ORG))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "recording for an org that does not exist: {err}");
    assert!(has_cjk(err["message"].as_str().unwrap_or("")), "{err}");
    let b1 = branches(&app.store).await.remove(1);
    let (status, err) = api_post_activity(&app, &t, &changed(&|v| v["org_id"] = json!(b1.id))).await;
    assert!(refused(status), "recording for another branch: {status} {err}");
    assert!(has_cjk(err["message"].as_str().unwrap_or("")), "{err}");
    assert_eq!(activity_fingerprint(&app).await, before, "refused API calls wrote nothing");

    let (status, created) = api_post_activity(&app, &t, &good).await;
    assert_eq!(status, StatusCode::CREATED, "the good body is recorded: {created}");
    assert_eq!(created["present_count"], created["expected_count"], "{created}");
    assert_eq!(activity_fingerprint(&app).await[0], before[0] + 1);
    let list = api_get(&app, &t, "/api/v1/activities?from=2022-03-28&to=2022-03-28").await;
    assert!(list.as_array().unwrap().iter().any(|a| a["id"] == created["id"]), "the list shows it: {list}");
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify after these writes:\n{out}\n{err}");
    app.shutdown().await;
}

/// Logs a member account in: members have no 工作台 (GET / sends them to their own record),
/// so the CSRF token comes from the page it leads to.
async fn login_member(app: &TestApp, username: &str) -> Session {
    let http = client();
    let (status, body) = post_login(&http, &app.base, username, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "login {username}: {body}");
    let mut path = "/".to_owned();
    for _ in 0..5 {
        let r = http.get(app.url(&path)).send().await.unwrap();
        if r.status().is_redirection() {
            path = r.headers()["location"].to_str().unwrap().to_owned();
            continue;
        }
        let page = r.text().await.unwrap();
        let csrf = meta_csrf(&page).unwrap_or_else(|| panic!("no csrf-token meta on {path} for {username}"));
        return Session { http, csrf, base: app.base.clone() };
    }
    panic!("{username}: too many redirects from /");
}

/// An id that is no org at all.
const NO_ORG: &str = "00000000-0000-7000-8000-000000000000";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
    0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];

/// POSTs a file to /activities/{id}/attachments as the page's form does: (status, page text).
async fn upload(s: &Session, activity: &str, bytes: Vec<u8>, name: &str, mime: &str, evidence: &str, csrf: &str) -> Result<(StatusCode, String), String> {
    let form = Form::new()
        .text("csrf_token", csrf.to_owned())
        .text("evidence", evidence.to_owned())
        .part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap());
    match s.http.post(s.url(&format!("/activities/{activity}/attachments"))).multipart(form).send().await {
        Ok(r) => {
            let status = r.status();
            Ok((status, r.text().await.unwrap_or_default()))
        }
        Err(e) => Err(e.to_string()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_checked_by_content_limited_in_size_and_served_back_as_stored() {
    const LIMIT: usize = 16 * 1024;
    let app = TestApp::spawn_with(dangwu_web::WebConfig { max_upload_bytes: LIMIT, ..Default::default() }).await;
    let b0 = secretary_org(&app.store, "secretary1").await;
    let t = app.token("secretary1").await;
    let (status, a) = api_post_activity(
        &app,
        &t,
        &json!({"org_id": b0.id, "kinds": ["theme_day"], "title": "3月主题党日", "held_on": HELD_ON, "topics": "重温入党誓词", "attendees": all_present(&app, &b0.id).await}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_owned();
    let s1 = app.login("secretary1").await;
    let (_, page) = s1.get(&format!("/activities/{id}")).await;
    assert!(text_of(&page).contains("缺少佐证"), "a 主题党日 without a photo or sign-in sheet lacks evidence");

    // Refusals first: none of them writes anything.
    let before = activity_fingerprint(&app).await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00".to_vec();
    exe.resize(2048, 0);
    let (status, body) = upload(&s1, &id, exe, "现场照片.jpg", "image/jpeg", "photo", &s1.csrf).await.expect("answer to an EXE upload");
    let body = text_of(&body);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an EXE renamed .jpg: {body}");
    assert!(body.contains("只接受") && body.contains("未保存"), "the page says which files are accepted and that nothing was saved:\n{body}");
    assert_eq!(activity_fingerprint(&app).await, before, "the EXE wrote nothing");

    let mut big = PNG.to_vec();
    big.resize(LIMIT * 2, 0);
    match upload(&s1, &id, big, "大照片.png", "image/png", "photo", &s1.csrf).await {
        Ok((status, body)) => {
            let body = text_of(&body);
            assert!(status == StatusCode::PAYLOAD_TOO_LARGE || status == StatusCode::UNPROCESSABLE_ENTITY, "a file over the limit: {status}\n{body}");
            assert!(body.contains("上限") && has_cjk(&body), "the page names the limit: {body}");
        }
        Err(e) => eprintln!("oversized upload: connection closed by the server ({e})"),
    }
    assert_eq!(activity_fingerprint(&app).await, before, "the oversized file wrote nothing");

    let (status, _) = upload(&s1, &id, PNG.to_vec(), "签到表.png", "image/png", "sign_in_sheet", "not-the-token").await.unwrap();
    assert_eq!(status, StatusCode::FORBIDDEN, "an upload without the session's CSRF token");
    let (status, _) = upload(&s1, &id, PNG.to_vec(), "签到表.png", "image/png", "diploma", &s1.csrf).await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown evidence kind");
    assert_eq!(activity_fingerprint(&app).await, before);

    // A tiny PNG is stored and served back byte for byte with its type.
    let (status, body) = upload(&s1, &id, PNG.to_vec(), "签到表.png", "application/octet-stream", "sign_in_sheet", &s1.csrf).await.unwrap();
    assert_eq!(status, StatusCode::SEE_OTHER, "a PNG upload: {}", text_of(&body));
    let after = activity_fingerprint(&app).await;
    assert_eq!([after[2], after[3], after[4]], [before[2] + 1, before[3] + 1, before[4] + 1], "one attachment, one blob, one audit entry");
    let got = api_get(&app, &t, &format!("/api/v1/activities/{id}")).await;
    let att = &got["attachments"][0];
    assert_eq!(att["content_type"], "image/png", "the type is judged from the bytes: {att}");
    assert_eq!(att["size"], PNG.len(), "{att}");
    assert_eq!(att["evidence"], "sign_in_sheet", "{att}");
    assert_eq!(att["digest"], dangwu_domain::crypto::sm3_hex(PNG).as_str(), "stored by its SM3 digest: {att}");
    let att_id = att["id"].as_str().unwrap();
    let (_, page) = s1.get(&format!("/activities/{id}")).await;
    assert!(page.contains(&format!("/attachments/{att_id}")), "the record's page links the file");
    assert!(!text_of(&page).contains("缺少佐证"), "the sign-in sheet meets the evidence requirement");
    let r = s1.http.get(s1.url(&format!("/attachments/{att_id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG, "served back byte-identical");

    // The same picture on another record is stored once.
    let (status, b) = api_post_activity(
        &app,
        &t,
        &json!({"org_id": b0.id, "kinds": ["theme_day"], "title": "2月主题党日（补记）", "held_on": "2022-02-28", "topics": "重温入党誓词", "attendees": all_present(&app, &b0.id).await}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let (status, _) = upload(&s1, b["id"].as_str().unwrap(), PNG.to_vec(), "照片.png", "image/png", "photo", &s1.csrf).await.unwrap();
    assert_eq!(status, StatusCode::SEE_OTHER);
    // (Logging in is audited: log secretary2 in before taking the fingerprint.)
    let s2 = app.login("secretary2").await;
    let again = activity_fingerprint(&app).await;
    assert_eq!((again[2], again[3]), (after[2] + 1, after[3]), "a second attachment, no second blob");

    // Another branch's secretary cannot fetch it.
    let (status, body) = s2.get(&format!("/attachments/{att_id}")).await;
    assert!(refused(status), "secretary2 downloads secretary1's attachment: {status}");
    assert!(!body.as_bytes().windows(8).any(|w| w == &PNG[..8]), "no file content in the refusal");
    let (status, _) = upload(&s2, &id, PNG.to_vec(), "x.png", "image/png", "photo", &s2.csrf).await.unwrap();
    assert!(refused(status), "secretary2 uploads to secretary1's record: {status}");
    assert_eq!(activity_fingerprint(&app).await, again);

    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify after these writes:\n{out}\n{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_branch_cannot_open_or_edit_a_record_and_an_attendee_may_only_read_it() {
    let app = TestApp::spawn().await;
    let b0 = secretary_org(&app.store, "secretary1").await;
    let member1 = dangwu_store::users::by_username(&app.store, "member1").await.unwrap().expect("member1").member_id.expect("member1 is a member");
    let m1 = member_by_id(&app.store, &member1.to_string()).await;
    assert_eq!(m1.org_id, b0.id, "member1 belongs to secretary1's branch");

    // secretary1 records a meeting through the form; everyone on the roster, member1 too, present.
    let s1 = app.login("secretary1").await;
    let (_, page) = s1.get(&format!("/activities/new?org={}", b0.id)).await;
    let mut form = scrape_form(&page, "/activities").expect("the form");
    assert!(form.iter().any(|(k, v)| *k == format!("att_{member1}") && v == "present"), "member1 is on the roster, present");
    form.push(("kinds".into(), "theme_day".into()));
    set_field(&mut form, "title", "3月主题党日");
    set_field(&mut form, "held_on", HELD_ON);
    set_field(&mut form, "topics", "重温入党誓词");
    let r = s1.http.post(s1.url("/activities")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "saved");
    let id = r.headers()["location"].to_str().unwrap().trim_start_matches("/activities/").split('?').next().unwrap().to_owned();
    let (status, _) = s1.get(&format!("/activities/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK, "the secretary edits their own record");
    let mut edit = scrape_form(&s1.get(&format!("/activities/{id}/edit")).await.1, &format!("/activities/{id}")).expect("the edit form");
    set_field(&mut edit, "title", "越权修改");
    let edit = without_field(&edit, "csrf_token");

    // Logging in is audited: both log in before the fingerprint is taken.
    let s2 = app.login("secretary2").await;
    let m = login_member(&app, "member1").await;
    let (t2, t) = (app.token("secretary2").await, app.token("admin").await);
    let before = activity_fingerprint(&app).await;
    let title = |app: &TestApp| {
        let id = id.clone();
        let store = app.store.clone();
        async move { dangwu_store::activities::get(&store, &dangwu::cli_principal(), &id).await.unwrap().activity.title }
    };

    // secretary2: neither the page nor the edit form nor the update, nor the API.
    for path in [format!("/activities/{id}"), format!("/activities/{id}/edit")] {
        let (status, body) = s2.get(&path).await;
        assert!(refused(status), "secretary2 GET {path}: {status}");
        assert!(!body.contains("3月主题党日"), "the refusal does not show the record");
    }
    let mut stolen = edit.clone();
    stolen.push(("csrf_token".into(), s2.csrf.clone()));
    let (status, _) = s2.post_form_raw(&format!("/activities/{id}"), &stolen).await;
    assert!(refused(status), "secretary2 POST /activities/{id}: {status}");
    let r = client().get(app.url(&format!("/api/v1/activities/{id}"))).bearer_auth(&t2).send().await.unwrap();
    assert!(refused(r.status()), "secretary2 GET /api/v1/activities/{id}: {}", r.status());
    let list = api_get(&app, &t2, "/api/v1/activities?limit=5000").await;
    assert!(!list.to_string().contains(&id), "secretary2's list does not show it");
    let (_, page) = s2.get("/activities").await;
    assert!(!page.contains(&format!("/activities/{id}")), "secretary2's list page does not link it");
    assert_eq!(title(&app).await, "3月主题党日");

    // member1 attended: may read, not edit.
    let (status, body) = m.get(&format!("/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK, "member1 opens a meeting they attended");
    assert!(body.contains("3月主题党日") && body.contains(&m1.name), "the page shows the record and the member");
    assert!(!body.contains(&format!("/activities/{id}/edit")), "no edit link for a member");
    let (status, _) = m.get(&format!("/activities/{id}/edit")).await;
    assert!(refused(status), "member1 GET the edit form: {status}");
    let mut as_member = edit.clone();
    as_member.push(("csrf_token".into(), m.csrf.clone()));
    let (status, _) = m.post_form_raw(&format!("/activities/{id}"), &as_member).await;
    assert!(refused(status), "member1 POST an edit: {status}");
    let (status, _) = upload(&m, &id, PNG.to_vec(), "x.png", "image/png", "photo", &m.csrf).await.unwrap();
    assert!(refused(status), "member1 uploads an attachment: {status}");
    let (status, _) = m.post_form("/activities", &form.iter().map(|(k, v)| (k.as_str(), v.as_str())).filter(|(k, _)| *k != "csrf_token").collect::<Vec<_>>()).await;
    assert!(refused(status), "member1 records an activity: {status}");
    // … and not a meeting of another branch they did not attend.
    let other = api_get(&app, &t, &format!("/api/v1/activities?org_id={}", branches(&app.store).await[1].id)).await;
    let other_id = other[0]["id"].as_str().expect("branch 2 has records").to_owned();
    let (status, _) = m.get(&format!("/activities/{other_id}")).await;
    assert!(refused(status), "member1 opens another branch's meeting: {status}");

    assert_eq!(title(&app).await, "3月主题党日", "nobody changed it");
    assert_eq!(activity_fingerprint(&app).await, before, "refused writes wrote nothing: {:#?}", recent_audit(&app.store, 4).await);
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify after these writes:\n{out}\n{err}");
    app.shutdown().await;
}
