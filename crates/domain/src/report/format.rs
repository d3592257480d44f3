//! Numbers, lists and ordinals in the style of Chinese work reports.

use crate::facts::{FactValue, ListItem};

/// 一 … 九十九, for heading numbers.
pub fn chinese_ordinal(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n - 10] }),
        20..=99 => format!("{}十{}", D[n / 10], if n % 10 == 0 { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

/// A、B和C: the Chinese way of joining a list.
pub fn join_cn(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}

/// A rate as a percentage rounded half up to two decimals, trailing zeros dropped: 100%, 83.51%,
/// 66.7%. An empty rate (no denominator) prints nothing.
pub fn percent(num: i64, den: i64) -> String {
    if den <= 0 {
        return String::new();
    }
    let (num, den) = (i128::from(num), i128::from(den));
    let bp = (num * 10_000 * 2 + den) / (den * 2);
    let (int, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        format!("{int}%")
    } else if frac % 10 == 0 {
        format!("{int}.{}%", frac / 10)
    } else {
        format!("{int}.{frac:02}%")
    }
}

/// How a fact's value reads in a sentence (units are the template's words: 7处, 179名).
pub fn value_text(v: &FactValue) -> String {
    match v {
        FactValue::Count(n) => n.to_string(),
        FactValue::Ratio { num, den } => percent(*num, *den),
        FactValue::Money(f) => f.to_string(),
        FactValue::Date(d) => d.map(crate::date::format_cn).unwrap_or_default(),
        FactValue::Text(s) => s.clone(),
        // A Bool is a condition: true reads as nothing.
        FactValue::Bool(_) => String::new(),
        FactValue::List(items) => join_cn(&items.iter().map(|i: &ListItem| i.text.as_str()).collect::<Vec<_>>()),
    }
}
