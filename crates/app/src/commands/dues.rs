//! `dangwu dues calc | verify | confirm | import-base`: the calculator and the yearly base
//! verification (核定).

use std::path::Path;

use anyhow::Context;
use dangwu_domain::dues::calc;
use dangwu_domain::member::DuesCategory;
use dangwu_domain::money::Fen;
use dangwu_store::dues::{self, VerificationTally};
use dangwu_store::import::ImportError;
use dangwu_web::api::dues_dto::{CalcDto, VerificationListDto};

use super::{emit, pad, parse_org};
use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal};

/// Largest base sheet accepted.
const MAX_ROWS: usize = 200_000;

fn money(s: &str, opt: &str) -> anyhow::Result<Fen> {
    Fen::parse_non_negative(s, opt).with_context(|| format!("参数 --{opt} 无效"))
}

/// Needs no database: the rules only (with the deployment's DIR/rulebook/dues.toml).
pub fn calc_cmd(g: &GlobalOpts, category: &str, base: Option<&str>, flat: Option<&str>, json: bool) -> anyhow::Result<i32> {
    let rules = crate::config::load_dues(&g.data)?;
    let category = DuesCategory::parse(category).context("参数 --category 无效")?;
    let base = base.map(|b| money(b, "base")).transpose()?;
    let flat = flat.map(|f| money(f, "flat")).transpose()?;
    let c = calc(&rules, category, base, flat)?;
    if json {
        emit(&serde_json::to_string_pretty(&CalcDto::from(c))?)?;
        return Ok(0);
    }
    let mut out = vec![format!("党费类别：{}党员", category.label())];
    if let Some(b) = c.base {
        out.push(format!("计算基数：{b}元"));
    }
    let rate = c.rate.map(|r| format!("，比例{}", r.percent())).unwrap_or_default();
    out.push(format!("档次：{}{rate}", c.bracket));
    out.push(format!("依据：{}", c.citation));
    if let Some(n) = &c.note {
        out.push(format!("说明：{n}"));
    }
    out.push(c.amount.to_string());
    emit(&out.join("\n"))?;
    Ok(0)
}

pub async fn verify(g: &GlobalOpts, org: &str, year: i32, out: Option<&Path>, json: bool) -> anyhow::Result<i32> {
    let org = parse_org(org)?;
    let store = crate::open_store(g).await?;
    let rows = dues::for_org(&store, &cli_principal(), org, year).await;
    store.db.close().await;
    let rows = rows?;
    if let Some(file) = out {
        let bytes = dangwu_docgen::dues_ledger::write_verification_table(&store.dues, &rows)?;
        std::fs::write(file, bytes).with_context(|| format!("无法写入文件 {}", file.display()))?;
        eprintln!("已导出{year}年党费核定表（{}人）到 {}", rows.len(), file.display());
    }
    if json {
        emit(&serde_json::to_string_pretty(&VerificationListDto::new(year, &rows))?)?;
        return Ok(0);
    }
    let widths = [10, 32, 14, 12, 28, 6, 10];
    let head = ["姓名", "所在党组织", "人员类别", "计算基数", "档次", "比例", "月交纳额"];
    let line = |cells: [String; 7]| cells.iter().zip(widths).map(|(c, w)| pad(c, w)).collect::<Vec<_>>().join(" ").trim_end().to_owned();
    let mut text = vec![format!("{year}年党费核定表"), line(head.map(String::from))];
    for r in &rows {
        let cells = match &r.current {
            Some(v) => {
                let pt = store.dues.person_types.iter().find(|p| p.id == v.person_type).map_or_else(|| cat_label(&r.dues_category), |p| p.label.clone());
                let mark = if v.is_confirmed() { "" } else { "（草稿）" };
                [r.name.clone(), r.org_name.clone(), pt, v.base().map(|b| b.to_string()).unwrap_or_default(), v.bracket.clone(), v.rate_percent(), format!("{}{mark}", v.amount())]
            }
            None => [r.name.clone(), r.org_name.clone(), cat_label(&r.dues_category), String::new(), "未核定".into(), String::new(), String::new()],
        };
        text.push(line(cells));
    }
    let t = VerificationTally::of(&rows);
    text.push(format!("共{}人：已核定{}人，已确认{}人。", t.members, t.verified, t.confirmed));
    emit(&text.join("\n"))?;
    Ok(0)
}

fn cat_label(code: &str) -> String {
    DuesCategory::parse(code).map(|c| format!("{}党员", c.label())).unwrap_or_default()
}

pub async fn confirm(g: &GlobalOpts, org: &str, year: i32) -> anyhow::Result<i32> {
    let org = parse_org(org)?;
    let store = crate::open_store(g).await?;
    let p = cli_principal();
    let n = dues::confirm(&store, &p, &cli_actor(), org, year).await;
    let rows = dues::for_org(&store, &p, org, year).await;
    store.db.close().await;
    let (n, rows) = (n?, rows?);
    let t = VerificationTally::of(&rows);
    if n == 0 {
        println!("没有待确认的{year}年党费核定。");
    } else {
        println!("已确认{year}年党费核定{n}人，锁定为年度核定数（年中调整须新增版本）。");
    }
    println!("共{}人：已核定{}人，已确认{}人。", t.members, t.verified, t.confirmed);
    if t.verified < t.members {
        eprintln!("尚有{}人未核定，请补充后再次确认：dangwu dues verify --org … --year {year}", t.members - t.verified);
    }
    Ok(0)
}

pub async fn import_base(g: &GlobalOpts, file: &Path, year: i32, dry_run: bool, template: bool) -> anyhow::Result<i32> {
    if template {
        let rules = crate::config::load_dues(&g.data)?;
        let bytes = dangwu_docgen::dues_sheet::write_base_sheet(&rules, &[])?;
        std::fs::write(file, bytes).with_context(|| format!("无法写入文件 {}", file.display()))?;
        println!("已写出{year}年党费计算基数表模板：{}", file.display());
        return Ok(0);
    }
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let store = crate::open_store(g).await?;
    let rows = dangwu_docgen::dues_sheet::read_base_sheet(&bytes, &store.dues, MAX_ROWS).with_context(|| format!("无法读取计算基数表 {}", file.display()));
    let rows = match rows {
        Ok(r) => r,
        Err(e) => {
            store.db.close().await;
            return Err(e);
        }
    };
    let result = dues::import_bases(&store, &cli_principal(), &cli_actor(), year, rows, dry_run).await;
    store.db.close().await;
    match result {
        Ok(o) if o.dry_run => println!("检查通过：{}名党员，每月合计{}元，未写入（--dry-run）", o.rows, o.monthly_total),
        Ok(o) => println!("导入{year}年党费计算基数{}名（草稿，每月合计{}元）；核对无误后确认：dangwu dues confirm --org … --year {year}", o.rows, o.monthly_total),
        Err(ImportError::Rows(errors)) => {
            for e in &errors {
                eprintln!("第{}行 [{}] {}", e.row, column(&e.field), e.message);
            }
            eprintln!("导入失败：{}处错误，未写入任何数据", errors.len());
            return Ok(1);
        }
        Err(ImportError::Store(e)) => return Err(e).context("导入失败，未写入任何数据"),
    }
    Ok(0)
}

fn column(field: &str) -> &str {
    match field {
        "name" => "姓名",
        "id_card_no" => "身份证号",
        "person_type" => "人员类别",
        "items" => "工资项目",
        "deductions" => "扣除",
        "tax" => "个税",
        "year" => "年度",
        "dues_category" => "党费类别",
        "reduced_amount" | "amount" => "金额",
        other => other,
    }
}
