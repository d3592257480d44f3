//! The report template language: a line-based text format a party-affairs worker can edit.
//!
//! ```text
//! # a comment (the whole line)
//! !title TEXT      the document title
//! !h1 TEXT         a heading, numbered 一、二、…
//! !h2 TEXT         a run-in heading opening a paragraph, numbered （一）（二）… within its !h1
//! !item TEXT       a run-in lead opening a paragraph, numbered 一是、二是… within its !h1
//! !date            the date line at the end (2022年4月6日)
//! (blank line)     ends the paragraph
//! any other line   one sentence of the current paragraph
//! ```
//! In any text: `{fact}` the fact's value (the sentence is dropped when the fact is empty);
//! `{fact?}` only the condition (prints nothing); `{fact!}` printed even when empty;
//! `{fact:count}` a list's length; `{fact:semi}` a list joined with ；; `{{` and `}}` are
//! literal braces; `【待填写】` or `【待填写：提示】` marks judgement text no record can give.
//! A paragraph whose sentences were all dropped is dropped with its lead.

use serde::Serialize;

/// What a template line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LineKind {
    Title,
    H1,
    H2,
    Item,
    Date,
    Sentence,
    /// A blank line: ends the paragraph.
    Break,
}

/// How a fact is used in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    Value,
    Condition,
    Always,
    Count,
    Semi,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Part {
    Text(String),
    Fact { name: String, mode: Mode },
    Blank { hint: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// 1-based line number in the template file.
    pub no: usize,
    pub kind: LineKind,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub lines: Vec<Line>,
}

/// A problem in a template, located for the person who edits it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("报告模板 {template} 第{line}行{}：{message}", .fact.as_ref().map(|f| format!(" 事实“{f}”")).unwrap_or_default())]
pub struct TemplateError {
    /// The template's name (empty until the loader names it).
    pub template: String,
    pub line: usize,
    pub fact: Option<String>,
    pub message: String,
}

impl TemplateError {
    pub fn named(mut self, name: &str) -> Self {
        self.template = name.to_owned();
        self
    }
}

const BLANK: &str = "【待填写";

/// Parses a template's text. Pure: it does not know which facts exist (see [`Template::check`]).
pub fn parse(src: &str) -> Result<Template, TemplateError> {
    let mut lines = Vec::new();
    let mut titles = 0;
    for (i, raw) in src.lines().enumerate() {
        let no = i + 1;
        let err = |message: String| TemplateError { template: String::new(), line: no, fact: None, message };
        let l = raw.trim();
        if l.starts_with('#') {
            continue;
        }
        if l.is_empty() {
            lines.push(Line { no, kind: LineKind::Break, parts: vec![] });
            continue;
        }
        let (kind, rest) = match l.strip_prefix('!') {
            None => (LineKind::Sentence, l),
            Some(d) => {
                let (word, rest) = d.split_once(char::is_whitespace).unwrap_or((d, ""));
                let kind = match word {
                    "title" => LineKind::Title,
                    "h1" => LineKind::H1,
                    "h2" => LineKind::H2,
                    "item" => LineKind::Item,
                    "date" => LineKind::Date,
                    other => return Err(err(format!("未知的指令“!{other}”，可用：!title、!h1、!h2、!item、!date"))),
                };
                let rest = rest.trim();
                if kind == LineKind::Date && !rest.is_empty() {
                    return Err(err("!date 后不应有文字".into()));
                }
                if kind != LineKind::Date && rest.is_empty() {
                    return Err(err(format!("!{word} 后须写文字")));
                }
                (kind, rest)
            }
        };
        if kind == LineKind::Title {
            titles += 1;
            if titles > 1 {
                return Err(err("模板只能有一个 !title".into()));
            }
        }
        let parts = parse_text(rest).map_err(|(fact, message)| TemplateError { template: String::new(), line: no, fact, message })?;
        lines.push(Line { no, kind, parts });
    }
    if titles == 0 {
        return Err(TemplateError { template: String::new(), line: 1, fact: None, message: "模板缺少标题行 !title".into() });
    }
    Ok(Template { lines })
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') && s.as_bytes()[0].is_ascii_lowercase()
}

fn parse_text(s: &str) -> Result<Vec<Part>, (Option<String>, String)> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{") {
            text.push('{');
            rest = &rest[2..];
        } else if rest.starts_with("}}") {
            text.push('}');
            rest = &rest[2..];
        } else if c == '}' {
            return Err((None, "多余的“}”（文字中的花括号请写作 }}）".into()));
        } else if c == '{' {
            let end = rest.find('}').ok_or((None, "“{”没有对应的“}”".to_owned()))?;
            let inner = rest[1..end].trim();
            let (name, mode) = if let Some(n) = inner.strip_suffix('?') {
                (n, Mode::Condition)
            } else if let Some(n) = inner.strip_suffix('!') {
                (n, Mode::Always)
            } else if let Some((n, f)) = inner.split_once(':') {
                match f {
                    "count" => (n, Mode::Count),
                    "semi" => (n, Mode::Semi),
                    other => return Err((Some(n.to_owned()), format!("未知的格式“{other}”，可用：count、semi"))),
                }
            } else {
                (inner, Mode::Value)
            };
            if !is_name(name) {
                return Err((Some(name.to_owned()), "事实名应为小写英文字母、数字和下划线".into()));
            }
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Fact { name: name.to_owned(), mode });
            rest = &rest[end + 1..];
        } else if rest.starts_with(BLANK) {
            let end = rest.find('】').ok_or((None, "“【待填写”没有对应的“】”".to_owned()))?;
            let inner = &rest[BLANK.len()..end];
            let hint = inner.trim_start_matches(['：', ':']).trim().to_owned();
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Blank { hint });
            rest = &rest[end + '】'.len_utf8()..];
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

impl Template {
    /// Every fact the template uses, with the line it is first used on.
    pub fn facts(&self) -> Vec<(usize, &str)> {
        let mut out: Vec<(usize, &str)> = Vec::new();
        for l in &self.lines {
            for p in &l.parts {
                if let Part::Fact { name, .. } = p {
                    if !out.iter().any(|(_, n)| n == name) {
                        out.push((l.no, name));
                    }
                }
            }
        }
        out
    }

    /// Refuses a template that uses a fact the catalogue does not know.
    pub fn check(&self, known: impl Fn(&str) -> bool) -> Result<(), TemplateError> {
        match self.facts().into_iter().find(|(_, n)| !known(n)) {
            None => Ok(()),
            Some((line, name)) => Err(TemplateError {
                template: String::new(),
                line,
                fact: Some(name.to_owned()),
                message: "没有这个事实（事实目录见 dangwu report facts）".into(),
            }),
        }
    }
}
