//! Reporting periods as users write them: `2022-03` (month), `2022Q1` (quarter), `2022` (year).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

/// How often an obligation recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Month,
    Quarter,
    Year,
}

impl Granularity {
    pub fn label(self) -> &'static str {
        match self {
            Granularity::Month => "每月",
            Granularity::Quarter => "每季度",
            Granularity::Year => "每年",
        }
    }
    fn rank(self) -> u8 {
        match self {
            Granularity::Month => 0,
            Granularity::Quarter => 1,
            Granularity::Year => 2,
        }
    }
}

impl Period {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let t = s.trim();
        let bad = || DomainError::field("period", format!("期间“{t}”格式不正确，应写作 2022-03（月）、2022Q1（季度）或 2022（年）"));
        let year = |y: &str| -> Result<i32, DomainError> {
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let v: i32 = y.parse().map_err(|_| bad())?;
            if (1900..=2200).contains(&v) { Ok(v) } else { Err(bad()) }
        };
        if let Some((y, q)) = t.split_once(['Q', 'q']) {
            let quarter: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&quarter) || q.len() != 1 {
                return Err(bad());
            }
            return Ok(Period::Quarter { year: year(y)?, quarter });
        }
        if let Some((y, m)) = t.split_once('-') {
            let month: u32 = m.parse().map_err(|_| bad())?;
            if !(1..=12).contains(&month) || m.len() > 2 || m.is_empty() {
                return Err(bad());
            }
            return Ok(Period::Month { year: year(y)?, month });
        }
        Ok(Period::Year { year: year(t)? })
    }

    pub fn granularity(self) -> Granularity {
        match self {
            Period::Month { .. } => Granularity::Month,
            Period::Quarter { .. } => Granularity::Quarter,
            Period::Year { .. } => Granularity::Year,
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Month { year, .. } | Period::Quarter { year, .. } | Period::Year { year } => year,
        }
    }

    /// First day.
    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month { year, month } => (year, month),
            Period::Quarter { year, quarter } => (year, quarter * 3 - 2),
            Period::Year { year } => (year, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("valid period start")
    }

    /// Last day (inclusive).
    pub fn end(self) -> NaiveDate {
        self.next().start().pred_opt().expect("valid period end")
    }

    pub fn next(self) -> Period {
        match self {
            Period::Month { year, month: 12 } => Period::Month { year: year + 1, month: 1 },
            Period::Month { year, month } => Period::Month { year, month: month + 1 },
            Period::Quarter { year, quarter: 4 } => Period::Quarter { year: year + 1, quarter: 1 },
            Period::Quarter { year, quarter } => Period::Quarter { year, quarter: quarter + 1 },
            Period::Year { year } => Period::Year { year: year + 1 },
        }
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        self.start() <= d && d <= self.end()
    }

    /// The period of granularity `g` that contains `d`.
    pub fn containing(d: NaiveDate, g: Granularity) -> Period {
        match g {
            Granularity::Month => Period::Month { year: d.year(), month: d.month() },
            Granularity::Quarter => Period::Quarter { year: d.year(), quarter: (d.month() - 1) / 3 + 1 },
            Granularity::Year => Period::Year { year: d.year() },
        }
    }

    /// Splits this period into periods of granularity `g` (a quarter into 3 months). When `g` is
    /// coarser than the period, the one enclosing period is returned (a month of a yearly rule
    /// is judged on its year).
    pub fn split(self, g: Granularity) -> Vec<Period> {
        if g.rank() >= self.granularity().rank() {
            return vec![Period::containing(self.start(), g)];
        }
        let mut out = Vec::new();
        let mut p = Period::containing(self.start(), g);
        while p.start() <= self.end() {
            out.push(p);
            p = p.next();
        }
        out
    }

    /// 2022年3月, 2022年第一季度, 2022年.
    pub fn label(self) -> String {
        const Q: [&str; 4] = ["一", "二", "三", "四"];
        match self {
            Period::Month { year, month } => format!("{year}年{month}月"),
            Period::Quarter { year, quarter } => format!("{year}年第{}季度", Q[quarter as usize - 1]),
            Period::Year { year } => format!("{year}年"),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}Q{quarter}"),
            Period::Year { year } => write!(f, "{year}"),
        }
    }
}

impl FromStr for Period {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}
impl TryFrom<String> for Period {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Period::parse(&s)
    }
}
impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_and_prints() {
        for s in ["2022-03", "2022Q1", "2022", "2024-12", "2022Q4"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Period::parse("2022-3").unwrap().to_string(), "2022-03");
        for s in ["", "22Q1", "2022Q5", "2022Q0", "2022-13", "2022-00", "abc", "2022Q12", "2022-003"] {
            assert!(Period::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn boundaries_including_leap_years() {
        let q1 = Period::parse("2024Q1").unwrap();
        assert_eq!(q1.start(), d(2024, 1, 1));
        assert_eq!(q1.end(), d(2024, 3, 31));
        assert_eq!(Period::parse("2024-02").unwrap().end(), d(2024, 2, 29));
        assert_eq!(Period::parse("2023-02").unwrap().end(), d(2023, 2, 28));
        assert_eq!(Period::parse("2022Q4").unwrap().end(), d(2022, 12, 31));
        assert!(q1.contains(d(2024, 3, 31)) && !q1.contains(d(2024, 4, 1)));
        assert_eq!(Period::containing(d(2022, 6, 30), Granularity::Quarter).to_string(), "2022Q2");
    }

    #[test]
    fn split_quarter_into_months_and_month_into_year() {
        let q = Period::parse("2022Q1").unwrap();
        let months: Vec<String> = q.split(Granularity::Month).iter().map(|p| p.to_string()).collect();
        assert_eq!(months, ["2022-01", "2022-02", "2022-03"]);
        assert_eq!(Period::parse("2022-02").unwrap().split(Granularity::Year), vec![Period::Year { year: 2022 }]);
        assert_eq!(Period::parse("2022").unwrap().split(Granularity::Quarter).len(), 4);
        assert_eq!(q.label(), "2022年第一季度");
    }
}
