//! `dangwu dues import-payments FILE.xlsx [--dry-run]`: a branch's payments sheet, all rows or none.
//! Every row is checked first (ID number, months, amount, date) and each problem is reported as
//! 第N行 [列] 原因; only a clean sheet is written, in one transaction.

use std::path::Path;

use anyhow::Context;
use dangwu_domain::DomainError;
use dangwu_domain::idcard::IdCardNo;
use dangwu_docgen::dues_payments::{payment_columns, read_payments};
use dangwu_store::dues::{self, PaymentForm};
use dangwu_store::{StoreError, args};

use crate::cli::GlobalOpts;
use crate::{cli_actor, cli_principal, today};

const MAX_ROWS: usize = 20_000;

fn header(field: &str) -> &'static str {
    payment_columns().iter().find(|c| c.key == field).map(|c| c.header).unwrap_or("内容")
}

pub async fn import_payments(g: &GlobalOpts, file: &Path, dry_run: bool) -> anyhow::Result<i32> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    let rows = read_payments(&bytes, MAX_ROWS).with_context(|| format!("无法读取党费收缴明细 {}", file.display()))?;
    let store = crate::open_store(g).await?;
    let today = today();
    let mut errors: Vec<String> = Vec::new();
    let mut inputs = Vec::new();
    for r in &rows {
        let id = match IdCardNo::parse(r.get("id_card_no")) {
            Ok(id) => id,
            Err(e) => {
                errors.push(format!("第{}行 [身份证号] {}", r.row, e));
                continue;
            }
        };
        let found: Option<(String, String)> = store
            .db
            .read()
            .opt("SELECT id, name FROM members WHERE id_card_index = $1", args![store.keys.blind_index(id.as_str())])
            .await?;
        let Some((member_id, name)) = found else {
            errors.push(format!("第{}行 [身份证号] 未找到该身份证号的党员", r.row));
            continue;
        };
        if !r.get("name").is_empty() && r.get("name") != name {
            errors.push(format!("第{}行 [姓名] “{}”与身份证号对应的党员“{name}”不一致", r.row, r.get("name")));
            continue;
        }
        let form = PaymentForm {
            member_id,
            months: r.get("months").to_owned(),
            amount: r.get("amount").to_owned(),
            paid_on: r.get("paid_on").to_owned(),
            method: r.get("method").to_owned(),
            receipt_no: r.get("receipt_no").to_owned(),
            ..Default::default()
        };
        match form.parse(today) {
            Ok(i) => inputs.push(i),
            Err(DomainError::Invalid(v)) => errors.extend(v.into_iter().map(|f| format!("第{}行 [{}] {}", r.row, header(&f.field), f.message))),
            Err(e) => errors.push(format!("第{}行 {}", r.row, e)),
        }
    }
    if !errors.is_empty() {
        store.db.close().await;
        for e in &errors {
            eprintln!("{e}");
        }
        eprintln!("导入失败：{}处错误，未写入任何数据", errors.len());
        return Ok(1);
    }
    if dry_run {
        store.db.close().await;
        println!("检查通过：{}行，未写入（--dry-run）", inputs.len());
        return Ok(0);
    }
    let result = dues::record_many(&store, &cli_principal(), &cli_actor(), &inputs, today).await;
    store.db.close().await;
    match result {
        Ok(n) => {
            println!("导入党费交纳记录{n}条");
            Ok(0)
        }
        Err(e @ (StoreError::Domain(_) | StoreError::Conflict { .. } | StoreError::NotFound(_))) => {
            eprintln!("导入失败，未写入任何数据：{e}");
            Ok(1)
        }
        Err(e) => Err(e).context("导入失败，未写入任何数据"),
    }
}
