//! The party-member roster (党员名册) sheet layout.

use crate::xlsx_table::{ColumnSpec, SheetError, SheetRow, read_table, write_table};

/// Sheet name of generated rosters and templates.
pub const ROSTER_SHEET: &str = "党员名册";

const fn col(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    width: f64,
    date: bool,
    note: &'static str,
) -> ColumnSpec {
    ColumnSpec { key, header, aliases, required, width, note, date }
}

static ROSTER_COLUMNS: [ColumnSpec; 15] = [
    col("name", "姓名", &[], true, 12.0, false, "必填。党员姓名。"),
    col("gender", "性别", &[], false, 8.0, false, "填写：男 / 女"),
    col("ethnicity", "民族", &[], false, 10.0, false, "如：汉族、回族、蒙古族"),
    col(
        "birth_date",
        "出生日期",
        &[],
        false,
        14.0,
        true,
        "格式：YYYY-MM-DD，如 1990-01-31",
    ),
    col(
        "id_card_no",
        "身份证号",
        &["公民身份号码", "身份证号码"],
        true,
        22.0,
        false,
        "必填。18 位公民身份号码，末位可为 X。\n请以文本格式填写，避免 Excel 把号码变成科学计数法。",
    ),
    col(
        "education",
        "学历",
        &[],
        false,
        12.0,
        false,
        "如：研究生、大学本科、大学专科、中专、高中、初中及以下",
    ),
    col("phone", "联系电话", &["手机号", "电话"], false, 16.0, false, "手机号或固定电话"),
    col(
        "joined_on",
        "入党日期",
        &[],
        true,
        14.0,
        true,
        "必填。格式：YYYY-MM-DD",
    ),
    col(
        "full_on",
        "转正日期",
        &[],
        false,
        14.0,
        true,
        "格式：YYYY-MM-DD；预备党员留空",
    ),
    col(
        "status",
        "党员状态",
        &["人员类别"],
        false,
        12.0,
        false,
        "填写：正式党员 / 预备党员",
    ),
    col(
        "dues_category",
        "党费类别",
        &[],
        false,
        12.0,
        false,
        "填写：在职 / 离退休 / 学生 / 农民 / 无固定收入 / 其他",
    ),
    col("work_unit", "工作单位", &[], false, 24.0, false, ""),
    col("post", "职务", &["工作岗位"], false, 14.0, false, ""),
    col("is_party_worker", "党务工作者", &[], false, 10.0, false, "填写：是 / 否"),
    col(
        "org",
        "所在党组织",
        &["所在支部", "党组织名称"],
        false,
        24.0,
        false,
        "党组织全称。导入时如已指定党组织，可留空。",
    ),
];

/// Roster columns, in sheet order.
pub fn roster_columns() -> &'static [ColumnSpec] {
    &ROSTER_COLUMNS
}

/// Reads an uploaded roster; see [`read_table`].
pub fn read_roster(bytes: &[u8], max_rows: usize) -> Result<Vec<SheetRow>, SheetError> {
    read_table(bytes, roster_columns(), max_rows)
}

/// Writes a roster; each row holds the cells in [`roster_columns`] order.
pub fn write_roster(rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    write_table(ROSTER_SHEET, roster_columns(), rows)
}

/// An empty roster to fill in: header row only (an example row would be
/// imported by mistake); the header notes carry the guidance.
pub fn roster_template() -> Vec<u8> {
    // The layout is fixed and valid, so writing it cannot fail.
    write_roster(&[]).expect("the roster template is always writable")
}

#[cfg(test)]
#[path = "roster_tests.rs"]
mod tests;
