//! 巡察整改 sheets: the inspector's numbered feedback list (read for import and for 对账, written
//! as the printable ledger) and the weekly dispatch sheet (调度表).

use crate::xlsx_table::{ColumnSpec, SheetError, SheetRow, read_table, write_table};

const fn col(key: &'static str, header: &'static str, aliases: &'static [&'static str], required: bool, width: f64, note: &'static str, date: bool) -> ColumnSpec {
    ColumnSpec { key, header, aliases, required, width, note, date }
}

const LIST: [ColumnSpec; 12] = [
    col("no", "序号", &["编号", "问题序号"], true, 6.0, "1、2、3……连续编号，不得重复", false),
    col("title", "问题描述", &["反馈问题", "问题", "存在问题"], true, 40.0, "", false),
    col("category", "整改类别", &["类别"], false, 10.0, "立行立改 / 限期整改 / 长期坚持", false),
    col("measures", "整改措施", &["措施"], false, 36.0, "", false),
    col("leader", "责任领导", &["分管领导"], false, 10.0, "", false),
    col("department", "责任部门", &["责任科室", "责任单位"], false, 14.0, "科室或直属单位", false),
    col("owner_name", "责任人", &[], false, 10.0, "与该党组织党员姓名一致时自动关联", false),
    col("due_on", "完成时限", &["整改时限", "时限"], false, 12.0, "如 2022-03-31；长期坚持可不填", true),
    col("acceptance", "验收标准", &["完成标准"], false, 24.0, "", false),
    col("org", "责任党组织", &["所在党组织"], false, 18.0, "留空为台账所属党组织", false),
    col("status", "整改状态", &["状态", "完成情况"], false, 10.0, "对账时填写：待整改 / 整改中 / 待核验 / 已销号", false),
    col("closed_on", "销号日期", &[], false, 12.0, "", true),
];

pub fn list_columns() -> &'static [ColumnSpec] {
    &LIST
}

/// Reads a feedback list (the header may sit under a title row; columns in any order).
pub fn read_list(bytes: &[u8], max_rows: usize) -> Result<Vec<SheetRow>, SheetError> {
    read_table(bytes, &LIST, max_rows)
}

/// The printable ledger: one row per item, in [`list_columns`] order.
pub fn write_list(rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    write_table("整改台账", &LIST, rows)
}

const DISPATCH: [ColumnSpec; 9] = [
    col("department", "责任部门", &[], true, 14.0, "", false),
    col("no", "序号", &[], true, 6.0, "", false),
    col("title", "问题", &[], true, 40.0, "", false),
    col("leader", "责任领导", &[], false, 10.0, "", false),
    col("owner_name", "责任人", &[], false, 10.0, "", false),
    col("status", "状态", &[], false, 10.0, "", false),
    col("changes", "本周进展", &[], false, 40.0, "上一轮调度以来的进展", false),
    col("due", "时限", &[], false, 12.0, "", true),
    col("flag", "提示", &[], false, 12.0, "超期 / 下周到期", false),
];

pub fn dispatch_columns() -> &'static [ColumnSpec] {
    &DISPATCH
}

pub fn write_dispatch(rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    write_table("每周调度", &DISPATCH, rows)
}
