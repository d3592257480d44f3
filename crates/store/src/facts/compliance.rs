//! Compliance results for the report's 存在的问题 (this period's gaps, each with its rule's
//! citation) and 下步工作打算 (the next period's obligations).

use dangwu_domain::compliance::Status;
use dangwu_domain::rulebook::Measure;
use dangwu_domain::facts::{FactDoc, FactSet, FactValue, ListItem, RecordRef};

use super::{FactScope, system};
use crate::{Store, StoreError};

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "compliance_findings_total", label: "检查项数", doc: "本期各党组织适用的制度要求（党组织 × 规则 × 期间）" },
    FactDoc { name: "compliance_findings_ok", label: "已落实项数", doc: "其中已落实的" },
    FactDoc { name: "compliance_rate", label: "制度落实率", doc: "已落实 / 检查项（进行中的期间不计入分母）" },
    FactDoc {
        name: "compliance_gaps",
        label: "未落实的制度要求",
        doc: "本期未开展或次数不足的要求，每项写明党组织、期间、要求和规则出处",
    },
    FactDoc {
        name: "compliance_next_obligations",
        label: "下一期应落实的制度要求",
        doc: "下一期子树内各党组织须落实的规则（按规则合并），写明要求和出处",
    },
];

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let p = system();
    let root = scope.root.org_id();
    let today = scope.judged_on();
    let c = crate::compliance::check(store, &p, Some(root), scope.period, today).await?;
    let names: std::collections::HashMap<&str, &str> = c.orgs.iter().map(|o| (o.id.as_str(), o.short_name.as_deref().unwrap_or(&o.name))).collect();
    let name_of = |id: &str| names.get(id).copied().unwrap_or_default();
    let judged: Vec<_> = c.findings.iter().filter(|f| f.status != Status::Pending).collect();
    let refs = |fs: &[&dangwu_domain::compliance::Finding]| -> Vec<RecordRef> {
        fs.iter().flat_map(|f| std::iter::once(RecordRef::new("org", f.org_id.clone())).chain(f.record_ids.iter().map(|r| RecordRef::new("activity", r.clone())))).collect()
    };
    let ok: Vec<_> = judged.iter().copied().filter(|f| f.status == Status::Ok).collect();
    let gaps: Vec<_> = judged.iter().copied().filter(|f| matches!(f.status, Status::Missing | Status::Insufficient)).collect();
    out.insert("compliance_findings_total", FactValue::Count(judged.len() as i64), refs(&judged));
    out.insert("compliance_findings_ok", FactValue::Count(ok.len() as i64), refs(&ok));
    out.insert("compliance_rate", FactValue::Ratio { num: ok.len() as i64, den: judged.len() as i64 }, refs(&ok));
    let items: Vec<ListItem> = gaps
        .iter()
        .map(|f| {
            let title = store.rulebook.rule(&f.rule_id).map(|r| r.title.clone()).unwrap_or(f.rule_id.clone());
            let what = if f.status == Status::Missing {
                format!("{}{}未落实“{}”", name_of(&f.org_id), f.period.label(), title)
            } else {
                format!("{}{}“{}”应{}次、实际{}次", name_of(&f.org_id), f.period.label(), title, f.expected, f.actual)
            };
            ListItem { text: format!("{what}（{}）", f.citation), records: refs(&[*f]) }
        })
        .collect();
    out.insert("compliance_gaps", FactValue::List(items), refs(&gaps));

    // Next period: every rule that applies somewhere in the subtree, once, with its orgs.
    let next = scope.period.next();
    let n = crate::compliance::check(store, &p, Some(root), next, next.start()).await?;
    let mut items: Vec<ListItem> = Vec::new();
    // Indexes, not scans: a city's quarter has some 50,000 findings over 5,000 orgs.
    let mut at: std::collections::HashMap<String, usize> = Default::default();
    let mut seen: std::collections::HashSet<(usize, String)> = Default::default();
    for f in &n.findings {
        let Some(rule) = store.rulebook.rule(&f.rule_id) else { continue };
        // A term that does not end soon asks nothing of the next period.
        if rule.measure == Measure::Term && f.status == Status::Ok {
            continue;
        }
        let text = format!("{}（{}）", rule.title, f.citation);
        let i = *at.entry(text.clone()).or_insert_with(|| {
            items.push(ListItem { text, records: vec![] });
            items.len() - 1
        });
        if seen.insert((i, f.org_id.clone())) {
            items[i].records.push(RecordRef::new("org", f.org_id.clone()));
        }
    }
    let recs = items.iter().flat_map(|i| i.records.clone()).collect();
    out.insert("compliance_next_obligations", FactValue::List(items), recs);
    Ok(())
}
