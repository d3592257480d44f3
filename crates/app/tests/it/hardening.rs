//! Hardening (issue 9 item 5–6): security headers and cookie flags, rate limits, session
//! fixation, logout and password change ending other sessions, login audit, a member's export
//! of their own data, and upload names carrying paths.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use dangwu_store::users;

use crate::harness::*;

fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

/// The raw `dangwu_session` token a login set.
async fn login_cookie(app: &TestApp, http: &reqwest::Client, username: &str, password: &str) -> (StatusCode, Option<String>) {
    let page = http.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let token = input_value(&page, "csrf_token").expect("csrf_token input");
    let r = http
        .post(app.url("/login"))
        .form(&[("username", username), ("password", password), ("csrf_token", token.as_str()), ("next", "/")])
        .send()
        .await
        .unwrap();
    let cookie = set_cookies(&r).into_iter().find_map(|c| c.strip_prefix("dangwu_session=").map(|v| v.split(';').next().unwrap_or("").to_owned()));
    (r.status(), cookie)
}

/// A client that sends exactly this session cookie (no cookie store).
fn with_session(token: &str) -> reqwest::Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("cookie", format!("dangwu_session={token}").parse().unwrap());
    reqwest::Client::builder().default_headers(h).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn home_status(app: &TestApp, http: &reqwest::Client) -> StatusCode {
    http.get(app.url("/")).send().await.unwrap().status()
}

async fn audit_actions(app: &TestApp, action: &str) -> i64 {
    app.store.db.read().scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1", dangwu_store::args![action]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_and_cookie_flags() {
    let app = TestApp::spawn().await;
    let t = app.token("admin").await;
    let anon = app.anon();
    for path in ["/login", "/api/v1/orgs", "/static/app.css"] {
        let mut req = anon.get(app.url(path));
        if path.starts_with("/api") {
            req = req.bearer_auth(&t);
        }
        let r = req.send().await.unwrap();
        let csp = header(&r, "content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path} CSP: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: no inline scripts or styles allowed: {csp}");
        assert_eq!(header(&r, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&r, "referrer-policy"), "same-origin", "{path}");
        assert_eq!(header(&r, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&r, "strict-transport-security"), "", "{path}: no HSTS over plain HTTP");
    }
    let (status, _) = login_cookie(&app, &anon, "secretary1", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.shutdown().await;

    // Behind TLS (secure_cookies): HSTS, and the session cookie is Secure, HttpOnly, SameSite.
    let app = TestApp::spawn_with(dangwu_web::WebConfig { secure_cookies: true, ..Default::default() }).await;
    let http = client();
    let page = http.get(app.url("/login")).send().await.unwrap();
    assert_eq!(header(&page, "strict-transport-security"), "max-age=31536000; includeSubDomains");
    let login_csrf = set_cookies(&page).into_iter().find(|c| c.starts_with("dangwu_login_csrf=")).expect("login CSRF cookie");
    assert!(login_csrf.contains("HttpOnly") && login_csrf.contains("SameSite=Strict"), "{login_csrf}");
    let token = input_value(&page.text().await.unwrap(), "csrf_token").unwrap();
    let r = http
        .post(app.url("/login"))
        .form(&[("username", "secretary1"), ("password", PASSWORD), ("csrf_token", token.as_str()), ("next", "/")])
        .send()
        .await
        .unwrap();
    let session = set_cookies(&r).into_iter().find(|c| c.starts_with("dangwu_session=")).expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(session.contains(flag), "session cookie has {flag}: {session}");
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_and_api_are_rate_limited_per_client() {
    let app = TestApp::spawn_with(dangwu_web::WebConfig { login_rate_per_minute: 3, api_rate_per_minute: 5, ..Default::default() }).await;
    let http = client();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(post_login(&http, &app.base, "nobody", "Wrong@2022").await.0);
    }
    assert_eq!(statuses[..3], [StatusCode::UNAUTHORIZED; 3], "{statuses:?}");
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS, "the 4th login post in a minute: {statuses:?}");
    // Only posts count: the login page still shows, and the limit says when to come back.
    let page = http.get(app.url("/login")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let token = input_value(&page.text().await.unwrap(), "csrf_token").unwrap();
    let r = http.post(app.url("/login")).form(&[("username", "admin"), ("password", PASSWORD), ("csrf_token", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(header(&r, "retry-after").parse::<u32>().is_ok_and(|s| (1..=61).contains(&s)), "Retry-After: {}", header(&r, "retry-after"));
    assert!(text_of(&r.text().await.unwrap()).contains("请求过于频繁"));

    let t = app.token("admin").await;
    for i in 0..5 {
        let r = http.get(app.url("/api/v1/orgs")).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "API call {i}");
    }
    let r = http.get(app.url("/api/v1/orgs")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the 6th API call in a minute");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "rate_limited", "{v}");
    assert!(v["message"].as_str().unwrap().contains("请求过于频繁") && v["field"].is_null(), "stable error shape: {v}");
    // Another token is another client.
    let t2 = app.token("secretary1").await;
    assert_eq!(http.get(app.url("/api/v1/orgs")).bearer_auth(&t2).send().await.unwrap().status(), StatusCode::OK);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_not_fixed_and_logout_and_password_change_end_the_others() {
    let app = TestApp::spawn().await;
    let logins_before = audit_actions(&app, "auth.login").await;
    let failures_before = audit_actions(&app, "auth.login_failed").await;
    let changes_before = audit_actions(&app, "user.password").await;

    // Fixation: a browser that already carries a session token gets a new one at login, and
    // the one it carried stops working.
    let (_, first) = login_cookie(&app, &client(), "secretary1", PASSWORD).await;
    let first = first.expect("first session");
    let planted = with_session(&first);
    let page = planted.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = set_cookies(&page).into_iter().find_map(|c| c.strip_prefix("dangwu_login_csrf=").map(|v| v.split(';').next().unwrap().to_owned())).unwrap();
    let token = input_value(&page.text().await.unwrap(), "csrf_token").unwrap();
    let r = planted
        .post(app.url("/login"))
        .header("cookie", format!("dangwu_session={first}; dangwu_login_csrf={csrf_cookie}"))
        .form(&[("username", "secretary1"), ("password", PASSWORD), ("csrf_token", token.as_str()), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let second = set_cookies(&r).into_iter().find_map(|c| c.strip_prefix("dangwu_session=").map(|v| v.split(';').next().unwrap().to_owned())).unwrap();
    assert_ne!(second, first, "login issues a new session token");
    assert!(home_status(&app, &with_session(&first)).await.is_redirection(), "the token carried into the login no longer works");
    assert_eq!(home_status(&app, &with_session(&second)).await, StatusCode::OK);

    // Logout ends every session of the account.
    let a = app.login("secretary2").await;
    let b = app.login("secretary2").await;
    let other = app.login("secretary3").await;
    let (status, _) = a.post_form("/logout", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(home_status(&app, &a.http).await.is_redirection(), "logged out");
    assert!(home_status(&app, &b.http).await.is_redirection(), "the account's other session ended too");
    assert_eq!(home_status(&app, &other.http).await, StatusCode::OK, "other accounts stay logged in");

    // Password change: wrong current password refused, nothing changed.
    let a = app.login("secretary4").await;
    let b = app.login("secretary4").await;
    let (status, page) = a.get("/account/password").await;
    assert_eq!(status, StatusCode::OK, "the 修改密码 page");
    assert!(text_of(&page).contains("修改密码"));
    let (status, body) = a.post_form("/account/password", &[("current", "Wrong@2022"), ("password", "Xin@Mima2026"), ("password2", "Xin@Mima2026")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&body).contains("当前密码不正确"), "{}", text_of(&body));
    let (status, body) = a.post_form("/account/password", &[("current", PASSWORD), ("password", "short"), ("password2", "short")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a weak new password");
    assert!(text_of(&body).contains("密码"), "{}", text_of(&body));
    assert_eq!(home_status(&app, &b.http).await, StatusCode::OK, "refused changes end no session");
    let (status, _) = a.post_form("/account/password", &[("current", PASSWORD), ("password", "Xin@Mima2026"), ("password2", "Xin@Mima2026")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "password changed");
    assert_eq!(home_status(&app, &a.http).await, StatusCode::OK, "the browser that changed it stays logged in, on a new token");
    assert!(home_status(&app, &b.http).await.is_redirection(), "the other session ended");
    assert!(app.try_login("secretary4", PASSWORD).await.is_err(), "the old password no longer works");
    assert!(app.try_login("secretary4", "Xin@Mima2026").await.is_ok(), "the new one does");

    // Logins and failures are in the audit chain.
    assert!(audit_actions(&app, "auth.login").await >= logins_before + 8, "successful logins audited");
    assert!(audit_actions(&app, "auth.login_failed").await > failures_before, "failed logins audited");
    assert_eq!(audit_actions(&app, "user.password").await, changes_before + 1, "the change is audited");
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_downloads_their_own_data() {
    let app = TestApp::spawn().await;
    let member = users::by_username(&app.store, "member1").await.unwrap().unwrap();
    let member_id = member.member_id.clone().expect("member1 is linked to a member");
    let row = member_by_id(&app.store, &member_id).await;
    let full_id = app.store.keys.decrypt(&row.id_card_enc).unwrap();

    // (A member's home is their own record, so log in by hand rather than with app.login.)
    let (status, token) = login_cookie(&app, &client(), "member1", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let http = with_session(&token.unwrap());
    let before = audit_actions(&app, "member.export_own_data").await;
    let r = http.get(app.url("/account/export")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(header(&r, "content-disposition").starts_with("attachment;"), "{}", header(&r, "content-disposition"));
    assert_eq!(header(&r, "cache-control"), "no-store");
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["member"]["id"], member_id.as_str());
    assert_eq!(doc["member"]["name"], row.name.as_str());
    assert_eq!(doc["member"]["id_card_no"], full_id.as_str(), "the full ID number is the member's own data");
    assert!(doc["org_history"].as_array().is_some_and(|h| !h.is_empty()), "{doc}");
    assert!(doc["dues_payments"].is_array() && doc["activities_attended"].is_array() && doc["dues_verifications"].is_array());
    assert_eq!(audit_actions(&app, "member.export_own_data").await, before + 1, "the export is audited");

    // The API gives the same document to the member's token; an account with no member record gets 404.
    let t = app.token("member1").await;
    let r = client().get(app.url("/api/v1/me/export")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["member"]["id_card_no"], full_id.as_str());
    let t = app.token("admin").await;
    let r = client().get(app.url("/api/v1/me/export")).bearer_auth(&t).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "not_found", "{v}");

    // The CLI answers such a request on the member's behalf.
    let out_file = app.db.dir.path().join("member1.json");
    let (code, out, err) = app.cli(&["member", "data", "--member", &member_id, "--out", out_file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(v["member"]["id_card_no"], full_id.as_str());
    assert_eq!(audit_actions(&app, "member.export_own_data").await, before + 3);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_names_with_paths_are_refused_and_files_are_served_as_attachments() {
    let app = TestApp::spawn().await;
    let b0 = secretary_org(&app.store, "secretary1").await;
    let t = app.token("secretary1").await;
    let roster = dangwu_store::activities::roster(&app.store, &b0.id).await.unwrap();
    let attendees: Vec<Value> = roster.iter().map(|(id, _)| json!({"member_id": id.to_string(), "attendance": "present"})).collect();
    let r = client()
        .post(app.url("/api/v1/activities"))
        .bearer_auth(&t)
        .json(&json!({"org_id": b0.id, "kinds": ["theme_day"], "title": "3月主题党日", "held_on": "2022-03-15", "topics": "重温入党誓词", "attendees": attendees}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let s = app.login("secretary1").await;
    let png = {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        v.extend_from_slice(&[0u8; 64]);
        v
    };
    let count = |sql: &'static str| {
        let store = app.store.clone();
        async move { store.db.read().scalar::<i64>(sql, vec![]).await.unwrap() }
    };
    let fingerprint = || async { (count("SELECT COUNT(*) FROM attachments").await, count("SELECT COUNT(*) FROM blobs").await, audit_len(&app.store).await) };
    let send = |name: &'static str| {
        let form = Form::new()
            .text("csrf_token", s.csrf.clone())
            .text("evidence", "photo")
            .part("file", Part::bytes(png.clone()).file_name(name).mime_str("image/png").unwrap());
        s.http.post(s.url(&format!("/activities/{id}/attachments"))).multipart(form).send()
    };
    let before = fingerprint().await;
    for name in ["../../etc/cron.d/x.png", "..\\..\\web\\static\\x.png", "/var/lib/dangwu/x.png"] {
        let r = send(name).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "file name {name}");
        let body = text_of(&r.text().await.unwrap());
        assert!(body.contains("文件名不能包含路径") && body.contains("未保存"), "{name}: {body}");
        assert_eq!(fingerprint().await, before, "{name}: nothing stored");
    }
    let r = send("现场照片.png").await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (att_id,): (String,) =
        app.store.db.read().opt("SELECT id FROM attachments WHERE activity_id = $1", dangwu_store::args![id.clone()]).await.unwrap().unwrap();
    let r = s.http.get(s.url(&format!("/attachments/{att_id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(header(&r, "content-disposition").starts_with("attachment;"), "served as a download: {}", header(&r, "content-disposition"));
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    // Stored in the database, not under any served path.
    let r = client().get(app.url("/static/现场照片.png")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.shutdown().await;
}

/// Found by schemathesis: `page=2147483648` overflowed the offset and killed the connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_survives_extreme_paging_and_keeps_its_error_shape() {
    let app = TestApp::spawn().await;
    let t = app.token("admin").await;
    let http = client();
    for page in ["2147483648", "4294967295"] {
        let r = http.get(app.url(&format!("/api/v1/members?page={page}&per_page=500"))).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "page={page}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["items"].as_array().map(Vec::len), Some(0), "page={page}: {v}");
    }
    for (path, status, code, field) in [
        ("/api/v1/members?page=4294967296", StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("page")),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found", None),
    ] {
        let r = http.get(app.url(path)).bearer_auth(&t).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], code, "{path}: {v}");
        assert!(v["message"].as_str().is_some_and(|m| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))), "a Chinese message: {v}");
        assert_eq!(v["field"].as_str(), field, "{path}: {v}");
    }
    app.shutdown().await;
}
