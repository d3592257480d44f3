//! 党费: the monthly amount from the base (whole-amount brackets), flat amounts, the base from
//! pay items, and arrears. Brackets, rates, rounding and limits come from rulebook/dues.toml.

use serde::{Deserialize, Serialize};

use crate::member::DuesCategory;
use crate::money::{Fen, Rate, Rounding, apply_rate};
use crate::rulebook::{RulebookError, Source};
use crate::DomainError;

const SHIPPED: &str = include_str!("../../../rulebook/dues.toml");

#[derive(Debug, Clone, Deserialize)]
struct RawBracket {
    up_to: Option<String>,
    rate: String,
}

#[derive(Debug, Clone, Deserialize)]
struct RawScale {
    category: String,
    citation: String,
    brackets: Vec<RawBracket>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawFlat {
    category: String,
    amount: String,
    max: Option<String>,
    citation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonType {
    pub id: String,
    pub label: String,
    pub included: Vec<String>,
    pub excluded: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    rounding: Rounding,
    monthly_cap: String,
    large_voluntary: String,
    back_payment_max_months: u32,
    advance_payment_max_months: u32,
    arrears_warning_months: u32,
    arrears_flag_months: u32,
    remit_ratio: String,
    remit_period: crate::period::Granularity,
    scale: Vec<RawScale>,
    flat: Vec<RawFlat>,
    person_type: Vec<PersonType>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bracket {
    /// Inclusive upper bound; `None` for the last bracket.
    pub up_to: Option<Fen>,
    pub rate: Rate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scale {
    pub category: DuesCategory,
    pub citation: String,
    pub brackets: Vec<Bracket>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Flat {
    pub category: DuesCategory,
    pub amount: Fen,
    /// Upper end of a per-member range (farmers: 0.20–1.00).
    pub max: Option<Fen>,
    pub citation: String,
}

/// The dues rules in force.
#[derive(Debug, Clone, Serialize)]
pub struct DuesRules {
    pub rounding: Rounding,
    pub monthly_cap: Fen,
    pub large_voluntary: Fen,
    pub back_payment_max_months: u32,
    pub advance_payment_max_months: u32,
    pub arrears_warning_months: u32,
    pub arrears_flag_months: u32,
    pub remit_ratio: Rate,
    pub remit_period: crate::period::Granularity,
    pub scales: Vec<Scale>,
    pub flats: Vec<Flat>,
    pub person_types: Vec<PersonType>,
}

fn err(file: &str, key: &str, message: String) -> RulebookError {
    RulebookError { file: file.into(), line: None, key: Some(key.into()), message }
}

impl DuesRules {
    pub fn shipped() -> Self {
        Self::load(None).expect("shipped rulebook/dues.toml is valid")
    }

    /// The shipped rules with a deployment file's top-level keys layered over them
    /// (`scale`, `flat` and `person_type` entries replace the shipped entry of the same category/id).
    pub fn load(over: Option<Source>) -> Result<Self, RulebookError> {
        let parse = |file: &str, text: &str| -> Result<toml::Table, RulebookError> {
            toml::from_str(text).map_err(|e| RulebookError {
                file: file.into(),
                line: e.span().map(|s| text[..s.start].matches('\n').count() + 1),
                key: None,
                message: format!("TOML 格式错误：{}", e.message()),
            })
        };
        let mut base = parse("dues.toml", SHIPPED)?;
        let file = over.as_ref().map(|s| s.file.to_owned()).unwrap_or_else(|| "dues.toml".into());
        if let Some(src) = over {
            for (k, v) in parse(src.file, src.text)? {
                match (k.as_str(), v, base.get_mut(&k)) {
                    ("scale" | "flat" | "person_type", toml::Value::Array(items), Some(toml::Value::Array(existing))) => {
                        let key = if k == "person_type" { "id" } else { "category" };
                        for item in items {
                            let id = item.get(key).cloned();
                            match existing.iter_mut().find(|e| e.get(key) == id.as_ref()) {
                                Some(slot) => *slot = item,
                                None => existing.push(item),
                            }
                        }
                    }
                    (_, v, _) => {
                        base.insert(k, v);
                    }
                }
            }
        }
        let raw = RawRules::deserialize(toml::Value::Table(base)).map_err(|e| err(&file, "", format!("内容有误：{}", e.message())))?;
        Self::from_raw(raw, &file)
    }

    fn from_raw(raw: RawRules, file: &str) -> Result<Self, RulebookError> {
        let money = |key: &str, s: &str| Fen::parse_non_negative(s, key).map_err(|e| err(file, key, e.to_string()));
        let category = |key: &str, s: &str| DuesCategory::parse(s).map_err(|e| err(file, key, e.to_string()));
        let mut scales = Vec::new();
        for s in &raw.scale {
            let mut brackets = Vec::new();
            for (i, b) in s.brackets.iter().enumerate() {
                let rate = Rate::parse(&b.rate).ok_or_else(|| err(file, "scale.brackets.rate", format!("费率“{}”无效", b.rate)))?;
                let up_to = b.up_to.as_deref().map(|u| money("scale.brackets.up_to", u)).transpose()?;
                let last = i + 1 == s.brackets.len();
                if up_to.is_none() != last {
                    return Err(err(file, "scale.brackets", format!("{}：只有最后一档可以不写 up_to", s.category)));
                }
                if let (Some(u), Some(prev)) = (up_to, brackets.last().and_then(|p: &Bracket| p.up_to)) {
                    if u <= prev {
                        return Err(err(file, "scale.brackets.up_to", format!("{}：各档上限应逐档增大", s.category)));
                    }
                }
                brackets.push(Bracket { up_to, rate });
            }
            scales.push(Scale { category: category("scale.category", &s.category)?, citation: s.citation.clone(), brackets });
        }
        let mut flats = Vec::new();
        for f in &raw.flat {
            flats.push(Flat {
                category: category("flat.category", &f.category)?,
                amount: money("flat.amount", &f.amount)?,
                max: f.max.as_deref().map(|m| money("flat.max", m)).transpose()?,
                citation: f.citation.clone(),
            });
        }
        Ok(DuesRules {
            rounding: raw.rounding,
            monthly_cap: money("monthly_cap", &raw.monthly_cap)?,
            large_voluntary: money("large_voluntary", &raw.large_voluntary)?,
            back_payment_max_months: raw.back_payment_max_months,
            advance_payment_max_months: raw.advance_payment_max_months,
            arrears_warning_months: raw.arrears_warning_months,
            arrears_flag_months: raw.arrears_flag_months,
            remit_ratio: Rate::parse(&raw.remit_ratio).ok_or_else(|| err(file, "remit_ratio", "上缴比例无效".into()))?,
            remit_period: raw.remit_period,
            scales,
            flats,
            person_types: raw.person_type,
        })
    }

    pub fn scale(&self, c: DuesCategory) -> Option<&Scale> {
        self.scales.iter().find(|s| s.category == c)
    }
    pub fn flat(&self, c: DuesCategory) -> Option<&Flat> {
        self.flats.iter().find(|f| f.category == c)
    }
}

/// The outcome of a calculation, with what a branch needs to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calc {
    pub category: DuesCategory,
    pub base: Option<Fen>,
    /// e.g. "3000元以上至5000元（含）"
    pub bracket: String,
    pub rate: Option<Rate>,
    pub amount: Fen,
    pub citation: String,
    /// Set when the amount exceeds the normal monthly cap (paying more stays possible).
    pub note: Option<String>,
}

fn yuan(f: Fen) -> String {
    if f.0 % 100 == 0 { format!("{}", f.0 / 100) } else { f.to_string() }
}

/// Monthly dues for a member of `category`: a bracket rate on `base`, or the flat amount
/// (`flat` chooses within a range, e.g. a farmer's 0.20–1.00).
pub fn calc(rules: &DuesRules, category: DuesCategory, base: Option<Fen>, flat: Option<Fen>) -> Result<Calc, DomainError> {
    if let Some(f) = rules.flat(category) {
        let amount = flat.unwrap_or(f.amount);
        let max = f.max.unwrap_or(f.amount);
        if amount < f.amount || amount > max {
            return Err(DomainError::field("amount", format!("{}党员每月交纳{}至{}元", category.label(), f.amount, max)));
        }
        let bracket = if f.max.is_some() { format!("{}–{}元/月", f.amount, max) } else { format!("{}元/月", f.amount) };
        return Ok(Calc { category, base, bracket, rate: None, amount, citation: f.citation.clone(), note: None });
    }
    let scale = rules
        .scale(category)
        .ok_or_else(|| DomainError::field("dues_category", format!("党费类别“{}”没有计算标准", category.label())))?;
    let base = base.ok_or_else(|| DomainError::field("base", "请填写计算基数"))?;
    if base.is_negative() {
        return Err(DomainError::field("base", "计算基数不能为负数"));
    }
    let (i, b) = scale
        .brackets
        .iter()
        .enumerate()
        .find(|(_, b)| b.up_to.is_none_or(|u| base <= u))
        .expect("the last bracket has no upper bound");
    let lower = if i == 0 { None } else { scale.brackets[i - 1].up_to };
    let bracket = match (lower, b.up_to) {
        (None, Some(u)) => format!("{}元以下（含）", yuan(u)),
        (Some(l), Some(u)) => format!("{}元以上至{}元（含）", yuan(l), yuan(u)),
        (Some(l), None) => format!("{}元以上", yuan(l)),
        (None, None) => "全部".into(),
    };
    let amount = apply_rate(base, b.rate, rules.rounding);
    let note = (amount > rules.monthly_cap)
        .then(|| format!("超过每月一般不超过{}元的标准（组电明字〔2017〕5号），可按本人意愿足额交纳", yuan(rules.monthly_cap)));
    Ok(Calc { category, base: Some(base), bracket, rate: Some(b.rate), amount, citation: scale.citation.clone(), note })
}

/// A pay item of the yearly verification sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayItem {
    pub name: String,
    pub amount: Fen,
    pub included: bool,
}

/// base = Σ included items − Σ deductions (social insurance, 公积金, 年金) − income tax; never below zero.
pub fn base_from_items(items: &[PayItem], deductions: Fen, tax: Fen) -> Fen {
    let gross: Fen = items.iter().filter(|i| i.included).map(|i| i.amount).sum();
    Fen((gross - deductions - tax).0.max(0))
}

/// Arrears level of a member: consecutive unpaid months up to the last month due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrearsLevel {
    None,
    Warning,
    /// 党章 第九条: for the branch meeting to decide — never an automatic status change.
    Flag,
}

/// Trailing run of unpaid months among `due` (ascending), e.g. [2022-01 … 2022-06] with payments.
pub fn consecutive_unpaid(due: &[(i32, u32)], paid: &std::collections::BTreeSet<(i32, u32)>) -> u32 {
    due.iter().rev().take_while(|m| !paid.contains(m)).count() as u32
}

pub fn arrears_level(rules: &DuesRules, unpaid: u32) -> ArrearsLevel {
    if unpaid >= rules.arrears_flag_months {
        ArrearsLevel::Flag
    } else if unpaid >= rules.arrears_warning_months {
        ArrearsLevel::Warning
    } else {
        ArrearsLevel::None
    }
}

/// Months from `(y, m)` through `(y2, m2)` inclusive.
pub fn months_between(from: (i32, u32), to: (i32, u32)) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = from;
    while (y, m) <= to {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

#[cfg(test)]
mod tests;
