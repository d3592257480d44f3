//! The cells of an uploaded workbook's first worksheet, read one by one. calamine's
//! `worksheet_range` allocates the bounding box of the used cells: a 1.5 KB file with cells at
//! A1 and XFD1048576 asked for 512 GiB and aborted the whole server (found by the
//! `dues_payments_xlsx` fuzz target). Here only the cells present are kept, within a budget.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};

use crate::xlsx_table::SheetError;

/// Columns beyond this are ignored: a template has a few dozen, and a dense row is built per
/// sheet row up to the last column in use.
pub(crate) const MAX_COLUMNS: u32 = 256;
/// Non-empty cells allowed per permitted data row (a template has under 40 columns), plus
/// room for title rows and notes.
const CELLS_PER_ROW: usize = 40;
const SPARE_CELLS: usize = 10_000;

/// Non-empty cells by 0-based sheet row, each row's cells as `(column, value)` in column order.
pub(crate) struct SheetCells {
    pub rows: BTreeMap<u32, Vec<(u32, Data)>>,
    pub is_1904: bool,
}

impl SheetCells {
    /// One row as a dense slice from column A to its last non-empty cell.
    pub fn dense(cells: &[(u32, Data)]) -> Vec<Data> {
        let width = cells.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
        let mut row = vec![Data::Empty; width];
        for (c, v) in cells {
            row[*c as usize] = v.clone();
        }
        row
    }
}

/// Reads the first worksheet. Any failure of the container or the sheet XML — including a
/// panic inside the parser — is [`SheetError::NotXlsx`]; more cells than `max_rows` data rows
/// can hold is [`SheetError::TooManyCells`].
pub(crate) fn first_sheet(bytes: &[u8], max_rows: usize) -> Result<SheetCells, SheetError> {
    let budget = max_rows.saturating_mul(CELLS_PER_ROW).saturating_add(SPARE_CELLS);
    catch_unwind(AssertUnwindSafe(|| read(bytes, budget))).unwrap_or(Err(SheetError::NotXlsx))
}

fn read(bytes: &[u8], budget: usize) -> Result<SheetCells, SheetError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| SheetError::NotXlsx)?;
    let is_1904 = book.has_1904_epoch();
    let Some(name) = book.sheet_names().into_iter().next() else {
        return Err(SheetError::Empty);
    };
    let mut reader = match book.worksheet_cells_reader(&name) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_)) => return Err(SheetError::Empty),
        Err(_) => return Err(SheetError::NotXlsx),
    };
    let mut rows: BTreeMap<u32, Vec<(u32, Data)>> = BTreeMap::new();
    let mut kept = 0usize;
    while let Some(cell) = reader.next_cell().map_err(|_| SheetError::NotXlsx)? {
        let (r, c) = cell.get_position();
        if c >= MAX_COLUMNS || matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        kept += 1;
        if kept > budget {
            return Err(SheetError::TooManyCells { max: budget });
        }
        rows.entry(r).or_default().push((c, Data::from(cell.get_value().clone())));
    }
    for cells in rows.values_mut() {
        // Later cells at the same position win, as when Excel reads a repeated `<c r=…>`.
        cells.sort_by_key(|(c, _)| *c);
        cells.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
    }
    if rows.is_empty() {
        return Err(SheetError::Empty);
    }
    Ok(SheetCells { rows, is_1904 })
}
