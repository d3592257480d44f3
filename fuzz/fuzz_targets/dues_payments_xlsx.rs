//! Any bytes uploaded as a dues payments sheet (党费交纳) give rows or a SheetError, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dangwu_docgen::dues_payments::read_payments(data, 2_000);
});
