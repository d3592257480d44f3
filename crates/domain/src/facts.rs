//! Report facts: a named value computed over the records of an org subtree and a period,
//! carrying the ids of the records behind it so every figure in a report can be traced back.
//!
//! Facts are computed by the store (one area module each, set-based queries) and consumed by the
//! report templates. A fact's name is its key in templates: lower snake case, area first
//! (`members_total`, `dues_remitted_fen`, `positions_screened_network`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Fen;

/// A record behind a fact: its kind (`member`, `activity`, `dues_payment`, `ledger_item`, …:
/// the web layer turns the pair into a link) and its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordRef {
    /// Borrowed when made from records (a city's report holds a million refs: one allocation
    /// each, not two), owned when read back from a saved report.
    pub kind: Cow<'static, str>,
    pub id: String,
}

impl RecordRef {
    pub fn new(kind: &'static str, id: impl Into<String>) -> Self {
        Self { kind: Cow::Borrowed(kind), id: id.into() }
    }
}

/// One entry of a list fact (a topic studied, a meeting held), with its own records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    pub text: String,
    pub records: Vec<RecordRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FactValue {
    Count(i64),
    /// A rate kept as its parts, so rounding happens once, in the report's style.
    Ratio { num: i64, den: i64 },
    Money(Fen),
    Date(Option<NaiveDate>),
    Text(String),
    Bool(bool),
    List(Vec<ListItem>),
}

impl FactValue {
    /// Empty facts make a template drop the sentence that uses them.
    pub fn is_empty(&self) -> bool {
        match self {
            FactValue::Count(n) => *n == 0,
            FactValue::Ratio { den, .. } => *den == 0,
            FactValue::Money(f) => f.0 == 0,
            FactValue::Date(d) => d.is_none(),
            FactValue::Text(s) => s.trim().is_empty(),
            FactValue::Bool(b) => !*b,
            FactValue::List(items) => items.is_empty(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub name: String,
    pub value: FactValue,
    /// The records behind the value, sorted and without duplicates.
    pub records: Vec<RecordRef>,
}

/// The catalogue entry of a fact: what a template author reads to use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FactDoc {
    pub name: &'static str,
    /// Short Chinese label (shown in the facts spreadsheet and the preview).
    pub label: &'static str,
    /// What it counts, over which records, in which period.
    pub doc: &'static str,
}

/// The facts of one (org subtree, period).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactSet {
    facts: BTreeMap<String, Fact>,
}

impl FactSet {
    pub fn insert(&mut self, name: &str, value: FactValue, mut records: Vec<RecordRef>) {
        // Equal refs are identical, so an unstable sort gives the same list, faster.
        records.sort_unstable();
        records.dedup();
        self.facts.insert(name.to_owned(), Fact { name: name.to_owned(), value, records });
    }

    /// A count of distinct records.
    pub fn count(&mut self, name: &str, mut records: Vec<RecordRef>) {
        records.sort_unstable();
        records.dedup();
        let n = records.len() as i64;
        self.insert(name, FactValue::Count(n), records);
    }

    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.facts.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Fact> {
        self.facts.values()
    }

    pub fn len(&self) -> usize {
        self.facts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_sorted_and_deduplicated_and_count_matches() {
        let mut s = FactSet::default();
        s.count("x", vec![RecordRef::new("member", "b"), RecordRef::new("member", "a"), RecordRef::new("member", "b")]);
        let f = s.get("x").unwrap();
        assert_eq!(f.records, vec![RecordRef::new("member", "a"), RecordRef::new("member", "b")]);
        assert_eq!(f.value, FactValue::Count(2));
    }

    #[test]
    fn emptiness() {
        assert!(FactValue::Ratio { num: 0, den: 0 }.is_empty());
        assert!(!FactValue::Ratio { num: 0, den: 5 }.is_empty());
        assert!(FactValue::List(vec![]).is_empty());
        assert!(!FactValue::Count(7).is_empty());
    }
}
