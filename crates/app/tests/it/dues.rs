//! Dues pages: a branch secretary downloads the year's verification table and collection ledger
//! for their branch (real .xlsx files) and nothing for another branch.

use reqwest::StatusCode;

use crate::harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secretary_downloads_the_branch_dues_sheets_and_no_others() {
    let app = TestApp::spawn().await;
    let mine = secretary_org(&app.store, "secretary1").await;
    let theirs = secretary_org(&app.store, "secretary2").await;
    let s = app.login("secretary1").await;
    for sheet in ["ledger", "verification"] {
        let r = s.http.get(s.url(&format!("/dues/{sheet}.xlsx?org={}&year=2022", mine.id))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{sheet}");
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "{sheet} is an xlsx (zip) file");
        if sheet == "ledger" {
            let rows = dangwu_docgen::read_table(&bytes, dangwu_docgen::dues_ledger::ledger_columns(), 1000).unwrap();
            let members = members_of(&app.store, Some(&mine)).await;
            assert!(rows.len() >= members.len(), "one ledger line per member: {} < {}", rows.len(), members.len());
        }
        let r = s.http.get(s.url(&format!("/dues/{sheet}.xlsx?org={}&year=2022", theirs.id))).send().await.unwrap();
        assert!(r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::FORBIDDEN, "{sheet} of another branch: {}", r.status());
    }
}
