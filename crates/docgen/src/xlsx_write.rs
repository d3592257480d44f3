//! Writing one table to `.xlsx` bytes.

use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, XlsxError};

use crate::xlsx_table::{ColumnSpec, SheetError};

/// Excel's text number format: typed or written values stay literal text.
const TEXT_FORMAT: &str = "@";
/// Light blue header fill.
const HEADER_FILL: u32 = 0x00DD_EBF7;

/// Writes `rows` (each in `columns` order) under a header row to a new
/// single-sheet workbook.
///
/// Every cell — and every column's default format — is text, so ID numbers,
/// phone numbers, leading zeros and dates are kept exactly as given, also
/// for values the user types later into the sheet. Values are written as
/// strings, never formulas, so text starting with `=` is inert. The header
/// is bold on a light fill, frozen, filterable and carries each column's
/// `note` as a cell note. A row with more cells than columns is an error;
/// shorter rows are padded with empty cells.
pub fn write_table(
    sheet_name: &str,
    columns: &[ColumnSpec],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, SheetError> {
    if let Some((index, row)) = rows.iter().enumerate().find(|(_, r)| r.len() > columns.len()) {
        return Err(SheetError::Write(format!(
            "第 {} 行有 {} 个单元格，超过列数 {}",
            index + 1,
            row.len(),
            columns.len()
        )));
    }
    build(sheet_name, columns, rows).map_err(|e| SheetError::Write(e.to_string()))
}

fn build(sheet_name: &str, columns: &[ColumnSpec], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let text = Format::new().set_num_format(TEXT_FORMAT);
    let header = Format::new()
        .set_num_format(TEXT_FORMAT)
        .set_bold()
        .set_background_color(Color::RGB(HEADER_FILL))
        .set_border(FormatBorder::Thin);

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;

    for (col, spec) in columns.iter().enumerate() {
        let col = col_num(col)?;
        sheet.set_column_width(col, spec.width)?;
        sheet.set_column_format(col, &text)?;
        sheet.write_string_with_format(0, col, spec.header, &header)?;
        if !spec.note.is_empty() {
            let note = Note::new(spec.note)
                .add_author_prefix(false)
                .set_width(260)
                .set_height(110);
            sheet.insert_note(0, col, &note)?;
        }
    }

    for (index, row) in rows.iter().enumerate() {
        let r = u32::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string_with_format(r, col_num(col)?, value, &text)?;
            }
        }
    }

    if !columns.is_empty() {
        let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.autofilter(0, 0, last_row, col_num(columns.len() - 1)?)?;
        sheet.set_freeze_panes(1, 0)?;
    }
    book.save_to_buffer()
}

fn col_num(col: usize) -> Result<u16, XlsxError> {
    u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)
}
