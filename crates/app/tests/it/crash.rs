//! Crash safety: the real `dangwu serve` binary takes concurrent API writes and is killed with
//! SIGKILL at random moments, then restarted, again and again. Afterwards every write it
//! acknowledged (2xx with an id) must be in the database, the database must pass its integrity
//! check and `dangwu audit verify` must pass. On SQLite and, with DANGWU_TEST_DATABASE_URL, on
//! PostgreSQL.
//!
//! The short form (3 kills, 100 writes) runs with the suite. The full form, for RELIABILITY.md:
//! `DANGWU_CRASH_KILLS=20 DANGWU_CRASH_WRITES=1000 cargo test -p dangwu --test it crash -- --nocapture`
//!
//! To drive another record kind, add a [`WriteKind`] to [`kinds`]: the request to send for the
//! n-th write and the table its acknowledged ids must be found in.

use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dangwu_store::audit::Actor;
use dangwu_store::users;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::harness::*;

/// One kind of write the harness sends.
struct WriteKind {
    name: &'static str,
    path: &'static str,
    /// The table whose `id` column holds acknowledged records.
    table: &'static str,
    /// The JSON body of the n-th write of this kind (unique per n where the record must be).
    body: Box<dyn Fn(usize) -> Value + Send + Sync>,
}

/// The kinds driven, from the demo bureau's first branch.
fn kinds(org_id: String, attendees: Vec<Value>) -> Vec<WriteKind> {
    let org = org_id.clone();
    let branch_name = "机关党支部".to_owned();
    vec![
        WriteKind {
            name: "activity",
            path: "/api/v1/activities",
            table: "activities",
            body: Box::new(move |n| {
                json!({"org_id": org, "kinds": ["theme_day"], "title": format!("崩溃测试主题党日{n}"), "held_on": "2022-03-15",
                       "topics": "重温入党誓词", "attendees": attendees})
            }),
        },
        WriteKind {
            name: "member",
            path: "/api/v1/members",
            table: "members",
            body: Box::new(move |n| {
                // Address code 110101 is used by neither the demo nor the other tests; the
                // birth year and sequence make the number unique per write.
                let first17 = format!("110101{}0101{:03}", 1970 + n / 1000, n % 1000);
                let id = format!("{first17}{}", dangwu_domain::idcard::check_char(&first17));
                let p = crate::xlsx::Person { name: crate::xlsx::test_name(50_000 + n), id, org: branch_name.clone(), probationary: false };
                crate::scoping::new_member_json(&p, &org_id)
            }),
        },
    ]
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `dangwu serve` on a fresh port and waits until it answers.
async fn start_server(db: &TestDb, log: &std::path::Path) -> (tokio::process::Child, String) {
    let port = free_port();
    let mut args = db.cli_args();
    args.extend(["serve".into(), "--listen".into(), format!("127.0.0.1:{port}")]);
    let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .args(&args)
        .env_remove("DANGWU_DATABASE_URL")
        .env_remove("DANGWU_KEY_FILE")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("start dangwu serve");
    let base = format!("http://127.0.0.1:{port}");
    let http = client();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = http.get(format!("{base}/login")).timeout(Duration::from_secs(2)).send().await
            && r.status() == 200
        {
            return (child, base);
        }
        assert!(Instant::now() < deadline, "dangwu serve did not answer on {base} within 60 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[derive(Default)]
struct Acked {
    /// kind name → ids the server acknowledged.
    ids: HashMap<&'static str, Vec<String>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    let kills = env_usize("DANGWU_CRASH_KILLS", 3);
    let writes = env_usize("DANGWU_CRASH_WRITES", 100);
    let writers = env_usize("DANGWU_CRASH_WRITERS", 4);

    let db = TestDb::new().await;
    let (token, kinds) = {
        let store = db.store().await;
        dangwu::create_demo(&store, dangwu::today()).await.expect("demo bureau");
        let admin = users::by_username(&store, "admin").await.unwrap().expect("demo admin");
        let token = dangwu_domain::password::random_token();
        let hash = dangwu_domain::crypto::sm3_hex(token.as_bytes());
        users::create_token(&store, &Actor("test".into()), &admin.id, "crash", &hash).await.unwrap();
        let org = secretary_org(&store, "secretary1").await;
        let roster = dangwu_store::activities::roster(&store, &org.id).await.unwrap();
        let attendees: Vec<Value> = roster.iter().take(5).map(|(id, _)| json!({"member_id": id.to_string(), "attendance": "present"})).collect();
        store.db.close().await;
        (token, Arc::new(kinds(org.id.clone(), attendees)))
    };
    // The harness itself writes fast from one address: no rate limit here.
    std::fs::write(db.dir.path().join("dangwu.toml"), "[web]\napi_rate_per_minute = 0\n").unwrap();
    let log = db.dir.path().join("serve.log");

    let acked = Arc::new(Mutex::new(Acked::default()));
    let sent = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let per_round = writes / (kills + 1);
    let mut killed = 0;
    let mut refused_5xx = 0usize;
    while done.load(Ordering::SeqCst) < writes {
        let (mut child, base) = start_server(&db, &log).await;
        let stop = Arc::new(AtomicBool::new(false));
        let server_errors = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..writers {
            let (kinds, acked, sent, done, stop, token, base, errs) =
                (kinds.clone(), acked.clone(), sent.clone(), done.clone(), stop.clone(), token.clone(), base.clone(), server_errors.clone());
            tasks.push(tokio::spawn(async move {
                let http = client();
                while !stop.load(Ordering::SeqCst) && done.load(Ordering::SeqCst) < writes {
                    let n = sent.fetch_add(1, Ordering::SeqCst);
                    let kind = &kinds[n % kinds.len()];
                    let req = http.post(format!("{base}{}", kind.path)).bearer_auth(&token).json(&(kind.body)(n));
                    let Ok(r) = req.timeout(Duration::from_secs(30)).send().await else { continue };
                    let status = r.status();
                    let Ok(v) = r.json::<Value>().await else { continue };
                    if status.is_success() {
                        let id = v["id"].as_str().unwrap_or_else(|| panic!("{} acknowledged without an id: {v}", kind.name)).to_owned();
                        acked.lock().await.ids.entry(kind.name).or_default().push(id);
                        done.fetch_add(1, Ordering::SeqCst);
                    } else if status.is_server_error() {
                        errs.fetch_add(1, Ordering::SeqCst);
                    } else {
                        panic!("{} write {n} refused: {status} {v}", kind.name);
                    }
                }
            }));
        }
        if killed < kills {
            // Kill around this kill's share of the writes, with requests in flight.
            let target = ((killed + 1) * per_round - per_round / 2 + rand::random_range(0..=per_round)).max(done.load(Ordering::SeqCst) + 3);
            let deadline = Instant::now() + Duration::from_secs(120);
            while done.load(Ordering::SeqCst) < target.min(writes - 1) && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(rand::random_range(1..20))).await;
            }
            child.start_kill().expect("SIGKILL dangwu serve");
            killed += 1;
            let _ = child.wait().await;
            stop.store(true, Ordering::SeqCst);
            for t in tasks {
                t.await.expect("writer task");
            }
        } else {
            // The last round runs to the end, then the server goes the same way.
            for t in tasks {
                t.await.expect("writer task");
            }
            child.start_kill().expect("SIGKILL dangwu serve");
            let _ = child.wait().await;
        }
        refused_5xx += server_errors.load(Ordering::SeqCst);
    }

    // Everything acknowledged is there: one query per kind, not per record.
    let store = db.store().await;
    let acked = acked.lock().await;
    let mut total = 0;
    for kind in kinds.iter() {
        let want = acked.ids.get(kind.name).cloned().unwrap_or_default();
        total += want.len();
        let have: HashSet<String> = store
            .db
            .read()
            .all::<(String,)>(&format!("SELECT id FROM {}", kind.table), vec![])
            .await
            .unwrap()
            .into_iter()
            .map(|(id,)| id)
            .collect();
        let lost: Vec<&String> = want.iter().filter(|id| !have.contains(*id)).collect();
        assert!(lost.is_empty(), "{} acknowledged {} {}s but lost {}: {lost:?}", kind.name, want.len(), kind.name, lost.len());
    }
    let problems = dangwu_store::integrity::check(&store.db).await.unwrap();
    assert!(problems.is_empty(), "integrity check after {killed} kills: {problems:?}");
    store.db.close().await;
    let (code, out, err) = db.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify after {killed} kills:\n{out}\n{err}");
    let backend = if db.is_pg() { "PostgreSQL" } else { "SQLite" };
    println!(
        "crash harness ({backend}): {killed} SIGKILLs, {total} acknowledged writes, 0 lost, {refused_5xx} 5xx answers, \
         integrity check ok, audit verify ok; {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(killed, kills, "the server was killed as often as asked");
    assert!(total >= writes, "{total} of {writes} writes acknowledged");
}
