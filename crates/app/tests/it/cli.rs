//! The `dangwu` command line against the same database the server uses: JSON contracts for
//! scripts, export → import, backup.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::harness::*;

fn json_array(out: &str, what: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{what} is not JSON ({e}):\n{out}"));
    v.as_array().unwrap_or_else(|| panic!("{what} is a JSON array:\n{out}")).clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn org_and_member_list_json_contracts() {
    let app = TestApp::spawn().await;
    let (code, out, err) = app.cli(&["org", "list", "--json"]).await;
    assert_eq!(code, 0, "org list --json:\n{err}");
    let orgs = json_array(&out, "org list --json");
    let ids: HashSet<&str> = orgs.iter().map(|o| o["id"].as_str().expect("org id is a string")).collect();
    assert_eq!(ids.len(), orgs.len(), "org ids are unique");
    let catalogue = dangwu_domain::org_catalogue::OrgCatalogue::shipped();
    let mut roots = 0;
    for o in &orgs {
        for k in ["id", "parent_id", "name", "kind"] {
            assert!(o.get(k).is_some(), "org list entry has {k}: {o}");
        }
        assert!(catalogue.kind(o["kind"].as_str().unwrap()).is_some(), "kind is a glossary identifier: {o}");
        match o["parent_id"].as_str() {
            None => {
                assert!(o["parent_id"].is_null());
                roots += 1;
            }
            Some(p) => assert!(ids.contains(p), "parent {p} is in the list"),
        }
    }
    assert_eq!(roots, 1, "one tree: the 党组 at the top");
    let grassroots: Vec<&Value> =
        orgs.iter().filter(|o| catalogue.kind(o["kind"].as_str().unwrap()).is_some_and(|k| k.grassroots)).collect();
    assert_eq!(grassroots.len(), 7, "7 grassroots organisations: {:?}", grassroots.iter().map(|o| &o["name"]).collect::<Vec<_>>());
    assert_eq!(orgs.iter().filter(|o| o["kind"] == "party_group").count(), 1, "one 党组");
    assert_eq!(orgs.iter().filter(|o| o["kind"] == "organ_committee").count(), 1, "one 机关党委");
    assert_eq!(orgs.iter().filter(|o| o["kind"] == "branch").count(), 6, "6 branches");
    let b = branches(&app.store).await;
    assert_eq!(b[0].name, "机关党支部", "secretary1 manages 机关党支部");

    let (code, out, err) = app.cli(&["member", "list", "--json"]).await;
    assert_eq!(code, 0, "member list --json:\n{err}");
    let members = json_array(&out, "member list --json");
    assert_eq!(members.len(), 179, "179 members");
    let mut per_org: HashMap<&str, usize> = HashMap::new();
    for m in &members {
        for k in ["id", "org_id", "name", "status"] {
            assert!(m.get(k).is_some_and(|v| !v.is_null()), "member list entry has {k}: {m}");
        }
        let org = m["org_id"].as_str().unwrap();
        assert!(ids.contains(org), "member's org is in the org list");
        *per_org.entry(org).or_default() += 1;
        assert!(["full", "probationary"].contains(&m["status"].as_str().unwrap()), "demo members are active: {m}");
    }
    assert!(!out.contains("id_card_enc"), "no ciphertext in member list");
    let ids_seen: HashSet<&str> = members.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids_seen.len(), 179);
    assert_eq!(b.iter().map(|o| per_org.get(o.id.as_str()).copied().unwrap_or(0)).sum::<usize>(), 179, "all members are in the 6 branches");

    // --org limits to the subtree; global options after the subcommand work too.
    let mut args = vec!["member", "list", "--org", b[1].id.as_str(), "--json"];
    let global = app.db.cli_args();
    args.extend(global.iter().map(String::as_str));
    let (code, out, err) = run_binary(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()).await;
    assert_eq!(code, 0, "member list --org ID --json --data DIR:\n{err}");
    let some = json_array(&out, "member list --org");
    assert_eq!(some.len(), per_org[b[1].id.as_str()]);
    assert!(some.iter().all(|m| m["org_id"] == b[1].id.as_str()));

    // A slow batch command can be looked into: RUST_LOG turns on the logs (on stderr, so the
    // output is the same), which say how long each area of a report's facts took.
    let mut args = vec!["report", "quarterly", "--period", "2022Q1", "--format", "md", "--date", "2022-04-06"];
    args.extend(global.iter().map(String::as_str));
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (code, quiet, err) = run_binary(&args).await;
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("report facts"), "no logs unless asked: {err}");
    let (code, logged, err) = run_binary_env(&args, &[("RUST_LOG", "dangwu_store=debug")]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(logged, quiet, "logs do not change the report");
    for area in ["orgs", "members", "dues", "compliance", "supervision"] {
        assert!(err.contains("report facts") && err.contains(&format!("area=\"{area}\"")), "{area} timed: {err}");
    }

    // The plain (non-JSON) forms work and speak Chinese.
    let (code, out, _) = app.cli(&["org", "list"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("机关党支部"));
    // A bad --org is a Chinese error, not a panic.
    let (code, _, err) = app.cli(&["member", "list", "--org", "nonsense"]).await;
    assert_ne!(code, 0);
    assert!(crate::scoping::has_cjk(&err) && !err.contains("panicked"), "{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_reimport_into_the_same_database_fails_on_every_row_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("名册.xlsx");
    let before_export = audit_len(&app.store).await;
    let (code, out, err) = app.cli(&["member", "export", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "member export:\n{out}\n{err}");
    let bytes = std::fs::read(&file).expect("export wrote the file");
    assert!(bytes.starts_with(b"PK"), "export is an xlsx (zip) file");
    assert!(audit_len(&app.store).await > before_export, "exporting full ID numbers is audited");

    // The export reads back as the documented layout with every member and full ID numbers.
    let rows = dangwu_docgen::read_roster(&bytes, 10_000).expect("export reads as a roster");
    assert_eq!(rows.len(), 179, "179 rows exported");
    let stored: HashSet<String> =
        members_of(&app.store, None).await.iter().map(|m| app.store.keys.decrypt(&m.member.id_card_enc).unwrap()).collect();
    for r in &rows {
        assert!(stored.contains(r.get("id_card_no")), "row {} has a full, stored ID number", r.row);
        assert!(!r.get("org").is_empty(), "row {} names its 所在党组织", r.row);
    }

    // Importing it again: every row is a duplicate; nothing is written.
    let before = fingerprint(&app.store).await;
    let (code, out, err) = app.cli(&["member", "import", file.to_str().unwrap()]).await;
    assert_ne!(code, 0, "re-import of the export must fail:\n{out}");
    for row in [2, 100, 180] {
        assert!(
            err.lines().any(|l| l.contains(&format!("第{row}行")) && l.contains("身份证号")),
            "stderr names 第{row}行 and 身份证号:\n{err}"
        );
    }
    assert_eq!(fingerprint(&app.store).await, before, "nothing written");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_imports_into_a_fresh_database_with_the_same_tree() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.xlsx");
    let (code, _, err) = app.cli(&["member", "export", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{err}");

    // A second, empty database: an administrator made with the CLI rebuilds the same
    // organisation tree through the API, then the CLI imports the export.
    let other = TestDb::new().await;
    let (code, out, err) = other.cli(&["user", "add", "root", "--role", "admin", "--password", "Xq7#mKw9pL2"]).await;
    assert_eq!(code, 0, "user add on a fresh database:\n{out}\n{err}");
    let store = other.store().await;
    let app2 = TestApp::serve(other, store, dangwu_web::WebConfig::default()).await;
    let token = app2.token("root").await;
    let http = client();
    let mut new_id: HashMap<String, String> = HashMap::new();
    for o in all_orgs(&app.store).await.into_iter().filter(|o| o.abolished_on.is_none()) {
        let body = serde_json::json!({
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.kind,
            "parent_id": o.parent_id.as_ref().map(|p| new_id[p].clone()),
            "established_on": o.established_on.map(|d| d.to_string()),
            "unit": o.unit,
        });
        let r = http.post(app2.url("/api/v1/orgs")).bearer_auth(&token).json(&body).send().await.unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(status, reqwest::StatusCode::CREATED, "create {} through the API: {v}", o.name);
        new_id.insert(o.id.clone(), v["id"].as_str().unwrap().to_owned());
    }
    let (code, out, err) = app2.cli(&["member", "import", file.to_str().unwrap()]).await;
    assert_eq!(code, 0, "import of an export into a database with the same tree:\n{out}\n{err}");
    assert_eq!(member_count(&app2.store).await, 179);
    let key = |m: dangwu_store::members::MemberRow| {
        let mb = m.member;
        (
            (m.org_name, mb.name, mb.id_card_masked, mb.gender, mb.birth_date, mb.status, mb.joined_on, mb.full_on),
            (mb.dues_category, mb.phone, mb.is_party_worker, mb.ethnicity, mb.education, mb.work_unit, mb.post),
        )
    };
    let mut a: Vec<_> = members_of(&app.store, None).await.into_iter().map(key).collect();
    let mut b: Vec<_> = members_of(&app2.store, None).await.into_iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "export → import round-trips: same people, same fields, same organisations");
    let (code, out, err) = app2.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    app2.shutdown().await;
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_writes_a_sqlite_file_or_explains_pg_dump() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let (code, out, err) = app.cli(&["backup", file.to_str().unwrap()]).await;
    if app.db.is_pg() {
        assert_ne!(code, 0, "backup on PostgreSQL gives guidance instead:\n{out}\n{err}");
        assert!((out.clone() + &err).contains("pg_dump"), "the guidance names pg_dump:\n{out}\n{err}");
        assert!(!file.exists());
        return;
    }
    assert_eq!(code, 0, "backup:\n{out}\n{err}");
    let bytes = std::fs::read(&file).expect("backup file");
    assert!(bytes.starts_with(b"SQLite format 3\0"), "the backup is a SQLite database");
    // The copy is a complete database: open it and count.
    let copy = dir.path().join("restore");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(&file, copy.join("dangwu.db")).unwrap();
    let db = dangwu_store::Db::open_sqlite(&copy).await.unwrap();
    let n: i64 = db.read().scalar("SELECT COUNT(*) FROM members", vec![]).await.unwrap();
    assert_eq!(n, 179);
    let v = dangwu_store::audit::verify(&db).await.unwrap();
    assert!(matches!(v, dangwu_store::audit::Verification::Intact { .. }), "the backup's audit chain is intact: {v:?}");
    db.close().await;
    // An existing file is not overwritten.
    let (code, _, err) = app.cli(&["backup", file.to_str().unwrap()]).await;
    assert_ne!(code, 0, "backup onto an existing file");
    assert!(crate::scoping::has_cjk(&err), "{err}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_commands_and_migrate() {
    let db = TestDb::new().await;
    let (code, out, err) = db.cli(&["migrate"]).await;
    assert_eq!(code, 0, "migrate on an empty database:\n{out}\n{err}");
    let (code, _, err) = db.cli(&["migrate"]).await;
    assert_eq!(code, 0, "migrate twice:\n{err}");
    let (code, out, err) = db.cli(&["user", "add", "boss", "--role", "admin", "--password", "Xq7#mKw9pL2"]).await;
    assert_eq!(code, 0, "user add:\n{out}\n{err}");
    let (code, out, _) = db.cli(&["user", "list", "--json"]).await;
    assert_eq!(code, 0);
    let users = json_array(&out, "user list --json");
    assert!(users.iter().any(|u| u["username"] == "boss"), "{out}");
    assert!(!out.contains("argon2"), "no password hashes in user list");
    let (code, _, err) = db.cli(&["user", "add", "boss", "--role", "admin", "--password", "Xq7#mKw9pL2"]).await;
    assert_ne!(code, 0, "duplicate user name");
    assert!(crate::scoping::has_cjk(&err), "{err}");
    let (code, _, err) = db.cli(&["user", "passwd", "boss", "--password", "short"]).await;
    assert_ne!(code, 0, "a weak password is refused");
    assert!(crate::scoping::has_cjk(&err), "{err}");
    // No demo accounts on a real database.
    assert!(!users.iter().any(|u| u["username"] == "admin" || u["username"] == "secretary1"), "{out}");
}
