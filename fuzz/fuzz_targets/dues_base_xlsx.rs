//! Any bytes uploaded as a dues base sheet (党费基数) give rows or a SheetError, never a panic.
#![no_main]
use std::sync::LazyLock;

use dangwu_domain::dues::DuesRules;
use libfuzzer_sys::fuzz_target;

static RULES: LazyLock<DuesRules> = LazyLock::new(DuesRules::shipped);

fuzz_target!(|data: &[u8]| {
    let _ = dangwu_docgen::dues_sheet::read_base_sheet(data, &RULES, 2_000);
});
