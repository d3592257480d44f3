//! The measurements of one backend, in the order of BENCHMARKS.md.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Days, NaiveDate};
use dangwu_domain::auth::Role;
use dangwu_domain::crypto::sm3_hex;
use dangwu_domain::passhash::hash_password;
use dangwu_domain::password::random_token;
use dangwu_domain::period::Period;
use dangwu_domain::OrgId;
use dangwu_store::users::{self, NewUser};
use dangwu_store::{Store, compliance, dues, import, reports};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::target::Target;
use super::{Size, load};
use crate::synth::{GenSpec, generate};
use crate::{cli_actor, cli_principal};

/// One row of a table: figure, same-run baseline, their ratio and the target.
#[derive(Debug, Clone)]
pub struct Line {
    pub name: String,
    pub value: String,
    pub baseline: String,
    pub ratio: String,
    pub target: String,
}

fn line(name: &str, value: String, baseline: &str, ratio: &str, target: &str) -> Line {
    Line { name: name.into(), value, baseline: baseline.into(), ratio: ratio.into(), target: target.into() }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1_048_576.0)
}

/// Median wall time of `n` runs of `f`.
async fn median<F, Fut, T>(n: usize, mut f: F) -> anyhow::Result<(Duration, T)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n.max(1) {
        let t = Instant::now();
        last = Some(f().await?);
        times.push(t.elapsed());
    }
    times.sort_unstable();
    Ok((times[times.len() / 2], last.expect("ran at least once")))
}

pub async fn all(t: &Target, size: Size) -> anyhow::Result<Vec<Line>> {
    let store = crate::open_store(&t.global).await?;
    let mut lines = Vec::new();
    let spec = GenSpec { orgs: size.orgs, members: size.members, years: size.years, seed: 1, start_year: 2022 };
    let generated = generate(&store, &cli_actor(), &spec).await?;
    lines.push(line(
        "生成数据（dangwu gen）",
        format!("{:.1} s（{}条活动、{}笔党费）", generated.elapsed.as_secs_f64(), generated.counts.activities, generated.counts.payments),
        "—",
        "—",
        "—",
    ));
    let root = OrgId::parse(&generated.root_id)?;
    let quarter = Period::parse(&format!("{}Q4", spec.end().format("%Y")))?;
    let today = spec.end() + Days::new(1);
    lines.extend(compliance_lines(&store, root, quarter, today, size).await?);
    lines.extend(report_line(&store, root, quarter, today, size).await?);
    lines.extend(dues_lines(&store, root, quarter, size).await?);
    lines.extend(import_line(&store, size, today).await?);
    lines.extend(server_lines(t, &store, root, size).await?);
    store.db.close().await;
    Ok(lines)
}

async fn compliance_lines(store: &Store, root: OrgId, quarter: Period, today: NaiveDate, size: Size) -> anyhow::Result<Vec<Line>> {
    let p = cli_principal();
    let (ours, c) = median(size.repeats, || async { Ok(compliance::check(store, &p, Some(root), quarter, today).await?) }).await?;
    let (floor, rows) = median(size.repeats, || floor_compliance(store, root, quarter)).await?;
    Ok(vec![line(
        &format!("落实情况：全市一个季度（{}项结果）", c.findings.len()),
        ms(ours),
        &format!("{}（一条SQL聚合，{rows}行）", ms(floor)),
        &format!("{:.2}×", ours.as_secs_f64() / floor.as_secs_f64()),
        "< 500 ms，≤ 2× 基准",
    )])
}

/// The floor: the year's activity counts per organisation and kind over the subtree (what the
/// engine needs for monthly, quarterly and yearly rules) as one hand-written statement.
async fn floor_compliance(store: &Store, root: OrgId, quarter: Period) -> anyhow::Result<usize> {
    let year = Period::parse(&quarter.year().to_string())?;
    let org = dangwu_store::orgs::find(store, root).await?.context("根组织不存在")?;
    let (lo, hi) = org.org_path().subtree_range();
    let sql = "SELECT a.org_id, k.kind, COUNT(*) AS n, MIN(a.present_count * 2 - a.expected_count) AS q FROM activities a \
               JOIN activity_kinds k ON k.activity_id = a.id JOIN orgs o ON o.id = a.org_id \
               WHERE o.path >= $1 AND o.path < $2 AND a.held_on >= $3 AND a.held_on <= $4 GROUP BY a.org_id, k.kind";
    let rows: Vec<(String, String, i64, i64)> =
        store.db.read().all(sql, dangwu_store::args![lo, hi, year.start(), year.end()]).await?;
    Ok(rows.len())
}

/// The quarterly report at the root: every fact, the template rendered, the DOCX written.
async fn report_line(store: &Store, root: OrgId, quarter: Period, today: NaiveDate, size: Size) -> anyhow::Result<Vec<Line>> {
    let p = cli_principal();
    let (ours, bytes) = median(size.repeats, || async {
        let scope = reports::scope(store, &p, Some(root), quarter, today).await?;
        let g = reports::generate(store, scope, reports::template(store, "quarterly")?, today).await?;
        dangwu_docgen::report_docx::write_docx(&g.doc).map_err(|e| anyhow::anyhow!(e))
    })
    .await?;
    let (floor, rows) = median(size.repeats, || floor_report(store, root, quarter)).await?;
    Ok(vec![line(
        &format!("季度报告：全市（事实、模板、DOCX {} KB）", bytes.len() / 1024),
        ms(ours),
        &format!("{}（一条SQL汇总，{rows}行）", ms(floor)),
        &format!("{:.2}×", ours.as_secs_f64() / floor.as_secs_f64()),
        "< 1 s",
    )])
}

/// The floor of the report: the period's records it summarises — activities per kind, members per
/// status, dues collected and remitted — as one hand-written statement.
async fn floor_report(store: &Store, root: OrgId, quarter: Period) -> anyhow::Result<usize> {
    let org = dangwu_store::orgs::find(store, root).await?.context("根组织不存在")?;
    let (lo, hi) = org.org_path().subtree_range();
    let sql = "SELECT k.kind AS key, COUNT(*) AS n FROM activities a JOIN activity_kinds k ON k.activity_id = a.id \
               JOIN orgs o ON o.id = a.org_id WHERE o.path >= $1 AND o.path < $2 AND a.held_on >= $3 AND a.held_on <= $4 GROUP BY k.kind \
               UNION ALL SELECT m.status, COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id \
               WHERE o.path >= $1 AND o.path < $2 GROUP BY m.status \
               UNION ALL SELECT 'paid', CAST(COALESCE(SUM(d.amount_fen), 0) AS BIGINT) FROM dues_payments d JOIN orgs o ON o.id = d.org_id \
               WHERE o.path >= $1 AND o.path < $2 AND d.paid_on >= $3 AND d.paid_on <= $4 \
               UNION ALL SELECT 'remitted', CAST(COALESCE(SUM(r.amount_fen), 0) AS BIGINT) FROM dues_remittances r JOIN orgs o ON o.id = r.org_id \
               WHERE o.path >= $1 AND o.path < $2 AND r.period = $5";
    let rows: Vec<(String, i64)> = store
        .db
        .read()
        .all(sql, dangwu_store::args![lo, hi, quarter.start(), quarter.end(), quarter.to_string()])
        .await?;
    Ok(rows.len())
}

async fn dues_lines(store: &Store, root: OrgId, quarter: Period, size: Size) -> anyhow::Result<Vec<Line>> {
    let p = cli_principal();
    let year = quarter.year();
    let (t, rows) = median(size.repeats, || async { Ok(dues::verification::for_org(store, &p, root, year).await?) }).await?;
    Ok(vec![line(&format!("党费核定表：全市{}名党员", rows.len()), ms(t), "—", "—", "—")])
}

/// 100,000 roster rows from an .xlsx file: read, check every row, write all in one transaction.
async fn import_line(store: &Store, size: Size, today: NaiveDate) -> anyhow::Result<Vec<Line>> {
    let branch: (String,) = store
        .db
        .read()
        .opt("SELECT id FROM orgs WHERE kind = 'branch' ORDER BY path LIMIT 1", vec![])
        .await?
        .context("没有党支部")?;
    let bytes = roster_sheet(size.import_rows, today)?;
    let started = Instant::now();
    let sheet = dangwu_docgen::read_roster(&bytes, 200_000)?;
    let rows = dangwu_docgen::roster_map::to_import_rows(&sheet);
    let parsed = started.elapsed();
    let outcome = import::import_members(store, &cli_principal(), &cli_actor(), rows, Some(OrgId::parse(&branch.0)?), false, today)
        .await
        .map_err(|e| anyhow::anyhow!("名册导入失败：{e}"))?;
    let total = started.elapsed();
    Ok(vec![line(
        &format!("名册导入：{}行 .xlsx", outcome.rows),
        format!("{:.2} s（其中读取表格 {:.2} s）", total.as_secs_f64(), parsed.as_secs_f64()),
        "—",
        "—",
        "< 15 s（10万行）",
    )])
}

/// A roster sheet of `n` new members (Beijing address codes, so no number clashes with the city).
fn roster_sheet(n: usize, today: NaiveDate) -> anyhow::Result<Vec<u8>> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut ids = std::collections::HashSet::new();
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).expect("valid date");
    let end = today - Days::new(1);
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let rows: Vec<Vec<String>> = (0..n)
        .map(|_| {
            let p = crate::synth::people::person(&mut rng, start, end, &["110101", "110102", "110105", "110108"], &mut ids);
            let full = p.full_on.filter(|f| *f <= end);
            dangwu_docgen::roster_columns()
                .iter()
                .map(|c| match c.key {
                    "name" => p.name.clone(),
                    "gender" => if p.male { "男" } else { "女" }.into(),
                    "ethnicity" => "汉族".into(),
                    "birth_date" => date(p.birth),
                    "id_card_no" => p.id_card_no.clone(),
                    "education" => "大学本科".into(),
                    "joined_on" => date(p.joined),
                    "full_on" => full.map(date).unwrap_or_default(),
                    "status" => if full.is_some() { "正式党员" } else { "预备党员" }.into(),
                    "dues_category" => if p.retired { "离退休" } else { "在职" }.into(),
                    "post" => p.post.into(),
                    "is_party_worker" => "否".into(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    Ok(dangwu_docgen::write_roster(&rows)?)
}

/// The real server as a child process: the roster API under load against a trivial handler on the
/// same stack, and the server's memory idle and at its peak.
async fn server_lines(t: &Target, store: &Store, root: OrgId, size: Size) -> anyhow::Result<Vec<Line>> {
    let admin = users::create(
        store,
        &cli_actor(),
        NewUser {
            username: "bench".into(),
            display_name: "基准测试".into(),
            password_hash: hash_password(&random_token()),
            role: Role::Admin,
            scope_org_id: None,
            member_id: None,
        },
    )
    .await?;
    let token = random_token();
    users::create_token(store, &cli_actor(), &admin.id, "bench", &sm3_hex(token.as_bytes())).await?;
    let server = t.spawn_server().await?;
    let roster = format!("/api/v1/members?org_id={root}&page=2&per_page=50");
    let status = load::get_once(server.addr, &roster, Some(&token)).await?;
    anyhow::ensure!(status == 200, "名册接口返回 HTTP {status}");
    let idle = server.rss().map(|(now, _)| now);
    let ceiling = load::run(server.addr, "/healthz", None, size.clients, size.load).await?;
    let ours = load::run(server.addr, &roster, Some(&token), size.clients, size.load).await?;
    let peak = server.rss().map(|(_, hwm)| hwm);
    server.stop().await;
    let rps = |r: &load::LoadResult| format!("{:.0} 次/秒（共{}次），p50 {}，p99 {}", r.per_second, r.requests, ms(r.p50), ms(r.p99));
    Ok(vec![
        line(
            &format!("名册接口：{}个并发客户端、{}秒（每页50人）", size.clients, size.load.as_secs()),
            rps(&ours),
            &format!("{}（/healthz）", rps(&ceiling)),
            &format!("吞吐 {:.2}×", ours.per_second / ceiling.per_second),
            "p99 < 50 ms",
        ),
        line(
            "服务器内存（RSS）：空闲 / 负载峰值",
            format!("{} / {}", idle.map(mb).unwrap_or_else(|| "—".into()), peak.map(mb).unwrap_or_else(|| "—".into())),
            "—",
            "—",
            "< 300 MB",
        ),
    ])
}
