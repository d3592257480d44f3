//! A rendered report as a DOCX in the GB/T 9704-2012 layout (党政机关公文格式): A4, margins
//! top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters; title 2号
//! 方正小标宋简体; body 3号 仿宋_GB2312; 一、 headings 黑体, （一） headings 楷体_GB2312; page
//! numbers "— N —" in 4号 宋体, odd pages right, even pages left.
//!
//! The package is written part by part (fixed styles and settings, generated document.xml)
//! so the section properties keep the order ECMA-376 prescribes (footer references first),
//! which strict readers such as Word insist on.

use std::io::{Cursor, Write};

use dangwu_domain::report::{Block, Document, LeadKind, Span, plain};
use zip::write::SimpleFileOptions;

/// GB/T 9704 fonts (the user's Word/WPS has them; the document only names them).
pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋_GB2312";
pub const H1_FONT: &str = "黑体";
pub const H2_FONT: &str = "楷体_GB2312";
pub const PAGE_NUMBER_FONT: &str = "宋体";
/// Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
pub const TITLE_SIZE: u32 = 44;
pub const BODY_SIZE: u32 = 32;
pub const PAGE_NUMBER_SIZE: u32 = 28;
/// Exact line pitch in twips: 22 lines in the 225 mm text area.
pub const LINE_PITCH: u32 = 579;
/// Two characters of 三号 (320 twips each): the first-line indent.
const INDENT: u32 = 640;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn run(text: &str, font: &str, size: u32, bold: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"{font}\" w:cs=\"Times New Roman\"/>{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        if bold { "<w:b/>" } else { "" },
        esc(text)
    )
}

fn para(props: &str, runs: &str) -> String {
    // CT_PPr order: spacing comes before ind and jc.
    format!("<w:p><w:pPr><w:spacing w:line=\"{LINE_PITCH}\" w:lineRule=\"exact\"/>{props}</w:pPr>{runs}</w:p>")
}

fn body_runs(spans: &[Span], font: &str) -> String {
    run(&plain(spans), font, BODY_SIZE, false)
}

/// The body of `word/document.xml`.
pub fn document_xml(doc: &Document) -> String {
    let mut body = String::new();
    body.push_str(&para("<w:jc w:val=\"center\"/>", &run(&plain(&doc.title), TITLE_FONT, TITLE_SIZE, false)));
    // One empty line between the title and the text.
    body.push_str(&para("", ""));
    let indent = format!("<w:ind w:firstLine=\"{INDENT}\"/><w:jc w:val=\"both\"/>");
    for b in &doc.blocks {
        match b {
            Block::Heading { number, spans } => {
                body.push_str(&para(&indent, &run(&format!("{number}{}", plain(spans)), H1_FONT, BODY_SIZE, false)));
            }
            Block::Para { lead, spans } => {
                let mut runs = String::new();
                if let Some(l) = lead {
                    let text = format!("{}{}", l.number, plain(&l.spans));
                    runs.push_str(&match l.kind {
                        LeadKind::Heading => run(&text, H2_FONT, BODY_SIZE, false),
                        LeadKind::Item => run(&text, BODY_FONT, BODY_SIZE, true),
                    });
                }
                runs.push_str(&body_runs(spans, BODY_FONT));
                body.push_str(&para(&indent, &runs));
            }
            Block::Date { text } => {
                // 成文日期: right-aligned, four characters from the right edge.
                body.push_str(&para("", ""));
                body.push_str(&para(&format!("<w:ind w:right=\"{}\"/><w:jc w:val=\"right\"/>", INDENT * 2), &run(text, BODY_FONT, BODY_SIZE, false)));
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{body}\
<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/><w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>\
<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
<w:cols w:space=\"425\"/><w:docGrid w:type=\"linesAndChars\" w:linePitch=\"{LINE_PITCH}\" w:charSpace=\"-849\"/></w:sectPr></w:body></w:document>"
    )
}

/// A footer "— N —": odd pages right (one character in), even pages left.
pub fn footer_xml(odd: bool) -> String {
    let (jc, ind) = if odd { ("right", "w:right=\"280\"") } else { ("left", "w:left=\"280\"") };
    let r = |t: &str| run(t, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, false);
    let rpr = format!(
        "<w:rPr><w:rFonts w:ascii=\"{PAGE_NUMBER_FONT}\" w:hAnsi=\"{PAGE_NUMBER_FONT}\" w:eastAsia=\"{PAGE_NUMBER_FONT}\"/><w:sz w:val=\"{PAGE_NUMBER_SIZE}\"/><w:szCs w:val=\"{PAGE_NUMBER_SIZE}\"/></w:rPr>"
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<w:p><w:pPr><w:ind {ind}/><w:jc w:val=\"{jc}\"/></w:pPr>{}<w:fldSimple w:instr=\" PAGE \"><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple>{}</w:p></w:ftr>",
        r("— "),
        r(" —")
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFooterOdd\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rIdFooterEven\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>\
</Relationships>";

/// Odd and even pages get different footers.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/>\
<w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

fn styles() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"{BODY_FONT}\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"{BODY_SIZE}\"/><w:szCs w:val=\"{BODY_SIZE}\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:line=\"{LINE_PITCH}\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr></w:style></w:styles>"
    )
}

/// The whole .docx package.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", ROOT_RELS.into()),
        ("word/_rels/document.xml.rels", DOC_RELS.into()),
        ("word/document.xml", document_xml(doc)),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.into()),
        ("word/footer1.xml", footer_xml(true)),
        ("word/footer2.xml", footer_xml(false)),
    ];
    for (name, text) in &parts {
        zip.start_file(*name, opts).map_err(|e| e.to_string())?;
        zip.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
#[path = "report_docx_tests.rs"]
mod tests;
