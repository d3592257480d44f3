//! A real browser: headless Chromium via chromedriver at phone width (375 px) logs in as a
//! branch secretary and searches the roster. Runs only with `DANGWU_BROWSER_TESTS=1` (CI sets
//! it); then a missing chromedriver or Chromium is a failure, not a skip.

use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use serde_json::json;

use crate::harness::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

fn enabled() -> bool {
    std::env::var("DANGWU_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: std::process::Child,
    url: String,
}

impl Driver {
    async fn start() -> Driver {
        let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_owned());
        assert!(
            std::path::Path::new(&exe).exists(),
            "DANGWU_BROWSER_TESTS=1 but {exe} is missing: install Debian's chromium and chromium-driver (.ci/run does)"
        );
        let port = free_port();
        let child = std::process::Command::new(&exe)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {exe}: {e}"));
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "chromedriver did not listen on {port} within 30 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Driver { child, url }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_for_css(c: &fantoccini::Client, css: &str) -> fantoccini::elements::Element {
    c.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("wait for {css}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_logs_in_and_searches_the_roster_on_a_phone() {
    if !enabled() {
        eprintln!("skipped: the browser test runs with DANGWU_BROWSER_TESTS=1 (needs chromium and chromedriver)");
        return;
    }
    assert!(
        std::path::Path::new(&std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned())).exists(),
        "DANGWU_BROWSER_TESTS=1 but {CHROMIUM} is missing"
    );
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let all = members_of(&app.store, None).await;
    let unique = |name: &str| all.iter().filter(|o| o.member.name.contains(name) || name.contains(&o.member.name)).count() == 1;
    let own = members_of(&app.store, Some(&b[0])).await;
    let target = own.iter().rev().find(|m| unique(&m.member.name)).expect("a uniquely named member").member.clone();
    let others: Vec<_> = all.iter().filter(|m| m.member.org_id != b[0].id).map(|m| (m.member.id.clone(), m.member.name.clone())).collect();

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=375,812",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            // Headless windows are at least 500 px wide; emulate the phone's viewport exactly.
            "mobileEmulation": {"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2.0, "touch": true}},
        }),
    );
    let c = ClientBuilder::rustls()
        .expect("rustls connector")
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a chromedriver session");
    // The steps run in a task of their own so that a failed assertion still closes the browser.
    let steps = {
        let c = c.clone();
        let roster_url = app.url("/members");
        tokio::spawn(async move {
        c.goto(&roster_url).await.unwrap();
        // Not logged in: the login page, laid out for the phone (meta viewport width=device-width).
        let user = wait_for_css(&c, "input[name=username]").await;
        let width: serde_json::Value = c.execute("return window.innerWidth", vec![]).await.unwrap();
        assert_eq!(width.as_i64(), Some(375), "phone-width viewport, innerWidth = {width}");
        user.send_keys("secretary1").await.unwrap();
        c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        c.find(Locator::Css("form[action='/login'] button[type=submit], form[action='/login'] input[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        // Back on the roster, logged in.
        let search = wait_for_css(&c, "input[name=q]").await;
        assert!(c.current_url().await.unwrap().path().starts_with("/members"), "after login the roster");
        search.send_keys(&target.name).await.unwrap();
        // Enter in the search box submits its form, as on a phone keyboard.
        search.send_keys("\u{E007}").await.unwrap();
        let started = Instant::now();
        loop {
            let url = c.current_url().await.unwrap();
            if url.query().is_some_and(|q| q.contains("q=")) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "search did not navigate: {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_for_css(&c, "main").await;
        let html = c.source().await.unwrap();
        assert!(html.contains(&target.name), "the result shows {}", target.name);
        assert!(html.contains(&format!("/members/{}", target.id)), "the result links to {}", target.name);
        for (id, name) in &others {
            assert!(!html.contains(&format!("/members/{id}")), "the result shows {name} of another branch");
        }
        // At 375 px the page does not scroll sideways.
        let overflow: serde_json::Value =
            c.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
        let png = c.screenshot().await.unwrap();
        let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-roster.png");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(&out, png).unwrap();
        eprintln!("screenshot: {}", out.display());
        assert!(overflow.as_i64().is_some_and(|o| o <= 0), "no horizontal scrolling at 375 px (overflow {overflow} px)");
        })
    };
    let outcome = steps.await;
    let _ = c.close().await;
    drop(driver);
    app.shutdown().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A headless Chromium session emulating a 375 px phone (as in the roster test above).
async fn phone(driver: &Driver, profile: &std::path::Path) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=375,812",
                format!("--user-data-dir={}", profile.display()),
            ],
            "mobileEmulation": {"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2.0, "touch": true}},
        }),
    );
    ClientBuilder::rustls().expect("rustls connector").capabilities(caps).connect(&driver.url).await.expect("a chromedriver session")
}

async fn wait_for_path(c: &fantoccini::Client, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let url = c.current_url().await.unwrap();
        if ok(url.path()) {
            return url.path().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{what}: still at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_records_an_assembly_with_a_lecture_on_a_phone() {
    if !enabled() {
        eprintln!("skipped: the browser test runs with DANGWU_BROWSER_TESTS=1 (needs chromium and chromedriver)");
        return;
    }
    assert!(
        std::path::Path::new(&std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned())).exists(),
        "DANGWU_BROWSER_TESTS=1 but {CHROMIUM} is missing"
    );
    let app = TestApp::spawn().await;
    // secretary4's branch has no 党小组, so 记录活动 opens the form for the branch itself.
    let branch = secretary_org(&app.store, "secretary4").await;
    let roster = dangwu_store::activities::roster(&app.store, &branch.id).await.unwrap();
    assert!(roster.len() > 4, "{} has a roster", branch.name);
    let absent: Vec<(String, String, &str)> =
        [(1, "因公出差"), (3, "病假")].iter().map(|(i, why)| (roster[*i].0.to_string(), roster[*i].1.clone(), *why)).collect();
    let before: i64 = app.store.db.read().scalar("SELECT COUNT(*) FROM activities", vec![]).await.unwrap();

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let c = phone(&driver, profile.path()).await;
    let steps = {
        let c = c.clone();
        let start = app.url("/activities");
        let (branch_name, n, absent) = (branch.name.clone(), roster.len(), absent.clone());
        tokio::spawn(async move {
            c.goto(&start).await.unwrap();
            let user = wait_for_css(&c, "input[name=username]").await;
            user.send_keys("secretary4").await.unwrap();
            c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
            c.find(Locator::Css("form[action='/login'] button[type=submit], form[action='/login'] input[type=submit]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // 组织生活 → 记录活动.
            wait_for_css(&c, "main a[href^='/activities/new']").await.click().await.unwrap();
            wait_for_css(&c, "form[action='/activities'] input[name=title]").await;
            let width: serde_json::Value = c.execute("return window.innerWidth", vec![]).await.unwrap();
            assert_eq!(width.as_i64(), Some(375), "phone-width viewport, innerWidth = {width}");
            let html = c.source().await.unwrap();
            assert!(html.contains(&branch_name), "the form is for {branch_name}");
            for kind in ["branch_assembly", "party_lecture"] {
                c.find(Locator::Css(&format!("input[name=kinds][value={kind}]"))).await.unwrap().click().await.unwrap();
            }
            let type_into = |css: &'static str, text: &'static str| {
                let c = c.clone();
                async move {
                    let e = c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
                    e.clear().await.unwrap();
                    e.send_keys(text).await.unwrap();
                }
            };
            type_into("input[name=title]", "第一季度支部党员大会暨专题党课").await;
            // A date input's typing order follows the browser's locale; set its value as a date picker would.
            c.execute("document.querySelector('input[name=held_on]').value = '2022-03-28'", vec![]).await.unwrap();
            type_into("input[name=host]", "支部书记").await;
            type_into("input[name=recorder]", "组织委员").await;
            type_into("input[name=lecturer]", "支部书记").await;
            type_into("textarea[name=topics]", "学习贯彻党的十九届六中全会精神").await;
            for (id, _, why) in &absent {
                c.find(Locator::Css(&format!("input[name='att_{id}'][value=absent]"))).await.unwrap().click().await.unwrap();
                c.find(Locator::Css(&format!("input[name='reason_{id}']"))).await.unwrap().send_keys(why).await.unwrap();
            }
            let overflow: serde_json::Value =
                c.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
            assert!(overflow.as_i64().is_some_and(|o| o <= 0), "the form does not scroll sideways at 375 px (overflow {overflow} px)");
            c.find(Locator::Css("form[action='/activities'] button[type=submit]")).await.unwrap().click().await.unwrap();

            // The record's page: 实到/应到 and the two absentees with their reasons.
            let path = wait_for_path(&c, "after saving, the record's page", |p| p.starts_with("/activities/") && p.len() == "/activities/".len() + 36).await;
            wait_for_css(&c, "main h1").await;
            let text = text_of(&c.source().await.unwrap());
            assert!(text.contains("第一季度支部党员大会暨专题党课"), "the title:\n{text}");
            assert!(text.contains("支部党员大会") && text.contains("党课"), "both kinds:\n{text}");
            assert!(text.contains(&format!("实到{}/应到{}", n - 2, n)), "实到{}/应到{n}:\n{text}", n - 2);
            let section = text.split("缺席（2人）").nth(1).unwrap_or_else(|| panic!("a 缺席（2人） section:\n{text}"));
            let section = section.split("佐证材料").next().unwrap();
            for (_, name, why) in &absent {
                assert!(section.contains(name.as_str()) && section.contains(why), "{name} absent ({why}) listed:\n{section}");
            }
            // The screenshot starts at the 实到/应到 line so that the absentees are in it too.
            c.execute("[...document.querySelectorAll('dl.facts dt')].find(e => e.textContent.trim() === '出席')?.scrollIntoView()", vec![])
                .await
                .unwrap();
            let png = c.screenshot().await.unwrap();
            let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-activity.png");
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            std::fs::write(&out, png).unwrap();
            eprintln!("screenshot: {}", out.display());
            let overflow: serde_json::Value =
                c.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
            assert!(overflow.as_i64().is_some_and(|o| o <= 0), "the record's page does not scroll sideways at 375 px (overflow {overflow} px)");
            path
        })
    };
    let outcome = steps.await;
    let _ = c.close().await;
    drop(driver);
    let path = match outcome {
        Ok(p) => p,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    // What was saved: one record of both kinds, with the attendance as ticked.
    let after: i64 = app.store.db.read().scalar("SELECT COUNT(*) FROM activities", vec![]).await.unwrap();
    assert_eq!(after, before + 1, "one record saved");
    let id = path.trim_start_matches("/activities/");
    let d = dangwu_store::activities::get(&app.store, &dangwu::cli_principal(), id).await.unwrap();
    assert_eq!(d.org.id, branch.id);
    assert_eq!(d.kinds.iter().map(String::as_str).collect::<std::collections::BTreeSet<_>>(), ["branch_assembly", "party_lecture"].into());
    assert_eq!(d.activity.held_on.to_string(), "2022-03-28");
    assert_eq!((d.activity.present_count, d.activity.expected_count), (roster.len() as i64 - 2, roster.len() as i64));
    for (mid, name, why) in &absent {
        let row = d.attendance.iter().find(|r| r.member_id.as_deref() == Some(mid.as_str())).unwrap_or_else(|| panic!("{name} recorded"));
        assert_eq!((row.attendance.as_str(), row.reason.as_deref()), ("absent", Some(*why)), "{name}");
    }
    app.shutdown().await;
}
