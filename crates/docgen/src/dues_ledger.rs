//! Dues sheets branches print and sign: the monthly ledger (党费收缴登记表: 姓名, 月交纳额,
//! 1月 … 12月, 合计, with a totals row) and the year's verification table (党费核定表).

use dangwu_domain::dues::DuesRules;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use dangwu_store::dues::{Ledger, LedgerCell, VerificationRow};

use crate::xlsx_table::{ColumnSpec, SheetError, write_table};

pub const LEDGER_SHEET: &str = "党费收缴登记表";
pub const VERIFICATION_SHEET: &str = "党费核定表";

const fn col(key: &'static str, header: &'static str, width: f64) -> ColumnSpec {
    ColumnSpec { key, header, aliases: &[], required: false, width, note: "", date: false }
}

static LEDGER_COLUMNS: [ColumnSpec; 15] = [
    col("name", "姓名", 12.0),
    col("monthly", "月交纳额", 10.0),
    col("m1", "1月", 8.0),
    col("m2", "2月", 8.0),
    col("m3", "3月", 8.0),
    col("m4", "4月", 8.0),
    col("m5", "5月", 8.0),
    col("m6", "6月", 8.0),
    col("m7", "7月", 8.0),
    col("m8", "8月", 8.0),
    col("m9", "9月", 8.0),
    col("m10", "10月", 8.0),
    col("m11", "11月", 8.0),
    col("m12", "12月", 8.0),
    col("total", "合计", 10.0),
];

static VERIFICATION_COLUMNS: [ColumnSpec; 11] = [
    col("no", "序号", 6.0),
    col("name", "姓名", 12.0),
    col("org", "所在党组织", 22.0),
    col("person_type", "人员类别", 14.0),
    col("base", "计算基数（元）", 14.0),
    col("bracket", "档次", 22.0),
    col("rate", "比例", 8.0),
    col("amount", "月交纳额（元）", 14.0),
    col("status", "状态", 8.0),
    col("note", "备注", 30.0),
    col("sign", "本人签字", 12.0),
];

/// The ledger's columns (姓名, 月交纳额, 1月 … 12月, 合计), e.g. to read an exported ledger back.
pub fn ledger_columns() -> &'static [ColumnSpec] {
    &LEDGER_COLUMNS
}

/// 未交 for a month due and unpaid; blank for a month not due.
pub fn cell_text(c: LedgerCell) -> String {
    match c {
        LedgerCell::Paid(f) => f.to_string(),
        LedgerCell::Unpaid => "未交".into(),
        LedgerCell::NotDue => String::new(),
    }
}

/// The ledger as rows of text, totals last.
pub fn ledger_rows(l: &Ledger) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|r| {
            let mut v = vec![r.name.clone(), r.monthly.map(|m| m.to_string()).unwrap_or_default()];
            v.extend(r.cells.iter().map(|c| cell_text(*c)));
            v.push(r.total.to_string());
            v
        })
        .collect();
    let mut total = vec!["合计".to_owned(), String::new()];
    total.extend(l.month_totals.iter().map(Fen::to_string));
    total.push(l.total.to_string());
    rows.push(total);
    rows
}

pub fn write_ledger(l: &Ledger) -> Result<Vec<u8>, SheetError> {
    write_table(LEDGER_SHEET, &LEDGER_COLUMNS, &ledger_rows(l))
}

/// 机关工作人员 …, or the dues category for flat-rate members.
fn person_type_label(rules: &DuesRules, r: &VerificationRow) -> String {
    let pt = r.current.as_ref().map(|v| v.person_type.as_str()).unwrap_or("");
    match rules.person_types.iter().find(|p| p.id == pt) {
        Some(p) => p.label.clone(),
        None => DuesCategory::parse(&r.dues_category).map(|c| format!("{}党员", c.label())).unwrap_or_default(),
    }
}

pub fn verification_rows(rules: &DuesRules, rows: &[VerificationRow]) -> Vec<Vec<String>> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let (base, bracket, rate, amount, status, note) = match &r.current {
                Some(v) => (
                    v.base().map(|b| b.to_string()).unwrap_or_default(),
                    v.bracket.clone(),
                    v.rate_percent(),
                    v.amount().to_string(),
                    if v.is_confirmed() { "已确认" } else { "草稿" }.to_owned(),
                    [v.note.clone(), (v.effective_month > 1).then(|| format!("第{}版，自{}月起", v.version, v.effective_month))]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
                None => Default::default(),
            };
            let status = if r.current.is_none() { "未核定".to_owned() } else { status };
            vec![(i + 1).to_string(), r.name.clone(), r.org_name.clone(), person_type_label(rules, r), base, bracket, rate, amount, status, note, String::new()]
        })
        .collect()
}

pub fn write_verification_table(rules: &DuesRules, rows: &[VerificationRow]) -> Result<Vec<u8>, SheetError> {
    write_table(VERIFICATION_SHEET, &VERIFICATION_COLUMNS, &verification_rows(rules, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dangwu_store::dues::LedgerRow;

    #[test]
    fn ledger_layout_with_totals() {
        let mut cells = vec![LedgerCell::Paid(Fen(7650)); 3];
        cells.extend([LedgerCell::Unpaid]);
        cells.extend(vec![LedgerCell::NotDue; 8]);
        let l = Ledger {
            org_id: "o".into(),
            org_name: "机关党支部".into(),
            year: 2022,
            rows: vec![LedgerRow { member_id: "m".into(), name: "王建国".into(), org_name: "机关党支部".into(), monthly: Some(Fen(7650)), cells, total: Fen(22950) }],
            month_totals: [vec![Fen(7650); 3], vec![Fen::ZERO; 9]].concat(),
            total: Fen(22950),
        };
        let rows = ledger_rows(&l);
        assert_eq!(rows[0][..6], ["王建国", "76.50", "76.50", "76.50", "76.50", "未交"]);
        assert_eq!(rows[0][6], "");
        assert_eq!(rows[0][14], "229.50");
        assert_eq!(rows[1][0], "合计");
        assert_eq!(rows[1][14], "229.50");
        let bytes = write_ledger(&l).unwrap();
        let back = crate::read_table(&bytes, &LEDGER_COLUMNS, 10).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].get("m4"), "未交");
    }
}
