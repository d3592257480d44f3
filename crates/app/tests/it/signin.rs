//! Optional QR sign-in: the secretary's code page, a member's confirmation, and the refusals
//! (stale code, someone who cannot manage the sitting asking for its code).

use reqwest::StatusCode;
use serde_json::json;

use crate::compliance::api_post_activity;
use crate::harness::*;
use crate::scoping::api_get;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_scans_the_code_and_is_marked_present() {
    let app = TestApp::spawn().await;
    let token = app.token("secretary1").await;
    let org = secretary_org(&app.store, "secretary1").await;
    let me = dangwu_store::users::by_username(&app.store, "member1").await.unwrap().unwrap().member_id.unwrap();
    let roster = dangwu_store::activities::roster(&app.store, &org.id).await.unwrap();
    let attendees: Vec<_> = roster
        .iter()
        .map(|(id, _)| {
            if id.to_string() == me {
                json!({"member_id": id.to_string(), "attendance": "absent", "reason": "未到"})
            } else {
                json!({"member_id": id.to_string(), "attendance": "present"})
            }
        })
        .collect();
    let today = chrono::Local::now().date_naive().to_string();
    let body = json!({"org_id": org.id, "kinds": ["theme_day"], "title": "主题党日", "held_on": today, "topics": "学习", "attendees": attendees});
    let (status, created) = api_post_activity(&app, &token, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();

    let sec = app.login("secretary1").await;
    let (status, page) = sec.get(&format!("/activities/{id}/qr")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<svg"), "the page shows the QR code");
    let start = page.find("<code>").expect("the sign-in path is printed") + 6;
    let link = unescape(&page[start..start + page[start..].find("</code>").unwrap()]);
    assert!(link.starts_with(&format!("/activities/{id}/sign-in?t=")), "{link}");
    let t = link.split("t=").nth(1).unwrap().to_owned();

    // Another branch's secretary gets no code for this sitting.
    let other = app.login("secretary2").await;
    let (status, _) = other.get(&format!("/activities/{id}/qr")).await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN, "{status}");

    // member1 logs in from the scanned link and confirms.
    let http = client();
    let (status, _) = post_login(&http, &app.base, "member1", "Demo@2022").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = http.get(app.url(&link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("确认签到"), "{page}");
    let csrf = meta_csrf(&page).unwrap();
    let sent = |t: String| {
        let (http, url, csrf) = (http.clone(), app.url(&format!("/activities/{id}/sign-in")), csrf.clone());
        async move { http.post(url).form(&[("csrf_token", csrf.as_str()), ("t", t.as_str())]).send().await.unwrap() }
    };
    let stale = sent("0".repeat(t.len())).await;
    assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY, "a wrong code is refused");
    assert!(stale.text().await.unwrap().contains("签到码已过期"));
    let still_absent = api_get(&app, &token, &format!("/api/v1/activities/{id}")).await;
    let mine = |v: &serde_json::Value| v["attendance"].as_array().unwrap().iter().find(|a| a["member_id"] == me.as_str()).cloned().unwrap();
    assert_eq!(mine(&still_absent)["attendance"], "absent");

    let ok = sent(t).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let after = api_get(&app, &token, &format!("/api/v1/activities/{id}")).await;
    assert_eq!(mine(&after)["attendance"], "present", "{after}");
    assert_eq!(after["present_count"].as_i64().unwrap() as usize, roster.len(), "{after}");
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}{err}");
}
