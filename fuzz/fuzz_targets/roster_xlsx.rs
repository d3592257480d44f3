//! Any bytes uploaded as a roster (导入名册) give rows or a SheetError, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dangwu_docgen::read_roster(data, 2_000);
});
