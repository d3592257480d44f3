//! `dangwu dues …` end to end on a temporary SQLite data directory holding the demo bureau.

use std::path::Path;

use dangwu_store::dues;

use crate::cli::{Cli, GlobalOpts};
use crate::run_async;

async fn dangwu(dir: &Path, args: &[&str]) -> anyhow::Result<i32> {
    let mut all: Vec<String> = vec!["dangwu".into()];
    all.extend(args.iter().map(|s| s.to_string()));
    let key = dir.join("dangwu.key").to_str().unwrap().to_owned();
    all.extend(["--data".into(), dir.to_str().unwrap().to_owned(), "--database-url".into(), String::new(), "--key-file".into(), key]);
    run_async(all).await
}

fn opts(dir: &Path) -> GlobalOpts {
    let (d, k) = (dir.to_str().unwrap(), dir.join("dangwu.key"));
    let args = ["dangwu", "migrate", "--data", d, "--database-url", "", "--key-file", k.to_str().unwrap()];
    Cli::parse_args(args.iter().map(|s| s.to_string())).unwrap().global
}

async fn count(dir: &Path, sql: &str) -> i64 {
    let store = crate::open_store(&opts(dir)).await.unwrap();
    let n = store.db.read().scalar(sql, vec![]).await.unwrap();
    store.db.close().await;
    n
}

#[tokio::test]
async fn dues_commands_on_the_demo_bureau() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    assert_eq!(dangwu(p, &["dues", "calc", "--category", "in_service", "--base", "5100.00"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["dues", "calc", "--category", "retired", "--base", "5000.01", "--json"]).await.unwrap(), 0);
    let e = dangwu(p, &["dues", "calc", "--category", "in_service", "--base", "-1"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("不能为负数"), "{e:#}");
    assert!(dangwu(p, &["dues", "calc", "--category", "worker", "--base", "1"]).await.is_err());
    assert_eq!(dangwu(p, &["demo", "--no-serve"]).await.unwrap(), 0);

    let store = crate::open_store(&opts(p)).await.unwrap();
    let cli = crate::cli_principal();
    let orgs = dangwu_store::orgs::list(&store, &cli, false).await.unwrap();
    let jg = orgs.iter().find(|o| o.name == "机关党支部").unwrap().id.clone();
    let rows = dues::for_org(&store, &cli, jg.parse().unwrap(), 2022).await.unwrap();
    let people: Vec<(String, String)> =
        rows.iter().filter(|r| r.dues_category == "in_service").take(2).map(|r| (r.member_id.clone(), r.name.clone())).collect();
    let mut people2 = Vec::new();
    for (id, name) in &people {
        let m = dangwu_store::members::get(&store, &cli, id.parse().unwrap()).await.unwrap().member;
        people2.push((id.clone(), name.clone(), store.keys.decrypt(&m.id_card_enc).unwrap()));
    }
    let rules = store.dues.clone();
    store.db.close().await;

    // The 2023 base sheet: a template, then a filled sheet; a bad row refuses the whole file.
    let template = p.join("base.xlsx");
    assert_eq!(dangwu(p, &["dues", "import-base", template.to_str().unwrap(), "--year", "2023", "--template"]).await.unwrap(), 0);
    assert!(dangwu_docgen::dues_sheet::read_base_sheet(&std::fs::read(&template).unwrap(), &rules, 10).unwrap().is_empty());
    let heads = dangwu_docgen::dues_sheet::base_headers(&rules);
    let row = |name: &str, id: &str, salary: &str, tax: &str| {
        let mut r = vec![String::new(); heads.len()];
        for (h, v) in [("姓名", name), ("身份证号", id), ("人员类别", "机关"), ("职务工资", salary), ("级别工资", "2600"), ("规范津贴补贴", "3500"), ("扣除", "2100"), ("个税", tax)] {
            r[heads.iter().position(|x| *x == h).unwrap()] = v.to_owned();
        }
        r
    };
    let good: Vec<Vec<String>> = people2.iter().map(|(_, n, id)| row(n, id, "3200", "45")).collect();
    let mut bad = good.clone();
    bad.push(row("无名氏", "110105194912310021", "abc", "-5"));
    let sheet = p.join("bad.xlsx");
    std::fs::write(&sheet, dangwu_docgen::dues_sheet::write_base_sheet(&rules, &bad).unwrap()).unwrap();
    assert_eq!(dangwu(p, &["dues", "import-base", sheet.to_str().unwrap(), "--year", "2023"]).await.unwrap(), 1);
    let y2023 = "SELECT COUNT(*) FROM dues_verifications WHERE year = 2023";
    assert_eq!(count(p, y2023).await, 0, "a bad sheet writes nothing");
    std::fs::write(&sheet, dangwu_docgen::dues_sheet::write_base_sheet(&rules, &good).unwrap()).unwrap();
    assert_eq!(dangwu(p, &["dues", "import-base", sheet.to_str().unwrap(), "--year", "2023", "--dry-run"]).await.unwrap(), 0);
    assert_eq!(count(p, y2023).await, 0);
    assert_eq!(dangwu(p, &["dues", "import-base", sheet.to_str().unwrap(), "--year", "2023"]).await.unwrap(), 0);
    assert_eq!(count(p, y2023).await, 2);
    assert_eq!(dangwu(p, &["dues", "confirm", "--org", &jg, "--year", "2023"]).await.unwrap(), 0);
    assert_eq!(count(p, "SELECT COUNT(*) FROM dues_verifications WHERE year = 2023 AND status = 'confirmed'").await, 2);
    // 9300 − 2100 − 45 = 7155 → 1.5% = 107.33 (half-up from 107.325).
    assert_eq!(count(p, "SELECT MAX(amount_fen) FROM dues_verifications WHERE year = 2023").await, 10733);
    assert_eq!(dangwu(p, &["dues", "import-base", sheet.to_str().unwrap(), "--year", "2023"]).await.unwrap(), 1, "locked");

    // Tables and sheets.
    assert_eq!(dangwu(p, &["dues", "verify", "--org", &jg, "--year", "2022", "--json"]).await.unwrap(), 0);
    let ledger = p.join("ledger.xlsx");
    assert_eq!(dangwu(p, &["dues", "ledger", "--org", &jg, "--year", "2022", "--out", ledger.to_str().unwrap()]).await.unwrap(), 0);
    let back = dangwu_docgen::read_table(&std::fs::read(&ledger).unwrap(), dangwu_docgen::dues_ledger::ledger_columns(), 100).unwrap();
    assert_eq!(back.len(), 47, "46 members and the totals row");
    assert_eq!(back[46].get("name"), "合计");

    // Payments: a month already paid is refused; arrears and the reconciliation report.
    let member = &people2[0].0;
    let e = dangwu(p, &["dues", "pay", "--member", member, "--months", "2022-03", "--paid-on", "2022-03-30"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("不能重复登记"), "{e:#}");
    let before = count(p, "SELECT COUNT(*) FROM dues_payments").await;
    let e = dangwu(p, &["dues", "pay", "--member", member, "--months", "2022-01", "--paid-on", "2022-09-01"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("补交党费一般不超过6个月"), "{e:#}");
    assert_eq!(count(p, "SELECT COUNT(*) FROM dues_payments").await, before);
    assert_eq!(dangwu(p, &["dues", "arrears", "--json"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["dues", "arrears", "--org", &jg, "--as-of", "2022-04-15"]).await.unwrap(), 0);
    assert_eq!(dangwu(p, &["dues", "reconcile", "--org", &jg, "--period", "2022Q1"]).await.unwrap(), 0);
    let e = dangwu(p, &["dues", "remit", "--org", &jg, "--period", "2022-03", "--amount", "1", "--date", "2022-04-01", "--voucher", "V"]).await.unwrap_err();
    assert!(format!("{e:#}").contains("每季度"), "{e:#}");
    assert_eq!(dangwu(p, &["audit", "verify"]).await.unwrap(), 0);
}
