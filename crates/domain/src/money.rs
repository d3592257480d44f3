//! Money as integer fen (0.01 yuan) and rates as exact fractions: no floating point anywhere.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::DomainError;

/// An amount in fen. Parsing and printing go through yuan text ("76.50").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Parses "5100", "5100.5", "5100.50", "5,100.00", "¥5100" (at most two decimals).
    pub fn parse_yuan(s: &str, field: &str) -> Result<Fen, DomainError> {
        let t: String = s.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != '，').collect();
        let bad = || DomainError::field(field, format!("金额“{}”格式不正确，应为如 5100.00 的数字，最多两位小数", s.trim()));
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r.to_owned()),
            None => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if int.len() > 12 {
            return Err(DomainError::field(field, format!("金额“{}”过大", s.trim())));
        }
        let yuan: i64 = int.parse().map_err(|_| bad())?;
        let frac_fen: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let v = yuan * 100 + frac_fen;
        Ok(Fen(if neg { -v } else { v }))
    }

    /// Like `parse_yuan` but refusing negative amounts.
    pub fn parse_non_negative(s: &str, field: &str) -> Result<Fen, DomainError> {
        let v = Fen::parse_yuan(s, field)?;
        if v.0 < 0 {
            return Err(DomainError::field(field, format!("金额不能为负数：{}", s.trim())));
        }
        Ok(v)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0 + o.0)
    }
}
impl std::ops::Sub for Fen {
    type Output = Fen;
    fn sub(self, o: Fen) -> Fen {
        Fen(self.0 - o.0)
    }
}
impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(it: I) -> Fen {
        Fen(it.map(|f| f.0).sum())
    }
}

/// A rate in parts per hundred thousand (0.015 = 1500), exact for the rates in use (0.5%, 1%, 1.5%, 2%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rate(pub u32);

pub const RATE_DENOM: i64 = 100_000;

impl Rate {
    pub fn parse(s: &str) -> Option<Rate> {
        let t = s.trim();
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 5 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let i: u32 = int.parse().ok()?;
        let f: u32 = format!("{frac:0<5}").parse().ok()?;
        if i > 1 || (i == 1 && f > 0) {
            return None;
        }
        Some(Rate(i * 100_000 + f))
    }
    /// "1.5%"
    pub fn percent(self) -> String {
        let per_mille_10 = self.0 / 100; // tenths of a per cent... 1500 → 15 → "1.5%"
        let whole = per_mille_10 / 10;
        let tenth = per_mille_10 % 10;
        if tenth == 0 { format!("{whole}%") } else { format!("{whole}.{tenth}%") }
    }
}

/// How a product is brought back to whole fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// 四舍五入: halves away from zero.
    #[default]
    HalfUp,
    HalfEven,
    Down,
}

/// `base × rate`, rounded to the fen.
pub fn apply_rate(base: Fen, rate: Rate, rounding: Rounding) -> Fen {
    let num = base.0 as i128 * rate.0 as i128;
    let d = RATE_DENOM as i128;
    let (q, r) = (num / d, num % d);
    let up = match rounding {
        Rounding::Down => false,
        Rounding::HalfUp => 2 * r >= d,
        Rounding::HalfEven => 2 * r > d || (2 * r == d && q % 2 == 1),
    };
    Fen((q + i128::from(up)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_yuan() {
        for (s, f) in [("5100", 510000), ("5100.5", 510050), ("5,100.00", 510000), ("0.2", 20), ("¥76.50", 7650), ("-1.05", -105)] {
            assert_eq!(Fen::parse_yuan(s, "x").unwrap(), Fen(f), "{s}");
        }
        for s in ["", "abc", "1.234", "1..2", ".5", "1e3", "12.3.4"] {
            assert!(Fen::parse_yuan(s, "amount").is_err(), "{s}");
        }
        assert!(Fen::parse_non_negative("-1", "amount").unwrap_err().to_string().contains("不能为负数"));
        assert_eq!(Fen(7650).to_string(), "76.50");
        assert_eq!(Fen(-5).to_string(), "-0.05");
    }

    #[test]
    fn rates_and_rounding() {
        assert_eq!(Rate::parse("0.015"), Some(Rate(1500)));
        assert_eq!(Rate::parse("0.005").unwrap().percent(), "0.5%");
        assert_eq!(Rate::parse("0.02").unwrap().percent(), "2%");
        assert!(Rate::parse("1.5").is_none() && Rate::parse("0.000001").is_none());
        let r = Rate::parse("0.01").unwrap();
        assert_eq!(apply_rate(Fen(300001), r, Rounding::HalfUp), Fen(3000));
        assert_eq!(apply_rate(Fen(250), Rate(2000), Rounding::HalfUp), Fen(5));
        assert_eq!(apply_rate(Fen(125), Rate(2000), Rounding::HalfUp), Fen(3)); // 2.5 → 3
        assert_eq!(apply_rate(Fen(125), Rate(2000), Rounding::HalfEven), Fen(2));
        assert_eq!(apply_rate(Fen(175), Rate(2000), Rounding::HalfEven), Fen(4)); // 3.5 → 4
        assert_eq!(apply_rate(Fen(199), Rate(2000), Rounding::Down), Fen(3));
    }

    proptest::proptest! {
        #[test]
        fn parse_print_round_trip(v in -10_000_000_000i64..10_000_000_000) {
            proptest::prop_assert_eq!(Fen::parse_yuan(&Fen(v).to_string(), "x").unwrap(), Fen(v));
        }

        #[test]
        fn rounding_is_within_half_a_fen(base in 0i64..10_000_000_00, rate in 0u32..=100_000) {
            let exact = base as f64 * rate as f64 / RATE_DENOM as f64;
            let r = apply_rate(Fen(base), Rate(rate), Rounding::HalfUp).0 as f64;
            proptest::prop_assert!((r - exact).abs() <= 0.5 + 1e-6);
        }
    }
}
