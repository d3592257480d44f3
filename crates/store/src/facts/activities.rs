//! Organisational life: activities by kind (facts made per kind from the rulebook's catalogue,
//! so a new kind gets them without code), 第一议题 coverage, and the topics studied.

use std::collections::{BTreeMap, HashMap, HashSet};

use dangwu_domain::facts::{FactDoc, FactSet, FactValue, ListItem, RecordRef};
use dangwu_domain::rulebook::Rulebook;

use super::{FactInfo, FactScope};
use crate::{Store, StoreError};

/// The flag an activity kind carries when its sittings must open with the 第一议题.
const FIRST_AGENDA: &str = "first_agenda_item";

pub const CATALOGUE: &[FactDoc] = &[
    FactDoc { name: "activities_total", label: "活动总数", doc: "子树内本期记录的组织生活和活动（一次活动计一次）" },
    FactDoc {
        name: "first_agenda_sessions",
        label: "应落实第一议题的会议数",
        doc: "本期类型带有“第一议题”标记的会议（如党组会、中心组学习）",
    },
    FactDoc { name: "first_agenda_covered", label: "落实第一议题的会议数", doc: "其中记录了第一议题的会议" },
    FactDoc { name: "first_agenda_rate", label: "第一议题落实率", doc: "落实第一议题的会议 / 应落实的会议" },
    FactDoc { name: "first_agenda_complete", label: "第一议题全部落实", doc: "本期有应落实的会议且全部记录了第一议题（条件）" },
    FactDoc { name: "study_topics", label: "学习专题", doc: "本期各类活动学习的材料（不含第一议题），按首次学习先后排列" },
];

/// The facts every activity kind gets.
pub fn per_kind(book: &Rulebook) -> Vec<FactInfo> {
    book.kinds
        .iter()
        .filter(|k| k.enabled)
        .flat_map(|k| {
            [
                FactInfo { name: format!("activities_{}_count", k.id), label: format!("{}次数", k.label), doc: format!("本期开展的{}", k.label) },
                FactInfo {
                    name: format!("activities_{}_titles", k.id),
                    label: format!("{}名称", k.label),
                    doc: format!("本期{}的名称，按日期先后", k.label),
                },
                FactInfo {
                    name: format!("activities_{}_materials", k.id),
                    label: format!("{}学习内容", k.label),
                    doc: format!("本期{}学习的材料（含第一议题），按首次学习先后排列", k.label),
                },
            ]
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    title: String,
    flags: String,
    kind: String,
}

#[derive(sqlx::FromRow)]
struct MatRow {
    activity_id: String,
    material_id: String,
    title: String,
    first_agenda: bool,
}

/// Distinct texts in order of first appearance, each with all the records behind it.
fn ordered(items: impl Iterator<Item = (String, String, RecordRef)>) -> Vec<ListItem> {
    let mut out: Vec<ListItem> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<(usize, RecordRef)> = HashSet::new();
    for (key, text, r) in items {
        let i = *at.entry(key).or_insert_with(|| {
            out.push(ListItem { text, records: vec![] });
            out.len() - 1
        });
        if seen.insert((i, r.clone())) {
            out[i].records.push(r);
        }
    }
    out
}

pub async fn collect(store: &Store, scope: &FactScope, out: &mut FactSet) -> Result<(), StoreError> {
    let (cond, a) = scope.subtree_and_dates("a.held_on");
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT a.id, a.title, a.flags, k.kind FROM activities a JOIN orgs o ON o.id = a.org_id \
                 JOIN activity_kinds k ON k.activity_id = a.id WHERE {cond} ORDER BY a.held_on, a.id, k.kind"
            ),
            a.clone(),
        )
        .await?;
    let mats: Vec<MatRow> = store
        .db
        .read()
        .all(
            &format!(
                "SELECT am.activity_id, am.material_id, m.title, am.first_agenda FROM activity_materials am \
                 JOIN materials m ON m.id = am.material_id JOIN activities a ON a.id = am.activity_id \
                 JOIN orgs o ON o.id = a.org_id WHERE {cond} ORDER BY a.held_on, a.id, am.first_agenda DESC, am.sort_order"
            ),
            a,
        )
        .await?;
    let act = |id: &str| RecordRef::new("activity", id.to_owned());
    let mut by_kind: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        by_kind.entry(r.kind.as_str()).or_default().push(r);
    }
    let mut kinds_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &rows {
        kinds_of.entry(r.id.as_str()).or_default().push(r.kind.as_str());
    }
    out.count("activities_total", rows.iter().map(|r| act(&r.id)).collect());
    for k in store.rulebook.kinds.iter().filter(|k| k.enabled) {
        let mine = by_kind.get(k.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        out.count(&format!("activities_{}_count", k.id), mine.iter().map(|r| act(&r.id)).collect());
        let titles: Vec<ListItem> = mine.iter().map(|r| ListItem { text: r.title.clone(), records: vec![act(&r.id)] }).collect();
        let recs = mine.iter().map(|r| act(&r.id)).collect();
        out.insert(&format!("activities_{}_titles", k.id), FactValue::List(titles), recs);
        let studied = ordered(
            mats.iter()
                .filter(|m| kinds_of.get(m.activity_id.as_str()).is_some_and(|ks| ks.contains(&k.id.as_str())))
                .map(|m| (m.material_id.clone(), m.title.clone(), act(&m.activity_id))),
        );
        let recs = studied.iter().flat_map(|i| i.records.clone()).collect();
        out.insert(&format!("activities_{}_materials", k.id), FactValue::List(studied), recs);
    }

    // 第一议题: sittings of the kinds the catalogue flags, whether each recorded it.
    let flagged: Vec<&str> = store.rulebook.kinds.iter().filter(|k| k.flags.iter().any(|f| f == FIRST_AGENDA)).map(|k| k.id.as_str()).collect();
    let mut sessions: Vec<&Row> = rows.iter().filter(|r| flagged.contains(&r.kind.as_str())).collect();
    sessions.dedup_by(|a, b| a.id == b.id);
    let covered: Vec<RecordRef> =
        sessions.iter().filter(|r| r.flags.split(',').any(|f| f == FIRST_AGENDA)).map(|r| act(&r.id)).collect();
    let all: Vec<RecordRef> = sessions.iter().map(|r| act(&r.id)).collect();
    let (num, den) = (covered.len() as i64, all.len() as i64);
    out.insert("first_agenda_rate", FactValue::Ratio { num, den }, all.clone());
    out.insert("first_agenda_complete", FactValue::Bool(den > 0 && num == den), all.clone());
    out.count("first_agenda_covered", covered);
    out.count("first_agenda_sessions", all);

    let topics = ordered(mats.iter().filter(|m| !m.first_agenda).map(|m| (m.material_id.clone(), m.title.clone(), act(&m.activity_id))));
    let recs = topics.iter().flat_map(|i| i.records.clone()).collect();
    out.insert("study_topics", FactValue::List(topics), recs);
    Ok(())
}
