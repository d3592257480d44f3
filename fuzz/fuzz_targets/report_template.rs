//! The report-template parser: never a panic on any text, and an error always names a line
//! within the text.
#![no_main]
use dangwu_domain::report::template::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Err(e) = parse(s) {
        let _ = e.to_string();
    }
});
