//! Deployment overrides of rules.toml, activity-kinds.toml and dues.toml: any text loads or
//! gives a RulebookError (file, line, key), never a panic.
#![no_main]
use std::sync::LazyLock;

use dangwu_domain::dues::DuesRules;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::rulebook::{Rulebook, Source};
use libfuzzer_sys::fuzz_target;

static CATALOGUE: LazyLock<OrgCatalogue> = LazyLock::new(OrgCatalogue::shipped);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Rulebook::load(Some(Source { file: "rules.toml", text }), None, &CATALOGUE);
    let _ = Rulebook::load(None, Some(Source { file: "activity-kinds.toml", text }), &CATALOGUE);
    let _ = DuesRules::load(Some(Source { file: "dues.toml", text }));
});
