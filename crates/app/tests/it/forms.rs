//! Bad input through the member pages: a Chinese message naming the field, nothing written;
//! registering into an org outside the secretary's scope is refused; viewing a full ID number
//! is audited and scoped.

use reqwest::StatusCode;

use crate::harness::*;
use crate::xlsx::people;

/// The registration form (/members/new → POST /members) filled in for a synthetic person.
async fn registration(s: &Session, p: &crate::xlsx::Person, org_id: &str) -> Vec<(String, String)> {
    let (status, html) = s.get("/members/new").await;
    assert_eq!(status, StatusCode::OK, "GET /members/new");
    let mut f = scrape_form(&html, "/members").expect("<form method=post action=\"/members\"> on /members/new");
    let c = p.cells();
    for (k, v) in [
        ("name", &c[0]),
        ("gender", &if c[1] == "男" { "male".to_owned() } else { "female".to_owned() }),
        ("ethnicity", &c[2]),
        ("birth_date", &c[3]),
        ("id_card_no", &c[4]),
        ("education", &c[5]),
        ("phone", &c[6]),
        ("joined_on", &c[7]),
        ("full_on", &c[8]),
        ("status", &if p.probationary { "probationary".to_owned() } else { "full".to_owned() }),
        ("dues_category", &"in_service".to_owned()),
        ("work_unit", &c[11]),
        ("post", &c[12]),
        ("org_id", &org_id.to_owned()),
    ] {
        set_field(&mut f, k, v);
    }
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_through_the_page_is_scoped_and_validated() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let s1 = app.login("secretary1").await;
    let ps = people(4, &b[0].name, 40);

    // The org select offers only secretary1's branch.
    let (_, html) = s1.get("/members/new").await;
    assert!(html.contains(&b[0].id), "the form offers 机关党支部");
    assert!(!html.contains(&b[1].id), "the form does not offer {}", b[1].name);

    let before = fingerprint(&app.store).await;
    // Posting another branch's id anyway.
    let f = registration(&s1, &ps[0], &b[1].id).await;
    let (status, html) = s1.post_form_raw("/members", &f).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::UNPROCESSABLE_ENTITY, "register into {}: {status}", b[1].name);
    assert!(text_of(&html).contains("党组织"), "the refusal names the organisation:\n{}", text_of(&html));
    assert_eq!(fingerprint(&app.store).await, before, "nothing written");

    // An invalid ID number: 422, the field named, the typed values kept.
    let mut f = registration(&s1, &ps[1], &b[0].id).await;
    set_field(&mut f, "id_card_no", &bad_check(&ps[1].id));
    let (status, html) = s1.post_form_raw("/members", &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "invalid ID number");
    assert!(text_of(&html).contains("身份证号") && text_of(&html).contains("校验"), "message names 身份证号:\n{}", text_of(&html));
    assert!(html.contains(&ps[1].name), "the form keeps what was typed");
    // Missing name and joining date.
    let mut f = registration(&s1, &ps[2], &b[0].id).await;
    set_field(&mut f, "name", "");
    set_field(&mut f, "joined_on", "");
    let (status, html) = s1.post_form_raw("/members", &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "missing fields");
    let t = text_of(&html);
    assert!(t.contains("姓名不能为空") && t.contains("入党日期不能为空"), "every missing field is named:\n{t}");
    // A duplicate ID number.
    let existing = members_of(&app.store, Some(&b[0])).await.remove(0).member;
    let mut f = registration(&s1, &ps[3], &b[0].id).await;
    let dup = app.store.keys.decrypt(&existing.id_card_enc).unwrap();
    set_field(&mut f, "id_card_no", &dup);
    set_field(&mut f, "birth_date", &existing.birth_date.to_string());
    set_field(&mut f, "gender", &existing.gender);
    set_field(&mut f, "joined_on", &existing.joined_on.to_string());
    set_field(&mut f, "full_on", &existing.full_on.map(|d| d.to_string()).unwrap_or_default());
    set_field(&mut f, "status", &existing.status);
    let (status, html) = s1.post_form_raw("/members", &f).await;
    assert_eq!(status, StatusCode::CONFLICT, "duplicate ID number:\n{}", text_of(&html));
    assert!(text_of(&html).contains("身份证号"), "message names 身份证号");
    assert_eq!(fingerprint(&app.store).await, before, "refused registrations wrote nothing");

    // A good registration in their own branch.
    let f = registration(&s1, &ps[0], &b[0].id).await;
    let (status, html) = s1.post_form_raw("/members", &f).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "register into own branch:\n{}", text_of(&html));
    assert_eq!(member_count(&app.store).await, before.0 + 1);
    assert!(members_of(&app.store, Some(&b[0])).await.iter().any(|m| m.member.name == ps[0].name));
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_edit_names_the_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let m = members_of(&app.store, Some(&b[3])).await.remove(2).member;
    let s = app.login("secretary4").await;
    let form = member_edit_form(&s, &m.id).await;
    let before = fingerprint(&app.store).await;
    let path = format!("/members/{}", m.id);
    for (field, value, says) in [
        ("id_card_no", "37060219800101001", "身份证号"),
        ("name", "", "姓名"),
        ("phone", "12345", "联系电话"),
        ("joined_on", "2099-01-01", "入党日期"),
        ("ethnicity", "火星族", "民族"),
    ] {
        let mut f = form.clone();
        set_field(&mut f, field, value);
        let (status, html) = s.post_form_raw(&path, &f).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field} = {value:?}: {status}");
        assert!(text_of(&html).contains(says), "{field} = {value:?}: the message names {says}:\n{}", text_of(&html));
        assert_eq!(member_by_id(&app.store, &m.id).await, m, "{field}: member unchanged");
    }
    assert_eq!(fingerprint(&app.store).await, before, "nothing written or logged");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewing_a_full_id_number_is_audited_and_scoped() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let own = members_of(&app.store, Some(&b[0])).await.remove(1).member;
    let other = members_of(&app.store, Some(&b[1])).await.remove(1).member;
    let s1 = app.login("secretary1").await;
    let full = app.store.keys.decrypt(&own.id_card_enc).unwrap();

    let (status, html) = s1.get(&format!("/members/{}", own.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&own.id_card_masked), "the record page shows the masked number");
    assert!(!html.contains(&full), "the record page does not show the full number unasked");

    let before = audit_len(&app.store).await;
    let (status, html) = s1.post_form(&format!("/members/{}/id-card", own.id), &[]).await;
    assert_eq!(status, StatusCode::OK, "reveal the full number");
    assert!(html.contains(&full), "the full number is shown on request");
    assert_eq!(audit_len(&app.store).await, before + 1, "the view is audited");
    let last = &dangwu_store::audit::recent(&app.store.db, None, 1).await.unwrap()[0];
    assert_eq!((last.actor.as_str(), last.entity_id.as_str()), ("secretary1", own.id.as_str()));

    let (status, html) = s1.post_form(&format!("/members/{}/id-card", other.id), &[]).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "reveal another branch's number: {status}");
    assert!(!html.contains(&app.store.keys.decrypt(&other.id_card_enc).unwrap()));
    assert_eq!(audit_len(&app.store).await, before + 1, "a refused view is not a view");
    app.shutdown().await;
}
