//! Applying the dues rules to what a branch enters for a member: pay items flagged by person
//! type, the base, the bracket and the amount, and a branch's reduction — before anything is stored.

use dangwu_domain::DomainError;
use dangwu_domain::dues::{Calc, DuesRules, PayItem, base_from_items, calc};
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use serde::{Deserialize, Serialize};

/// What a branch enters for one member and year (from a form, the API or the base sheet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationInput {
    /// Person type id from the dues rules (`organ`, `organ_worker`, `institution`, `enterprise`,
    /// `annual_salary`, `retired`); may be empty for flat-rate categories and retirees.
    pub person_type: String,
    /// Pay items; `included` is set from the person type for the item names it lists.
    pub items: Vec<PayItem>,
    /// Social insurance, 公积金 and 年金 (personal part), per month.
    pub deductions: Fen,
    /// 个人所得税 per month.
    pub tax: Fen,
    /// A base entered directly (e.g. 年薪制: the pay actually received), instead of the items.
    pub base_override: Option<Fen>,
    /// The monthly amount of a flat-rate member within the rules' range (farmers 0.20–1.00).
    pub flat_amount: Option<Fen>,
    /// A reduced monthly amount (0 = waived) decided by the branch, with `reduction_ref`.
    pub reduced_amount: Option<Fen>,
    /// The branch decision (and approval) reference of a reduction, e.g. "机关党支部〔2022〕3号".
    pub reduction_ref: Option<String>,
    /// First month the amount applies (1–12; 0 means 1). A new version of a confirmed year
    /// needs a later month than the version in force.
    pub effective_month: u32,
}

/// The outcome of applying the rules to an input, before anything is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Computed {
    pub person_type: String,
    pub items: Vec<PayItem>,
    pub calc: Calc,
    /// The monthly amount after any reduction.
    pub amount: Fen,
    pub note: Option<String>,
}

/// Applies the dues rules to one member's input: flags items by person type (retirees: the
/// basic pension only), computes the base and the amount, and checks a reduction.
pub fn compute(rules: &DuesRules, category: DuesCategory, input: &VerificationInput) -> Result<Computed, DomainError> {
    let mut errs = dangwu_domain::error::Errors::default();
    for (field, v) in [("deductions", input.deductions), ("tax", input.tax)] {
        if v.is_negative() {
            errs.push(field, format!("{}不能为负数", if field == "tax" { "个人所得税" } else { "扣除项" }));
        }
    }
    for i in &input.items {
        if i.amount.is_negative() {
            errs.push("items", format!("工资项目“{}”的金额不能为负数", i.name));
        }
    }
    if input.base_override.is_some_and(Fen::is_negative) {
        errs.push("base", "计算基数不能为负数");
    }
    if input.effective_month > 12 {
        errs.push("effective_month", format!("生效月份应为1至12，不是{}", input.effective_month));
    }
    let person_type = match (category, input.person_type.trim()) {
        (DuesCategory::Retired, _) => "retired".to_owned(),
        (_, "") if rules.flat(category).is_some() => String::new(),
        (_, "") => {
            errs.push("person_type", "请选择人员类别（机关、事业单位、企业、年薪制等），据此确定计入基数的工资项目");
            String::new()
        }
        (_, t) => match person_type_of(rules, t) {
            Some(pt) if pt.id == "retired" => {
                errs.push("person_type", format!("人员类别为{}，但该党员的党费类别是“{}”，请先修改党员信息", pt.label, category.label()));
                String::new()
            }
            Some(pt) => pt.id.clone(),
            None => {
                let all: Vec<&str> = rules.person_types.iter().map(|p| p.label.as_str()).collect();
                errs.push("person_type", format!("人员类别“{t}”无效，可选：{}", all.join("、")));
                String::new()
            }
        },
    };
    errs.finish(|| ())?;
    let pt = rules.person_types.iter().find(|p| p.id == person_type);
    let items: Vec<PayItem> = input
        .items
        .iter()
        .map(|i| {
            let included = match pt {
                // 2017通知: retirees' base is the basic pension only, never allowances.
                Some(p) if category == DuesCategory::Retired => p.included.contains(&i.name),
                Some(p) if p.included.contains(&i.name) => true,
                Some(p) if p.excluded.contains(&i.name) => false,
                _ => i.included,
            };
            PayItem { name: i.name.trim().to_owned(), amount: i.amount, included }
        })
        .collect();
    let flat = rules.flat(category).is_some();
    let base = if flat { None } else { Some(input.base_override.unwrap_or_else(|| base_from_items(&items, input.deductions, input.tax))) };
    let c = calc(rules, category, base, input.flat_amount)?;
    let mut note = c.note.clone();
    let amount = match input.reduced_amount {
        None => c.amount,
        Some(r) => {
            let reference = input.reduction_ref.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let Some(reference) = reference else {
                return Err(DomainError::field("reduction_ref", "减交或免交党费须经党支部研究决定，请填写决定文号或会议记录"));
            };
            if r.is_negative() || r > c.amount {
                return Err(DomainError::field("reduced_amount", format!("减交后的金额应在0至{}元之间", c.amount)));
            }
            let what = if r == Fen::ZERO { "免交" } else { "减交" };
            note = Some(format!("经党支部研究同意{what}（{reference}），按规定应交{}元", c.amount));
            r
        }
    };
    Ok(Computed { person_type, items, calc: c, amount, note })
}


/// A person type by id, label or the label without 工作人员/人员 ("机关", "事业单位", "企业").
pub fn person_type_of<'r>(rules: &'r DuesRules, t: &str) -> Option<&'r dangwu_domain::dues::PersonType> {
    let t = t.trim();
    rules.person_types.iter().find(|pt| {
        pt.id == t || pt.label == t || pt.label.strip_suffix("工作人员") == Some(t) || pt.label.strip_suffix("人员") == Some(t)
    })
}
