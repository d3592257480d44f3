//! 落实情况: each org's obligations for a period in green / amber / red, with the rule's
//! citation, what was counted and what to do next; and the rulebook page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use dangwu_domain::compliance::{Finding, Status};
use dangwu_domain::period::{Granularity, Period};
use dangwu_domain::rulebook::{Measure, RuleDef};
use dangwu_domain::OrgId;
use dangwu_store::compliance;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::render::{html, Layout};
use crate::{AppState, WebError};

pub fn router() -> Router<AppState> {
    Router::new().route("/compliance", get(show)).route("/rules", get(rules))
}

#[derive(Deserialize, Default)]
struct Q {
    #[serde(default)]
    org: String,
    #[serde(default)]
    period: String,
}

pub struct Cell {
    pub label: String,
    pub colour: &'static str,
    pub status: &'static str,
    pub actual: u32,
    pub expected: u32,
    pub records: Vec<String>,
}

pub struct RuleLine {
    pub title: String,
    pub citation: String,
    pub cells: Vec<Cell>,
    pub notes: Vec<String>,
    pub todo: Option<String>,
}

pub struct OrgBlock {
    pub id: String,
    pub name: String,
    pub kind_label: String,
    pub depth: usize,
    pub lines: Vec<RuleLine>,
    pub ok: usize,
    pub warn: usize,
    pub bad: usize,
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct Page {
    layout: Layout,
    period: String,
    period_label: String,
    prev: String,
    next: String,
    org: String,
    blocks: Vec<OrgBlock>,
    totals: (usize, usize, usize),
}

fn cell_label(p: Period) -> String {
    match p {
        Period::Month { month, .. } => format!("{month}月"),
        Period::Quarter { quarter, .. } => format!("{quarter}季度"),
        Period::Year { year } => format!("{year}年"),
    }
}

fn todo(rule: &RuleDef, f: &Finding, kinds: &str) -> Option<String> {
    match (f.status, rule.measure) {
        (Status::Ok, _) => None,
        (_, Measure::Term) => Some("按《中国共产党基层组织选举工作条例》做好换届准备，报上级党组织批复后召开党员大会选举".into()),
        (_, Measure::FlagEach) => Some(format!("在{kinds}记录中注明“第一议题”及所学材料")),
        (Status::Pending, _) => Some(format!("{}前记录{}（还需{}次）", f.period.end(), kinds, f.expected.saturating_sub(f.actual))),
        _ => Some(format!("补充记录{kinds}；如确未开展，请在下期按规定落实")),
    }
}

async fn show(State(state): State<AppState>, user: CurrentUser, Query(q): Query<Q>) -> Result<Response, WebError> {
    let today = chrono::Local::now().date_naive();
    let period = if q.period.trim().is_empty() {
        Period::containing(today, Granularity::Quarter)
    } else {
        Period::parse(&q.period)?
    };
    let org = match q.org.trim() {
        "" => None,
        s => Some(OrgId::parse(s)?),
    };
    let c = compliance::check(&state.store, &user.principal, org, period, today).await?;
    let book = &state.store.rulebook;
    let cat = &state.store.catalogue;
    let min_depth = c.orgs.iter().map(|o| o.depth()).min().unwrap_or(1);
    let mut blocks = Vec::new();
    for o in &c.orgs {
        let mine: Vec<&Finding> = c.findings.iter().filter(|f| f.org_id == o.id).collect();
        if mine.is_empty() {
            continue;
        }
        let mut lines: Vec<RuleLine> = Vec::new();
        for rule in &book.rules {
            let fs: Vec<&&Finding> = mine.iter().filter(|f| f.rule_id == rule.id).collect();
            if fs.is_empty() {
                continue;
            }
            let kinds: Vec<&str> = rule.counts.iter().map(|k| book.kind_label(k)).collect();
            let kinds = kinds.join("或");
            let worst = fs.iter().find(|f| f.status != Status::Ok).copied().copied();
            lines.push(RuleLine {
                title: rule.title.clone(),
                citation: rule.citation(),
                cells: fs
                    .iter()
                    .map(|f| Cell {
                        label: cell_label(f.period),
                        colour: f.status.colour(),
                        status: f.status.label(),
                        actual: f.actual,
                        expected: f.expected,
                        records: f.record_ids.clone(),
                    })
                    .collect(),
                notes: fs.iter().filter(|f| !f.note.is_empty()).map(|f| format!("{}：{}", cell_label(f.period), f.note)).collect(),
                todo: worst.and_then(|f| todo(rule, f, &kinds)),
            });
        }
        let count = |s: &[Status]| mine.iter().filter(|f| s.contains(&f.status)).count();
        blocks.push(OrgBlock {
            id: o.id.clone(),
            name: o.name.clone(),
            kind_label: cat.label(&o.kind).to_owned(),
            depth: o.depth().saturating_sub(min_depth).min(5),
            ok: count(&[Status::Ok]),
            warn: count(&[Status::Pending]),
            bad: count(&[Status::Missing, Status::Insufficient]),
            lines,
        });
    }
    let totals = blocks.iter().fold((0, 0, 0), |t, b| (t.0 + b.ok, t.1 + b.warn, t.2 + b.bad));
    let prev = Period::containing(period.start().pred_opt().expect("date"), period.granularity()).to_string();
    let page = Page {
        layout: Layout::new(&user, format!("{}落实情况", period.label()), "compliance"),
        period: period.to_string(),
        period_label: period.label(),
        prev,
        next: period.next().to_string(),
        org: q.org.trim().to_owned(),
        blocks,
        totals,
    };
    Ok(html(&page))
}

pub struct RuleView {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub confidence: &'static str,
    pub period: &'static str,
    pub minimum: String,
    pub applies: String,
    pub counts: String,
    pub enabled: bool,
}

pub struct KindView {
    pub id: String,
    pub label: String,
    pub org_kinds: String,
    pub required: String,
    pub evidence: String,
    pub quorum: &'static str,
}

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    layout: Layout,
    rules: Vec<RuleView>,
    kinds: Vec<KindView>,
}

async fn rules(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let book = &state.store.rulebook;
    let cat = &state.store.catalogue;
    let join_orgs = |v: &[String]| v.iter().map(|k| cat.label(k)).collect::<Vec<_>>().join("、");
    let rules = book
        .rules
        .iter()
        .map(|r| RuleView {
            id: r.id.clone(),
            title: r.title.clone(),
            citation: r.citation(),
            confidence: r.confidence.label(),
            period: r.period.label(),
            minimum: match r.measure {
                Measure::Count => format!("至少{}次", r.minimum),
                Measure::FlagEach => "每次".into(),
                Measure::Term => "届满前".into(),
            },
            applies: join_orgs(&r.applies_to),
            counts: r.counts.iter().map(|k| book.kind_label(k)).collect::<Vec<_>>().join("、"),
            enabled: r.enabled,
        })
        .collect();
    let kinds = book
        .kinds
        .iter()
        .filter(|k| k.enabled)
        .map(|k| KindView {
            id: k.id.clone(),
            label: k.label.clone(),
            org_kinds: join_orgs(&k.org_kinds),
            required: k.required.iter().map(|f| dangwu_domain::activity::field_label(f)).collect::<Vec<_>>().join("、"),
            evidence: k
                .evidence
                .iter()
                .map(|g| g.iter().map(|e| evidence_label(e)).collect::<Vec<_>>().join("或"))
                .collect::<Vec<_>>()
                .join("；"),
            quorum: k.quorum.label(),
        })
        .collect();
    Ok(html(&RulesPage { layout: Layout::new(&user, "制度规定", "rules"), rules, kinds }))
}

fn evidence_label(e: &str) -> &str {
    dangwu_store::attachments::EVIDENCE.iter().find(|(k, _)| *k == e).map(|(_, l)| *l).unwrap_or(e)
}
