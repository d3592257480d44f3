//! `dangwu org list [--json]`: the organisation tree.

use std::collections::HashMap;

use dangwu_store::{orgs, stats};
use serde_json::json;

use super::emit;
use crate::cli::GlobalOpts;
use crate::cli_principal;

pub async fn list(g: &GlobalOpts, json: bool) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let p = cli_principal();
    let all = orgs::list(&store, &p, true).await?;
    let counts: HashMap<String, i64> = stats::members_per_org(&store, &p).await?.into_iter().map(|c| (c.key, c.n)).collect();
    let cat = &store.catalogue;
    if json {
        let items: Vec<_> = all
            .iter()
            .map(|o| {
                json!({
                    "id": o.id,
                    "parent_id": o.parent_id,
                    "name": o.name,
                    "short_name": o.short_name,
                    "kind": o.kind,
                    "kind_label": cat.label(&o.kind),
                    "grassroots": cat.kind(&o.kind).is_some_and(|k| k.grassroots),
                    "path": o.path,
                    "unit": o.unit,
                    "established_on": o.established_on,
                    "abolished_on": o.abolished_on,
                    "members": counts.get(&o.id).copied().unwrap_or(0),
                })
            })
            .collect();
        emit(&serde_json::to_string_pretty(&items)?)?;
        return Ok(0);
    }
    if all.is_empty() {
        println!("还没有党组织。可运行 dangwu demo --no-serve 生成演示数据，或在网页中新建。");
    }
    let min_depth = all.iter().map(|o| o.depth()).min().unwrap_or(1);
    let mut lines = Vec::with_capacity(all.len());
    for o in &all {
        let indent = "  ".repeat(o.depth() - min_depth);
        let mut line = format!("{indent}{}（{}）", o.name, cat.label(&o.kind));
        if let Some(n) = counts.get(&o.id) {
            line.push_str(&format!(" 党员{n}名"));
        }
        if let Some(d) = o.abolished_on {
            line.push_str(&format!(" 【已于{d}撤销】"));
        }
        lines.push(format!("{line}  {}", o.id));
    }
    if !lines.is_empty() {
        emit(&lines.join("\n"))?;
    }
    Ok(0)
}
