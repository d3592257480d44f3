//! Login, lock-out after repeated failures, and CSRF rejection.

use reqwest::StatusCode;

use crate::harness::*;

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_succeeds_with_the_right_password_and_fails_with_a_wrong_one() {
    let app = TestApp::spawn().await;

    // Not logged in: pages send the browser to the login page.
    let anon = app.anon();
    let r = anon.get(app.url("/members")).send().await.unwrap();
    assert!(r.status().is_redirection(), "GET /members without a session: {}", r.status());
    assert!(location(&r).starts_with("/login"), "redirect target: {}", location(&r));

    // The login page sets the pre-login CSRF cookie and carries the token in the form.
    let r = anon.get(app.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(set_cookies(&r).iter().any(|c| c.starts_with("dangwu_login_csrf=")), "login CSRF cookie: {:?}", set_cookies(&r));
    let page = r.text().await.unwrap();
    let token = input_value(&page, "csrf_token").expect("csrf_token input");
    assert!(!token.is_empty());

    // Right password: 303 and a session cookie.
    let r = anon
        .post(app.url("/login"))
        .form(&[("username", "secretary1"), ("password", PASSWORD), ("csrf_token", token.as_str()), ("next", "/members")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login with the right password");
    assert_eq!(location(&r), "/members", "login keeps where the user was going");
    assert!(set_cookies(&r).iter().any(|c| c.starts_with("dangwu_session=") && c.contains("HttpOnly")), "{:?}", set_cookies(&r));
    let r = anon.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let home = r.text().await.unwrap();
    assert!(home.contains("工作台"), "home page is the 工作台");
    assert!(meta_csrf(&home).is_some_and(|t| !t.is_empty()), "pages carry the session's CSRF token");

    // Wrong password: 401, a Chinese message, no session.
    let other = app.anon();
    let (status, body) = post_login(&other, &app.base, "secretary2", "Wrong@2022").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "wrong password");
    assert!(text_of(&body).contains("用户名或密码错误"), "wrong-password message:\n{body}");
    let r = other.get(app.url("/")).send().await.unwrap();
    assert!(r.status().is_redirection(), "no session after a failed login: {}", r.status());

    // Unknown user: the same answer (no user enumeration).
    let (status, body) = post_login(&other, &app.base, "nobody", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(text_of(&body).contains("用户名或密码错误"));

    // An open redirect is not followed: `next` must be a local path.
    let (status, _) = {
        let c = app.anon();
        let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let token = input_value(&page, "csrf_token").unwrap();
        let r = c
            .post(app.url("/login"))
            .form(&[("username", "secretary3"), ("password", PASSWORD), ("csrf_token", token.as_str()), ("next", "//evil.example/")])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "next=//evil.example/ must not be followed");
        (r.status(), ())
    };
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Logging out ends the session.
    let s = app.login("secretary4").await;
    let (status, _) = s.post_form("/logout", &[]).await;
    assert!(status.is_redirection(), "logout: {status}");
    let (status, _) = s.get("/").await;
    assert!(status.is_redirection(), "after logout / redirects to the login page: {status}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    let c = app.anon();
    for i in 1..=5 {
        let (status, body) = post_login(&c, &app.base, "secretary1", &format!("Wrong@{i}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "failure {i}:\n{body}");
    }
    // The 6th attempt, with the right password, is refused with 429 and says the account is locked.
    let (status, body) = post_login(&c, &app.base, "secretary1", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "6th attempt with the right password:\n{body}");
    assert!(text_of(&body).contains("锁定"), "lock-out message names the lock:\n{body}");
    let r = c.get(app.url("/")).send().await.unwrap();
    assert!(r.status().is_redirection(), "no session while locked: {}", r.status());
    // A fresh client does not get round it either.
    assert!(app.try_login("secretary1", PASSWORD).await.is_err(), "the lock is on the account, not the client");
    // Other accounts are not affected.
    app.login("secretary2").await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_success_before_the_fifth_failure_resets_the_count() {
    let app = TestApp::spawn().await;
    let c = app.anon();
    for _ in 0..4 {
        let (status, _) = post_login(&c, &app.base, "secretary3", "Wrong@2022").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    app.login("secretary3").await;
    for _ in 0..4 {
        let (status, _) = post_login(&c, &app.base, "secretary3", "Wrong@2022").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "failures after a success count afresh");
    }
    app.login("secretary3").await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_without_the_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let branch = secretary_org(&app.store, "secretary1").await;
    let member = members_of(&app.store, Some(&branch)).await.remove(0).member;
    let s = app.login("secretary1").await;
    let other = app.login("secretary1").await;
    let mut fields = member_edit_form(&s, &member.id).await;
    let before = fingerprint(&app.store).await;

    // The login form itself: without the pre-login token it is refused.
    let c = app.anon();
    let r = c
        .post(app.url("/login"))
        .form(&[("username", "secretary1"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "login without the login CSRF token");
    let r = c.get(app.url("/")).send().await.unwrap();
    assert!(r.status().is_redirection(), "no session from a login without token");

    // A member edit without the token, and with a wrong one.
    set_field(&mut fields, "name", "改名测试");
    let fields = without_field(&fields, "csrf_token");
    let path = format!("/members/{}", member.id);
    let (status, body) = s.post_form_raw(&path, &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "POST {path} without csrf_token:\n{body}");
    assert!(text_of(&body).contains("CSRF") || text_of(&body).contains("页面已过期"), "CSRF message:\n{body}");
    let mut wrong = fields.clone();
    let last = if s.csrf.ends_with('x') { 'y' } else { 'x' };
    let bad = format!("{}{last}", &s.csrf[..s.csrf.len() - 1]);
    wrong.push(("csrf_token".into(), bad));
    let (status, _) = s.post_form_raw(&path, &wrong).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "POST {path} with a wrong csrf_token");
    // Another session's token is not this session's token.
    assert_ne!(other.csrf, s.csrf, "each session has its own CSRF token");
    let mut foreign = fields.clone();
    foreign.push(("csrf_token".into(), other.csrf.clone()));
    let (status, _) = s.post_form_raw(&path, &foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "POST {path} with another session's token");

    // Import without the token.
    let file = crate::xlsx::roster(&crate::xlsx::people(2, &branch.name, 11));
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(file).file_name("roster.xlsx").mime_str(XLSX_MIME).unwrap(),
    );
    let r = s.http.post(s.url("/members/import")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "import without csrf_token");

    // Logout without the token keeps the session.
    let (status, _) = s.post_form_raw("/logout", &Vec::<(String, String)>::new()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "logout without csrf_token");
    let (status, _) = s.get("/").await;
    assert_eq!(status, StatusCode::OK, "session still valid after a refused logout");

    // The API with the session cookie but no X-CSRF-Token header.
    let r = s
        .http
        .put(s.url(&format!("/api/v1/members/{}", member.id)))
        .json(&serde_json::json!({"name": "改名测试"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "API write with a session cookie and no X-CSRF-Token");

    assert_eq!(fingerprint(&app.store).await, before, "refused POSTs wrote nothing (members, audit log): {:#?}", recent_audit(&app.store, 3).await);
    assert_eq!(member_by_id(&app.store, &member.id).await, member, "member unchanged");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_ends() {
    // An idle timeout of 0 minutes: any pause ends the session.
    let cfg = dangwu_web::WebConfig { session_idle_minutes: 0, ..Default::default() };
    let app = TestApp::spawn_with(cfg).await;
    let c = app.anon();
    let (status, _) = post_login(&c, &app.base, "secretary5", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let r = c.get(app.url("/")).send().await.unwrap();
    assert!(r.status().is_redirection(), "an idle session is ended: {}", r.status());
    assert!(location(&r).starts_with("/login"));
    // With the default (30 minutes) the same pause keeps the session.
    let app = TestApp::spawn().await;
    let s = app.login("secretary5").await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(s.get("/").await.0, StatusCode::OK);
}
