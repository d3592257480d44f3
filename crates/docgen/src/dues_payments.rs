//! The payments sheet a branch keeps (党费收缴明细): one line per payment, read for
//! `dangwu dues import-payments`. Months may be one month, a list or a quarter.

use crate::xlsx_table::{ColumnSpec, SheetError, SheetRow, read_table};

const fn col(key: &'static str, header: &'static str, aliases: &'static [&'static str], required: bool, note: &'static str, date: bool) -> ColumnSpec {
    ColumnSpec { key, header, aliases, required, width: 14.0, note, date }
}

const COLUMNS: [ColumnSpec; 7] = [
    col("name", "姓名", &[], false, "党员姓名（与身份证号核对）", false),
    col("id_card_no", "身份证号", &["公民身份号码", "身份证号码"], true, "必填，按身份证号找到党员", false),
    col("months", "交纳月份", &["月份", "所属月份"], true, "如 2022-01，多个月用逗号分隔，或 2022Q1 表示一季度", false),
    col("amount", "每月金额", &["金额", "月交纳额"], false, "元；留空按核定数额", false),
    col("paid_on", "交纳日期", &["日期"], true, "如 2022-01-15", true),
    col("method", "交纳方式", &["方式"], false, "现金 / 转账 / 微信 / 支付宝 / 网上缴纳 / 其他", false),
    col("receipt_no", "收据号", &["票据号", "收据编号"], false, "", false),
];

pub fn payment_columns() -> &'static [ColumnSpec] {
    &COLUMNS
}

pub fn read_payments(bytes: &[u8], max_rows: usize) -> Result<Vec<SheetRow>, SheetError> {
    read_table(bytes, &COLUMNS, max_rows)
}
