//! Spreadsheet layer for dangwu: in-memory `.xlsx` bytes ⇄ rows of text.
//!
//! * [`xlsx_table`] — generic reading/writing of one header-plus-rows table.
//! * [`roster`] — the party-member roster (党员名册) layout on top of it.
//! * [`dues_sheet`] — the year's dues base sheet (党费计算基数表), read for import.
//! * [`dues_ledger`] — the dues ledger (党费收缴登记表) and verification table (党费核定表) to print.
//! * [`report_docx`] — a rendered report as a GB/T 9704 DOCX; [`report_facts`] — its facts as a sheet.
//!
//! Nothing here touches a database or validates domain values: every cell is
//! handed back as trimmed text and checked elsewhere.

mod cell_text;
mod sheet_cells;
pub mod dues_ledger;
pub mod dues_payments;
pub mod dues_sheet;
pub mod report_docx;
pub mod report_facts;
pub mod rectification;
pub mod roster;
pub mod roster_map;
pub mod xlsx_table;
mod xlsx_write;

pub use roster::{ROSTER_SHEET, read_roster, roster_columns, roster_template, write_roster};
pub use xlsx_table::{ColumnSpec, SheetError, SheetRow, read_table, write_table};
