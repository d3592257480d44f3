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
