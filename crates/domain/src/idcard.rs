//! 公民身份号码 (GB 11643-1999): 18 characters, validated once at the edge.
//!
//! The number is personal data, so `Display` and `Debug` print only the masked form: a stray
//! `{}` in a log line or an error message cannot leak it. Error messages never echo the input
//! for the same reason. Use [`IdCardNo::as_str`] where the full number is really needed
//! (encryption, blind index).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::DomainError;

const FIELD: &str = "id_card_no";

/// GB 11643 weights for the 17 body digits: 2^(18-i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// ISO 7064 MOD 11-2 check character, indexed by (Σ digit·weight) mod 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Earliest birth date accepted: anyone older is not on a living roster, and such dates
/// are almost always typing mistakes (a 1 for a 2 in the year).
pub const MIN_BIRTH_DATE: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();

/// First two digits of the address code that a 公民身份号码 can start with.
///
/// GB/T 2260 province-level codes (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71 台湾,
/// 81 香港, 82 澳门), plus 83, which 公安部 assigns (830000) to 台湾居民居住证 holders as
/// 81/82 are used for 港澳居民居住证. Codes starting with 9 are not citizens' numbers: the
/// 2023 外国人永久居留身份证 uses 9 + the issuing province, so "91" would only be a
/// Beijing-issued foreigner's card; foreigners cannot be on this roster, so 9x is rejected.
fn is_valid_province(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)
}

/// Check character for the first 17 digits of a number.
///
/// Public so the synthetic demo generator can make valid numbers.
///
/// # Panics
/// If `first17` is not exactly 17 ASCII digits (a programming error in the caller).
pub fn check_char(first17: &str) -> char {
    let bytes = first17.as_bytes();
    assert!(bytes.len() == 17 && bytes.iter().all(u8::is_ascii_digit), "check_char needs exactly 17 ASCII digits");
    let sum: u32 = bytes.iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// A validated 18-character resident ID number, check character in upper case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdCardNo(String);

fn err(message: impl Into<String>) -> DomainError {
    DomainError::field(FIELD, message)
}

impl IdCardNo {
    /// Parses without the "not in the future" check, for data whose day of entry is unknown
    /// (imports of old records, tests). Prefer [`IdCardNo::parse_at`] at the edge.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::parse_at(s, NaiveDate::MAX)
    }

    /// Parses and validates, rejecting birth dates after `today` (passed in to keep this pure).
    pub fn parse_at(s: &str, today: NaiveDate) -> Result<Self, DomainError> {
        // Users paste numbers with spaces around them and type the check letter in lower case.
        let s = s.trim().to_ascii_uppercase();
        let len = s.chars().count();
        if len != 18 {
            return Err(err(format!("身份证号长度应为18位，实际为{len}位")));
        }
        let b = s.as_bytes(); // 18 chars and 18 bytes: all ASCII from here on
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(err("身份证号前17位应为数字"));
        }
        if !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(err("身份证号第18位应为数字或X"));
        }
        let province = u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0');
        if !is_valid_province(province) {
            return Err(err(format!("身份证号前两位地区码{province:02}无效")));
        }
        // Date before check character: a typo in the date then gets the more helpful message.
        let date = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d")
            .map_err(|_| err(format!("身份证号中的出生日期{}无效", &s[6..14])))?;
        if date < MIN_BIRTH_DATE {
            return Err(err("身份证号中的出生日期无效：早于1900年1月1日"));
        }
        if date > today {
            return Err(err("身份证号中的出生日期无效：晚于今天"));
        }
        let expected = check_char(&s[..17]);
        if char::from(b[17]) != expected {
            return Err(err(format!("身份证号校验位不正确，应为{expected}")));
        }
        Ok(IdCardNo(s))
    }

    /// The full number. Handle with care: personal data.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("validated in parse_at")
    }

    /// The 17th character (last of the sequence code) is odd for men, even for women.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// First 6 (address code) + 8 stars + last 4: 18 characters, as usual on Chinese forms.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Display for IdCardNo {
    /// Masked on purpose; see the module comment.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for IdCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdCardNo").field(&self.masked()).finish()
    }
}

impl FromStr for IdCardNo {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn message(e: DomainError) -> String {
        match e {
            DomainError::Invalid(v) => {
                assert_eq!(v[0].field, "id_card_no");
                v[0].message.clone()
            }
            other => panic!("unexpected error {other:?}"),
        }
    }

    fn parse_err(s: &str) -> String {
        message(IdCardNo::parse(s).unwrap_err())
    }

    #[test]
    fn accepts_standard_examples() {
        let id = IdCardNo::parse("11010519491231002X").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert!(!id.is_male());
        let id = IdCardNo::parse("360426199101010071").unwrap();
        assert!(id.is_male());
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1991, 1, 1).unwrap());
    }

    #[test]
    fn trims_and_uppercases() {
        let id = IdCardNo::parse("  11010519491231002x \n").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    /// The reference lists 440524188001010014 as valid: its check digit is right, but 1880 is
    /// before MIN_BIRTH_DATE, so the roster rejects it.
    #[test]
    fn checksum_valid_but_born_before_1900() {
        assert_eq!(check_char("44052418800101001"), '4');
        assert!(parse_err("440524188001010014").contains("早于1900年"));
    }

    #[test]
    fn rejects_wrong_check_digit() {
        assert_eq!(parse_err("110105194912310021"), "身份证号校验位不正确，应为X");
    }

    #[test]
    fn rejects_bad_length_and_characters() {
        assert_eq!(parse_err("1101051949123100"), "身份证号长度应为18位，实际为16位");
        assert_eq!(parse_err(""), "身份证号长度应为18位，实际为0位");
        assert_eq!(parse_err("11010519491231002XX"), "身份证号长度应为18位，实际为19位");
        assert_eq!(parse_err("1101051949123A002X"), "身份证号前17位应为数字");
        assert_eq!(parse_err("11010519491231002Y"), "身份证号第18位应为数字或X");
        // 18 characters but not 18 bytes.
        assert_eq!(parse_err("１１０１０５１９４９１２３１００２Ｘ"), "身份证号前17位应为数字");
    }

    #[test]
    fn rejects_bad_dates() {
        let with_date = |d: &str| {
            let first17 = format!("110105{d}002");
            format!("{first17}{}", check_char(&first17))
        };
        assert_eq!(parse_err(&with_date("19490230")), "身份证号中的出生日期19490230无效");
        assert_eq!(parse_err(&with_date("19491301")), "身份证号中的出生日期19491301无效");
        assert!(IdCardNo::parse(&with_date("20000229")).is_ok());
        assert!(parse_err(&with_date("19000229")).contains("无效")); // 1900 is no leap year
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        assert!(IdCardNo::parse_at(&with_date("20240601"), today).is_ok());
        let e = message(IdCardNo::parse_at(&with_date("20240602"), today).unwrap_err());
        assert_eq!(e, "身份证号中的出生日期无效：晚于今天");
    }

    #[test]
    fn rejects_unknown_province() {
        for prefix in ["00", "16", "40", "72", "84", "91", "99"] {
            let first17 = format!("{prefix}010519491231002");
            let s = format!("{first17}{}", check_char(&first17));
            assert_eq!(parse_err(&s), format!("身份证号前两位地区码{prefix}无效"));
        }
    }

    #[test]
    fn display_and_debug_are_masked() {
        let id = IdCardNo::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.masked().chars().count(), 18);
        assert_eq!(id.to_string(), "110105********002X");
        assert_eq!(format!("{id:?}"), "IdCardNo(\"110105********002X\")");
        assert!(!format!("{id} {id:?} {id:#?}").contains("19491231"));
    }

    const PROVINCES: &[u32] = &[
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
        63, 64, 65, 71, 81, 82, 83,
    ];

    prop_compose! {
        /// 17 body digits with a valid province and a birth date in [1900-01-01, 2024-12-31].
        fn valid_first17()(
            province in proptest::sample::select(PROVINCES),
            area in 0u32..10_000,
            days in 0i64..=45_656, // 1900-01-01 + 45656 days = 2024-12-31
            order in 0u32..1000,
        ) -> String {
            let date = MIN_BIRTH_DATE + chrono::Duration::days(days);
            format!("{province:02}{area:04}{}{order:03}", date.format("%Y%m%d"))
        }
    }

    proptest! {
        #[test]
        fn generated_numbers_parse_and_any_single_change_fails(
            first17 in valid_first17(),
            pos in 0usize..18,
            replacement in proptest::sample::select(
                &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'][..]),
        ) {
            let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
            let good = format!("{first17}{}", check_char(&first17));
            let id = IdCardNo::parse_at(&good, today).unwrap();
            prop_assert_eq!(id.as_str(), good.as_str());
            prop_assert_eq!(id.masked().chars().count(), 18);

            let mut chars: Vec<char> = good.chars().collect();
            prop_assume!(chars[pos] != replacement);
            chars[pos] = replacement;
            let bad: String = chars.into_iter().collect();
            prop_assert!(IdCardNo::parse_at(&bad, today).is_err(), "{} accepted", bad);
        }
    }
}
