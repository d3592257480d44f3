use super::*;
use rust_xlsxwriter::Workbook;

const COLS: &[ColumnSpec] = &[
    ColumnSpec {
        key: "name",
        header: "姓名",
        aliases: &[],
        required: true,
        width: 10.0,
        note: "必填",
        date: false,
    },
    ColumnSpec {
        key: "code",
        header: "编号(内部)",
        aliases: &["代码"],
        required: false,
        width: 10.0,
        note: "",
        date: false,
    },
    ColumnSpec {
        key: "day",
        header: "日期",
        aliases: &[],
        required: false,
        width: 10.0,
        note: "",
        date: true,
    },
];

/// Sheet whose cells are all strings, `None` = no cell written.
fn sheet(rows: &[&[Option<&str>]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(text) = cell {
                ws.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn header_normalisation() {
    assert_eq!(normalize_header(" 编号（内部） "), "编号(内部)");
    assert_eq!(normalize_header("＊姓\u{3000}名*"), "姓名");
    assert_eq!(normalize_header("ＩＤ"), "id");
    assert_eq!(find_column("编号（内部）", COLS).unwrap().key, "code");
    assert_eq!(find_column("代码", COLS).unwrap().key, "code");
    assert_eq!(find_column("日期（YYYY-MM-DD）", COLS).unwrap().key, "day");
    assert!(find_column("备注", COLS).is_none());
    assert!(find_column("(日期)", COLS).is_none());
}

#[test]
fn error_messages_are_chinese() {
    let e = SheetError::MissingColumns(vec!["姓名".into(), "身份证号".into()]);
    assert_eq!(e.to_string(), "缺少必需的列：姓名、身份证号");
    assert_eq!(SheetError::NotXlsx.to_string(), "文件不是有效的 Excel（.xlsx）文件");
    assert_eq!(SheetError::Empty.to_string(), "工作表为空");
    assert_eq!(SheetError::TooManyRows { max: 5 }.to_string(), "数据行数超过上限（最多 5 行）");
}

#[test]
fn unknown_columns_ignored_and_absent_columns_have_no_entry() {
    let bytes = sheet(&[
        &[Some("备注"), Some("姓名"), Some("代码")],
        &[Some("x"), Some("张三"), Some("007")],
        &[Some("only a remark"), None, None],
    ]);
    let rows = read_table(&bytes, COLS, 10).unwrap();
    assert_eq!(rows.len(), 1, "row with only unmapped cells must be skipped: {rows:?}");
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[0].get("name"), "张三");
    assert_eq!(rows[0].get("code"), "007");
    assert!(!rows[0].cells.contains_key("day"));
    assert!(!rows[0].cells.contains_key("备注"));
}

#[test]
fn duplicate_column_via_alias() {
    let bytes = sheet(&[&[Some("姓名"), Some("编号(内部)"), Some("代码")], &[Some("a")]]);
    assert_eq!(
        read_table(&bytes, COLS, 10),
        Err(SheetError::DuplicateColumn("编号(内部)".into()))
    );
}

#[test]
fn no_header_row_and_empty_sheet() {
    let bytes = sheet(&[&[Some("某某名册")], &[Some("姓名")]]);
    assert_eq!(read_table(&bytes, COLS, 10), Err(SheetError::HeaderNotFound));
    assert_eq!(read_table(&sheet(&[]), COLS, 10), Err(SheetError::Empty));
}

#[test]
fn header_only_gives_no_rows() {
    let bytes = sheet(&[&[Some("姓名"), Some("日期")], &[Some(" "), Some("")]]);
    assert_eq!(read_table(&bytes, COLS, 10), Ok(vec![]));
}

#[test]
fn write_rejects_rows_wider_than_columns_and_pads_short_rows() {
    let wide = vec![vec!["a".to_owned(), "b".into(), "c".into(), "d".into()]];
    assert!(matches!(write_table("表", COLS, &wide), Err(SheetError::Write(_))));
    let short = vec![vec!["李四".to_owned()]];
    let rows = read_table(&write_table("表", COLS, &short).unwrap(), COLS, 10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get("name"), "李四");
    assert_eq!(rows[0].get("day"), "");
}

#[test]
fn write_rejects_invalid_sheet_name() {
    assert!(matches!(write_table("a/b", COLS, &[]), Err(SheetError::Write(_))));
}

#[test]
fn row_numbers_are_excel_rows_when_sheet_starts_lower_right() {
    // Header on Excel row 3, starting at column C, nothing above or left.
    let bytes = sheet(&[
        &[],
        &[],
        &[None, None, Some("日期"), Some("姓名")],
        &[None, None, Some("2020-01-01"), Some("张三")],
        &[],
        &[None, None, None, Some("李四")],
    ]);
    let rows = read_table(&bytes, COLS, 10).unwrap();
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [4, 6]);
    assert_eq!(rows[0].get("day"), "2020-01-01");
    assert_eq!(rows[1].get("name"), "李四");
}

/// Regression (fuzz target `dues_payments_xlsx`): two cells at opposite corners of the sheet
/// made calamine allocate the whole 1048576 × 16384 box (512 GiB) and abort the process.
#[test]
fn cells_at_opposite_corners_are_read_without_the_bounding_box() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(0, 1, "代码").unwrap();
    ws.write_string(1, 0, "张三").unwrap();
    ws.write_string(1_048_575, 16_383, "角落").unwrap();
    ws.write_string(1_048_575, 0, "李四").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let rows = read_table(&bytes, COLS, 10).unwrap();
    assert_eq!(rows.iter().map(|r| (r.row, r.get("name"))).collect::<Vec<_>>(), [(2, "张三"), (1_048_576, "李四")]);
}

#[test]
fn more_cells_than_the_rows_allowed_can_hold_is_refused() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(0, 1, "代码").unwrap();
    // 10,001 cells in unnamed columns: beyond the budget for a sheet of at most 0 data rows.
    for i in 0..10_001u32 {
        ws.write_number(1 + i / 100, 2 + (i % 100) as u16, 1.0).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let err = read_table(&bytes, COLS, 0).unwrap_err();
    assert_eq!(err, SheetError::TooManyCells { max: 10_000 });
    assert!(err.to_string().contains("单元格过多"));
    assert_eq!(read_table(&bytes, COLS, 1).unwrap().len(), 0, "within the budget the unnamed columns are ignored");
}
