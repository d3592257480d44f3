//! Building roster spreadsheets for import tests, the way a 党建办 would fill them in Excel.

use rust_xlsxwriter::Workbook;

/// The roster headers in the documented layout (a subset is enough: 姓名, 身份证号 and
/// 入党日期 are the required columns).
pub const HEADERS: [&str; 14] =
    ["姓名", "性别", "民族", "出生日期", "身份证号", "学历", "联系电话", "入党日期", "转正日期", "党员状态", "党费类别", "工作单位", "职务", "所在党组织"];

/// One synthetic member as sheet cells, matching [`HEADERS`].
#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub id: String,
    pub org: String,
    pub probationary: bool,
}

impl Person {
    pub fn cells(&self) -> Vec<String> {
        let birth = format!("{}-{}-{}", &self.id[6..10], &self.id[10..12], &self.id[12..14]);
        let male = (self.id.as_bytes()[16] - b'0') % 2 == 1;
        let born: i32 = self.id[6..10].parse().unwrap_or(1980);
        let joined = format!("{}-07-01", (born + 25).min(2020));
        let (full_on, status) =
            if self.probationary { (String::new(), "预备党员") } else { (format!("{}-07-01", (born + 26).min(2021)), "正式党员") };
        vec![
            self.name.clone(),
            if male { "男" } else { "女" }.into(),
            "汉族".into(),
            birth,
            self.id.clone(),
            "大学本科".into(),
            "13800138000".into(),
            joined,
            full_on,
            status.into(),
            "在职".into(),
            "海滨市体育局".into(),
            "科员".into(),
            self.org.clone(),
        ]
    }
}

/// Synthetic names that the demo bureau does not use (导入甲一, 导入甲二 …).
pub fn test_name(i: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let mut n = i;
    let mut s = String::new();
    loop {
        s.insert_str(0, DIGITS[n % 10]);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    format!("导入测试{s}")
}

/// `n` people for `org`, with valid ID numbers from address code 650102 (one the demo's
/// Shandong-coast bureau does not use), distinct within the batch and from batch to batch
/// when `batch` differs.
pub fn people(n: usize, org: &str, batch: u32) -> Vec<Person> {
    (0..n)
        .map(|i| {
            let i32_ = i as u32;
            let year = 1965 + (i32_ % 35);
            let month = 1 + (i32_ / 35) % 12;
            let day = 1 + batch % 28;
            let birth = format!("{year:04}{month:02}{day:02}");
            let first17 = format!("650102{birth}{:03}", (batch * 37 + i32_) % 1000);
            let id = format!("{first17}{}", dangwu_domain::idcard::check_char(&first17));
            Person { name: test_name(batch as usize * 1000 + i), id, org: org.to_owned(), probationary: i % 7 == 3 }
        })
        .collect()
}

/// An .xlsx file: the header row, then one row per entry (Excel row numbers 2, 3, …).
pub fn workbook(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("党员名册").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

pub fn roster(people: &[Person]) -> Vec<u8> {
    workbook(&HEADERS, &people.iter().map(Person::cells).collect::<Vec<_>>())
}

/// The roster without one column (by header).
pub fn roster_without(people: &[Person], header: &str) -> Vec<u8> {
    let keep: Vec<usize> = (0..HEADERS.len()).filter(|&i| HEADERS[i] != header).collect();
    let headers: Vec<&str> = keep.iter().map(|&i| HEADERS[i]).collect();
    let rows: Vec<Vec<String>> = people.iter().map(|p| {
        let c = p.cells();
        keep.iter().map(|&i| c[i].clone()).collect()
    }).collect();
    workbook(&headers, &rows)
}
