//! The quarterly report from the demo bureau's records: the seed report's figures in the
//! generated DOCX, its GB/T 9704 layout, provenance links that lead to the right records,
//! saved reports with fills and changes, and bad input refused without writing anything.

use std::io::{Cursor, Read};

use serde_json::Value;

use crate::harness::*;

/// Compares with the stored snapshot; `UPDATE_SNAPSHOTS=1` rewrites it.
fn snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    assert_eq!(actual, want, "snapshot {name} differs; if intended, run with UPDATE_SNAPSHOTS=1");
}

fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).expect("the .docx is a zip package");
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|_| panic!("{name} in the package")).read_to_string(&mut s).unwrap();
    s
}

/// The text of document.xml, runs joined per paragraph.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| p.split("<w:t xml:space=\"preserve\">").skip(1).map(|t| unescape(&t[..t.find("</w:t>").unwrap()])).collect::<String>())
        .filter(|p| !p.is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quarterly_docx_has_the_seed_figures_and_the_gb_t_9704_layout() {
    let app = TestApp::spawn().await;
    let out = app.db.dir.path().join("q1.docx");
    let out_s = out.display().to_string();
    let (code, stdout, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "docx", "--out", &out_s, "--date", "2022-04-06"]).await;
    assert_eq!(code, 0, "report quarterly:\n{err}");
    assert!(stdout.contains("已生成"), "{stdout}");
    let bytes = std::fs::read(&out).unwrap();
    let xml = part(&bytes, "word/document.xml");
    let text = paragraphs(&xml);
    let all = text.join("\n");
    assert_eq!(text[0], "海滨市体育局2022年第一季度党建工作情况汇报", "title");
    for want in [
        "一、主要工作开展情况",
        "（一）聚焦主责，强化政治建设。制定《中共海滨市体育局党组2022年理论学习中心组学习方案》",
        "严格落实“第一议题”制度，11次党组会和中心组学习均将",
        "认真筹备组织“周五学习日”11次，先后学习十九届六中全会精神、市第十四次党代会精神、习近平总书记在2022年春季学期中央党校（国家行政学院）中青年干部培训班开班式上的重要讲话和习近平新时代中国特色社会主义思想“十个明确”“十四个坚持”。",
        "先后组织局党组巡察反馈问题整改专题民主生活会和局党组2021年度党史学习教育专题民主生活会，召开海滨市体育局党史学习教育总结大会。",
        "完成新年度核定党员交纳党费计算基数，179名党员明确每月交纳党费数额。",
        "按期足额完成一季度党费上缴上级党组织工作",
        "组织观看警示教育片2次。",
        // From the supervision ledgers, the registers and campaigns.
        "每周调度各科室、直属单位巡察整改反馈12轮，巡察整改问题10项，已对账销号6项，整改完成率60%。",
        "共排查网络传播平台阵地7处，学校意识形态阵地4处。",
        "对5个直属党支部党建工作进行专项检查。",
        "排查廉政风险点8个。",
        "启动“机关接地气、干部走基层”活动和“能力作风建设年”活动。",
        // From teams, communities and the delegate nomination.
        "指导7个基层党组织、179名党员参与代表候选人初步人选的推荐提名，知晓率达100%，参与率达100%。",
        "党的二十大代表",
        "成立6支疫情防控一线党员先锋队，下沉社区支援抗疫。",
        "走访慰问“双报到”社区5户党员群众。",
        "二、存在的问题和不足",
        "局直属5个党组织性质不同",
        "三、下步工作打算",
        "2022年4月6日",
    ] {
        assert!(all.contains(want), "the report says “{want}”:\n{all}");
    }
    // The problems section drafts from this quarter's compliance gaps, each citing its rule.
    let gaps = text.iter().find(|p| p.starts_with("一是组织生活制度落实还有差距。")).unwrap_or_else(|| panic!("gaps paragraph:\n{all}"));
    assert!(gaps.contains("5项要求未落实"), "{gaps}");
    for want in [
        "机关第三党小组2022年3月未落实“党小组会一般每月召开1次”",
        "《中国共产党支部工作条例（试行）》",
        "机关党支部2022年1月未落实“党员志愿服务队每月至少到社区开展1次志愿服务”",
    ] {
        assert!(gaps.contains(want), "{want} in {gaps}");
    }
    // Layout: A4, margins, 22 × 28 grid, fonts and sizes, footers with page numbers.
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#));
    assert!(xml.contains(r#"<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-849"/>"#));
    assert!(xml.contains(r#"w:eastAsia="方正小标宋简体" w:cs="Times New Roman"/><w:sz w:val="44"/>"#), "title 2号 方正小标宋简体");
    assert!(xml.contains(r#"w:eastAsia="黑体" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">一、主要工作开展情况"#));
    assert!(xml.contains(r#"w:eastAsia="楷体_GB2312" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr><w:t xml:space="preserve">（一）聚焦主责"#));
    assert!(xml.contains(r#"w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:sz w:val="32"/>"#));
    assert!(part(&bytes, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    let (odd, even) = (part(&bytes, "word/footer1.xml"), part(&bytes, "word/footer2.xml"));
    assert!(odd.contains(r#"<w:jc w:val="right"/>"#) && even.contains(r#"<w:jc w:val="left"/>"#), "odd pages right, even left");
    for f in [&odd, &even] {
        assert!(f.contains(r#"w:instr=" PAGE ""#) && f.contains(">— <") && f.contains("> —<") && f.contains(r#"<w:sz w:val="28"/>"#), "{f}");
    }

    // The same report as Markdown, compared with its snapshot.
    let (code, md, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "md", "--date", "2022-04-06"]).await;
    assert_eq!(code, 0, "{err}");
    snapshot("quarterly-2022Q1.md", &md);

    // HTML links its figures; the facts sheet lists what the report used.
    let (code, html, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "html"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(html.contains("<a class=\"figure\" href=\"/reports/facts/activities_fixed_study_day_count?org="), "{html}");
    let xlsx = app.db.dir.path().join("facts.xlsx");
    let xlsx_s = xlsx.display().to_string();
    let (code, _, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "xlsx", "--out", &xlsx_s]).await;
    assert_eq!(code, 0, "{err}");
    let strings = part(&std::fs::read(&xlsx).unwrap(), "xl/sharedStrings.xml");
    for want in ["事实", "记录数", "周五学习日次数", "activities_fixed_study_day_count", "按期足额上缴"] {
        assert!(strings.contains(want), "{want} in the facts sheet");
    }
    // The catalogue: every fact a template may use, per-kind ones from the rulebook too.
    let (code, cat, err) = app.cli(&["report", "facts", "--json"]).await;
    assert_eq!(code, 0, "{err}");
    let cat: Value = serde_json::from_str(&cat).unwrap();
    let names: Vec<&str> = cat.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    for want in ["members_total", "activities_fixed_study_day_count", "activities_care_visit_titles", "dues_remitted_in_full", "compliance_gaps"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    // The other two shipped templates.
    let (code, md, err) = app.cli(&["report", "summary", "--period", "2022", "--format", "md"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# 海滨市体育局2022年党建工作总结") && md.contains("在册党员179名"), "{md}");
    let (code, md, err) = app.cli(&["report", "rectification", "--period", "2022Q1", "--format", "md"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("# 海滨市体育局关于2022年第一季度整改落实情况的报告") && md.contains("巡察反馈问题整改专题民主生活会"), "{md}");
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_links_every_figure_to_its_records() {
    let app = TestApp::spawn().await;
    let s = app.login("admin").await;
    let (status, page) = s.get("/reports/preview?period=2022Q1&template=quarterly").await;
    assert_eq!(status, 200, "{page}");
    let hrefs: Vec<String> = page
        .split("class=\"figure\" href=\"")
        .skip(1)
        .map(|h| unescape(&h[..h.find('"').unwrap()]))
        .collect();
    assert!(hrefs.len() >= 15, "figures are links: {hrefs:?}");
    let study = hrefs.iter().find(|h| h.starts_with("/reports/facts/activities_fixed_study_day_count?")).expect("a link for the 周五学习日 count");
    let (status, facts) = s.get(study).await;
    assert_eq!(status, 200, "{facts}");
    let ids: Vec<String> = facts.split("href=\"/activities/").skip(1).map(|h| h[..h.find('"').unwrap()].to_owned()).collect();
    let mut ids = ids;
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 11, "the 11 Friday sittings behind 11次:\n{}", text_of(&facts));
    for id in &ids {
        let a = dangwu_store::activities::get(&app.store, &dangwu::cli_principal(), id).await.expect("the linked record exists");
        assert!(a.kinds.iter().any(|k| k == "fixed_study_day"), "{id} is a 周五学习日");
        let (status, _) = s.get(&format!("/activities/{id}")).await;
        assert_eq!(status, 200, "/activities/{id} resolves");
    }
    // Member links resolve to members (the dues verification count).
    let verified = hrefs.iter().find(|h| h.starts_with("/reports/facts/dues_members_verified?")).expect("verified link");
    let (_, page) = s.get(verified).await;
    assert_eq!(page.matches("href=\"/members/").count(), 179, "179 verified members link to their records");

    // Save, fill a 【待填写】 place, and download the Markdown with it.
    let form = scrape_form(&s.get("/reports/preview?period=2022Q1&template=quarterly").await.1, "/reports").expect("save form");
    let r = s.http.post(s.url("/reports")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let id = loc.trim_start_matches("/reports/").split('?').next().unwrap().to_owned();
    let (status, saved) = s.get(&format!("/reports/{id}")).await;
    assert_eq!(status, 200, "{saved}");
    let mut fill = scrape_form(&saved, &format!("/reports/{id}/fills")).expect("fill form");
    set_field(&mut fill, "fill_0", "坚持以党建引领业务工作。");
    let r = s.http.post(s.url(&format!("/reports/{id}/fills"))).form(&fill).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let md = s.http.get(s.url(&format!("/reports/{id}/download?format=md"))).send().await.unwrap().text().await.unwrap();
    assert!(md.contains("全面落实党建工作责任制，持续推进党组织建设，坚持以党建引领业务工作。按照工作安排"), "{md}");
    assert!(md.contains("【待填写】"), "other places stay marked");

    // A record added afterwards shows as a change; the saved report keeps its figure.
    let (code, _, err) = app.cli(&["report", "changes", &id]).await;
    assert_eq!(code, 0, "{err}");
    let organ = all_orgs(&app.store).await.into_iter().find(|o| o.kind == "organ_committee").unwrap();
    let (code, _, err) = app
        .cli(&["activity", "add", "--org", &organ.id, "--kind", "warning_education", "--title", "警示教育：补看警示片", "--date", "2022-03-30", "--topics", "以案为鉴"])
        .await;
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = app.cli(&["report", "changes", &id]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("activities_warning_education_count：2 → 3（新增记录1条，减少0条）"), "{out}");
    let (_, saved) = s.get(&format!("/reports/{id}")).await;
    assert!(saved.contains("生成后记录的变化"), "{}", text_of(&saved));
    let at = saved.find("组织观看警示教育片").expect("the films sentence");
    assert!(saved[at..at + 300].contains(">2</a>次。"), "the saved report keeps 2: {}", &saved[at..at + 300]);
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    // Tokens first: creating them is audited.
    let (token, member) = (app.token("secretary1").await, app.token("member1").await);
    let before = fingerprint(&app.store).await;
    let out = app.db.dir.path().join("bad.docx");
    let out_s = out.display().to_string();
    for (period, want) in [("2099Q1", "尚未开始"), ("2022Q5", "格式不正确")] {
        let (code, _, err) = app.cli(&["report", "quarterly", "--period", period, "--format", "docx", "--out", &out_s]).await;
        assert_ne!(code, 0);
        assert!(err.contains(want), "{period}: {err}");
    }
    let (code, _, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "pdf", "--out", &out_s]).await;
    assert!(code != 0 && err.contains("--format"), "{err}");
    assert!(!out.exists(), "no file written");

    // A secretary reaches only their branch; another branch is out of scope.
    let b = branches(&app.store).await;
    let http = client();
    let get = |q: String| http.get(app.url(&format!("/api/v1/reports/generate?{q}"))).bearer_auth(&token).send();
    let r = get(format!("org_id={}&period=2022Q1", b[1].id)).await.unwrap();
    assert_eq!(r.status(), 404, "another branch is not visible");
    let r = get(format!("org_id={}&period=2022Q1", b[0].id)).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["org_name"], "机关党支部");
    assert!(v["facts"]["facts"]["members_total"]["value"]["value"].as_i64().unwrap() > 0, "{v}");
    // Without an org, the top of what the secretary sees: their branch, never the bureau.
    let v: Value = get("period=2022Q1".into()).await.unwrap().json().await.unwrap();
    assert_eq!(v["org_name"], "机关党支部", "{v}");
    let r = get("period=2099Q1".into()).await.unwrap();
    assert_eq!(r.status(), 422);
    let r = get("period=2022Q1&template=nope".into()).await.unwrap();
    assert_eq!(r.status(), 422);
    let r = http.get(app.url("/api/v1/reports/generate?period=2022Q1")).bearer_auth(&member).send().await.unwrap();
    assert_eq!(r.status(), 403, "members do not generate reports");

    // A broken deployment template stops the command with template, line and fact named.
    let dir = app.db.dir.path().join("rulebook/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("quarterly.tpl"), "!title {org_unit}汇报\n\n共排查阵地{positions_screened_nowhere}处。\n").unwrap();
    let (code, _, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "docx", "--out", &out_s]).await;
    assert_ne!(code, 0);
    assert!(err.contains("quarterly.tpl 第3行 事实“positions_screened_nowhere”"), "{err}");
    std::fs::write(dir.join("quarterly.tpl"), "!title {org_unit}汇报\n!h3 错误\n").unwrap();
    let (code, _, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "md"]).await;
    assert!(code != 0 && err.contains("quarterly.tpl 第2行") && err.contains("!h3"), "{err}");
    // A valid override is used instead of the shipped text.
    std::fs::write(dir.join("quarterly.tpl"), "!title {org_unit}{period_name}本地汇报\n党员{members_total}名。\n").unwrap();
    let (code, md, err) = app.cli(&["report", "quarterly", "--period", "2022Q1", "--format", "md"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("# 海滨市体育局2022年第一季度本地汇报") && md.contains("党员179名。"), "{md}");
    assert!(!out.exists());
    assert_eq!(fingerprint(&app.store).await, before, "nothing written");
    app.shutdown().await;
}
