//! The year's dues base sheet (党费计算基数表): 姓名, 身份证号, 人员类别, one column per pay
//! item, 扣除, 个税 — read into [`BaseRow`]s for `dangwu_store::dues::import_bases`, and an
//! empty template to fill in. Item columns are the pay item names the dues rules list (the
//! rules decide which count); other columns are ignored.

use std::collections::BTreeSet;
use std::sync::{LazyLock, Mutex};

use dangwu_domain::dues::DuesRules;
use dangwu_store::dues::BaseRow;

use crate::xlsx_table::{ColumnSpec, SheetError, read_table, write_table};

/// Sheet name of generated base sheets.
pub const BASE_SHEET: &str = "党费计算基数";

const fn col(key: &'static str, header: &'static str, aliases: &'static [&'static str], required: bool, width: f64, note: &'static str) -> ColumnSpec {
    ColumnSpec { key, header, aliases, required, width, note, date: false }
}

const HEAD: [ColumnSpec; 3] = [
    col("name", "姓名", &[], false, 12.0, "党员姓名（与身份证号核对）"),
    col("id_card_no", "身份证号", &["公民身份号码", "身份证号码"], true, 22.0, "必填。按身份证号找到党员。请以文本格式填写。"),
    col(
        "person_type",
        "人员类别",
        &["人员身份"],
        false,
        14.0,
        "机关 / 机关工人 / 事业单位 / 企业 / 年薪制 / 离退休；学生、农民等按定额交纳的可留空",
    ),
];
const TAIL: [ColumnSpec; 2] = [
    col("deductions", "扣除", &["扣除项", "个人缴纳社保公积金年金", "社保公积金年金"], false, 14.0, "每月个人缴纳的养老、医疗、失业保险，住房公积金，职业年金或企业年金合计"),
    col("tax", "个税", &["个人所得税"], false, 10.0, "每月个人所得税"),
];

/// Item names live as long as the program (a column spec holds `&'static str`); each distinct
/// name is stored once, so repeated imports do not grow memory.
static NAMES: LazyLock<Mutex<BTreeSet<&'static str>>> = LazyLock::new(|| Mutex::new(BTreeSet::new()));

fn intern(s: &str) -> &'static str {
    let mut set = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = set.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.to_owned().into_boxed_str());
    set.insert(v);
    v
}

/// Pay item names of the rules' person types, in rule order without repeats.
pub fn item_names(rules: &DuesRules) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pt in &rules.person_types {
        for n in pt.included.iter().chain(&pt.excluded) {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
    }
    out
}

/// The sheet's columns: 姓名, 身份证号, 人员类别, the items, 扣除, 个税.
pub fn base_columns(items: &[String]) -> Vec<ColumnSpec> {
    let mut cols: Vec<ColumnSpec> = HEAD.to_vec();
    for n in items {
        let n = intern(n.trim());
        cols.push(col(n, n, &[], false, 12.0, ""));
    }
    cols.extend(TAIL);
    cols
}

/// "1234.5600000001" (a formula's float noise) → "1234.56"; anything else unchanged, so a
/// genuinely bad amount still fails validation with its own text.
fn money_text(s: &str) -> String {
    let t = s.trim();
    let decimals = t.split_once('.').map_or(0, |(_, f)| f.len());
    if decimals > 2
        && let Ok(f) = t.parse::<f64>()
    {
        let cents = f * 100.0;
        if (cents - cents.round()).abs() < 1e-6 && cents.abs() < 1e13 {
            return format!("{:.2}", cents.round() / 100.0);
        }
    }
    t.to_owned()
}

/// Reads an uploaded base sheet.
pub fn read_base_sheet(bytes: &[u8], rules: &DuesRules, max_rows: usize) -> Result<Vec<BaseRow>, SheetError> {
    let items = item_names(rules);
    let cols = base_columns(&items);
    let rows = read_table(bytes, &cols, max_rows)?;
    Ok(rows
        .into_iter()
        .map(|r| BaseRow {
            row: r.row,
            name: r.get("name").to_owned(),
            id_card_no: r.get("id_card_no").to_owned(),
            person_type: r.get("person_type").to_owned(),
            items: items.iter().filter(|n| !r.get(n.trim()).is_empty()).map(|n| (n.trim().to_owned(), money_text(r.get(n.trim())))).collect(),
            deductions: money_text(r.get("deductions")),
            tax: money_text(r.get("tax")),
        })
        .collect())
}

/// A base sheet in column order (the template has no rows; tests and exports can fill it).
pub fn write_base_sheet(rules: &DuesRules, rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    write_table(BASE_SHEET, &base_columns(&item_names(rules)), rows)
}

/// The header of a base sheet as a row of text (for building sheets in tests and exports).
pub fn base_headers(rules: &DuesRules) -> Vec<&'static str> {
    base_columns(&item_names(rules)).iter().map(|c| c.header).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_items_and_cleans_float_noise() {
        let rules = DuesRules::shipped();
        let heads = base_headers(&rules);
        assert_eq!(&heads[..3], &["姓名", "身份证号", "人员类别"]);
        assert_eq!(&heads[heads.len() - 2..], &["扣除", "个税"]);
        let at = |h: &str| heads.iter().position(|x| *x == h).unwrap();
        let mut row = vec![String::new(); heads.len()];
        row[at("姓名")] = "王建国".into();
        row[at("身份证号")] = "110105194912310021".into();
        row[at("人员类别")] = "机关".into();
        row[at("职务工资")] = "3000".into();
        row[at("级别工资")] = "2500.0000000001".into();
        row[at("扣除")] = "1200.5".into();
        row[at("个税")] = "-1".into();
        let bytes = write_base_sheet(&rules, &[row]).unwrap();
        let rows = read_base_sheet(&bytes, &rules, 10).unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!((r.row, r.name.as_str(), r.person_type.as_str()), (2, "王建国", "机关"));
        assert_eq!(r.items, [("职务工资".to_owned(), "3000".to_owned()), ("级别工资".to_owned(), "2500.00".to_owned())]);
        assert_eq!((r.deductions.as_str(), r.tax.as_str()), ("1200.5", "-1"));
        assert_eq!(money_text("12.345"), "12.345");
        assert!(matches!(read_base_sheet(b"not a sheet", &rules, 10), Err(SheetError::NotXlsx)));
    }
}
