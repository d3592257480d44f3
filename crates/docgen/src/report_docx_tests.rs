use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use chrono::NaiveDate;
use dangwu_domain::facts::{FactSet, FactValue, RecordRef};
use dangwu_domain::report::{parse, render};

use super::*;

/// Compares `actual` with the stored snapshot; `UPDATE_SNAPSHOTS=1` rewrites it.
pub fn snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    assert_eq!(actual, want, "snapshot {name} differs; if the change is intended, run with UPDATE_SNAPSHOTS=1");
}

fn doc() -> Document {
    let t = parse("!title {org_unit}汇报\n开篇<有>&“引号”。\n!h1 主要工作\n!h2 聚焦主责。\n排查阵地{n}处。\n!h1 问题\n!item 能力欠缺。\n【待填写】\n!date\n").unwrap();
    let mut f = FactSet::default();
    f.insert("org_unit", FactValue::Text("市体育局".into()), vec![]);
    f.count("n", (0..7).map(|i| RecordRef::new("position", i.to_string())).collect());
    render(&t, &f, &BTreeMap::new(), NaiveDate::from_ymd_opt(2022, 4, 6).unwrap())
}

pub fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn document_xml_snapshot() {
    snapshot("report_document.xml", &document_xml(&doc()));
}

#[test]
fn gb_t_9704_layout() {
    let bytes = write_docx(&doc()).unwrap();
    let d = part(&bytes, "word/document.xml");
    // A4 and margins 37/26/35/28 mm in twips; 22 lines of 28 characters.
    assert!(d.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(d.contains(r#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#));
    assert!(d.contains(r#"<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/>"#));
    assert!(d.contains(r#"<w:spacing w:line="579" w:lineRule="exact"/>"#));
    // Title 2号 方正小标宋简体, body 3号 仿宋_GB2312, headings 黑体 and 楷体_GB2312.
    assert!(d.contains(r#"w:eastAsia="方正小标宋简体" w:cs="Times New Roman"/><w:sz w:val="44"/>"#));
    assert!(d.contains(r#"w:eastAsia="黑体" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">一、主要工作"#));
    assert!(d.contains(r#"w:eastAsia="楷体_GB2312" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">（一）聚焦主责。"#));
    assert!(d.contains(r#"w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">排查阵地7处。"#));
    assert!(d.contains("开篇&lt;有&gt;&amp;“引号”。"));
    assert!(d.contains(">2022年4月6日<"));
    // Footer references come first in sectPr (ECMA-376 order), odd and even footers.
    assert!(d.contains(r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even""#));
    assert!(part(&bytes, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    let odd = part(&bytes, "word/footer1.xml");
    let even = part(&bytes, "word/footer2.xml");
    assert!(odd.contains(r#"<w:jc w:val="right"/>"#) && even.contains(r#"<w:jc w:val="left"/>"#));
    for f in [&odd, &even] {
        assert!(f.contains(r#"<w:fldSimple w:instr=" PAGE ">"#));
        assert!(f.contains(">— <") && f.contains("> —<"));
        assert!(f.contains(r#"w:eastAsia="宋体""#) && f.contains(r#"<w:sz w:val="28"/>"#));
    }
    assert!(part(&bytes, "[Content_Types].xml").contains("/word/footer2.xml"));
}
