//! `dangwu material list|add`: the catalogue of study materials activities refer to.

use anyhow::anyhow;
use dangwu_domain::date::parse_date;
use dangwu_store::StoreError;
use dangwu_store::materials::{self, KINDS};
use serde_json::json;

use super::emit;
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal};

fn kind_label(code: &str) -> &str {
    KINDS.iter().find(|(k, _)| *k == code).map_or(code, |(_, l)| l)
}

pub async fn list(g: &GlobalOpts, json: bool) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let all = materials::list(&store).await;
    store.db.close().await;
    let all = all?;
    if json {
        let items: Vec<_> = all
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "title": m.title,
                    "kind": m.kind,
                    "kind_label": kind_label(&m.kind),
                    "issued_on": m.issued_on,
                    "source": m.source,
                })
            })
            .collect();
        emit(&serde_json::to_string_pretty(&items)?)?;
        return Ok(0);
    }
    let lines: Vec<String> = all
        .iter()
        .map(|m| format!("{}\t{}\t{}\t{}", m.issued_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()), kind_label(&m.kind), m.title, m.id))
        .collect();
    if !lines.is_empty() {
        emit(&lines.join("\n"))?;
    }
    eprintln!("共{}份学习材料", all.len());
    Ok(0)
}

pub async fn add(g: &GlobalOpts, title: &str, kind: &str, issued_on: Option<&str>, source: Option<&str>) -> anyhow::Result<i32> {
    let kind = KINDS.iter().find(|(k, l)| *k == kind.trim() || *l == kind.trim()).map(|(k, _)| *k).ok_or_else(|| {
        let all: Vec<String> = KINDS.iter().map(|(k, l)| format!("{k}（{l}）")).collect();
        anyhow!("材料类别“{kind}”无效，可选：{}", all.join("、"))
    })?;
    let issued_on = issued_on
        .map(|s| parse_date(s).ok_or_else(|| anyhow!("参数 --issued-on 的日期“{s}”格式不正确，应写作 2022-03-01")))
        .transpose()?;
    let store = crate::open_store(g).await?;
    let res = materials::create(&store, &cli_principal(), &cli_actor(), title, kind, issued_on, source).await;
    store.db.close().await;
    match res {
        Ok(m) => {
            println!("已加入学习材料目录：{}（{}）", m.title, kind_label(&m.kind));
            println!("{}", m.id);
            Ok(0)
        }
        Err(e @ (StoreError::Domain(_) | StoreError::Conflict { .. })) => {
            eprintln!("学习材料有误，未写入：{e}");
            Ok(1)
        }
        Err(e) => Err(e.into()),
    }
}
