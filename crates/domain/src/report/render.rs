//! A template rendered over a fact set: the document model every output (Markdown, HTML, DOCX)
//! is written from. Figures keep the fact they came from, so outputs can link them to records.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::format::{chinese_ordinal, value_text};
use super::template::{LineKind, Mode, Part, Template};
use crate::facts::{FactSet, FactValue};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Span {
    Text { text: String },
    /// A figure computed from a fact (its records are the fact's).
    Figure { text: String, fact: String },
    /// Judgement text: `fill` once someone wrote it, else the output shows 【待填写】.
    Blank { index: usize, hint: String, fill: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadKind {
    Heading,
    Item,
}

/// The run-in start of a paragraph: （一）聚焦主责… or 一是….
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lead {
    pub kind: LeadKind,
    pub number: String,
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading { number: String, spans: Vec<Span> },
    Para { lead: Option<Lead>, spans: Vec<Span> },
    Date { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub title: Vec<Span>,
    pub blocks: Vec<Block>,
}

/// Plain text of spans, with 【待填写】 for unfilled blanks.
pub fn plain(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text { text } | Span::Figure { text, .. } => text.clone(),
            Span::Blank { fill: Some(f), .. } => f.clone(),
            Span::Blank { .. } => "【待填写】".to_owned(),
        })
        .collect()
}

struct Ctx<'a> {
    facts: &'a FactSet,
    fills: &'a BTreeMap<usize, String>,
    blanks: usize,
}

impl Ctx<'_> {
    /// The spans of one line, or None when a fact it depends on is empty.
    fn spans(&mut self, parts: &[Part]) -> Option<Vec<Span>> {
        let mut out = Vec::new();
        let mut blanks = Vec::new();
        for p in parts {
            match p {
                Part::Text(t) => out.push(Span::Text { text: t.clone() }),
                Part::Blank { hint } => {
                    blanks.push(out.len());
                    out.push(Span::Blank { index: 0, hint: hint.clone(), fill: None });
                }
                Part::Fact { name, mode } => {
                    // Unknown facts were refused when the template was loaded; a missing one here
                    // (an area that produced nothing) counts as empty.
                    let value = self.facts.get(name).map(|f| &f.value);
                    let empty = value.is_none_or(FactValue::is_empty);
                    if empty && *mode != Mode::Always {
                        return None;
                    }
                    let text = match (mode, value) {
                        (Mode::Condition, _) => continue,
                        (_, None) => String::new(),
                        (Mode::Count, Some(FactValue::List(items))) => items.len().to_string(),
                        (Mode::Semi, Some(FactValue::List(items))) => items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join("；"),
                        (_, Some(v)) => value_text(v),
                    };
                    out.push(Span::Figure { text, fact: name.clone() });
                }
            }
        }
        // Blanks are numbered only in lines that are kept, so a fill stays with its place.
        for i in blanks {
            if let Span::Blank { index, fill, .. } = &mut out[i] {
                *index = self.blanks;
                *fill = self.fills.get(&self.blanks).cloned();
                self.blanks += 1;
            }
        }
        Some(out)
    }
}

/// Renders `t` over `facts`; `fills` are the texts written into the 【待填写】 places (by index).
pub fn render(t: &Template, facts: &FactSet, fills: &BTreeMap<usize, String>, date: NaiveDate) -> Document {
    let mut cx = Ctx { facts, fills, blanks: 0 };
    let mut title = Vec::new();
    let mut blocks = Vec::new();
    let (mut h1, mut h2, mut item) = (0usize, 0usize, 0usize);
    let mut para: Option<(Option<Lead>, Vec<Span>, bool)> = None;
    let flush = |para: &mut Option<(Option<Lead>, Vec<Span>, bool)>, blocks: &mut Vec<Block>, h2: &mut usize, item: &mut usize| {
        if let Some((lead, spans, any_kept)) = para.take() {
            if any_kept {
                blocks.push(Block::Para { lead, spans });
            } else if let Some(l) = lead {
                // Nothing left under the lead: drop it and give its number back.
                match l.kind {
                    LeadKind::Heading => *h2 -= 1,
                    LeadKind::Item => *item -= 1,
                }
            }
        }
    };
    for l in &t.lines {
        match l.kind {
            LineKind::Title => title = cx.spans(&l.parts).unwrap_or_default(),
            LineKind::Break => flush(&mut para, &mut blocks, &mut h2, &mut item),
            LineKind::H1 => {
                flush(&mut para, &mut blocks, &mut h2, &mut item);
                if let Some(spans) = cx.spans(&l.parts) {
                    h1 += 1;
                    (h2, item) = (0, 0);
                    blocks.push(Block::Heading { number: format!("{}、", chinese_ordinal(h1)), spans });
                }
            }
            LineKind::H2 | LineKind::Item => {
                flush(&mut para, &mut blocks, &mut h2, &mut item);
                if let Some(spans) = cx.spans(&l.parts) {
                    let (kind, number) = if l.kind == LineKind::H2 {
                        h2 += 1;
                        (LeadKind::Heading, format!("（{}）", chinese_ordinal(h2)))
                    } else {
                        item += 1;
                        (LeadKind::Item, format!("{}是", chinese_ordinal(item)))
                    };
                    para = Some((Some(Lead { kind, number, spans }), vec![], false));
                }
            }
            LineKind::Date => {
                flush(&mut para, &mut blocks, &mut h2, &mut item);
                blocks.push(Block::Date { text: crate::date::format_cn(date) });
            }
            LineKind::Sentence => {
                let p = para.get_or_insert_with(|| (None, vec![], false));
                if let Some(spans) = cx.spans(&l.parts) {
                    p.1.extend(spans);
                    p.2 = true;
                }
            }
        }
    }
    flush(&mut para, &mut blocks, &mut h2, &mut item);
    Document { title, blocks }
}

/// The document as Markdown (figures and filled blanks as plain text).
pub fn markdown(doc: &Document) -> String {
    let mut out = format!("# {}\n", plain(&doc.title));
    for b in &doc.blocks {
        out.push('\n');
        match b {
            Block::Heading { number, spans } => out.push_str(&format!("## {number}{}\n", plain(spans))),
            Block::Para { lead, spans } => {
                if let Some(l) = lead {
                    out.push_str(&format!("**{}{}**", l.number, plain(&l.spans)));
                }
                out.push_str(&plain(spans));
                out.push('\n');
            }
            Block::Date { text } => out.push_str(&format!("<p align=\"right\">{text}</p>\n")),
        }
    }
    out
}
