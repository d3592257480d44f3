//! The GB 11643 ID-number parser: any text is accepted or refused, never a panic; an accepted
//! number is 18 characters whose check character agrees with the first 17.
#![no_main]
use dangwu_domain::idcard::{IdCardNo, check_char};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(id) = IdCardNo::parse(s) {
        let text = id.as_str();
        assert_eq!(text.chars().count(), 18, "{text}");
        assert_eq!(text.chars().last(), Some(check_char(&text[..17])), "{text}");
    }
    let today = chrono::NaiveDate::from_ymd_opt(2022, 3, 31).expect("date");
    let _ = IdCardNo::parse_at(s, today);
});
