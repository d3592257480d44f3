//! A rendered report as HTML: every figure links to the records behind it (provenance), and
//! 【待填写】 places can become text fields. Also the link map from a record's kind to its page,
//! and the lines of the facts spreadsheet.

use dangwu_docgen::report_facts::FactLine;
use dangwu_domain::facts::FactValue;
use dangwu_domain::report::{Block, Document, LeadKind, Span, format::value_text, plain};
use dangwu_store::facts::FactInfo;
use dangwu_store::reports::Generated;

/// The page of a record, by the kind a fact gives it. Kinds of other areas link to the pages
/// those areas serve.
pub fn record_url(kind: &str, id: &str) -> Option<String> {
    let base = match kind {
        "member" => "/members",
        "activity" => "/activities",
        "org" => "/orgs",
        "ledger_item" => "/ledger",
        "dispatch" => "/ledger/dispatch",
        "position" => "/positions",
        "campaign" => "/campaigns",
        "risk_point" => "/integrity/risks",
        "program" => "/programs",
        "team" => "/teams",
        "community" => "/communities",
        "election" => "/elections",
        "post" => "/posts",
        "community_need" => "/communities/needs",
        // One plan per org and year: the record is named by its org.
        "study_plan" => return Some(format!("/orgs/{}/study-plan", crate::auth::urlencode(id))),
        _ => return None,
    };
    Some(format!("{base}/{}", crate::auth::urlencode(id)))
}

/// What a record kind is called on the provenance page.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "member" => "党员",
        "activity" => "活动",
        "org" => "党组织",
        "study_plan" => "学习方案",
        "dues_payment" => "党费交纳记录",
        "dues_remittance" => "党费上缴记录",
        "ledger_item" => "台账事项",
        "dispatch" => "调度记录",
        "position" => "阵地",
        "campaign" => "专项工作",
        "risk_point" => "廉政风险点",
        "program" => "活动方案",
        "team" => "队伍",
        "community" => "社区",
        "community_need" => "社区需求",
        "post" => "岗位",
        "election" => "选举",
        other => other,
    }
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// How the preview shows figures and blanks.
pub struct Style<'a> {
    /// The provenance page of a fact.
    pub fact_href: &'a dyn Fn(&str) -> String,
    /// Blanks as text fields (inside the page's fill form) instead of 【待填写】.
    pub editable: bool,
}

fn spans(out: &mut String, spans: &[Span], st: &Style) {
    for s in spans {
        match s {
            Span::Text { text } => out.push_str(&esc(text)),
            Span::Figure { text, fact } => {
                out.push_str(&format!("<a class=\"figure\" href=\"{}\" title=\"{}\">{}</a>", esc(&(st.fact_href)(fact)), esc(fact), esc(text)))
            }
            Span::Blank { index, hint, fill } if st.editable => out.push_str(&format!(
                "<textarea class=\"blank\" name=\"fill_{index}\" rows=\"2\" placeholder=\"【待填写】{}\" aria-label=\"待填写{}\">{}</textarea>",
                esc(hint),
                index + 1,
                esc(fill.as_deref().unwrap_or(""))
            )),
            Span::Blank { fill: Some(f), .. } => out.push_str(&format!("<span class=\"filled\">{}</span>", esc(f))),
            Span::Blank { hint, .. } => out.push_str(&format!("<mark class=\"blank\" title=\"{}\">【待填写】</mark>", esc(hint))),
        }
    }
}

/// The document as an HTML fragment (`<article class="report">`).
pub fn fragment(doc: &Document, st: &Style) -> String {
    let mut out = String::from("<article class=\"report\"><h1 class=\"report-title\">");
    spans(&mut out, &doc.title, st);
    out.push_str("</h1>");
    for b in &doc.blocks {
        match b {
            Block::Heading { number, spans: s } => {
                out.push_str(&format!("<h2 class=\"report-h1\">{}", esc(number)));
                spans(&mut out, s, st);
                out.push_str("</h2>");
            }
            Block::Para { lead, spans: s } => {
                out.push_str("<p>");
                if let Some(l) = lead {
                    let class = if l.kind == LeadKind::Heading { "report-h2" } else { "report-item" };
                    out.push_str(&format!("<span class=\"{class}\">{}", esc(&l.number)));
                    spans(&mut out, &l.spans, st);
                    out.push_str("</span>");
                }
                spans(&mut out, s, st);
                out.push_str("</p>");
            }
            Block::Date { text } => out.push_str(&format!("<p class=\"report-date\">{}</p>", esc(text))),
        }
    }
    out.push_str("</article>");
    out
}

/// The provenance page of a fact of a freshly generated report.
pub fn live_fact_href(g: &Generated) -> impl Fn(&str) -> String + '_ {
    move |name| format!("/reports/facts/{name}?org={}&period={}", g.org.id, g.period)
}

/// A whole HTML file (the CLI's `--format html`): links point at the dangwu server's pages.
pub fn standalone(g: &Generated) -> String {
    let href = live_fact_href(g);
    let body = fragment(&g.doc, &Style { fact_href: &href, editable: false });
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>body{{max-width:42em;margin:1em auto;padding:0 1em;font-family:FangSong,STFangsong,serif;line-height:1.8}}\
.report-title{{text-align:center;font-size:1.6em}}.report-h1{{font-size:1.1em;font-family:SimHei,sans-serif}}.report-h2{{font-family:KaiTi,serif}}\
.report-item{{font-weight:bold}}p{{text-indent:2em}}.report-date{{text-align:right}}mark.blank{{background:#fde68a}}a.figure{{color:#b91c1c}}</style></head>\
<body>{body}<p><small>模板 {} 版本 {}；数字链接到 dangwu 中的原始记录。</small></p></body></html>\n",
        esc(&plain(&g.doc.title)),
        esc(&g.template.name),
        esc(&g.template.version[..12])
    )
}

/// The facts the template uses (conditions and those of dropped sentences too), in order of
/// first use, for the spreadsheet.
pub fn fact_lines(g: &Generated, catalogue: &[FactInfo]) -> Vec<FactLine> {
    g.template
        .template
        .facts()
        .into_iter()
        .filter_map(|(_, name)| {
            let name = name.to_owned();
            let f = g.facts.get(&name)?;
            let info = catalogue.iter().find(|c| c.name == name);
            let value = match &f.value {
                FactValue::Bool(b) => (if *b { "是" } else { "否" }).to_owned(),
                FactValue::List(items) => items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join("\n"),
                v => value_text(v),
            };
            Some(FactLine {
                label: info.map(|i| i.label.clone()).unwrap_or(name.clone()),
                doc: info.map(|i| i.doc.clone()).unwrap_or_default(),
                name,
                value,
                records: f.records.len(),
            })
        })
        .collect()
}
