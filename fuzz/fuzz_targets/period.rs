//! The period parser (2022-03, 2022Q1, 2022): never a panic, and what it accepts prints back
//! to text that parses to the same period.
#![no_main]
use dangwu_domain::period::Period;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(p) = Period::parse(s) {
        let again = Period::parse(&p.to_string()).expect("a printed period parses");
        assert_eq!(again, p, "{s:?}");
    }
});
