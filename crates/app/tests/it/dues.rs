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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_sheet_imports_all_rows_or_none() {
    let app = TestApp::spawn().await;
    let admin = dangwu_domain::auth::Principal {
        user_id: dangwu_domain::UserId::new(),
        username: "t".into(),
        display_name: "t".into(),
        role: dangwu_domain::auth::Role::Admin,
        scope: None,
        member_id: None,
    };
    let today = chrono::Local::now().date_naive();
    let behind = dangwu_store::dues::arrears(&app.store, &admin, None, today).await.unwrap();
    let a = behind.first().expect("the demo has members behind on dues");
    // The last month of the unpaid run: recent enough to be paid back today.
    let (y, m) = a.since.split_once('-').map(|(y, m)| (y.parse::<i32>().unwrap(), m.parse::<i32>().unwrap())).unwrap();
    let n = y * 12 + (m - 1) + a.unpaid_months as i32 - 1;
    let month = format!("{}-{:02}", n / 12, n % 12 + 1);
    let m = dangwu_store::members::get(&app.store, &admin, dangwu_domain::MemberId::parse(&a.member_id).unwrap()).await.unwrap();
    let idno = app.store.keys.decrypt(&m.member.id_card_enc).unwrap();
    let count = || async { app.store.db.read().scalar::<i64>("SELECT COUNT(*) FROM dues_payments", vec![]).await.unwrap() };
    let dir = tempfile::tempdir().unwrap();
    let headers = ["姓名", "身份证号", "交纳月份", "交纳日期", "收据号"];
    let paid_on = today.to_string();

    // Row 3 has a bad ID number: nothing is written, and the row and column are named.
    let bad = crate::xlsx::workbook(
        &headers,
        &[
            vec![a.name.clone(), idno.clone(), month.clone(), paid_on.clone(), "R-1".into()],
            vec!["某某".into(), "110105194912310021".into(), month.clone(), paid_on.clone(), "R-2".into()],
        ],
    );
    let path = dir.path().join("bad.xlsx");
    std::fs::write(&path, bad).unwrap();
    let before = count().await;
    let (code, _, err) = app.cli(&["dues", "import-payments", path.to_str().unwrap()]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("第3行 [身份证号]"), "{err}");
    assert_eq!(count().await, before, "a bad sheet writes nothing");

    let good = crate::xlsx::workbook(&headers, &[vec![a.name.clone(), idno, month.clone(), paid_on, "R-1".into()]]);
    let path = dir.path().join("good.xlsx");
    std::fs::write(&path, good).unwrap();
    let (code, out, err) = app.cli(&["dues", "import-payments", path.to_str().unwrap()]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(count().await, before + 1);
    // The same month again is a duplicate: refused as a whole.
    let (code, _, err) = app.cli(&["dues", "import-payments", path.to_str().unwrap()]).await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(count().await, before + 1);
}
