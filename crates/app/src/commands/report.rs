//! `dangwu report quarterly|summary|rectification|template NAME [--org ID] --period P
//! --format docx|html|md|xlsx --out FILE`, `report facts`, `report changes ID`.

use anyhow::{Context, bail};
use dangwu_domain::period::Period;
use dangwu_store::reports;

use super::{emit, parse_org};
use crate::cli::GlobalOpts;
use crate::cli_report::{ReportArgs, ReportCmd};
use crate::{cli_actor, cli_principal, today};

pub async fn run(g: &GlobalOpts, c: ReportCmd) -> anyhow::Result<i32> {
    match c {
        ReportCmd::Quarterly(a) => generate(g, "quarterly", a).await,
        ReportCmd::Summary(a) => generate(g, "summary", a).await,
        ReportCmd::Rectification(a) => generate(g, "rectification", a).await,
        ReportCmd::Template { name, args } => generate(g, &name, args).await,
        ReportCmd::Facts { json } => facts(g, json).await,
        ReportCmd::Changes { id } => changes(g, &id).await,
    }
}

async fn generate(g: &GlobalOpts, template: &str, a: ReportArgs) -> anyhow::Result<i32> {
    let period = Period::parse(&a.period).context("参数 --period 无效")?;
    let org = a.org.as_deref().map(parse_org).transpose()?;
    let format = a.format.trim().to_ascii_lowercase();
    if !["docx", "html", "md", "xlsx"].contains(&format.as_str()) {
        bail!("参数 --format 应为 docx、html、md 或 xlsx，而不是“{}”", a.format);
    }
    if a.out.is_none() && matches!(format.as_str(), "docx" | "xlsx") {
        bail!("{format} 格式须用 --out 指定输出文件");
    }
    let date = match a.date.as_deref() {
        Some(d) => dangwu_domain::date::parse_date(d).with_context(|| format!("参数 --date 的日期“{d}”无效，应写作如 2022-04-06"))?,
        None => today(),
    };
    let store = crate::open_store(g).await?;
    let r = async {
        let t = reports::template(&store, template)?.clone();
        let scope = reports::scope(&store, &cli_principal(), org, period, today()).await?;
        let rep = reports::generate(&store, scope, &t, date).await?;
        let id = if a.save { Some(reports::save(&store, &cli_actor(), &rep).await?) } else { None };
        Ok::<_, dangwu_store::StoreError>((rep, id))
    }
    .await;
    let catalogue = dangwu_store::facts::catalogue(&store.rulebook, &store.supervision);
    store.db.close().await;
    let (rep, id) = r?;
    let bytes = match format.as_str() {
        "md" => dangwu_domain::report::markdown(&rep.doc).into_bytes(),
        "html" => dangwu_web::pages::report_html::standalone(&rep).into_bytes(),
        "docx" => dangwu_docgen::report_docx::write_docx(&rep.doc).map_err(|e| anyhow::anyhow!("生成 DOCX 失败：{e}"))?,
        _ => dangwu_docgen::report_facts::write_facts(&dangwu_web::pages::report_html::fact_lines(&rep, &catalogue))?,
    };
    match &a.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("无法写入 {}", path.display()))?;
            emit(&format!("已生成 {}（{}{}，模板 {} 版本 {}）", path.display(), rep.org.name, rep.period.label(), rep.template.name, &rep.template.version[..12]))?;
        }
        None => emit(&String::from_utf8_lossy(&bytes))?,
    }
    if let Some(id) = id {
        emit(&format!("已保存报告 {id}"))?;
    }
    Ok(0)
}

async fn facts(g: &GlobalOpts, json: bool) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let cat = dangwu_store::facts::catalogue(&store.rulebook, &store.supervision);
    store.db.close().await;
    if json {
        emit(&serde_json::to_string_pretty(&cat)?)?;
    } else {
        let w = cat.iter().map(|f| super::width(&f.name)).max().unwrap_or(0);
        emit(&cat.iter().map(|f| format!("{}  {}：{}", super::pad(&f.name, w), f.label, f.doc)).collect::<Vec<_>>().join("\n"))?;
    }
    Ok(0)
}

async fn changes(g: &GlobalOpts, id: &str) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let r = reports::changes(&store, &cli_principal(), id.trim()).await;
    store.db.close().await;
    let (saved, changes) = r?;
    let mut out = vec![format!("报告 {}（{}{}，{}生成）", saved.row.id, saved.org.name, saved.generated.period.label(), saved.row.generated_on)];
    if changes.is_empty() {
        out.push("所用事实与现在的记录一致，没有变化。".into());
    }
    for c in &changes {
        out.push(format!("{}：{} → {}（新增记录{}条，减少{}条）", c.name, c.before, c.after, c.records_added, c.records_removed));
    }
    emit(&out.join("\n"))?;
    Ok(0)
}
