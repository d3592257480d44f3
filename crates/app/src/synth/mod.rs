//! `dangwu gen`: a deterministic synthetic city for benchmarks — an org tree of realistic depth
//! and fan-out (工委 → department 党委 → 党总支 → 支部 → 党小组), members with org histories,
//! committee terms, 三会一课 and 主题党日 with attendance, dues verifications, monthly payments and
//! quarterly remittances, 巡察整改 ledgers, registers and 专项检查 campaigns, with some non-compliance (skipped meetings, overdue re-elections,
//! members behind on dues). The same options always give the same records.
//!
//! Written one department at a time — one transaction and one audit entry each — so memory
//! stays flat and the audit chain stays complete.

mod dept;
pub mod people;
mod supervision;

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use dangwu_domain::OrgId;
use dangwu_domain::audit::digest_json;
use dangwu_domain::org::OrgPath;
use dangwu_store::audit::{self, Actor};
use dangwu_store::bulk::insert_rows;
use dangwu_store::{Store, args, now_ms};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub use dept::DeptCounts;

#[derive(Debug, Clone)]
pub struct GenSpec {
    pub orgs: usize,
    pub members: usize,
    pub years: u32,
    pub seed: u64,
    /// The first generated year; records run from its 1 January to the end of the last year.
    pub start_year: i32,
}

impl GenSpec {
    pub fn check(&self) -> anyhow::Result<()> {
        if self.orgs < 10 {
            bail!("--orgs 至少为10（工委、部门党委、支部、党小组）");
        }
        if self.members < self.orgs / 2 {
            bail!("--members 至少为组织数的一半（每个支部至少要有党员）");
        }
        if !(1..=10).contains(&self.years) {
            bail!("--years 应在1到10之间");
        }
        if !(2000..=2100).contains(&self.start_year) {
            bail!("--start-year 应在2000到2100之间");
        }
        Ok(())
    }

    /// Departments: about fifty organisations each, as in a city's 市直机关.
    fn departments(&self) -> usize {
        ((self.orgs - 1) / 50).max(1)
    }

    pub fn end(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + self.years as i32 - 1, 12, 31).expect("valid year")
    }
}

#[derive(Debug, Clone, Default)]
pub struct GenSummary {
    pub counts: DeptCounts,
    pub root_id: String,
    pub elapsed: Duration,
}

/// Fills an empty database with the synthetic city described by `spec`.
pub async fn generate(store: &Store, actor: &Actor, spec: &GenSpec) -> anyhow::Result<GenSummary> {
    spec.check()?;
    let existing: i64 = store.db.read().scalar("SELECT COUNT(*) FROM orgs", vec![]).await?;
    if existing > 0 {
        bail!("数据库中已有{existing}个党组织：gen 只写入空数据库（演示或测试数据请另建数据目录）");
    }
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let root = OrgId::from_u128(rng.random());
    let root_path = OrgPath::root(root);
    let now = now_ms();
    let established = NaiveDate::from_ymd_opt(spec.start_year - 20, 1, 1).expect("valid date");
    let mut tx = store.db.begin().await?;
    insert_rows(
        &mut tx,
        "orgs",
        vec![args![root, None::<String>, root_path.as_str(), "海滨市直机关工作委员会", "市直机关工委", "committee", "中共海滨市委",
                   established, 1i64, now, now]],
    )
    .await?;
    audit::append(&mut tx, actor, "gen.root", "org", &root.to_string(), String::new(), digest_json(&serde_json::json!(spec.seed)),
                  "生成测试数据：市直机关工委").await?;
    tx.commit().await?;

    let departments = spec.departments();
    let mut counts = DeptCounts { orgs: 1, ..DeptCounts::default() };
    // ID numbers are unique across the whole city (the database enforces it).
    let mut ids = std::collections::HashSet::new();
    for d in 0..departments {
        let budget = dept::Budget::share(spec, d, departments);
        let plan = dept::plan(spec, d, &budget, &root_path, &mut ids);
        let mut tx = store.db.begin().await?;
        let c = plan.write(&mut tx, store, spec).await.with_context(|| format!("写入第{}个部门失败", d + 1))?;
        audit::append(&mut tx, actor, "gen.department", "org", &plan.dept_id, String::new(),
                      digest_json(&serde_json::json!([spec.seed, d])), &format!("生成测试数据：{}（{}个组织，{}名党员）", plan.dept_name, c.orgs, c.members))
            .await?;
        tx.commit().await?;
        counts.add(&c);
    }
    store.db.refresh_statistics(None).await?;
    Ok(GenSummary { counts, root_id: root.to_string(), elapsed: started.elapsed() })
}
