//! `dangwu rules list [--json]`: every obligation of the rulebook in force here (shipped rules
//! with this deployment's overrides), with its citation and how sure we are of it.

use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::rulebook::{Condition, Measure, RuleDef, Rulebook};
use serde_json::json;

use super::{emit, pad};
use crate::cli::GlobalOpts;
use crate::config::{load_catalogue, load_rulebook};

pub async fn list(g: &GlobalOpts, json: bool) -> anyhow::Result<i32> {
    // The rulebook is data files only: no database needed to show it.
    let catalogue = load_catalogue(&g.data)?;
    let book = load_rulebook(&g.data, &catalogue)?;
    if json {
        let items: Vec<_> = book.rules.iter().map(|r| rule_json(r, &book, &catalogue)).collect();
        emit(&serde_json::to_string_pretty(&items)?)?;
        return Ok(0);
    }
    emit(&table(&book, &catalogue))?;
    Ok(0)
}

fn measure_code(m: Measure) -> &'static str {
    match m {
        Measure::Count => "count",
        Measure::FlagEach => "flag_each",
        Measure::Term => "term",
    }
}

fn condition_code(c: Condition) -> &'static str {
    match c {
        Condition::Always => "always",
        Condition::HasCommittee => "has_committee",
    }
}

fn rule_json(r: &RuleDef, book: &Rulebook, cat: &OrgCatalogue) -> serde_json::Value {
    json!({
        "id": r.id,
        "title": r.title,
        "document": r.document,
        "article": r.article,
        "citation": r.citation(),
        "confidence": r.confidence,
        "confidence_label": r.confidence.label(),
        "period": r.period,
        "period_label": r.period.label(),
        "measure": measure_code(r.measure),
        "minimum": r.minimum,
        "flag": r.flag,
        "condition": condition_code(r.condition),
        "applies_to": r.applies_to,
        "applies_to_labels": r.applies_to.iter().map(|k| cat.label(k)).collect::<Vec<_>>(),
        "counts": r.counts,
        "counts_labels": r.counts.iter().map(|k| book.kind_label(k)).collect::<Vec<_>>(),
        "effective_from": r.effective_from,
        "effective_to": r.effective_to,
        "enabled": r.enabled,
    })
}

/// What the rule asks, in a few words: 至少1次 / 每次须有第一议题 / 按期换届.
fn requirement(r: &RuleDef) -> String {
    match r.measure {
        Measure::Count => format!("至少{}次", r.minimum),
        Measure::FlagEach => format!("每次须有{}", dangwu_domain::activity::flag_label(r.flag.as_deref().unwrap_or_default())),
        Measure::Term => "按期换届".into(),
    }
}

fn table(book: &Rulebook, cat: &OrgCatalogue) -> String {
    let head = ["规则编号", "周期", "要求", "可信度", "启用", "标题"];
    let rows: Vec<[String; 6]> = book
        .rules
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.period.label().to_owned(),
                requirement(r),
                r.confidence.label().split('（').next().unwrap_or_default().to_owned(),
                if r.enabled { "是" } else { "否" }.to_owned(),
                r.title.clone(),
            ]
        })
        .collect();
    let widths: Vec<usize> =
        (0..5).map(|i| rows.iter().map(|r| super::width(&r[i])).chain([super::width(head[i])]).max().unwrap_or(0)).collect();
    let line = |cells: [&str; 6]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate().take(5) {
            s.push_str(&pad(c, widths[i]));
            s.push_str("  ");
        }
        s.push_str(cells[5]);
        s
    };
    let mut out = vec![line(head)];
    for (r, row) in book.rules.iter().zip(&rows) {
        out.push(line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]]));
        let indent = " ".repeat(widths[0] + 2);
        out.push(format!("{indent}依据：{}；可信度：{}", r.citation(), r.confidence.label()));
        let applies: Vec<&str> = r.applies_to.iter().map(|k| cat.label(k)).collect();
        let mut scope = format!("{indent}适用：{}", applies.join("、"));
        if r.condition == Condition::HasCommittee {
            scope.push_str("（设支部委员会的）");
        }
        if !r.counts.is_empty() {
            let counts: Vec<&str> = r.counts.iter().map(|k| book.kind_label(k)).collect();
            scope.push_str(&format!("；计入：{}", counts.join("、")));
        }
        if let Some(from) = r.effective_from {
            scope.push_str(&format!("；自{from}起施行"));
        }
        out.push(scope);
    }
    out.push(format!("共{}条规则（{}条启用）。本地调整：在数据目录的 rulebook/rules.toml 中写同一 id 的条目。", book.rules.len(), book.rules.iter().filter(|r| r.enabled).count()));
    out.join("\n")
}
