//! The facts a report used, as a spreadsheet: name, label, value and how many records stand
//! behind each (事实清单), so a reader can check every figure.

use crate::xlsx_table::{ColumnSpec, SheetError, write_table};

const fn col(key: &'static str, header: &'static str, width: f64) -> ColumnSpec {
    ColumnSpec { key, header, aliases: &[], required: false, width, note: "", date: false }
}

const COLUMNS: [ColumnSpec; 5] = [
    col("label", "事实", 24.0),
    col("value", "取值", 40.0),
    col("records", "记录数", 10.0),
    col("name", "事实名", 32.0),
    col("doc", "说明", 60.0),
];

/// One line of the sheet.
pub struct FactLine {
    pub name: String,
    pub label: String,
    pub value: String,
    pub records: usize,
    pub doc: String,
}

pub fn write_facts(lines: &[FactLine]) -> Result<Vec<u8>, SheetError> {
    let rows: Vec<Vec<String>> =
        lines.iter().map(|l| vec![l.label.clone(), l.value.clone(), l.records.to_string(), l.name.clone(), l.doc.clone()]).collect();
    write_table("事实清单", &COLUMNS, &rows)
}
