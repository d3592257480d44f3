//! Conversion of calamine cell values to the trimmed text handed to callers.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

/// Largest magnitude for which an `f64` still holds every integer exactly
/// enough to print it digit for digit (Excel itself keeps 15 significant
/// digits). Larger numbers — typically 18-digit ID numbers typed into a
/// number cell — are printed in scientific form so that they visibly fail
/// validation instead of turning into a plausible but wrong digit string.
const EXACT_INTEGER_LIMIT: f64 = 1e15;

/// Excel's last valid serial date (9999-12-31).
const MAX_SERIAL_DATE: f64 = 2_958_466.0;

/// Text of one cell. `date_column` enables reading plain numbers as Excel
/// serial dates; `is_1904` is the workbook's date epoch.
pub(crate) fn cell_text(cell: &Data, date_column: bool, is_1904: bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if date_column && looks_like_serial_date(*f) {
                serial_date_text(*f, is_1904)
            } else {
                number_text(*f)
            }
        }
        Data::Bool(true) => "是".to_owned(),
        Data::Bool(false) => "否".to_owned(),
        Data::DateTime(dt) => datetime_text(dt),
        Data::DateTimeIso(s) => iso_datetime_text(s.trim()),
        Data::DurationIso(s) => s.trim().to_owned(),
        Data::Error(e) => e.to_string(),
    }
}

/// Plain number → text; integral values lose the ".0" Excel gives them
/// (13800138000.0 → "13800138000").
pub(crate) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < EXACT_INTEGER_LIMIT {
        // Exact: |f| < 1e15 < 2^53, so the cast cannot lose anything.
        return (f as i64).to_string();
    }
    if f.abs() >= EXACT_INTEGER_LIMIT {
        return format!("{f:e}");
    }
    f.to_string()
}

/// A plain number in a date column is taken as a serial date when it is in
/// Excel's date range — except whole numbers 1900‥=2100, which are far more
/// likely a year typed on its own than a day in 1905.
fn looks_like_serial_date(f: f64) -> bool {
    let plausible_year = f.fract() == 0.0 && (1900.0..=2100.0).contains(&f);
    f.is_finite() && (1.0..MAX_SERIAL_DATE).contains(&f) && !plausible_year
}

fn serial_date_text(f: f64, is_1904: bool) -> String {
    datetime_text(&ExcelDateTime::new(f, ExcelDateTimeType::DateTime, is_1904))
}

/// A date-formatted cell → "YYYY-MM-DD"; a time-only cell → "HH:MM:SS";
/// a duration keeps its raw number.
fn datetime_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        return number_text(dt.as_f64());
    }
    let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
    if dt.as_f64() < 1.0 && dt.as_f64() >= 0.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}")
    }
}

/// ISO date-times ("2020-07-01T00:00:00") keep only the date part when the
/// time is midnight; anything else is returned unchanged.
fn iso_datetime_text(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time)) if time.chars().all(|c| matches!(c, '0' | ':' | '.')) => {
            date.to_owned()
        }
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_trailing_zero_fraction() {
        assert_eq!(number_text(13_800_138_000.0), "13800138000");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(1.101_051_990_030_7e17), "1.1010519900307e17");
    }

    #[test]
    fn serial_dates_only_in_date_columns() {
        // 2021-07-01 is serial 44378 in the 1900 epoch.
        assert_eq!(cell_text(&Data::Float(44378.0), true, false), "2021-07-01");
        assert_eq!(cell_text(&Data::Float(44378.0), false, false), "44378");
        assert_eq!(cell_text(&Data::Int(44378), true, false), "44378");
        // 1904 epoch shifts by 1462 days.
        assert_eq!(cell_text(&Data::Float(42916.0), true, true), "2021-07-01");
        // A bare year is left alone.
        assert_eq!(cell_text(&Data::Float(1990.0), true, false), "1990");
        // Out of range → number text.
        assert_eq!(cell_text(&Data::Float(20_210_701.0), true, false), "20210701");
    }

    #[test]
    fn other_kinds() {
        assert_eq!(cell_text(&Data::String("  张三\u{3000}".into()), false, false), "张三");
        assert_eq!(cell_text(&Data::Bool(true), false, false), "是");
        assert_eq!(cell_text(&Data::Empty, true, false), "");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2020-07-01T00:00:00".into()), true, false),
            "2020-07-01"
        );
        let na = cell_text(&Data::Error(calamine::CellErrorType::NA), false, false);
        assert_eq!(na, "#N/A");
    }
}
