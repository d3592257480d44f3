//! Dates as users type them in forms and sheets.

use chrono::NaiveDate;

/// Parses 2022-01-05, 2022/1/5, 2022.1.5, 2022年1月5日 and 20220105.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    let norm: String = s
        .trim_end_matches('日')
        .chars()
        .map(|c| if matches!(c, '/' | '.' | '年' | '月') { '-' } else { c })
        .collect();
    let parts: Vec<&str> = norm.split('-').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (y, m, d) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
    if parts[0].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// 2022年4月6日, the form dates take in Chinese documents.
pub fn format_cn(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn accepts_common_forms() {
        let d = NaiveDate::from_ymd_opt(2022, 1, 5).unwrap();
        for s in ["2022-01-05", "2022/1/5", "2022.1.5", "2022年1月5日", "20220105", " 2022-1-05 "] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        for s in ["", "2022-02-30", "22-1-5", "2022-1", "abc", "2022--5"] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(format_cn(d), "2022年1月5日");
    }
}
