//! A deployment's org-kinds.toml (组织类别目录): any text loads or is refused, never a panic.
#![no_main]
use dangwu_domain::org_catalogue::OrgCatalogue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = OrgCatalogue::from_toml(text);
});
