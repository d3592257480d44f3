//! Roster import from .xlsx through the web page and the CLI: a good file adds its rows; every
//! kind of broken file gets a Chinese message naming the row and column and writes nothing.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::harness::*;
use crate::xlsx::{HEADERS, Person, people, roster, roster_without, workbook};

/// POSTs a file to /members/import as the page's form does: (status, page HTML).
pub async fn ui_import(s: &Session, bytes: Vec<u8>, file_name: &str, org: Option<&str>, dry_run: bool) -> (StatusCode, String) {
    let mut form = Form::new()
        .text("csrf_token", s.csrf.clone())
        .part("file", Part::bytes(bytes).file_name(file_name.to_owned()).mime_str(XLSX_MIME).unwrap());
    if let Some(o) = org {
        form = form.text("org", o.to_owned());
    }
    if dry_run {
        form = form.text("dry_run", "1");
    }
    let r = s.http.post(s.url("/members/import")).multipart(form).send().await.expect("import request");
    let status = r.status();
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut body = r.text().await.unwrap();
    // A redirect after success (PRG): the outcome is on the page it leads to.
    if let (true, Some(loc)) = (status.is_redirection(), location) {
        body = s.get(&loc).await.1;
    }
    (status, body)
}

/// Does some line, list item or table row of `out` name both Excel row `row` and column `col`?
pub fn names_row_and_column(out: &str, row: usize, col: &str) -> bool {
    let chunks = out.split("<tr").flat_map(|c| c.split("<li")).flat_map(|c| c.split('\n'));
    chunks.map(text_of).any(|t| t.contains(col) && has_number(&t, row))
}

fn has_number(t: &str, n: usize) -> bool {
    let n = n.to_string();
    let b = t.as_bytes();
    let mut from = 0;
    while let Some(i) = t[from..].find(&n) {
        let at = from + i;
        let before_ok = at == 0 || !b[at - 1].is_ascii_digit();
        let after = at + n.len();
        let after_ok = after >= b.len() || !b[after].is_ascii_digit();
        if before_ok && after_ok {
            return true;
        }
        from = at + 1;
    }
    false
}

/// A broken file and what the answer must say.
struct Broken {
    what: &'static str,
    file_name: &'static str,
    bytes: Vec<u8>,
    /// (Excel row, column header) the message must name together, if the problem is in a row.
    row_col: Option<(usize, &'static str)>,
    /// Words the message must contain (all of them).
    words: &'static [&'static str],
}

async fn broken_files(app: &TestApp, org_name: &str, out_of_scope: Option<&str>) -> Vec<Broken> {
    let mut v = Vec::new();

    // Row 37 (the 36th data row) has an ID number with a wrong check digit.
    let mut p = people(40, org_name, 2);
    p[35].id = bad_check(&p[35].id);
    v.push(Broken { what: "invalid ID number in row 37", file_name: "row37.xlsx", bytes: roster(&p), row_col: Some((37, "身份证号")), words: &[] });

    // Row 9 repeats row 5's ID number.
    let mut p = people(10, org_name, 3);
    p[7].id = p[3].id.clone();
    v.push(Broken { what: "duplicate ID number within the file", file_name: "dup.xlsx", bytes: roster(&p), row_col: Some((9, "身份证号")), words: &["重复"] });

    // Row 3 has the ID number of a member already on the roster.
    let existing = members_of(&app.store, None).await.remove(0).member;
    let mut p = people(3, org_name, 4);
    p[1].id = app.store.keys.decrypt(&existing.id_card_enc).unwrap();
    v.push(Broken { what: "ID number already registered", file_name: "taken.xlsx", bytes: roster(&p), row_col: Some((3, "身份证号")), words: &[] });

    // The required 身份证号 column is missing.
    v.push(Broken {
        what: "missing required column",
        file_name: "nocol.xlsx",
        bytes: roster_without(&people(3, org_name, 5), "身份证号"),
        row_col: None,
        words: &["身份证号", "缺少"],
    });

    // A required cell left empty (姓名 in row 6).
    let mut rows: Vec<Vec<String>> = people(6, org_name, 6).iter().map(Person::cells).collect();
    rows[4][0] = String::new();
    v.push(Broken { what: "empty name", file_name: "noname.xlsx", bytes: workbook(&HEADERS, &rows), row_col: Some((6, "姓名")), words: &[] });

    // Not a spreadsheet at all, and a zip that is not an xlsx.
    v.push(Broken {
        what: "corrupt upload",
        file_name: "roster.xlsx",
        bytes: "姓名,身份证号\n张三,110101199003071234\n".as_bytes().to_vec(),
        row_col: None,
        words: &["Excel"],
    });
    let mut zipish = b"PK\x03\x04".to_vec();
    zipish.extend(std::iter::repeat_n(0u8, 300));
    v.push(Broken { what: "truncated zip", file_name: "broken.xlsx", bytes: zipish, row_col: None, words: &["Excel"] });

    // Row 4 names an organisation the importer may not use (or that does not exist).
    let mut p = people(5, org_name, 7);
    p[2].org = out_of_scope.unwrap_or("不存在的第九党支部").to_owned();
    v.push(Broken { what: "org outside scope", file_name: "scope.xlsx", bytes: roster(&p), row_col: Some((4, "所在党组织")), words: &[] });
    v
}

fn check_message(b: &Broken, out: &str) {
    if let Some((row, col)) = b.row_col {
        assert!(names_row_and_column(out, row, col), "{}: the message must name row {row} and column {col}:\n{}", b.what, text_of(out));
    }
    for w in b.words {
        assert!(text_of(out).contains(w), "{}: the message must say “{w}”:\n{}", b.what, text_of(out));
    }
    assert!(crate::scoping::has_cjk(&text_of(out)), "{}: the message is in Chinese", b.what);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_file_imported_through_the_page_adds_its_rows() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let s1 = app.login("secretary1").await;

    // Import page exists and offers the form.
    let (status, page) = s1.get("/members/import").await;
    assert_eq!(status, StatusCode::OK, "GET /members/import");
    assert!(page.contains("type=\"file\""), "the import page has a file input");

    let mut p = people(6, &b[0].name, 1);
    // Rows without 所在党组织 go to the org chosen on the form.
    for x in p.iter_mut().skip(3) {
        x.org = String::new();
    }
    let file = roster(&p);
    let before = fingerprint(&app.store).await;

    let (status, out) = ui_import(&s1, file.clone(), "名册.xlsx", Some(&b[0].id), true).await;
    assert!(status.is_success() || status.is_redirection(), "dry run of a good file: {status}\n{}", text_of(&out));
    assert_eq!(fingerprint(&app.store).await, before, "a dry run writes nothing");

    let (status, out) = ui_import(&s1, file, "名册.xlsx", Some(&b[0].id), false).await;
    assert!(status.is_success() || status.is_redirection(), "import of a good file: {status}\n{}", text_of(&out));
    let (members, log) = fingerprint(&app.store).await;
    assert_eq!(members, before.0 + 6, "6 members added");
    assert!(log > before.1, "the import is in the audit log");
    let now = members_of(&app.store, Some(&b[0])).await;
    for x in &p {
        let m = now.iter().find(|m| m.member.name == x.name).unwrap_or_else(|| panic!("{} imported into {}", x.name, b[0].name));
        assert_eq!(app.store.keys.decrypt(&m.member.id_card_enc).unwrap(), x.id, "ID number stored");
        assert_eq!(m.member.status, if x.probationary { "probationary" } else { "full" });
    }

    // The same file again: every row is now a duplicate, nothing changes.
    let again = fingerprint(&app.store).await;
    let (_, out) = ui_import(&s1, roster(&p), "名册.xlsx", Some(&b[0].id), false).await;
    assert!(names_row_and_column(&out, 2, "身份证号"), "re-import names the duplicate rows:\n{}", text_of(&out));
    assert_eq!(fingerprint(&app.store).await, again);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_files_uploaded_through_the_page_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let s1 = app.login("secretary1").await;
    let before = fingerprint(&app.store).await;
    for case in broken_files(&app, &b[0].name, Some(&b[1].name)).await {
        let (status, out) = ui_import(&s1, case.bytes.clone(), case.file_name, None, false).await;
        assert!(status.is_client_error(), "{}: a refused import answers 4xx, got {status}\n{}", case.what, text_of(&out));
        check_message(&case, &out);
        assert_eq!(fingerprint(&app.store).await, before, "{}: members and audit log unchanged", case.what);
    }
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_upload_is_refused_with_a_chinese_message() {
    let cfg = dangwu_web::WebConfig { max_upload_bytes: 64 * 1024, ..Default::default() };
    let app = TestApp::spawn_with(cfg).await;
    let b = branches(&app.store).await;
    let s1 = app.login("secretary1").await;
    let before = fingerprint(&app.store).await;
    // Just over the limit (the request body still fits the server's overall body limit) …
    let mut big = roster(&people(3, &b[0].name, 8));
    big.resize(64 * 1024 + 2048, 0);
    let (status, out) = ui_import(&s1, big, "big.xlsx", None, false).await;
    assert!(status.is_client_error(), "oversized upload: {status}");
    let t = text_of(&out);
    assert!(["过大", "超过", "太大", "上限"].iter().any(|w| t.contains(w)), "oversized: message says the file is too large:\n{t}");
    assert!(!t.contains("不是有效的"), "oversized: the size is the reason given, not the content:\n{t}");
    // … and far over it.
    let huge = vec![b'x'; 2 * 1024 * 1024];
    let form = Form::new()
        .text("csrf_token", s1.csrf.clone())
        .part("file", Part::bytes(huge).file_name("huge.xlsx").mime_str(XLSX_MIME).unwrap());
    match s1.http.post(s1.url("/members/import")).multipart(form).send().await {
        Ok(r) => {
            let status = r.status();
            let t = text_of(&r.text().await.unwrap_or_default());
            assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "2 MiB upload with a 64 KiB limit");
            assert!(crate::scoping::has_cjk(&t), "the 413 answer is in Chinese: {t}");
        }
        // The server may close the connection before reading the whole body; then nothing was read either.
        Err(e) => eprintln!("2 MiB upload: connection closed by the server ({e})"),
    }
    assert_eq!(fingerprint(&app.store).await, before, "oversized uploads wrote nothing");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_import_adds_a_good_file_and_refuses_broken_ones() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let dir = tempfile::tempdir().unwrap();

    // A good file spread over three branches; dry run first.
    let mut p = people(3, &b[0].name, 9);
    p.extend(people(2, &b[3].name, 10));
    p.extend(people(2, &b[5].name, 12));
    let good = dir.path().join("good.xlsx");
    std::fs::write(&good, roster(&p)).unwrap();
    let before = fingerprint(&app.store).await;
    let (code, out, err) = app.cli(&["member", "import", good.to_str().unwrap(), "--dry-run"]).await;
    assert_eq!(code, 0, "dry run of a good file:\n{out}\n{err}");
    assert_eq!(fingerprint(&app.store).await, before, "--dry-run writes nothing");
    let (code, out, err) = app.cli(&["member", "import", good.to_str().unwrap()]).await;
    assert_eq!(code, 0, "import of a good file:\n{out}\n{err}");
    let (members, log) = fingerprint(&app.store).await;
    assert_eq!(members, before.0 + 7);
    assert!(log > before.1, "the import is in the audit log");
    if app.db.is_pg() {
        // The planner's row count is refreshed by the import (ANALYZE), not left to autovacuum.
        let rows: i64 = app.store.db.read().scalar("SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = 'members'::regclass", vec![]).await.unwrap();
        assert_eq!(rows, members, "PostgreSQL's statistics count the imported members");
    }
    let in_b3 = members_of(&app.store, Some(&b[3])).await;
    assert!(p[3..5].iter().all(|x| in_b3.iter().any(|m| m.member.name == x.name)), "rows went to their 所在党组织");

    // --org: rows without 所在党组织 go there.
    let mut q = people(2, "", 13);
    q.iter_mut().for_each(|x| x.org.clear());
    let f = dir.path().join("default-org.xlsx");
    std::fs::write(&f, roster(&q)).unwrap();
    let (code, out, err) = app.cli(&["member", "import", f.to_str().unwrap(), "--org", &b[4].id]).await;
    assert_eq!(code, 0, "import with --org:\n{out}\n{err}");
    let in_b4 = members_of(&app.store, Some(&b[4])).await;
    assert!(q.iter().all(|x| in_b4.iter().any(|m| m.member.name == x.name)), "--org places rows without 所在党组织");

    let before = fingerprint(&app.store).await;
    for case in broken_files(&app, &b[2].name, None).await {
        let f = dir.path().join(case.file_name);
        std::fs::write(&f, &case.bytes).unwrap();
        let (code, out, err) = app.cli(&["member", "import", f.to_str().unwrap()]).await;
        assert_ne!(code, 0, "{}: exit code\n{out}\n{err}", case.what);
        check_message(&case, &err);
        if let Some((row, _)) = case.row_col {
            assert!(err.contains(&format!("第{row}行")), "{}: stderr names 第{row}行:\n{err}", case.what);
        }
        assert_eq!(fingerprint(&app.store).await, before, "{}: members and audit log unchanged", case.what);
    }
    // A file that does not exist.
    let (code, _, err) = app.cli(&["member", "import", dir.path().join("missing.xlsx").to_str().unwrap()]).await;
    assert_ne!(code, 0);
    assert!(crate::scoping::has_cjk(&err), "missing file: Chinese message: {err}");
    app.shutdown().await;
}

#[test]
fn row_and_column_matching() {
    assert!(names_row_and_column("第37行 身份证号：校验位不正确", 37, "身份证号"));
    assert!(names_row_and_column("<tr><td>37</td><td>身份证号</td><td>校验位不正确</td></tr>", 37, "身份证号"));
    assert!(!names_row_and_column("<tr><td>137</td><td>身份证号</td></tr>", 37, "身份证号"));
    assert!(!names_row_and_column("<tr><td>37</td><td>姓名</td></tr><tr><td>38</td><td>身份证号</td></tr>", 37, "身份证号"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_through_the_page_is_scoped_and_audited() {
    let app = TestApp::spawn().await;
    let b = branches(&app.store).await;
    let s2 = app.login("secretary2").await;
    let before = audit_len(&app.store).await;
    let r = s2.http.get(s2.url("/members/export.xlsx")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(ct.contains("spreadsheetml"), "xlsx content type: {ct}");
    let bytes = r.bytes().await.unwrap();
    let rows = dangwu_docgen::read_roster(&bytes, 10_000).expect("the export reads as a roster");
    let own = members_of(&app.store, Some(&b[1])).await;
    assert_eq!(rows.len(), own.len(), "secretary2 exports their branch only");
    assert!(rows.iter().all(|r| r.get("org") == b[1].name), "every row is in {}", b[1].name);
    assert_eq!(audit_len(&app.store).await, before + 1, "the export (full ID numbers) is audited");
    // The template is a roster with the documented headers and no rows.
    let r = s2.http.get(s2.url("/members/template.xlsx")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let t = dangwu_docgen::read_roster(&r.bytes().await.unwrap(), 10).expect("template reads as a roster");
    assert!(t.is_empty());
    app.shutdown().await;
}
