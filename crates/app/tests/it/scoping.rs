//! Every read and write is scoped: a branch secretary sees and changes only their branch,
//! through the pages and through the API alike; the admin sees the whole bureau.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;

fn refused(s: StatusCode) -> bool {
    s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_cannot_read_or_change_another_branchs_member_through_the_pages() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let own = members_of(&app.store, Some(&b[0])).await.remove(0).member;
    let other = members_of(&app.store, Some(&b[1])).await.remove(0).member;

    // The form a legitimate editor (the admin) would post for the other branch's member.
    let admin = app.login("admin").await;
    let mut stolen = member_edit_form(&admin, &other.id).await;
    set_field(&mut stolen, "name", "越权修改");

    let s1 = app.login("secretary1").await;
    let before = fingerprint(&app.store).await;
    let (status, body) = s1.get(&format!("/members/{}", other.id)).await;
    assert!(refused(status), "secretary1 GET another branch's member: {status}");
    assert!(!body.contains(&other.name), "the refusal does not show the member's name");
    let (status, _) = s1.get(&format!("/members/{}/edit", other.id)).await;
    assert!(refused(status), "secretary1 GET another branch's edit page: {status}");

    let stolen = without_field(&stolen, "csrf_token");
    let mut with_token = stolen.clone();
    with_token.push(("csrf_token".into(), s1.csrf.clone()));
    let (status, body) = s1.post_form_raw(&format!("/members/{}", other.id), &with_token).await;
    assert!(refused(status), "secretary1 POST another branch's member: {status}\n{}", text_of(&body));
    assert_eq!(member_by_id(&app.store, &other.id).await, other, "other branch's member unchanged");
    assert_eq!(fingerprint(&app.store).await, before, "nothing written, nothing logged");

    // Nor the other branch itself.
    let (status, _) = s1.get(&format!("/orgs/{}", b[1].id)).await;
    assert!(refused(status), "secretary1 GET another branch's page: {status}");
    let (status, _) = s1.get(&format!("/orgs/{}", b[0].id)).await;
    assert_eq!(status, StatusCode::OK, "secretary1 GET own branch page");
    let (status, orgs) = s1.get("/orgs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(orgs.contains(&format!("/orgs/{}", b[0].id)) && !orgs.contains(&format!("/orgs/{}", b[1].id)), "the org tree shows own branch only");
    let (status, _) = s1.get(&format!("/members?org={}", b[1].id)).await;
    assert!(refused(status) || status == StatusCode::OK, "roster filtered by another branch: {status}");
    let (_, filtered) = s1.get(&format!("/members?org={}", b[1].id)).await;
    assert!(!filtered.contains(&format!("/members/{}", other.id)), "a roster filter cannot widen the scope");

    // The roster does not list other branches' members.
    let (status, roster) = s1.get("/members").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!roster.contains(&format!("/members/{}", other.id)), "secretary1's roster lists {} of {}", other.name, b[1].name);
    for m in members_of(&app.store, Some(&b[1])).await.iter().take(20) {
        assert!(!roster.contains(&format!("/members/{}", m.member.id)), "secretary1's roster lists {} of {}", m.member.name, b[1].name);
    }
    assert!(roster.contains(&format!("/members/{}", own.id)), "secretary1's roster lists their own branch");

    // Their own branch works.
    let (status, body) = s1.get(&format!("/members/{}", own.id)).await;
    assert_eq!(status, StatusCode::OK, "secretary1 GET own branch member");
    assert!(body.contains(&own.name));
    let mut form = member_edit_form(&s1, &own.id).await;
    let new_name = format!("{}改", own.name);
    set_field(&mut form, "name", &new_name);
    let (status, body) = s1.post_form_raw(&format!("/members/{}", own.id), &form).await;
    assert!(status == StatusCode::SEE_OTHER || status == StatusCode::OK, "own edit: {status}\n{}", text_of(&body));
    let after = member_by_id(&app.store, &own.id).await;
    assert_eq!(after.name, new_name, "own branch edit saved");
    assert_eq!(after.id_card_index, own.id_card_index, "the edit kept the ID number");
    assert_eq!(after.status, own.status);
    assert_eq!(after.org_id, own.org_id);
    assert_eq!(audit_len(&app.store).await, before.1 + 1, "the edit is in the audit log");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_sees_all_179_and_a_secretary_only_their_branch() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    assert_eq!(member_count(&app.store).await, 179, "the demo bureau has 179 members");

    let admin = app.login("admin").await;
    let (status, roster) = admin.get("/members").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&roster).contains("179"), "the admin's roster reports 179 members");

    let ta = app.token("admin").await;
    let list = api_get(&app, &ta, "/api/v1/members").await;
    assert_eq!(list["total"], 179, "API: admin sees 179 members");

    for (i, branch) in b.iter().enumerate() {
        let user = format!("secretary{}", i + 1);
        let t = app.token(&user).await;
        let own = members_of(&app.store, Some(branch)).await;
        let list = api_get(&app, &t, "/api/v1/members?per_page=500").await;
        assert_eq!(list["total"].as_i64(), Some(own.len() as i64), "{user} sees exactly {}'s members", branch.name);
        for item in list["items"].as_array().expect("items") {
            assert_eq!(item["org_id"], branch.id.as_str(), "{user} sees only their branch");
        }
    }
    app.shutdown().await;
}

/// The roster total is kept between pages (`store::roster_counts`): it must still follow every
/// change, including one made outside the server (another process, straight SQL).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roster_total_follows_new_members_status_changes_and_moves_made_anywhere() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let ta = app.token("admin").await;
    let t1 = app.token("secretary1").await;
    let t2 = app.token("secretary2").await;
    let total = |t: &str| {
        let (app, t) = (&app, t.to_owned());
        async move { api_get(app, &t, "/api/v1/members?per_page=1").await["total"].as_i64().unwrap() }
    };
    let (all0, one0, two0) = (total(&ta).await, total(&t1).await, total(&t2).await);
    assert_eq!(all0, 179);

    let p = &crate::xlsx::people(1, &b[0].name, 33)[0];
    let r = client().post(app.url("/api/v1/members")).bearer_auth(&t1).json(&new_member_json(p, &b[0].id)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!((total(&ta).await, total(&t1).await, total(&t2).await), (all0 + 1, one0 + 1, two0), "a new member counts at once");

    let moved = members_of(&app.store, Some(&b[0])).await.remove(0).member;
    crate::audit::tamper(&app.store.db, &format!("UPDATE members SET org_id = '{}' WHERE id = '{}'", b[1].id, moved.id)).await;
    assert_eq!((total(&ta).await, total(&t1).await, total(&t2).await), (all0 + 1, one0, two0 + 1), "a move outside the server counts");

    crate::audit::tamper(&app.store.db, &format!("UPDATE members SET status = 'expelled' WHERE id = '{}'", moved.id)).await;
    assert_eq!((total(&ta).await, total(&t2).await), (all0, two0), "a member leaving the roster counts");
    let all = api_get(&app, &ta, "/api/v1/members?per_page=1&status=all").await["total"].as_i64().unwrap();
    assert_eq!(all, all0 + 1, "…and is still counted among all statuses");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_search_by_name_finds_the_member_within_scope_only() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let all = members_of(&app.store, None).await;
    let unique = |m: &&dangwu_store::members::MemberRow| {
        all.iter().filter(|o| o.member.name.contains(&m.member.name) || m.member.name.contains(&o.member.name)).count() == 1
    };
    let own = members_of(&app.store, Some(&b[0])).await;
    let target = own.iter().rev().find(unique).expect("a uniquely named member in 机关党支部").member.clone();
    let others = members_of(&app.store, Some(&b[2])).await;
    let stranger = others.iter().find(unique).expect("a uniquely named member elsewhere").member.clone();

    let s1 = app.login("secretary1").await;
    let (status, page) = s1.get(&format!("/members?q={}", urlencode(&target.name))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&target.name), "search finds {}", target.name);
    assert!(page.contains(&format!("/members/{}", target.id)), "the result links to the member");
    for m in own.iter().filter(|m| m.member.id != target.id).take(30) {
        assert!(!page.contains(&format!("/members/{}", m.member.id)), "search for {} also lists {}", target.name, m.member.name);
    }
    let (status, page) = s1.get(&format!("/members?q={}", urlencode(&stranger.name))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(&format!("/members/{}", stranger.id)), "secretary1's search does not find {} of another branch", stranger.name);

    let admin = app.login("admin").await;
    let (_, page) = admin.get(&format!("/members?q={}", urlencode(&stranger.name))).await;
    assert!(page.contains(&format!("/members/{}", stranger.id)), "the admin's search finds {}", stranger.name);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_cannot_read_or_change_another_branchs_member_through_the_api() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let own = members_of(&app.store, Some(&b[0])).await.remove(0).member;
    let other = members_of(&app.store, Some(&b[1])).await.remove(0).member;
    let t1 = app.token("secretary1").await;
    let http = client();
    let before = fingerprint(&app.store).await;

    let r = http.get(app.url(&format!("/api/v1/members/{}", other.id))).bearer_auth(&t1).send().await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.expect("JSON error");
    assert!(refused(status), "GET another branch's member via API: {status}");
    assert!(body["code"].is_string() && has_cjk(body["message"].as_str().unwrap_or("")), "error shape: {body}");
    assert!(!body.to_string().contains(&other.name));

    let mut changed = member_json(&app, &other);
    changed["name"] = json!("越权修改");
    let r = http.put(app.url(&format!("/api/v1/members/{}", other.id))).bearer_auth(&t1).json(&changed).send().await.unwrap();
    assert!(refused(r.status()), "PUT another branch's member via API: {}", r.status());
    let r = http.get(app.url(&format!("/api/v1/orgs/{}", b[1].id))).bearer_auth(&t1).send().await.unwrap();
    assert!(refused(r.status()), "GET another branch via API: {}", r.status());
    assert_eq!(member_by_id(&app.store, &other.id).await, other);

    // Registering a member in an org outside the secretary's scope.
    let p = &crate::xlsx::people(1, &b[1].name, 21)[0];
    let mut new_member = new_member_json(p, &b[1].id);
    let r = http.post(app.url("/api/v1/members")).bearer_auth(&t1).json(&new_member).send().await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::FORBIDDEN, "POST a member into another branch: {body}");
    let msg = body["message"].as_str().unwrap_or("");
    assert!(has_cjk(msg) && (body["field"] == "org_id" || msg.contains("党组织")), "the refusal names the organisation: {body}");
    assert_eq!(fingerprint(&app.store).await, before, "refused API calls wrote nothing");

    // Their own branch works.
    let got = api_get(&app, &t1, &format!("/api/v1/members/{}", own.id)).await;
    assert_eq!(got["name"], own.name.as_str());
    assert_eq!(got["id_card_masked"], own.id_card_masked.as_str());
    let mut changed = member_json(&app, &own);
    changed["phone"] = json!("13912345670");
    let r = http.put(app.url(&format!("/api/v1/members/{}", own.id))).bearer_auth(&t1).json(&changed).send().await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "PUT own branch member: {body}");
    assert_eq!(body["phone"], "13912345670");
    assert_eq!(member_by_id(&app.store, &own.id).await.phone.as_deref(), Some("13912345670"));
    new_member["org_id"] = json!(b[0].id);
    let r = http.post(app.url("/api/v1/members")).bearer_auth(&t1).json(&new_member).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "POST a member into their own branch");
    assert_eq!(member_count(&app.store).await, before.0 + 1);
    app.shutdown().await;
}

pub fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

pub async fn api_get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = client().get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {text}"))
}

/// A stored member as an API body (with the full ID number, which the API needs for updates).
pub fn member_json(app: &TestApp, m: &dangwu_store::members::Member) -> Value {
    let id = app.store.keys.decrypt(&m.id_card_enc).expect("decrypt the ID number");
    json!({
        "name": m.name,
        "gender": m.gender,
        "ethnicity": m.ethnicity,
        "birth_date": m.birth_date.to_string(),
        "id_card_no": id,
        "education": m.education,
        "phone": m.phone,
        "joined_on": m.joined_on.to_string(),
        "full_on": m.full_on.map(|d| d.to_string()),
        "status": m.status,
        "dues_category": m.dues_category,
        "work_unit": m.work_unit,
        "post": m.post,
        "is_party_worker": m.is_party_worker,
        "org_id": m.org_id,
    })
}

/// A new member as an API body, from a synthetic sheet person.
pub fn new_member_json(p: &crate::xlsx::Person, org_id: &str) -> Value {
    let c = p.cells();
    json!({
        "name": c[0], "gender": c[1], "ethnicity": c[2], "birth_date": c[3], "id_card_no": c[4],
        "education": c[5], "phone": c[6], "joined_on": c[7], "full_on": c[8], "status": c[9],
        "dues_category": c[10], "work_unit": c[11], "post": c[12], "is_party_worker": false, "org_id": org_id,
    })
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
