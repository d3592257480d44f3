//! One department of the synthetic city: its organisations, members and every record of the
//! generated years, turned into bulk rows in one transaction.

use std::collections::HashSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use dangwu_domain::dues::calc;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use dangwu_domain::org::OrgPath;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::period::{Granularity, Period};
use dangwu_domain::OrgId;
use dangwu_store::bulk::insert_rows;
use dangwu_store::db::{Arg, Tx};
use dangwu_store::{Store, args, now_ms};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::people::{Person, person};
use crate::demo::people::AREAS;
use super::GenSpec;

const DEPARTMENTS: &[&str] = &[
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局",
    "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "体育局", "统计局", "医疗保障局", "信访局",
];
const UNITS: &[&str] = &["办公室", "综合科", "政策法规科", "计划财务科", "人事科", "业务一科", "业务二科", "服务中心", "执法支队", "信息中心", "研究室", "直属所"];

/// Counts written, summed over departments for the summary.
#[derive(Debug, Clone, Default)]
pub struct DeptCounts {
    pub orgs: u64,
    pub members: u64,
    pub terms: u64,
    pub activities: u64,
    pub attendance: u64,
    pub verifications: u64,
    pub payments: u64,
    pub remittances: u64,
    pub ledger_items: u64,
    pub registers: u64,
    pub campaigns: u64,
}

impl DeptCounts {
    pub fn add(&mut self, o: &DeptCounts) {
        self.orgs += o.orgs;
        self.members += o.members;
        self.terms += o.terms;
        self.activities += o.activities;
        self.attendance += o.attendance;
        self.verifications += o.verifications;
        self.payments += o.payments;
        self.remittances += o.remittances;
        self.ledger_items += o.ledger_items;
        self.registers += o.registers;
        self.campaigns += o.campaigns;
    }
}

/// This department's share of the city's organisations and members.
pub struct Budget {
    pub orgs: usize,
    pub members: usize,
}

impl Budget {
    pub fn share(spec: &GenSpec, d: usize, n: usize) -> Budget {
        let split = |total: usize| total / n + usize::from(d < total % n);
        Budget { orgs: split(spec.orgs - 1).max(2), members: split(spec.members).max(1) }
    }
}

struct OrgRow {
    id: OrgId,
    parent: OrgId,
    path: OrgPath,
    name: String,
    kind: &'static str,
    sort: i64,
}

struct Branch {
    org: usize,
    members: Vec<Person>,
    /// Cells of the branch (index into `orgs`) and, per member, the cell it belongs to.
    cells: Vec<usize>,
}

/// Rows of the activity tables for one department.
#[derive(Default)]
struct Sittings {
    activities: Vec<Vec<Arg>>,
    kinds: Vec<Vec<Arg>>,
    attendance: Vec<Vec<Arg>>,
}

impl Sittings {
    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, id: String, org: OrgId, title: &str, on: NaiveDate, kinds: &[&str], expected: i64, present: i64, now: i64) {
        for k in kinds {
            self.kinds.push(args![id.clone(), *k]);
        }
        self.activities.push(args![id, org, title, on, None::<String>, "", expected, present, "gen", now, now]);
    }
}

pub struct Plan {
    pub dept_id: String,
    pub dept_name: String,
    orgs: Vec<OrgRow>,
    branches: Vec<Branch>,
    person_type: &'static str,
    rng_seed: u64,
}

pub(super) fn row_id(rng: &mut StdRng) -> String {
    OrgId::from_u128(rng.random()).to_string()
}

/// Lays out department `d`: the 党委, a few 党总支, branches under both, 党小组 in the largest
/// branches, and the members of each branch.
pub fn plan(spec: &GenSpec, d: usize, budget: &Budget, root: &OrgPath, ids: &mut HashSet<String>) -> Plan {
    let seed = spec.seed ^ (d as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = StdRng::seed_from_u64(seed);
    let dept_name = match d / DEPARTMENTS.len() {
        0 => format!("中共海滨市{}委员会", DEPARTMENTS[d]),
        k => format!("中共海滨市{}（{}）委员会", DEPARTMENTS[d % DEPARTMENTS.len()], k + 1),
    };
    let mut orgs: Vec<OrgRow> = Vec::new();
    let root_id = root.ids().last().copied().expect("root path has an id");
    // `parent` None: directly under the city root.
    let add = |orgs: &mut Vec<OrgRow>, rng: &mut StdRng, parent: Option<usize>, name: String, kind: &'static str| {
        let id = OrgId::from_u128(rng.random());
        let (pid, ppath) = match parent {
            None => (root_id, root.clone()),
            Some(i) => (orgs[i].id, orgs[i].path.clone()),
        };
        let sort = orgs.iter().filter(|o| o.parent == pid).count() as i64 + 1;
        orgs.push(OrgRow { id, parent: pid, path: ppath.child(id), name, kind, sort });
        orgs.len() - 1
    };
    let dept = add(&mut orgs, &mut rng, None, dept_name.clone(), "committee");
    let rest = budget.orgs - 1;
    let generals = rest / 12;
    let rest = rest - generals;
    let cells = rest / 5;
    let n_branches = (rest - cells).max(1);
    let general_idx: Vec<usize> = (0..generals).map(|g| add(&mut orgs, &mut rng, Some(dept), format!("{}党总支", UNITS[g % UNITS.len()]), "general_branch")).collect();
    let mut branch_orgs = Vec::with_capacity(n_branches);
    for b in 0..n_branches {
        // The first three branches of each 党总支 sit under it; the others under the 党委.
        let parent = Some(if b < generals * 3 { general_idx[b / 3] } else { dept });
        let name = format!("{}第{}党支部", UNITS[b % UNITS.len()], b / UNITS.len() + 1);
        branch_orgs.push(add(&mut orgs, &mut rng, parent, name, "branch"));
    }
    // Branch sizes: a skewed draw (most branches small, some large), scaled to the budget.
    let weights: Vec<u64> = (0..n_branches).map(|_| rng.random_range(3..=60u64).min(rng.random_range(3..=60u64))).collect();
    let total_w: u64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights.iter().map(|w| (budget.members as u64 * w / total_w) as usize).collect();
    let left = budget.members - sizes.iter().sum::<usize>();
    for i in 0..left {
        sizes[i % n_branches] += 1;
    }
    let start = NaiveDate::from_ymd_opt(spec.start_year, 1, 1).expect("valid date");
    let mut branches: Vec<Branch> = branch_orgs
        .iter()
        .zip(&sizes)
        .map(|(&org, &n)| Branch { org, members: (0..n).map(|_| person(&mut rng, start, spec.end(), AREAS, ids)).collect(), cells: vec![] })
        .collect();
    // 党小组 go to the largest branches, one each.
    let mut by_size: Vec<usize> = (0..branches.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(branches[i].members.len()));
    for (k, &b) in by_size.iter().cycle().take(cells).enumerate() {
        let name = format!("{}第{}党小组", orgs[branches[b].org].name, k / branches.len().max(1) + 1);
        let cell = add(&mut orgs, &mut rng, Some(branches[b].org), name, "cell");
        branches[b].cells.push(cell);
    }
    let person_type = ["organ", "institution", "enterprise"][d % 3];
    Plan { dept_id: orgs[dept].id.to_string(), dept_name, orgs, branches, person_type, rng_seed: seed.rotate_left(17) }
}

impl Plan {
    pub async fn write(&self, tx: &mut Tx, store: &Store, spec: &GenSpec) -> anyhow::Result<DeptCounts> {
        let mut rng = StdRng::seed_from_u64(self.rng_seed);
        let now = now_ms();
        let start = NaiveDate::from_ymd_opt(spec.start_year, 1, 1).expect("valid date");
        let end = spec.end();
        let mut c = DeptCounts::default();
        let established = NaiveDate::from_ymd_opt(spec.start_year - 10, 3, 1).expect("valid date");
        let org_rows = self
            .orgs
            .iter()
            .map(|o| args![o.id, o.parent, o.path.as_str(), o.name.clone(), None::<String>, o.kind, None::<String>, established, o.sort, now, now])
            .collect();
        c.orgs = insert_rows(tx, "orgs", org_rows).await?;
        c.terms = insert_rows(tx, "org_terms", self.terms(&mut rng, &store.catalogue, start, end, now)).await?;
        let (members, history) = self.members(&mut rng, store, start, end, now);
        c.members = insert_rows(tx, "members", members).await?;
        insert_rows(tx, "member_org_history", history).await?;
        let s = self.activities(&mut rng, start, end, now);
        c.activities = insert_rows(tx, "activities", s.activities).await?;
        insert_rows(tx, "activity_kinds", s.kinds).await?;
        c.attendance = insert_rows(tx, "activity_attendance", s.attendance).await?;
        let (ver, pay, rem) = self.dues(&mut rng, store, spec, end, now)?;
        c.verifications = insert_rows(tx, "dues_verifications", ver).await?;
        c.payments = insert_rows(tx, "dues_payments", pay).await?;
        c.remittances = insert_rows(tx, "dues_remittances", rem).await?;
        let branches: Vec<(OrgId, String)> = self.branches.iter().map(|b| (self.orgs[b.org].id, self.orgs[b.org].name.clone())).collect();
        let sv = super::supervision::rows(&mut rng, self.orgs[0].id, &self.dept_name, &branches, start, end, now);
        insert_rows(tx, "ledgers", sv.ledgers).await?;
        c.ledger_items = insert_rows(tx, "ledger_items", sv.items).await?;
        insert_rows(tx, "ledger_notes", sv.notes).await?;
        c.registers = insert_rows(tx, "registers", sv.registers).await?;
        c.campaigns = insert_rows(tx, "campaigns", sv.campaigns).await?;
        insert_rows(tx, "campaign_targets", sv.targets).await?;
        insert_rows(tx, "campaign_results", sv.results).await?;
        Ok(c)
    }

    /// Consecutive terms from before the range to its end; about one org in twenty-five lets
    /// its last term run out without a re-election (the 换届 rule shows it).
    fn terms(&self, rng: &mut StdRng, catalogue: &OrgCatalogue, start: NaiveDate, end: NaiveDate, now: i64) -> Vec<Vec<Arg>> {
        let mut rows = Vec::new();
        for o in &self.orgs {
            let Some(years) = catalogue.kind(o.kind).and_then(|k| k.term_years) else { continue };
            let overdue = rng.random_bool(0.04);
            let mut from = start - Days::new(rng.random_range(0..(365 * years as u64)));
            let mut no = 1i64 + rng.random_range(0..3);
            loop {
                let to = from + Months::new(12 * years);
                rows.push(args![row_id(rng), o.id, no, from, to, Some(from), None::<String>, now]);
                if to > end || (overdue && to > start) {
                    break;
                }
                from = to;
                no += 1;
            }
        }
        rows
    }

    fn members(&self, rng: &mut StdRng, store: &Store, start: NaiveDate, end: NaiveDate, now: i64) -> (Vec<Vec<Arg>>, Vec<Vec<Arg>>) {
        let mut members = Vec::new();
        let mut history = Vec::new();
        for (bi, b) in self.branches.iter().enumerate() {
            let org = &self.orgs[b.org];
            for (k, p) in b.members.iter().enumerate() {
                let cell = (!b.cells.is_empty() && k % 2 == 0).then(|| self.orgs[b.cells[k / 2 % b.cells.len()]].id);
                let full = p.full_on.filter(|f| *f <= end);
                let idcard = dangwu_domain::idcard::IdCardNo::parse(&p.id_card_no).expect("generated ID numbers are valid");
                members.push(args![
                    p.id, org.id, p.name.clone(), if p.male { "male" } else { "female" }, Some("汉族".to_owned()), p.birth,
                    store.keys.encrypt(&p.id_card_no), store.keys.blind_index(&p.id_card_no), idcard.masked(),
                    Some("大学本科".to_owned()), None::<String>, p.joined, full, if full.is_some() { "full" } else { "probationary" },
                    if p.retired { "retired" } else { "in_service" }, Some(self.dept_name.clone()), Some(p.post.to_owned()),
                    p.party_worker, now, now, cell
                ]);
                // One member in twenty came from a sibling branch during the range.
                let moved = self.branches.len() > 1 && p.joined < start && rng.random_bool(0.05);
                if moved {
                    let other = &self.orgs[self.branches[(bi + 1) % self.branches.len()].org];
                    let on = start + Days::new(rng.random_range(0..(end - start).num_days().max(1) as u64));
                    history.push(args![row_id(rng), p.id, other.id, p.joined, Some(on), Some("转入".to_owned())]);
                    history.push(args![row_id(rng), p.id, org.id, on, None::<NaiveDate>, Some("组织关系调整".to_owned())]);
                } else {
                    history.push(args![row_id(rng), p.id, org.id, p.joined, None::<NaiveDate>, Some("登记".to_owned())]);
                }
            }
        }
        (members, history)
    }

    /// 三会一课 and 主题党日 per branch and month, 党小组会 per cell, the yearly 组织生活会 and 谈心谈话;
    /// each skipped now and then. The quarterly 党员大会 + 党课 sitting has its attendance list.
    fn activities(&self, rng: &mut StdRng, start: NaiveDate, end: NaiveDate, now: i64) -> Sittings {
        let mut out = Sittings::default();
        let years = (end.year() - start.year() + 1) as u32;
        let all_months: Vec<Period> = (0..years)
            .flat_map(|y| Period::containing(start + Months::new(12 * y), Granularity::Year).split(Granularity::Month))
            .collect();
        for b in &self.branches {
            let org = self.orgs[b.org].id;
            for m in &all_months {
                let on_roll: Vec<&Person> = b.members.iter().filter(|p| p.joined <= m.start()).collect();
                let n = on_roll.len() as i64;
                let full = on_roll.iter().filter(|p| p.is_full_on(m.start())).count();
                let month = m.start().month();
                let held = |rng: &mut StdRng, skip: f64| (!rng.random_bool(skip)).then(|| (row_id(rng), m.start() + Days::new(rng.random_range(0..25))));
                if let Some((id, on)) = held(rng, 0.04) {
                    let present = n - rng.random_range(0..=n / 8);
                    out.push(id, org, "主题党日活动", on, &["theme_day"], n, present, now);
                }
                if full >= 7 {
                    if let Some((id, on)) = held(rng, 0.05) {
                        let size = n.clamp(3, 7);
                        out.push(id, org, "支部委员会会议", on, &["committee_meeting"], size, size, now);
                    }
                }
                if month % 3 == 2 {
                    if let Some((id, on)) = held(rng, 0.03) {
                        let mut here = 0i64;
                        for p in &on_roll {
                            let ok = rng.random_bool(0.92);
                            here += i64::from(ok);
                            let (a, reason) = if ok { ("present", None) } else { ("absent", Some("因公请假".to_owned())) };
                            out.attendance.push(args![row_id(rng), id.clone(), p.id, p.name.clone(), a, reason]);
                        }
                        out.push(id, org, "支部党员大会暨党课", on, &["branch_assembly", "party_lecture"], n, here, now);
                    }
                }
                if month == 11 {
                    if let Some((id, on)) = held(rng, 0.05) {
                        out.push(id, org, "谈心谈话", on, &["talk"], n, n, now);
                    }
                }
                if month == 12 {
                    if let Some((id, on)) = held(rng, 0.05) {
                        let present = n - rng.random_range(0..=n / 8);
                        out.push(id, org, "年度组织生活会暨民主评议党员", on, &["org_life_meeting", "member_appraisal"], n, present, now);
                    }
                }
                for &cell in &b.cells {
                    if let Some((id, on)) = held(rng, 0.06) {
                        let size = (n / 2).max(3);
                        out.push(id, self.orgs[cell].id, "党小组会", on, &["cell_meeting"], size, size, now);
                    }
                }
            }
        }
        out
    }

    /// Each year's confirmed verification, a payment per member-month (about one member in fifty
    /// stops paying for the last few months), and each branch's remittance per quarter.
    #[allow(clippy::type_complexity)]
    fn dues(&self, rng: &mut StdRng, store: &Store, spec: &GenSpec, end: NaiveDate, now: i64) -> anyhow::Result<(Vec<Vec<Arg>>, Vec<Vec<Arg>>, Vec<Vec<Arg>>)> {
        let (mut ver, mut pay, mut rem) = (Vec::new(), Vec::new(), Vec::new());
        for b in &self.branches {
            let org = self.orgs[b.org].id;
            let mut quarter_sums = std::collections::BTreeMap::<(i32, u32), i64>::new();
            for p in &b.members {
                let behind = if rng.random_bool(0.02) { rng.random_range(3..=8u32) } else { 0 };
                let last_paid = end.checked_sub_months(Months::new(behind)).unwrap_or(end);
                let (category, person_type) = if p.retired { (DuesCategory::Retired, "retired") } else { (DuesCategory::InService, self.person_type) };
                for y in spec.start_year..=end.year() {
                    let base = Fen(if p.retired { rng.random_range(2_000..=6_000) } else { rng.random_range(3_000..=12_000) } * 100);
                    let c = calc(&store.dues, category, Some(base), None)?;
                    ver.push(args![
                        row_id(rng), p.id, org, y as i64, 1i64, 1i64, person_type, category.code(), Some(base.0), c.bracket,
                        c.rate.map(|r| r.0 as i64), c.amount.0, "confirmed", Some("gen".to_owned()), Some(now), "gen", now
                    ]);
                    for m in 1..=12u32 {
                        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
                        if first < NaiveDate::from_ymd_opt(p.joined.year(), p.joined.month(), 1).expect("valid") || first > last_paid {
                            continue;
                        }
                        let paid_on = first + Days::new(rng.random_range(4..25));
                        pay.push(args![row_id(rng), p.id, org, y as i64, m as i64, c.amount.0, paid_on, "self", "transfer", "gen", now]);
                        *quarter_sums.entry((y, (m - 1) / 3 + 1)).or_default() += c.amount.0;
                    }
                }
            }
            for ((y, q), sum) in quarter_sums {
                let on = NaiveDate::from_ymd_opt(y, q * 3, 1).expect("valid") + Months::new(1) + Days::new(9);
                if on > end {
                    continue;
                }
                rem.push(args![row_id(rng), org, format!("{y}Q{q}"), sum, on, format!("GEN-{y}Q{q}"), "gen", now]);
            }
        }
        Ok((ver, pay, rem))
    }
}
