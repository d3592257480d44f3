use super::*;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Cursor;

fn s(v: &str) -> String {
    v.to_owned()
}

fn full_row(name: &str, id: &str, phone: &str) -> Vec<String> {
    [
        name, "女", "汉族", "1990-01-31", id, "大学本科", phone, "2015-07-01", "2016-07-01", "正式党员",
        "在职", "某某市第一中学（高中部）", "教师", "否", "第一党支部",
    ]
    .map(s)
    .to_vec()
}

fn raw_first_sheet(bytes: &[u8]) -> calamine::Range<Data> {
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    book.worksheet_range_at(0).unwrap().unwrap()
}

#[test]
fn columns_in_spec_order() {
    let keys: Vec<_> = roster_columns().iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        [
            "name", "gender", "ethnicity", "birth_date", "id_card_no", "education", "phone",
            "joined_on", "full_on", "status", "dues_category", "work_unit", "post",
            "is_party_worker", "org"
        ]
    );
    let required: Vec<_> = roster_columns().iter().filter(|c| c.required).map(|c| c.header).collect();
    assert_eq!(required, ["姓名", "身份证号", "入党日期"]);
    let dates: Vec<_> = roster_columns().iter().filter(|c| c.date).map(|c| c.key).collect();
    assert_eq!(dates, ["birth_date", "joined_on", "full_on"]);
}

#[test]
fn write_read_round_trip_keeps_text_exact() {
    let rows = vec![
        full_row("张三", "11010519491231002X", "13800138000"),
        full_row("欧阳·娜娜", "110105194912310021", "010-88886666"),
        {
            let mut r = vec![String::new(); 15];
            r[0] = s("李四");
            r[4] = s("000123456789012345");
            r[6] = s("007");
            r[7] = s("2020-01-01");
            r
        },
    ];
    let bytes = write_roster(&rows).unwrap();

    // Stored as text cells, not numbers.
    let raw = raw_first_sheet(&bytes);
    assert_eq!(raw.get((1, 4)), Some(&Data::String(s("11010519491231002X"))));
    assert_eq!(raw.get((2, 4)), Some(&Data::String(s("110105194912310021"))));
    assert_eq!(raw.get((1, 6)), Some(&Data::String(s("13800138000"))));
    assert_eq!(raw.get((0, 0)), Some(&Data::String(s("姓名"))));

    let back = read_roster(&bytes, 100).unwrap();
    assert_eq!(back.len(), 3);
    for (i, (read, written)) in back.iter().zip(&rows).enumerate() {
        assert_eq!(read.row, i + 2);
        assert_eq!(read.cells.len(), 15);
        for (spec, value) in roster_columns().iter().zip(written) {
            assert_eq!(read.get(spec.key), value, "row {i} column {}", spec.key);
        }
    }
    assert_eq!(back[2].get("id_card_no"), "000123456789012345");
    assert_eq!(back[2].get("phone"), "007");
    assert_eq!(back[1].get("name"), "欧阳·娜娜");
}

/// A sheet as a user might produce it by hand in Excel.
fn messy_sheet() -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    ws.merge_range(0, 0, 0, 7, "某某党支部党员名册（2024年）", &Format::new()).unwrap();
    let headers = [
        "手机号", " 入党日期（YYYY-MM-DD） ", "备注", "身份证号码", "姓 名", "出生日期", "所在支部",
        "党员状态",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4 (Excel numbering): numbers and real date cells.
    ws.write_number(3, 0, 13_800_138_000.0).unwrap();
    ws.write_datetime_with_format(3, 1, ExcelDateTime::from_ymd(2015, 7, 1).unwrap(), &date)
        .unwrap();
    ws.write_string(3, 2, "调入").unwrap();
    ws.write_string(3, 3, " 11010519491231002X ").unwrap();
    ws.write_string(3, 4, "  王五 ").unwrap();
    ws.write_number(3, 5, 32_904.0).unwrap(); // serial date, general format: 1990-01-31
    ws.write_string(3, 6, "第二党支部").unwrap();
    ws.write_string(3, 7, "预备党员").unwrap();
    // Row 5: only an unmapped remark and whitespace → blank.
    ws.write_string(4, 2, "备注而已").unwrap();
    ws.write_string(4, 4, "   ").unwrap();
    // Row 6: an 18-digit ID typed as a number (precision lost).
    ws.write_string(5, 4, "赵六").unwrap();
    ws.write_number(5, 3, 110_105_194_912_310_021.0).unwrap();
    ws.write_datetime_with_format(5, 1, ExcelDateTime::from_ymd(2001, 12, 9).unwrap(), &date)
        .unwrap();
    // Trailing formatted-but-empty and whitespace rows.
    for r in 6..12 {
        ws.write_blank(r, 0, &date).unwrap();
        ws.write_string(r, 4, " ").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn messy_sheet_reads_correctly() {
    let rows = read_roster(&messy_sheet(), 100).unwrap();
    assert_eq!(rows.len(), 2, "{rows:#?}");

    let first = &rows[0];
    assert_eq!(first.row, 4);
    assert_eq!(first.get("name"), "王五");
    assert_eq!(first.get("phone"), "13800138000");
    assert_eq!(first.get("joined_on"), "2015-07-01");
    assert_eq!(first.get("birth_date"), "1990-01-31");
    assert_eq!(first.get("id_card_no"), "11010519491231002X");
    assert_eq!(first.get("org"), "第二党支部");
    assert_eq!(first.get("status"), "预备党员");
    // Present columns only.
    let keys: Vec<_> = first.cells.keys().map(String::as_str).collect();
    assert_eq!(keys, ["birth_date", "id_card_no", "joined_on", "name", "org", "phone", "status"]);

    let second = &rows[1];
    assert_eq!(second.row, 6);
    assert_eq!(second.get("name"), "赵六");
    assert_eq!(second.get("joined_on"), "2001-12-09");
    assert_eq!(second.get("phone"), "");
    // Never silently turned into a plausible-looking 18-digit number.
    let id = second.get("id_card_no");
    assert_ne!(id, "110105194912310021");
    assert!(id.contains('e'), "{id}");
}

#[test]
fn not_xlsx_inputs() {
    let mut seed: u32 = 0x2468_ACE1;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        })
        .collect();
    let text = "姓名,身份证号,入党日期\n张三,11010519491231002X,2015-07-01\n".as_bytes();
    let mut empty_zip = b"PK\x05\x06".to_vec();
    empty_zip.extend([0u8; 18]);
    let template = roster_template();
    let truncated = &template[..template.len() / 2];
    let mut corrupted = template.clone();
    let mid = corrupted.len() / 2;
    corrupted[mid..mid + 200].fill(0x55);

    for (what, bytes) in [
        ("random", &random[..]),
        ("text", text),
        ("empty zip", &empty_zip[..]),
        ("truncated", truncated),
        ("corrupted", &corrupted[..]),
        ("nothing", &[][..]),
    ] {
        assert_eq!(read_roster(bytes, 10), Err(SheetError::NotXlsx), "{what}");
    }
}

fn sheet_with_headers(headers: &[&str]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
        ws.write_string(1, c as u16, "x").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn missing_required_columns_are_named() {
    let bytes = sheet_with_headers(&["性别", "身份证号", "入党日期", "联系电话"]);
    assert_eq!(read_roster(&bytes, 10), Err(SheetError::MissingColumns(vec![s("姓名")])));
    let bytes = sheet_with_headers(&["性别", "身份证号", "联系电话"]);
    let err = read_roster(&bytes, 10).unwrap_err();
    assert_eq!(err, SheetError::MissingColumns(vec![s("姓名"), s("入党日期")]));
    assert_eq!(err.to_string(), "缺少必需的列：姓名、入党日期");
}

#[test]
fn max_rows_enforced_on_non_blank_rows() {
    let mut rows: Vec<Vec<String>> = (0..3)
        .map(|i| full_row(&format!("党员{i}"), "11010519491231002X", "13800138000"))
        .collect();
    rows.insert(1, vec![String::new(); 15]);
    let bytes = write_roster(&rows).unwrap();
    assert_eq!(read_roster(&bytes, 2), Err(SheetError::TooManyRows { max: 2 }));
    let read = read_roster(&bytes, 3).unwrap();
    assert_eq!(read.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 4, 5]);
    assert_eq!(read_roster(&bytes, 0), Err(SheetError::TooManyRows { max: 0 }));
}

#[test]
fn template_is_header_only_with_notes() {
    let bytes = roster_template();
    assert_eq!(read_roster(&bytes, 10), Ok(vec![]));
    let raw = raw_first_sheet(&bytes);
    assert_eq!(raw.height(), 1);
    let headers: Vec<_> = raw.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
    let expected: Vec<_> = roster_columns().iter().map(|c| c.header.to_owned()).collect();
    assert_eq!(headers, expected);
    let book = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
    assert_eq!(book.sheet_names(), [ROSTER_SHEET]);
    // Notes live in a comments part; zip entry names are stored uncompressed.
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"xl/comments1.xml"));
}
