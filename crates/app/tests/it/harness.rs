//! Test harness: a fresh database per test (SQLite in a tempdir, or a new PostgreSQL database
//! when `DANGWU_TEST_DATABASE_URL` is set), the demo bureau, the real server on a random port,
//! logged-in HTTP clients, and the real `dangwu` binary run against the same database.

use std::process::Stdio;
use std::time::Duration;

use dangwu_domain::crypto::{FieldKeys, sm3_hex};
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_store::audit::Actor;
use dangwu_store::members::{MemberFilter, MemberRow, StatusFilter};
use dangwu_store::orgs::Org;
use dangwu_store::{Db, Store, users};
use dangwu_web::{AppState, WebConfig};
use tempfile::TempDir;

pub const PASSWORD: &str = "Demo@2022";
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PG_ENV: &str = "DANGWU_TEST_DATABASE_URL";

/// The PostgreSQL admin URL when the suite runs on PostgreSQL.
pub fn pg_admin_url() -> Option<String> {
    std::env::var(PG_ENV).ok().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `url` with its database name replaced by `db` (query string kept).
pub fn with_database(url: &str, db: &str) -> String {
    dangwu_store::db::pg_url_with_database(url, db)
}

fn random_suffix() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// One test's database and data directory (which holds the key file the CLI reads).
pub struct TestDb {
    pub dir: TempDir,
    /// PostgreSQL URL of this test's own database; None on SQLite.
    pub url: Option<String>,
    admin_url: Option<String>,
    db_name: Option<String>,
    master: [u8; 32],
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::Builder::new().prefix("dangwu-it-").tempdir().expect("tempdir");
        let master = FieldKeys::generate_master();
        std::fs::write(dir.path().join("dangwu.key"), format!("{}\n", FieldKeys::encode_master(&master))).unwrap();
        match pg_admin_url() {
            None => TestDb { dir, url: None, admin_url: None, db_name: None, master },
            Some(admin) => {
                let name = format!("dangwu_t_{}", random_suffix());
                let mut conn = pg_connect(&admin).await;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name} via {PG_ENV}: {e}"));
                let url = with_database(&admin, &name);
                TestDb { dir, url: Some(url), admin_url: Some(admin), db_name: Some(name), master }
            }
        }
    }

    pub fn is_pg(&self) -> bool {
        self.url.is_some()
    }

    pub fn keys(&self) -> FieldKeys {
        FieldKeys::from_master("k1", &self.master)
    }

    /// Opens and migrates the database.
    pub async fn open(&self) -> Db {
        let db = match &self.url {
            Some(url) => Db::open_pg(url).await.expect("open PostgreSQL test database"),
            None => Db::open_sqlite(self.dir.path()).await.expect("open SQLite test database"),
        };
        db.migrate().await.expect("migrate");
        db
    }

    pub async fn store(&self) -> Store {
        Store::new(self.open().await, self.keys(), OrgCatalogue::shipped())
    }

    /// Global options that point the binary at this database.
    pub fn cli_args(&self) -> Vec<String> {
        let mut v = vec!["--data".to_owned(), self.dir.path().display().to_string()];
        if let Some(url) = &self.url {
            v.push("--database-url".into());
            v.push(url.clone());
        }
        v
    }

    /// Runs the real `dangwu` binary against this database: (exit code, stdout, stderr).
    pub async fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let mut all = self.cli_args();
        all.extend(args.iter().map(|s| s.to_string()));
        run_binary(&all).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (Some(admin), Some(name)) = (self.admin_url.clone(), self.db_name.clone()) else { return };
        // Best effort, on a thread of its own: Drop may run inside the test's runtime.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                if let Ok(mut c) = try_pg_connect(&admin).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&mut c)
                        .await;
                }
            });
        })
        .join();
    }
}

pub async fn try_pg_connect(url: &str) -> Result<sqlx::PgConnection, sqlx::Error> {
    use sqlx::Connection;
    tokio::time::timeout(Duration::from_secs(20), sqlx::PgConnection::connect(url)).await.map_err(|_| sqlx::Error::PoolTimedOut)?
}

pub async fn pg_connect(url: &str) -> sqlx::PgConnection {
    try_pg_connect(url).await.unwrap_or_else(|e| panic!("connect to {PG_ENV}: {e}"))
}

/// Runs the binary with `args`, without inheriting database or log settings from the environment.
pub async fn run_binary(args: &[String]) -> (i32, String, String) {
    run_binary_env(args, &[]).await
}

/// [`run_binary`] with extra environment variables.
pub async fn run_binary_env(args: &[String], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = tokio::time::timeout(
        Duration::from_secs(300),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
            .args(args)
            .env_remove("DANGWU_DATABASE_URL")
            .env_remove("DANGWU_KEY_FILE")
            .env_remove("RUST_LOG")
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("dangwu binary finished within 5 minutes")
    .expect("run dangwu binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The demo bureau on a fresh database, served on 127.0.0.1 at a random port.
pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub db: TestDb,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(WebConfig::default()).await
    }

    pub async fn spawn_with(config: WebConfig) -> TestApp {
        let db = TestDb::new().await;
        let store = db.store().await;
        dangwu::create_demo(&store, dangwu::today()).await.expect("create the demo bureau");
        Self::serve(db, store, config).await
    }

    /// Serves an existing database as it is (no demo).
    pub async fn serve(db: TestDb, store: Store, config: WebConfig) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(store.clone(), config);
        let server = tokio::spawn(async move {
            dangwu_web::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await
            .expect("server runs");
        });
        TestApp { base, store, db, shutdown: Some(tx), server: Some(server) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with a cookie store and redirects off, not logged in.
    pub fn anon(&self) -> reqwest::Client {
        client()
    }

    /// Logs `username` in with the demo password.
    pub async fn login(&self, username: &str) -> Session {
        self.try_login(username, PASSWORD).await.unwrap_or_else(|(s, body)| panic!("login {username}: {s}\n{body}"))
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Result<Session, (reqwest::StatusCode, String)> {
        let http = client();
        let (status, body) = post_login(&http, &self.base, username, password).await;
        if status != reqwest::StatusCode::SEE_OTHER {
            return Err((status, body));
        }
        let home = http.get(self.url("/")).send().await.unwrap();
        assert_eq!(home.status(), 200, "GET / after login");
        let page = home.text().await.unwrap();
        let csrf = meta_csrf(&page).unwrap_or_else(|| panic!("no <meta name=\"csrf-token\"> on /:\n{page}"));
        Ok(Session { http, csrf, base: self.base.clone() })
    }

    /// A Bearer token for `username`, created as the CLI would.
    pub async fn token(&self, username: &str) -> String {
        let user = users::by_username(&self.store, username).await.unwrap().expect("user exists");
        let token = dangwu_domain::password::random_token();
        users::create_token(&self.store, &Actor("test".into()), &user.id, "it", &sm3_hex(token.as_bytes())).await.unwrap();
        token
    }

    pub async fn cli(&self, args: &[&str]) -> (i32, String, String) {
        self.db.cli(args).await
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
        }
        self.store.db.close().await;
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            h.abort();
        }
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

/// GET /login then POST the form; returns the status and body of the POST.
pub async fn post_login(http: &reqwest::Client, base: &str, username: &str, password: &str) -> (reqwest::StatusCode, String) {
    let page = http.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(page.status(), 200, "GET /login");
    let page = page.text().await.unwrap();
    let token = input_value(&page, "csrf_token").unwrap_or_else(|| panic!("no csrf_token input on /login:\n{page}"));
    let res = http
        .post(format!("{base}/login"))
        .form(&[("username", username), ("password", password), ("csrf_token", token.as_str()), ("next", "/")])
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.text().await.unwrap())
}

/// A logged-in browser-like client.
pub struct Session {
    pub http: reqwest::Client,
    pub csrf: String,
    pub base: String,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, String) {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        let s = r.status();
        (s, r.text().await.unwrap())
    }
    /// POSTs a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> (reqwest::StatusCode, String) {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &self.csrf));
        self.post_form_raw(path, &all).await
    }
    /// POSTs exactly these fields (no token added).
    pub async fn post_form_raw<T: serde::Serialize + ?Sized>(&self, path: &str, fields: &T) -> (reqwest::StatusCode, String) {
        let r = self.http.post(self.url(path)).form(fields).send().await.unwrap();
        let s = r.status();
        (s, r.text().await.unwrap())
    }
}

/// The fields a browser would submit from the page's `<form method="post">` whose action is
/// `action`: inputs (checked boxes only), selects (selected option, else the first) and textareas.
pub fn scrape_form(html: &str, action: &str) -> Option<Vec<(String, String)>> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<form") {
        let start = from + i;
        let tag_end = start + html[start..].find('>')?;
        let tag = &html[start..tag_end];
        let end = start + html[start..].find("</form>").unwrap_or(html.len() - start);
        from = end.min(html.len() - 1).max(start + 5);
        let method_post = attr(tag, "method").is_some_and(|m| m.eq_ignore_ascii_case("post"));
        if !method_post || attr(tag, "action").as_deref() != Some(action) {
            continue;
        }
        return Some(form_fields(&html[tag_end..end]));
    }
    None
}

fn form_fields(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..end];
        let lower = tag.to_ascii_lowercase();
        if lower.starts_with("<input") {
            let ty = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
            if let Some(name) = attr(tag, "name") {
                let checked = tag.contains(" checked");
                match ty.as_str() {
                    "submit" | "button" | "reset" | "file" | "image" => {}
                    "checkbox" | "radio" if !checked => {}
                    "checkbox" => out.push((name, attr(tag, "value").unwrap_or_else(|| "on".into()))),
                    _ => out.push((name, attr(tag, "value").unwrap_or_default())),
                }
            }
        } else if lower.starts_with("<select") {
            let close = rest.find("</select>").unwrap_or(rest.len());
            if let Some(name) = attr(tag, "name") {
                let inner = &rest[end..close];
                let mut first = None;
                let mut chosen = None;
                let mut r2 = inner;
                while let Some(j) = r2.find("<option") {
                    r2 = &r2[j..];
                    let oe = r2.find('>').unwrap_or(r2.len());
                    let otag = &r2[..oe];
                    let text_end = r2[oe..].find('<').map(|k| oe + k).unwrap_or(r2.len());
                    let value = attr(otag, "value").unwrap_or_else(|| unescape(r2[(oe + 1).min(text_end)..text_end].trim()));
                    if first.is_none() {
                        first = Some(value.clone());
                    }
                    if otag.contains(" selected") {
                        chosen = Some(value);
                    }
                    r2 = &r2[oe..];
                }
                out.push((name, chosen.or(first).unwrap_or_default()));
            }
            rest = &rest[close..];
            continue;
        } else if lower.starts_with("<textarea") {
            let close = rest.find("</textarea>").unwrap_or(rest.len());
            if let Some(name) = attr(tag, "name") {
                out.push((name, unescape(&rest[end + 1..close])));
            }
            rest = &rest[close..];
            continue;
        }
        rest = &rest[end..];
    }
    out
}

/// Sets (or adds) a field in a scraped form.
pub fn set_field(form: &mut Vec<(String, String)>, name: &str, value: &str) {
    match form.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => form.push((name.to_owned(), value.to_owned())),
    }
}

pub fn without_field(form: &[(String, String)], name: &str) -> Vec<(String, String)> {
    form.iter().filter(|(k, _)| k != name).cloned().collect()
}

/// The member edit form as `s` sees it (from /members/{id}/edit or /members/{id}): the fields
/// the browser would post to `/members/{id}`, including `csrf_token`.
pub async fn member_edit_form(s: &Session, member_id: &str) -> Vec<(String, String)> {
    let action = format!("/members/{member_id}");
    for page in [format!("/members/{member_id}/edit"), action.clone()] {
        let (status, html) = s.get(&page).await;
        if status == reqwest::StatusCode::OK
            && let Some(f) = scrape_form(&html, &action)
        {
            return f;
        }
    }
    panic!("no <form method=post action=\"{action}\"> on /members/{member_id}/edit or {action}");
}

/// `<meta name="csrf-token" content="…">`.
pub fn meta_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf-token\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    attr(&html[tag_start..tag_end], "content")
}

/// Value of the first `<input … name="NAME" … value="…">`.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\"");
    let mut from = 0;
    while let Some(i) = html[from..].find(&needle) {
        let at = from + i;
        let tag_start = html[..at].rfind('<')?;
        let tag_end = at + html[at..].find('>')?;
        let tag = &html[tag_start..tag_end];
        if tag.starts_with("<input") {
            return attr(tag, "value").or(Some(String::new()));
        }
        from = at + needle.len();
    }
    None
}

fn attr(tag: &str, name: &str) -> Option<String> {
    for ws in [' ', '\n', '\t'] {
        let needle = format!("{ws}{name}=\"");
        if let Some(i) = tag.find(&needle) {
            let i = i + needle.len();
            let j = tag[i..].find('"')?;
            return Some(unescape(&tag[i..i + j]));
        }
    }
    None
}

pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Text with tags removed and entities decoded (for "the page says …" checks).
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

// ---------------------------------------------------------------------------------------------
// Reading the database directly (as the admin sees it), to check what did or did not change.

pub async fn all_orgs(store: &Store) -> Vec<Org> {
    dangwu_store::orgs::list(store, &dangwu::cli_principal(), true).await.unwrap()
}

/// The demo's branches in order: 机关党支部 first, then the 5 directly affiliated ones.
/// They are the orgs the secretaries manage, so take them from the accounts.
pub async fn branches(store: &Store) -> Vec<Org> {
    let mut out = Vec::new();
    for i in 1..=6 {
        out.push(secretary_org(store, &format!("secretary{i}")).await);
    }
    out
}

pub async fn secretary_org(store: &Store, username: &str) -> Org {
    let u = users::by_username(store, username).await.unwrap().unwrap_or_else(|| panic!("demo user {username} exists"));
    let org_id = u.scope_org_id.unwrap_or_else(|| panic!("{username} has a scope org"));
    all_orgs(store).await.into_iter().find(|o| o.id == org_id).expect("scope org exists")
}

pub async fn members_of(store: &Store, org: Option<&Org>) -> Vec<MemberRow> {
    let mut out = Vec::new();
    let mut f = MemberFilter {
        org_id: org.map(|o| o.org_id()),
        status: StatusFilter::All,
        page: 1,
        per_page: 500,
        ..Default::default()
    };
    loop {
        let page = dangwu_store::members::list(store, &dangwu::cli_principal(), &f).await.unwrap();
        let n = page.items.len();
        out.extend(page.items);
        if n < 500 {
            return out;
        }
        f.page += 1;
    }
}

pub async fn member_count(store: &Store) -> i64 {
    store.db.read().scalar("SELECT COUNT(*) FROM members", vec![]).await.unwrap()
}

pub async fn audit_len(store: &Store) -> i64 {
    store.db.read().scalar("SELECT COUNT(*) FROM audit_log", vec![]).await.unwrap()
}

/// Member count and audit log length: what a refused write must leave as it was.
pub async fn fingerprint(store: &Store) -> (i64, i64) {
    (member_count(store).await, audit_len(store).await)
}

/// The newest audit entries, for failure messages.
pub async fn recent_audit(store: &Store, n: i64) -> Vec<String> {
    dangwu_store::audit::recent(&store.db, None, n)
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("#{} {} {} {} {}", r.seq, r.actor, r.action, r.entity_id, r.detail))
        .collect()
}

pub async fn member_by_id(store: &Store, id: &str) -> dangwu_store::members::Member {
    store.db.read().opt("SELECT * FROM members WHERE id = $1", dangwu_store::args![id]).await.unwrap().expect("member exists")
}

// ---------------------------------------------------------------------------------------------
// Synthetic people.

/// The same number with a wrong check character.
pub fn bad_check(id: &str) -> String {
    let good = id.chars().last().unwrap();
    let wrong = if good == '0' { '1' } else { '0' };
    format!("{}{}", &id[..17], wrong)
}

#[test]
fn database_urls() {
    assert_eq!(with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"), "postgres://postgres@127.0.0.1:5432/t1");
    assert_eq!(with_database("postgres://u:p@h/db?sslmode=disable", "t2"), "postgres://u:p@h/t2?sslmode=disable");
    assert_eq!(with_database("postgresql://h:5432", "t3"), "postgresql://h:5432/t3");
}

/// One API call with a bearer token; the answer must be JSON.
pub async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut r = client().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} answers JSON ({e}): {status} {text}")))
}
