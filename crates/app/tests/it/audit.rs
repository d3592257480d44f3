//! The SM3 audit chain: `dangwu audit verify` passes on the demo bureau and names the first bad
//! entry after the log is edited directly in the database.

use dangwu_store::Db;

use crate::harness::*;

/// Runs one statement straight on the database, bypassing the application.
pub async fn tamper(db: &Db, sql: &str) -> u64 {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.expect("tamper (SQLite)").rows_affected(),
        Db::Pg(p) => sqlx::query(sql).execute(p).await.expect("tamper (PostgreSQL)").rows_affected(),
    }
}

async fn last_seq(app: &TestApp) -> i64 {
    app.store.db.read().scalar("SELECT MAX(seq) FROM audit_log", vec![]).await.unwrap()
}

fn says_entry(out: &str, seq: i64) -> bool {
    out.contains(&format!("第 {seq} 条")) || out.contains(&format!("第{seq}条")) || out.contains(&format!("#{seq}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_passes_on_the_demo_and_fails_after_an_entry_is_edited() {
    let app = TestApp::spawn().await;
    // Some writes through the application first, so the chain holds more than the demo.
    let s = app.login("secretary2").await;
    let branch = secretary_org(&app.store, "secretary2").await;
    let m = members_of(&app.store, Some(&branch)).await.remove(0).member;
    let mut form = member_edit_form(&s, &m.id).await;
    set_field(&mut form, "name", &format!("{}审", m.name));
    let (status, _) = s.post_form_raw(&format!("/members/{}", m.id), &form).await;
    assert!(status.is_redirection() || status.is_success(), "edit through the page: {status}");

    let entries = audit_len(&app.store).await;
    assert!(entries >= 5, "the demo writes to the audit log ({entries} entries)");
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify on an untouched chain:\n{out}\n{err}");
    assert!(out.contains(&entries.to_string()), "verify reports the number of entries ({entries}):\n{out}");

    assert_eq!(tamper(&app.store.db, "UPDATE audit_log SET actor = 'x' WHERE seq = 5").await, 1);
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_ne!(code, 0, "audit verify after editing entry 5 must fail:\n{out}\n{err}");
    assert!(says_entry(&(out.clone() + &err), 5), "the failure names entry 5:\n{out}\n{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_fails_after_the_last_entry_is_deleted() {
    let app = TestApp::spawn().await;
    let last = last_seq(&app).await;
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(tamper(&app.store.db, &format!("DELETE FROM audit_log WHERE seq = {last}")).await, 1);
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_ne!(code, 0, "audit verify after deleting the last entry must fail:\n{out}\n{err}");
    assert!(says_entry(&(out.clone() + &err), last), "the failure names entry {last}:\n{out}\n{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_fails_after_a_middle_entry_is_deleted_or_a_digest_rewritten() {
    let app = TestApp::spawn().await;
    let last = last_seq(&app).await;
    assert!(last >= 8);
    let mid = last / 2;
    tamper(&app.store.db, &format!("DELETE FROM audit_log WHERE seq = {mid}")).await;
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_ne!(code, 0, "deleting entry {mid}:\n{out}\n{err}");
    assert!(says_entry(&(out.clone() + &err), mid), "names entry {mid}:\n{out}\n{err}");

    let app = TestApp::spawn().await;
    // Rewriting an entry's content *and* its hash still breaks the link to the next entry.
    tamper(&app.store.db, "UPDATE audit_log SET detail = 'x', hash = prev_hash WHERE seq = 3").await;
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_ne!(code, 0, "rewriting entry 3 with a new hash:\n{out}\n{err}");
    assert!(says_entry(&(out.clone() + &err), 3), "names entry 3:\n{out}\n{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_writes_are_logged_with_the_user_as_actor() {
    let app = TestApp::spawn().await;
    // Writes through the API land in the log with the user's name as actor.
    let branch = secretary_org(&app.store, "secretary1").await;
    let m = members_of(&app.store, Some(&branch)).await.remove(0).member;
    let t = app.token("secretary1").await;
    let mut body = crate::scoping::member_json(&app, &m);
    body["post"] = serde_json::json!("审计测试岗");
    let r = client().put(app.url(&format!("/api/v1/members/{}", m.id))).bearer_auth(&t).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let rows = dangwu_store::audit::recent(&app.store.db, Some(("member", &m.id)), 5).await.unwrap();
    let last = rows.first().expect("an audit entry for the member");
    assert_eq!(last.actor, "secretary1");
    assert_eq!(last.action, "member.update");
    assert_ne!(last.before_digest, last.after_digest);
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    app.shutdown().await;
}
