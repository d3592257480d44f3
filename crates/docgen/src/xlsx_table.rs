//! Generic one-table spreadsheet reading and writing.
//!
//! Reading is tolerant of how people actually fill in templates: a title row
//! above the header, shuffled or extra columns, full-width parentheses,
//! stray spaces, numbers where text was expected and trailing blank rows.

use std::collections::BTreeMap;

use calamine::Data;
use serde::{Deserialize, Serialize};

use crate::cell_text::cell_text;
use crate::sheet_cells::{SheetCells, first_sheet};

pub use crate::xlsx_write::write_table;

/// One data row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    /// 1-based Excel row number, as the user sees it in Excel.
    pub row: usize,
    /// Canonical column key → trimmed cell text. Every column that was found
    /// in the header has an entry (possibly empty); absent columns have none.
    pub cells: BTreeMap<String, String>,
}

impl SheetRow {
    /// Text of a column, `""` when the column is absent or the cell empty.
    pub fn get(&self, key: &str) -> &str {
        self.cells.get(key).map_or("", String::as_str)
    }
}

/// Description of one column of a table layout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ColumnSpec {
    /// Canonical key used in [`SheetRow::cells`].
    pub key: &'static str,
    /// Chinese header as written in generated sheets.
    pub header: &'static str,
    /// Other headers accepted when reading.
    pub aliases: &'static [&'static str],
    /// Whether the column must be present in an uploaded sheet.
    pub required: bool,
    /// Column width in Excel character units.
    pub width: f64,
    /// Guidance shown as a note on the header cell (empty → no note).
    pub note: &'static str,
    /// Whether plain numbers in this column are Excel serial dates.
    pub date: bool,
}

/// Why a sheet could not be read or written. Messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("文件不是有效的 Excel（.xlsx）文件")]
    NotXlsx,
    #[error("工作表为空")]
    Empty,
    #[error("未找到表头行，请使用模板中的列名")]
    HeaderNotFound,
    #[error("缺少必需的列：{}", .0.join("、"))]
    MissingColumns(Vec<String>),
    #[error("列“{0}”重复出现（可能同时使用了它的别名）")]
    DuplicateColumn(String),
    #[error("数据行数超过上限（最多 {max} 行）")]
    TooManyRows { max: usize },
    #[error("表格中的非空单元格过多（最多 {max} 个），请只保留模板中的列和数据行")]
    TooManyCells { max: usize },
    #[error("生成 Excel 文件失败：{0}")]
    Write(String),
}

/// A header row must match at least this many known columns.
const MIN_HEADER_MATCHES: usize = 2;

/// Reads the first worksheet of an `.xlsx` file into rows keyed by
/// [`ColumnSpec::key`]. Blank rows are skipped; more than `max_rows`
/// non-blank data rows is an error.
pub fn read_table(
    bytes: &[u8],
    columns: &[ColumnSpec],
    max_rows: usize,
) -> Result<Vec<SheetRow>, SheetError> {
    let sheet = first_sheet(bytes, max_rows)?;
    let is_1904 = sheet.is_1904;
    let mut rows = sheet.rows.iter();
    let threshold = MIN_HEADER_MATCHES.min(columns.len()).max(1);
    let mapping = loop {
        let Some((_, cells)) = rows.next() else {
            return Err(SheetError::HeaderNotFound);
        };
        let found = match_headers(&SheetCells::dense(cells), columns)?;
        if found.len() >= threshold {
            break found;
        }
    };
    let missing: Vec<String> = columns
        .iter()
        .filter(|c| c.required && !mapping.iter().any(|(_, m)| m.key == c.key))
        .map(|c| c.header.to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::MissingColumns(missing));
    }

    let mut out = Vec::new();
    for (&index, cells) in rows {
        let cells = SheetCells::dense(cells);
        let mut map = BTreeMap::new();
        let mut blank = true;
        for (col, spec) in &mapping {
            let text = cells
                .get(*col)
                .map(|c| cell_text(c, spec.date, is_1904))
                .unwrap_or_default();
            blank &= text.is_empty();
            map.insert(spec.key.to_owned(), text);
        }
        if blank {
            continue;
        }
        if out.len() == max_rows {
            return Err(SheetError::TooManyRows { max: max_rows });
        }
        out.push(SheetRow { row: index as usize + 1, cells: map });
    }
    Ok(out)
}

/// Maps the cells of a candidate header row to column specs, returning
/// `(cell index, spec)` pairs. Two cells naming the same column is an error,
/// but only once the row has been recognised as a header (≥ 2 matches is
/// checked by the caller; a duplicate needs 2 matches anyway).
fn match_headers<'c>(
    cells: &[Data],
    columns: &'c [ColumnSpec],
) -> Result<Vec<(usize, &'c ColumnSpec)>, SheetError> {
    let mut found: Vec<(usize, &ColumnSpec)> = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let text = cell_text(cell, false, false);
        if text.is_empty() {
            continue;
        }
        let Some(spec) = find_column(&text, columns) else {
            continue;
        };
        if found.iter().any(|(_, s)| s.key == spec.key) {
            return Err(SheetError::DuplicateColumn(spec.header.to_owned()));
        }
        found.push((index, spec));
    }
    Ok(found)
}

/// Finds the column a header names: exact normalised match on the header or
/// an alias, then the same with a trailing parenthesised hint removed
/// ("出生日期(YYYY-MM-DD)" → "出生日期").
fn find_column<'c>(header: &str, columns: &'c [ColumnSpec]) -> Option<&'c ColumnSpec> {
    let wanted = normalize_header(header);
    let lookup = |name: &str| {
        columns.iter().find(|c| {
            normalize_header(c.header) == name
                || c.aliases.iter().any(|a| normalize_header(a) == name)
        })
    };
    lookup(&wanted).or_else(|| {
        let stripped = wanted.strip_suffix(')')?.rsplit_once('(')?.0;
        (!stripped.is_empty()).then(|| lookup(stripped)).flatten()
    })
}

/// Normalises a header for comparison: drops all whitespace (also inside,
/// "姓 名"), required-markers (`*`, `＊`), and folds full-width ASCII
/// (parentheses, letters, digits) to half-width and Latin letters to lower case.
pub(crate) fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊'))
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
#[path = "xlsx_table_tests.rs"]
mod tests;
