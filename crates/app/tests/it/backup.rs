//! Backup and restore: `dangwu backup` while the server runs, `dangwu restore` back to the same
//! records with an intact audit chain (SQLite); pg_dump / pg_restore as documented (PostgreSQL).
//! Audit retention: `dangwu audit purge` refuses young entries and leaves a verifiable chain.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::*;

/// Counts that a restore must bring back exactly.
async fn records(store: &dangwu_store::Store) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for t in ["orgs", "members", "activities", "activity_attendance", "dues_verifications", "dues_payments", "users", "audit_log"] {
        let n: i64 = store.db.read().scalar(&format!("SELECT COUNT(*) FROM {t}"), vec![]).await.unwrap();
        out.push((t, n));
    }
    out
}

async fn add_activity(app: &TestApp, token: &str, title: &str) -> String {
    let b0 = secretary_org(&app.store, "secretary1").await;
    let r = client()
        .post(app.url("/api/v1/activities"))
        .bearer_auth(token)
        .json(&json!({"org_id": b0.id, "kinds": ["general_meeting"], "title": title, "held_on": "2022-03-20", "topics": "学习传达会议精神"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_to_the_same_records_and_a_valid_chain() {
    let app = TestApp::spawn().await;
    let t = app.token("admin").await;
    let kept = add_activity(&app, &t, "备份前的记录").await;
    let file = app.db.dir.path().join("backup").join("dangwu-backup.db");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    if app.db.is_pg() {
        // PostgreSQL: the binary points to pg_dump / pg_restore, which the README documents.
        let (code, _, err) = app.cli(&["backup", file.to_str().unwrap()]).await;
        assert_eq!(code, 1);
        assert!(err.contains("pg_dump"), "{err}");
        let (code, _, err) = app.cli(&["restore", file.to_str().unwrap()]).await;
        assert_eq!(code, 1);
        assert!(err.contains("pg_restore"), "{err}");
        assert!(err.contains("vacuumdb --analyze-only"), "after pg_restore the planner needs fresh statistics: {err}");
        pg_round_trip(&app).await;
        return;
    }
    // Online: the server keeps running while the copy is made.
    let (code, out, err) = app.cli(&["backup", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "backup: {out}{err}");
    let at_backup = records(&app.store).await;
    let lost = add_activity(&app, &t, "备份后的记录").await;

    // Refused while a database is there, unless forced.
    let (code, _, err) = app.cli(&["restore", file.to_str().unwrap()]).await;
    assert_ne!(code, 0);
    assert!(err.contains("--force"), "{err}");
    assert!(activity_exists(&app.store, &lost).await, "a refused restore leaves the database as it was");

    // Restore into another data directory (a replacement machine), with the same key file.
    let dir = tempfile::Builder::new().prefix("dangwu-restore-").tempdir().unwrap();
    std::fs::copy(app.db.dir.path().join("dangwu.key"), dir.path().join("dangwu.key")).unwrap();
    let cli = |args: &[&str]| {
        let mut all = vec!["--data".to_owned(), dir.path().display().to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        async move { run_binary(&all).await }
    };
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes to restore from").unwrap();
    let (code, _, err) = cli(&["restore", junk.to_str().unwrap()]).await;
    assert_ne!(code, 0, "a junk file is refused: {err}");
    assert!(!dir.path().join("dangwu.db").exists(), "nothing is put in place from a junk file");

    let (code, out, err) = cli(&["restore", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "restore: {out}{err}");
    assert!(out.contains("审计日志完整"), "{out}");
    let (code, out, err) = cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let store = dangwu_store::Store::new(
        dangwu_store::Db::open_sqlite(dir.path()).await.unwrap(),
        app.db.keys(),
        dangwu_domain::org_catalogue::OrgCatalogue::shipped(),
    );
    assert_eq!(records(&store).await, at_backup, "the restored database holds exactly the backed-up records");
    assert!(activity_exists(&store, &kept).await, "a record from before the backup is there");
    assert!(!activity_exists(&store, &lost).await, "a record from after the backup is not");
    assert!(dangwu_store::integrity::check(&store.db).await.unwrap().is_empty());
    let (members,): (i64,) = store.db.read().opt("SELECT COUNT(*) FROM members", vec![]).await.unwrap().unwrap();
    assert!(members > 100, "the demo roster came back");
    store.db.close().await;

    // Restoring over a database keeps the one it replaces.
    let (code, out, err) = cli(&["restore", "--force", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{out}{err}");
    let set_aside =
        std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().starts_with("dangwu.db.before-restore-"));
    assert!(set_aside, "the replaced database is kept");
    app.shutdown().await;
}

async fn activity_exists(store: &dangwu_store::Store, id: &str) -> bool {
    let n: i64 = store.db.read().scalar("SELECT COUNT(*) FROM activities WHERE id = $1", dangwu_store::args![id]).await.unwrap();
    n == 1
}

/// pg_dump of the test database, pg_restore into a new one, same records and a valid chain.
async fn pg_round_trip(app: &TestApp) {
    let url = app.db.url.clone().unwrap();
    if Command::new("pg_dump").arg("--version").output().is_err() {
        eprintln!("pg_dump not installed: PostgreSQL round trip not run");
        return;
    }
    let dump = app.db.dir.path().join("dangwu.dump");
    let out = Command::new("pg_dump").args(["-Fc", "-f", dump.to_str().unwrap(), &url]).output().unwrap();
    assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
    let target = TestDb::new().await;
    let target_url = target.url.clone().unwrap();
    let out = Command::new("pg_restore").args(["--no-owner", "-d", &target_url, dump.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "pg_restore: {}", String::from_utf8_lossy(&out.stderr));
    // The step the restore message prints next: it runs against the restored database.
    let out = Command::new("vacuumdb").args(["--analyze-only", "-d", &target_url]).output().unwrap();
    assert!(out.status.success(), "vacuumdb: {}", String::from_utf8_lossy(&out.stderr));
    let restored = target.store().await;
    assert_eq!(records(&restored).await, records(&app.store).await, "pg_restore brings back the same records");
    restored.db.close().await;
    let (code, out, err) = target.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_purge_keeps_the_retention_period_and_a_verifiable_chain() {
    let app = TestApp::spawn().await;
    // Age the first 100 entries by a year, re-sealing the chain as if they had been written then.
    age_entries(&app.store, 100, 366).await;
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "re-sealed chain verifies: {out}{err}");
    let total = audit_len(&app.store).await;

    // Too young: refused, nothing removed.
    let recent = (dangwu::today() - chrono::Duration::days(30)).to_string();
    let (code, _, err) = app.cli(&["audit", "purge", "--before", &recent]).await;
    assert_ne!(code, 0);
    assert!(err.contains("至少保留183天"), "{err}");
    assert_eq!(audit_len(&app.store).await, total);
    // A configured retention shorter than six months is refused too.
    std::fs::write(app.db.dir.path().join("dangwu.toml"), "[audit]\nretention_days = 30\n").unwrap();
    let (code, _, err) = app.cli(&["audit", "purge", "--before", &recent]).await;
    assert_ne!(code, 0);
    assert!(err.contains("六个月"), "{err}");
    std::fs::remove_file(app.db.dir.path().join("dangwu.toml")).unwrap();

    let cutoff = (dangwu::today() - chrono::Duration::days(200)).to_string();
    let (code, out, _) = app.cli(&["audit", "purge", "--before", &cutoff, "--dry-run"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("将清除100条"), "{out}");
    assert_eq!(audit_len(&app.store).await, total);
    let (code, out, err) = app.cli(&["audit", "purge", "--before", &cutoff]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("已清除100条"), "{out}");
    assert_eq!(audit_len(&app.store).await, total - 100 + 1, "100 removed, the purge itself recorded");
    let (code, out, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "the chain verifies from the anchor: {out}{err}");

    // A forged anchor (someone deletes more and inserts a checkpoint by hand) is caught.
    let (seq, hash, at): (i64, String, i64) =
        app.store.db.read().opt("SELECT seq, hash, at FROM audit_log WHERE seq = 150", vec![]).await.unwrap().unwrap();
    let mut tx = app.store.db.begin().await.unwrap();
    tx.exec("DELETE FROM audit_log WHERE seq <= 150", vec![]).await.unwrap();
    tx.exec(
        "INSERT INTO audit_checkpoints (through_seq, through_hash, through_at, purged_entries, purged_at, purged_by) VALUES ($1, $2, $3, 50, $3, 'x')",
        dangwu_store::args![seq, hash, at],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (code, _, err) = app.cli(&["audit", "verify"]).await;
    assert_eq!(code, 2, "a forged anchor fails verification: {err}");
    assert!(err.contains("清除锚点"), "{err}");
    app.shutdown().await;
}

/// Moves the first `n` entries `days` into the past and recomputes the whole chain.
async fn age_entries(store: &dangwu_store::Store, n: i64, days: i64) {
    use dangwu_domain::audit::{GENESIS_HASH, StoredEntry};
    let shift = days * 86_400_000;
    let rows: Vec<dangwu_store::audit::LogRow> = store.db.read().all("SELECT * FROM audit_log ORDER BY seq", vec![]).await.unwrap();
    let mut tx = store.db.begin().await.unwrap();
    let mut prev = GENESIS_HASH.to_owned();
    for r in rows {
        let mut e = StoredEntry::from(r).entry;
        if e.seq <= n {
            e.at_ms -= shift;
        }
        let sealed = StoredEntry::seal(e, &prev);
        tx.exec(
            "UPDATE audit_log SET at = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
            dangwu_store::args![sealed.entry.at_ms, sealed.prev_hash.clone(), sealed.hash.clone(), sealed.entry.seq],
        )
        .await
        .unwrap();
        prev = sealed.hash;
    }
    let last: i64 = tx.scalar("SELECT MAX(seq) FROM audit_log", vec![]).await.unwrap();
    tx.exec("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", dangwu_store::args![last, prev]).await.unwrap();
    tx.commit().await.unwrap();
}
