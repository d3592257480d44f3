//! Commands end to end on temporary SQLite data directories, through the same entry as `main`.

use std::path::Path;


use crate::cli::{Cli, GlobalOpts};
use crate::run_async;

/// Runs `dangwu ARGS --data DIR` on SQLite whatever DANGWU_DATABASE_URL / DANGWU_KEY_FILE say.
async fn dangwu(dir: &Path, args: &[&str]) -> anyhow::Result<i32> {
    let d = dir.to_str().unwrap().to_owned();
    let key = dir.join("dangwu.key").to_str().unwrap().to_owned();
    let mut all: Vec<String> = vec!["dangwu".into()];
    all.extend(args.iter().map(|s| s.to_string()));
    all.extend(["--data".into(), d, "--database-url".into(), String::new(), "--key-file".into(), key]);
    run_async(all).await
}

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::parse_args(args.iter().map(|s| s.to_string()))
}

fn opts(dir: &Path) -> GlobalOpts {
    let d = dir.to_str().unwrap();
    let k = dir.join("dangwu.key");
    parse(&["dangwu", "migrate", "--data", d, "--database-url", "", "--key-file", k.to_str().unwrap()]).unwrap().global
}

fn sorted_rows(file: &Path) -> Vec<Vec<(String, String)>> {
    let rows = dangwu_docgen::read_roster(&std::fs::read(file).unwrap(), 1000).unwrap();
    let mut out: Vec<Vec<(String, String)>> = rows.into_iter().map(|r| r.cells.into_iter().collect()).collect();
    out.sort();
    out
}

#[tokio::test]
async fn export_import_round_trip_and_audit() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(dangwu(a.path(), &["demo", "--no-serve"]).await.unwrap(), 0);
    let x = a.path().join("x.xlsx");
    assert_eq!(dangwu(a.path(), &["member", "export", x.to_str().unwrap()]).await.unwrap(), 0);
    // Importing into the same bureau: every row is a duplicate, nothing is written.
    assert_eq!(dangwu(a.path(), &["member", "import", x.to_str().unwrap()]).await.unwrap(), 1);

    // A fresh data directory with the same organisation tree takes the export as is.
    let store = crate::open_store(&opts(b.path())).await.unwrap();
    crate::demo::create_tree(&store, crate::today()).await.unwrap();
    store.db.close().await;
    assert_eq!(dangwu(b.path(), &["member", "import", x.to_str().unwrap(), "--dry-run"]).await.unwrap(), 0);
    assert_eq!(dangwu(b.path(), &["member", "import", x.to_str().unwrap()]).await.unwrap(), 0);
    let y = b.path().join("y.xlsx");
    assert_eq!(dangwu(b.path(), &["member", "export", y.to_str().unwrap()]).await.unwrap(), 0);
    let (rx, ry) = (sorted_rows(&x), sorted_rows(&y));
    assert_eq!(rx.len(), 179);
    assert_eq!(rx, ry, "export → import → export changes nothing");
    assert_eq!(dangwu(b.path(), &["audit", "verify"]).await.unwrap(), 0);

    // Editing one log row directly in the database breaks the chain at that row.
    assert_eq!(dangwu(a.path(), &["audit", "verify"]).await.unwrap(), 0);
    let store = crate::open_store(&opts(a.path())).await.unwrap();
    let mut tx = store.db.begin().await.unwrap();
    tx.exec("UPDATE audit_log SET detail = 'x' WHERE seq = 5", vec![]).await.unwrap();
    tx.commit().await.unwrap();
    store.db.close().await;
    assert_eq!(dangwu(a.path(), &["audit", "verify"]).await.unwrap(), 2);
}

#[tokio::test]
async fn user_commands() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    assert_eq!(dangwu(p, &["migrate"]).await.unwrap(), 0);
    let e = dangwu(p, &["user", "add", "boss", "--role", "admin", "--password", "short"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("密码至少8位"), "{e:#}");
    let e = dangwu(p, &["user", "add", "boss", "--role", "king"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("角色“king”无效"), "{e:#}");
    let e = dangwu(p, &["user", "add", "sec", "--role", "org_admin"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("组织管理员须指定"), "{e:#}");
    assert_eq!(dangwu(p, &["user", "add", "boss", "--role", "admin", "--name", "党建办"]).await.unwrap(), 0);
    assert!(dangwu(p, &["user", "add", "boss", "--role", "admin"]).await.is_err(), "duplicate username");
    assert_eq!(dangwu(p, &["user", "passwd", "boss", "--password", "New@Pass2024"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["user", "token", "boss", "--name", "脚本"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["user", "list", "--json"]).await.unwrap(), 0);
    assert!(dangwu(p, &["user", "passwd", "nobody"]).await.is_err());

    let store = crate::open_store(&opts(p)).await.unwrap();
    let u = dangwu_store::users::by_username(&store, "boss").await.unwrap().unwrap();
    assert!(dangwu_domain::passhash::verify_password("New@Pass2024", &u.password_hash));
    assert_eq!(u.display_name, "党建办");
    assert!(matches!(
        dangwu_store::audit::verify(&store.db).await.unwrap(),
        dangwu_store::audit::Verification::Intact { entries: 3 }
    ));
}

#[test]
fn global_options_before_or_after_the_command() {
    let c = parse(&["dangwu", "--data", "/x", "org", "list", "--json"]).unwrap();
    assert_eq!(c.global.data, Path::new("/x"));
    let c = parse(&["dangwu", "member", "list", "--json", "--data", "/y", "--key-file", "/k"]).unwrap();
    assert_eq!((c.global.data.as_path(), c.global.key_path()), (Path::new("/y"), "/k".into()));
    let c = parse(&["dangwu", "serve", "--database-url", "postgres://u@h/db"]).unwrap();
    assert_eq!(c.global.database_url.as_deref(), Some("postgres://u@h/db"));
    let c = parse(&["dangwu", "audit", "verify", "--database-url", ""]).unwrap();
    assert_eq!(c.global.key_path(), Path::new("./dangwu-data/dangwu.key"));
    assert!(parse(&["dangwu", "frobnicate"]).is_err());
    Cli::localized_command().debug_assert();
    let e = parse(&["dangwu", "frobnicate"]).unwrap_err();
    assert_eq!(crate::cli::usage_error_zh(&e).unwrap(), "错误：未知命令“frobnicate”。用 dangwu --help（或 dangwu 命令 --help）查看用法。");
    let e = parse(&["dangwu", "user", "add", "x"]).unwrap_err();
    assert!(crate::cli::usage_error_zh(&e).unwrap().contains("缺少必填参数：--role <ROLE>"));
    let help = parse(&["dangwu", "member", "import", "--help"]).unwrap_err().render().to_string();
    assert!(help.contains("参数:") && help.contains("选项:") && help.contains("通用选项:") && !help.contains("Options:"), "{help}");
}

async fn activity_count(dir: &Path) -> usize {
    let store = crate::open_store(&opts(dir)).await.unwrap();
    let f = dangwu_store::activities::ActivityFilter { limit: 5000, ..Default::default() };
    let n = dangwu_store::activities::list(&store, &crate::cli_principal(), &f).await.unwrap().len();
    store.db.close().await;
    n
}

#[tokio::test]
async fn rules_check_activity_and_material_commands() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    assert_eq!(dangwu(p, &["demo", "--no-serve"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["rules", "list"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["rules", "list", "--json"]).await.unwrap(), 0);
    // A report: red findings do not make it fail.
    assert_eq!(dangwu(p, &["check", "--period", "2022Q1"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["check", "--period", "2022Q1", "--json"]).await.unwrap(), 0);
    let e = dangwu(p, &["check", "--period", "2022Q5"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("--period"), "{e:#}");

    let store = crate::open_store(&opts(p)).await.unwrap();
    let c = dangwu_store::compliance::check(&store, &crate::cli_principal(), None, "2022Q1".parse().unwrap(), crate::today()).await.unwrap();
    let findings = dangwu_web::api::dto::FindingDto::list(&c, &store.rulebook);
    let text = super::check::render(&c, &findings, &store.catalogue, crate::today());
    for want in ["✓ 党组会、中心组学习落实“第一议题”制度", "✗ 党小组会一般每月召开1次", "未达到法定人数", "依据：《中国共产党支部工作条例（试行）》第十二条", "✗ 未落实5项"] {
        assert!(text.contains(want), "{want} in:\n{text}");
    }
    let json = serde_json::to_value(&findings).unwrap();
    for k in ["rule_id", "org_id", "period", "expected", "actual", "status", "citation", "record_ids", "org_name", "rule_title", "note"] {
        assert!(json[0].get(k).is_some(), "finding has {k}: {}", json[0]);
    }
    let branch = dangwu_store::orgs::list(&store, &crate::cli_principal(), false).await.unwrap().into_iter().find(|o| o.name == "市全民健身服务中心党支部").unwrap();
    let roster = dangwu_store::activities::roster(&store, &branch.id).await.unwrap();
    let sixth = dangwu_store::materials::list(&store).await.unwrap().into_iter().find(|m| m.title == "十九届六中全会精神").unwrap();
    store.db.close().await;

    // activity add: everything wrong at once is reported by field, and nothing is written.
    let before = activity_count(p).await;
    let (m0, m1) = (roster[0].0.to_string(), roster[1].0.to_string());
    let bad = ["activity", "add", "--org", &branch.id, "--kind", "chat", "--kind", "party_group_meeting", "--title", "补记", "--date", "2099-01-01", "--absent", &m0];
    assert_eq!(dangwu(p, &bad).await.unwrap(), 1);
    assert!(dangwu(p, &["activity", "add", "--org", "x", "--kind", "talk", "--title", "t", "--date", "2022-01-01"]).await.is_err());
    assert_eq!(activity_count(p).await, before);
    let absent = format!("{m1}:因公出差");
    let good = [
        "activity", "add", "--org", &branch.id, "--kind", "committee_meeting", "--title", "2月支部委员会会议（补记）", "--date", "2022-02-28",
        "--host", "书记", "--recorder", "委员", "--topics", "研究工作", "--present", &m0, "--absent", &absent, "--guest", "列席人", "--material", &sixth.id,
    ];
    assert_eq!(dangwu(p, &good).await.unwrap(), 0);
    assert_eq!(activity_count(p).await, before + 1);
    assert_eq!(dangwu(p, &["activity", "list", "--org", &branch.id, "--kind", "committee_meeting", "--json"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["activity", "list", "--from", "2022-01-01", "--to", "2022-03-31"]).await.unwrap(), 0);
    assert!(dangwu(p, &["activity", "list", "--kind", "chat"]).await.is_err());
    assert!(dangwu(p, &["activity", "list", "--from", "2022-03-01", "--to", "2022-01-01"]).await.is_err());

    // material list|add
    assert_eq!(dangwu(p, &["material", "list", "--json"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["material", "add", "--title", "学习资料", "--kind", "文件", "--issued-on", "2022-03-01"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["material", "add", "--title", "学习资料", "--kind", "document"]).await.unwrap(), 1, "duplicate title");
    assert!(dangwu(p, &["material", "add", "--title", "x", "--kind", "novel"]).await.is_err());

    // A broken rulebook override: every command refuses to start, naming file, line and key.
    let rules = p.join("rulebook").join("rules.toml");
    std::fs::create_dir_all(rules.parent().unwrap()).unwrap();
    std::fs::write(&rules, "[[rule]]\nid = \"talk_yearly\"\nminimum = \"三\"\n").unwrap();
    for args in [&["org", "list"][..], &["check", "--period", "2022Q1"], &["rules", "list"], &["activity", "list"], &["migrate"]] {
        let e = dangwu(p, args).await.unwrap_err();
        let m = format!("{e:#}");
        assert!(m.contains(&rules.display().to_string()) && m.contains("第3行") && m.contains("talk_yearly.minimum"), "{args:?}: {m}");
    }
    let serve = tokio::time::timeout(std::time::Duration::from_secs(30), dangwu(p, &["serve", "--listen", "127.0.0.1:0"]));
    let e = serve.await.expect("serve refuses at once instead of serving").unwrap_err();
    assert!(format!("{e:#}").contains("规则库有误"), "{e:#}");
    // A valid override applies.
    std::fs::write(&rules, "[[rule]]\nid = \"central_group_study_monthly\"\nminimum = 2\n").unwrap();
    let store = crate::open_store(&opts(p)).await.unwrap();
    assert_eq!(store.rulebook.rule("central_group_study_monthly").unwrap().minimum, 2);
    store.db.close().await;
}
