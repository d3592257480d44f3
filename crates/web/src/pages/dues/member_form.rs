//! The verification form as typed: pay items as numbered rows (`item_name_3`, `item_amount_3`,
//! `item_inc_3`), amounts as yuan text, turned into a [`VerificationInput`] with every problem
//! named; and the other way, a stored version put back into the form.

use dangwu_domain::dues::PayItem;
use dangwu_domain::money::Fen;
use dangwu_store::dues::{Verification, VerificationInput};
use std::collections::HashMap;

use crate::pages::kit::{Problems, Values};

/// Empty rows offered at least, and beyond the rows already filled.
pub const MIN_ROWS: usize = 6;
pub const SPARE_ROWS: usize = 3;
/// Rows read from a submission (a payroll sheet has far fewer items).
const MAX_ROWS: usize = 60;

/// The plain fields of the form (the item rows aside).
pub const PLAIN: &[&str] = &["person_type", "deductions", "tax", "base", "flat_amount", "reduced_amount", "reduction_ref", "effective_month"];

/// Fields whose problems are shown beside them; the rest (locked version, items) go above the form.
pub const SHOWN: &[&str] = &["person_type", "items", "deductions", "tax", "base", "amount", "reduced_amount", "reduction_ref"];

pub struct ItemRow {
    pub i: usize,
    pub name: String,
    pub amount: String,
    pub included: bool,
}

/// What was typed, to show again: the plain fields and the item rows (with spare empty rows).
pub fn typed(form: &HashMap<String, String>) -> (Values, Vec<ItemRow>) {
    let mut v = Values::default();
    for k in PLAIN {
        v.set(k, form.get(*k).map(|s| s.trim()).unwrap_or_default());
    }
    let get = |k: String| form.get(&k).map(|s| s.trim().to_owned()).unwrap_or_default();
    let rows = (0..MAX_ROWS)
        .map(|i| (get(format!("item_name_{i}")), get(format!("item_amount_{i}")), form.contains_key(&format!("item_inc_{i}"))))
        .filter(|(n, a, _)| !n.is_empty() || !a.is_empty())
        .collect();
    (v, with_spare(rows))
}

/// Numbered rows plus spare empty ones (at least [`MIN_ROWS`]).
pub fn with_spare(filled: Vec<(String, String, bool)>) -> Vec<ItemRow> {
    let n = (filled.len() + SPARE_ROWS).max(MIN_ROWS);
    let mut rows: Vec<ItemRow> = filled.into_iter().enumerate().map(|(i, (name, amount, included))| ItemRow { i, name, amount, included }).collect();
    while rows.len() < n {
        rows.push(ItemRow { i: rows.len(), name: String::new(), amount: String::new(), included: true });
    }
    rows
}

/// Reads the typed form; every problem at once, each naming its field.
pub fn parse(v: &Values, rows: &[ItemRow]) -> Result<VerificationInput, crate::WebError> {
    let mut p = Problems::default();
    let money = |p: &mut Problems, field: &str, label: &str| -> Option<Fen> {
        match v.get(field) {
            "" => None,
            s => match Fen::parse_yuan(s, field) {
                Ok(f) if f.is_negative() => {
                    p.push(field, format!("{label}不能为负数：{s}"));
                    None
                }
                Ok(f) => Some(f),
                Err(_) => {
                    p.push(field, format!("{label}“{s}”格式不正确，应为如 5100.00 的金额"));
                    None
                }
            },
        }
    };
    let deductions = money(&mut p, "deductions", "扣除项").unwrap_or(Fen::ZERO);
    let tax = money(&mut p, "tax", "个人所得税").unwrap_or(Fen::ZERO);
    let base_override = money(&mut p, "base", "计算基数");
    let flat_amount = money(&mut p, "flat_amount", "每月交纳金额");
    let reduced_amount = money(&mut p, "reduced_amount", "减交后金额");
    let mut items = Vec::new();
    for r in rows.iter().filter(|r| !r.name.is_empty() || !r.amount.is_empty()) {
        let line = r.i + 1;
        if r.name.is_empty() {
            p.push("items", format!("第{line}行工资项目缺少名称"));
            continue;
        }
        match Fen::parse_yuan(&r.amount, "items") {
            Ok(a) if a.is_negative() => p.push("items", format!("工资项目“{}”的金额不能为负数", r.name)),
            Ok(amount) => items.push(PayItem { name: r.name.clone(), amount, included: r.included }),
            Err(_) if r.amount.is_empty() => p.push("items", format!("请填写工资项目“{}”的金额", r.name)),
            Err(_) => p.push("items", format!("工资项目“{}”的金额“{}”格式不正确，应为如 3200.00 的金额", r.name, r.amount)),
        }
    }
    let effective_month = match v.get("effective_month") {
        "" => 1,
        s => match s.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => m,
            _ => {
                p.push("effective_month", format!("生效月份应为1至12，不是“{s}”"));
                1
            }
        },
    };
    let reduction_ref = Some(v.get("reduction_ref").to_owned()).filter(|s| !s.is_empty());
    if reduction_ref.is_some() && reduced_amount.is_none() && p.0.iter().all(|e| e.field != "reduced_amount") {
        p.push("reduced_amount", "填写了党支部决定文号，请同时填写减交后的每月金额（免交填0）");
    }
    p.finish()?;
    Ok(VerificationInput {
        person_type: v.get("person_type").to_owned(),
        items,
        deductions,
        tax,
        base_override,
        flat_amount,
        reduced_amount,
        reduction_ref,
        effective_month,
    })
}

/// A stored version as the form shows it (a new version starts from the one in force).
pub fn from_version(ver: &Verification, effective_month: u32) -> (Values, Vec<ItemRow>) {
    let mut v = Values::default();
    let items = ver.pay_items();
    v.set("person_type", ver.person_type.clone());
    let fen = |f: i64| if f == 0 { String::new() } else { Fen(f).to_string() };
    v.set("deductions", fen(ver.deductions_fen));
    v.set("tax", fen(ver.tax_fen));
    if items.is_empty() {
        // No items: the base was typed directly (年薪制, a base sheet without items).
        v.set("base", ver.base().map(|b| b.to_string()).unwrap_or_default());
    }
    match &ver.reduction_ref {
        Some(r) => {
            v.set("reduced_amount", ver.amount().to_string());
            v.set("reduction_ref", r.clone());
        }
        None if ver.rate.is_none() => v.set("flat_amount", ver.amount().to_string()),
        None => {}
    }
    v.set("effective_month", effective_month.to_string());
    let rows = items.into_iter().map(|i| (i.name, i.amount.to_string(), i.included)).collect();
    (v, with_spare(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rows_are_read_with_spares_and_checked_boxes() {
        let f = form(&[("item_name_0", "职务工资"), ("item_amount_0", "2740"), ("item_inc_0", "1"), ("item_name_2", "交通补贴"), ("item_amount_2", "300")]);
        let (v, rows) = typed(&f);
        assert_eq!(rows.len(), MIN_ROWS);
        let input = parse(&v, &rows).unwrap();
        assert_eq!(input.items.len(), 2);
        assert_eq!(input.items[0].amount, Fen(274000));
        assert!(input.items[0].included && !input.items[1].included);
        assert_eq!(input.effective_month, 1);
    }

    #[test]
    fn every_problem_is_named() {
        let f = form(&[("item_name_0", "奖金"), ("item_amount_0", "-5"), ("item_amount_1", "3"), ("tax", "abc"), ("effective_month", "13"), ("reduction_ref", "X号")]);
        let (v, rows) = typed(&f);
        let e = parse(&v, &rows).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        for want in ["items", "tax", "effective_month", "reduced_amount"] {
            assert!(fields.contains(&want), "{want} in {fields:?}");
        }
        assert!(e.errors.iter().any(|f| f.message.contains("不能为负数")));
    }
}
