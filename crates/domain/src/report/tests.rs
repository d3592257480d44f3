use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::format::{chinese_ordinal, join_cn, percent};
use super::*;
use crate::facts::{FactSet, FactValue, ListItem, RecordRef};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 4, 6).unwrap()
}

fn list(items: &[&str]) -> FactValue {
    FactValue::List(items.iter().map(|t| ListItem { text: (*t).into(), records: vec![] }).collect())
}

fn facts() -> FactSet {
    let mut f = FactSet::default();
    f.insert("org_unit", FactValue::Text("市体育局".into()), vec![]);
    f.count("positions", vec![RecordRef::new("position", "a"), RecordRef::new("position", "b")]);
    f.insert("none", FactValue::Count(0), vec![]);
    f.insert("rate", FactValue::Ratio { num: 179, den: 179 }, vec![]);
    f.insert("topics", list(&["甲", "乙", "丙"]), vec![]);
    f.insert("ok", FactValue::Bool(true), vec![]);
    f.insert("no", FactValue::Bool(false), vec![]);
    f
}

fn md(src: &str, facts: &FactSet) -> String {
    markdown(&render(&parse(src).unwrap(), facts, &BTreeMap::new(), date()))
}

#[test]
fn numbers_lists_and_ordinals_in_report_style() {
    assert_eq!(percent(179, 179), "100%");
    assert_eq!(percent(8351, 10000), "83.51%");
    assert_eq!(percent(2, 3), "66.67%");
    assert_eq!(percent(1, 3), "33.33%");
    assert_eq!(percent(1, 8), "12.5%");
    assert_eq!(percent(1, 200_000), "0%");
    assert_eq!(percent(199_999, 200_000), "100%");
    assert_eq!(percent(0, 0), "");
    assert_eq!(join_cn(&[]), "");
    assert_eq!(join_cn(&["甲"]), "甲");
    assert_eq!(join_cn(&["甲", "乙"]), "甲和乙");
    assert_eq!(join_cn(&["甲", "乙", "丙", "丁"]), "甲、乙、丙和丁");
    assert_eq!(chinese_ordinal(1), "一");
    assert_eq!(chinese_ordinal(10), "十");
    assert_eq!(chinese_ordinal(14), "十四");
    assert_eq!(chinese_ordinal(20), "二十");
    assert_eq!(chinese_ordinal(35), "三十五");
}

#[test]
fn sentences_with_empty_facts_are_dropped_and_numbering_closes_up() {
    let src = "!title {org_unit}汇报\n!h1 甲\n!h2 空的。\n有{none}处。\n\n!h2 有的。\n排查{positions}处，学习{topics}。\n不写{none}处。\n达{rate}{ok?}。\n不写{no?}。\n写{none!}处。\n!h1 乙\n!item 问题\n【待填写：分析】\n!date\n";
    let out = md(src, &facts());
    assert_eq!(
        out,
        "# 市体育局汇报\n\n## 一、甲\n\n**（一）有的。**排查2处，学习甲、乙和丙。达100%。写0处。\n\n## 二、乙\n\n**一是问题**【待填写】\n\n<p align=\"right\">2022年4月6日</p>\n"
    );
}

#[test]
fn zero_facts_and_long_lists() {
    // A template without facts renders as it is written.
    assert_eq!(md("!title 标题\n一句。\n二句。\n", &FactSet::default()), "# 标题\n\n一句。二句。\n");
    // Facts the area produced nothing for count as empty.
    assert_eq!(md("!title 标题\n有{positions}处。\n", &FactSet::default()), "# 标题\n");
    let mut f = FactSet::default();
    let many: Vec<String> = (1..=60).map(|i| format!("题{i}")).collect();
    f.insert("topics", list(&many.iter().map(String::as_str).collect::<Vec<_>>()), vec![]);
    let out = md("!title t\n学习{topics}，共{topics:count}个；{topics:semi}。\n", &f);
    assert!(out.contains("题1、题2、"), "{out}");
    assert!(out.contains("题59和题60，共60个；题1；题2；"), "{out}");
}

#[test]
fn blanks_are_numbered_in_kept_lines_and_take_their_fills() {
    let t = parse("!title t\n丢{none}【待填写】\n甲【待填写：一】乙【待填写】\n").unwrap();
    let fills = BTreeMap::from([(1, "已填".to_owned())]);
    let doc = render(&t, &facts(), &fills, date());
    let Block::Para { spans, .. } = &doc.blocks[0] else { panic!() };
    assert_eq!(spans[1], Span::Blank { index: 0, hint: "一".into(), fill: None });
    assert_eq!(spans[3], Span::Blank { index: 1, hint: String::new(), fill: Some("已填".into()) });
    assert_eq!(markdown(&doc), "# t\n\n甲【待填写】乙已填\n");
}

#[test]
fn syntax_errors_name_the_line_and_fact() {
    let e = |src: &str| parse(src).unwrap_err();
    assert_eq!(e("!title t\n\n!h3 x\n").line, 3);
    assert!(e("!title t\n!h3 x").message.contains("!h3"));
    assert_eq!(e("!title t\n有{x处。").line, 2);
    assert_eq!(e("!title t\n有}处。").line, 2);
    let bad = e("!title t\n有{X-1}处。");
    assert_eq!(bad.fact.as_deref(), Some("X-1"));
    assert_eq!(e("!title t\n{a:pct}").fact.as_deref(), Some("a"));
    assert!(e("没有标题\n").message.contains("!title"));
    assert_eq!(e("!title a\n!title b\n").line, 2);
    assert!(e("!title t\n【待填写\n").message.contains("】"));
    let named = e("!title t\n!h1\n").named("quarterly.tpl");
    assert_eq!(named.to_string(), "报告模板 quarterly.tpl 第2行：!h1 后须写文字");
    assert_eq!(parse("!title 花括号{{和}}").unwrap().lines[0].parts, vec![template::Part::Text("花括号{和}".into())]);
}

#[test]
fn unknown_facts_are_refused_with_template_line_and_fact() {
    let t = parse("!title t\n\n有{members_total}名。\n有{no_such_fact}处。\n").unwrap();
    let e = t.check(|n| n == "members_total").unwrap_err().named("quarterly.tpl");
    assert_eq!((e.line, e.fact.as_deref()), (4, Some("no_such_fact")));
    assert!(e.to_string().starts_with("报告模板 quarterly.tpl 第4行 事实“no_such_fact”："), "{e}");
}

#[test]
fn overrides_replace_the_shipped_template_and_broken_ones_are_refused() {
    let all = |_: &str| true;
    let shipped = Templates::load(&[], all).unwrap();
    assert!(shipped.get("quarterly").is_some_and(|t| !t.overridden));
    assert_eq!(shipped.list.len(), SHIPPED.len());
    let over = vec![("quarterly".to_owned(), "!title 本地{org_unit}\n".to_owned())];
    let t = Templates::load(&over, all).unwrap();
    let q = t.get("quarterly").unwrap();
    assert!(q.overridden && q.text.starts_with("!title 本地"));
    assert_ne!(q.version, shipped.get("quarterly").unwrap().version);
    let broken = vec![("quarterly".to_owned(), "!title t\n有{oops}处\n".to_owned())];
    let e = Templates::load(&broken, |n| n != "oops").unwrap_err();
    assert_eq!((e.template.as_str(), e.line, e.fact.as_deref()), ("quarterly.tpl", 2, Some("oops")));
}

#[test]
fn the_shipped_templates_parse() {
    for (name, _, text) in SHIPPED {
        parse(text).unwrap_or_else(|e| panic!("{}", e.named(name)));
    }
}
