//! `dangwu gen` and `dangwu bench --quick` through the real binary: the generator is
//! deterministic, audited and leaves work for compliance to find; the benchmark harness runs and
//! prints every figure (no timing is asserted: benchmarks are not tests).

use serde_json::Value;

use crate::harness::{TestDb, pg_admin_url};

const GEN: &[&str] = &["gen", "--orgs", "30", "--members", "600", "--years", "1", "--seed", "7"];

async fn json(db: &TestDb, args: &[&str]) -> Value {
    let (code, out, err) = db.cli(args).await;
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {out}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_is_deterministic_audited_and_partly_non_compliant() {
    let (a, b) = (TestDb::new().await, TestDb::new().await);
    for db in [&a, &b] {
        let (code, out, err) = db.cli(GEN).await;
        assert_eq!(code, 0, "gen: {err}");
        assert!(out.contains("已生成：30个党组织、600名党员"), "{out}");
    }
    // Same options, same city: ids, names and paths alike.
    let orgs = json(&a, &["org", "list", "--json"]).await;
    assert_eq!(orgs, json(&b, &["org", "list", "--json"]).await);
    let kinds: Vec<&str> = orgs.as_array().unwrap().iter().map(|o| o["kind"].as_str().unwrap()).collect();
    for k in ["committee", "branch", "cell"] {
        assert!(kinds.contains(&k), "no {k} in the generated tree: {kinds:?}");
    }
    let members = json(&a, &["member", "list", "--json"]).await;
    assert_eq!(members.as_array().unwrap().len(), 600);
    assert_eq!(members, json(&b, &["member", "list", "--json"]).await);

    let (code, out, err) = a.cli(&["audit", "verify"]).await;
    assert_eq!(code, 0, "audit verify after gen: {out}{err}");

    // Realistic: most obligations met, some not.
    let findings = json(&a, &["check", "--period", "2022Q4", "--json"]).await;
    let status = |s: &str| findings.as_array().unwrap().iter().filter(|f| f["status"] == s).count();
    assert!(status("ok") > 0 && status("ok") > 5 * (status("missing") + status("insufficient")), "ok {} / red {}", status("ok"), status("missing") + status("insufficient"));
    assert!(status("missing") + status("insufficient") > 0, "the generator should leave some non-compliance");

    // Supervision records too: ledgers with items, most but not all closed, and campaigns.
    let ledgers = json(&a, &["ledger", "list", "--json"]).await;
    let ledgers = ledgers.as_array().unwrap();
    let sum = |k: &str| ledgers.iter().map(|l| l[k].as_i64().unwrap()).sum::<i64>();
    assert!(ledgers.len() >= 2, "ledgers: {ledgers:?}");
    assert!(sum("items") >= 8 && sum("closed") > 0 && sum("closed") < sum("items"), "items {} closed {}", sum("items"), sum("closed"));
    let campaigns = json(&a, &["campaign", "list", "--json"]).await;
    assert!(!campaigns.as_array().unwrap().is_empty(), "no campaign generated");

    // Only into an empty database.
    let (code, _, err) = a.cli(GEN).await;
    assert_ne!(code, 0);
    assert!(err.contains("只写入空数据库"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_quick_prints_every_figure() {
    let db = TestDb::new().await;
    let pg = pg_admin_url();
    let mut args = vec!["bench", "--quick"];
    if let Some(url) = &pg {
        args.extend(["--no-sqlite", "--pg", url.as_str()]);
    }
    let out_file = db.dir.path().join("bench.md");
    let out_path = out_file.display().to_string();
    args.extend(["--out", out_path.as_str()]);
    let (code, out, err) = db.cli(&args).await;
    assert_eq!(code, 0, "bench --quick: {out}{err}");
    let table = if pg.is_some() { "### PostgreSQL" } else { "### SQLite" };
    for want in [table, "落实情况：全市一个季度", "一条SQL聚合", "季度报告：全市", "一条SQL汇总", "党费核定表", "名册导入：1000行", "名册接口：64个并发客户端", "/healthz", "服务器内存"] {
        assert!(out.contains(want), "bench output lacks {want}:\n{out}");
    }
    assert_eq!(std::fs::read_to_string(&out_file).unwrap().trim(), out.trim());
}
