//! `dangwu member list`: the roster without full ID numbers.

use dangwu_domain::member::{DuesCategory, Gender, MemberStatus};
use dangwu_store::members::{MemberFilter, StatusFilter};
use serde_json::json;

use super::{all_members, emit, parse_org};
use crate::cli::GlobalOpts;

fn status_filter(s: &str) -> anyhow::Result<StatusFilter> {
    Ok(match s.trim() {
        "" | "active" | "在册" => StatusFilter::Active,
        "all" | "全部" => StatusFilter::All,
        other => StatusFilter::Only(MemberStatus::parse(other).map_err(|_| {
            let codes: Vec<&str> = MemberStatus::ALL.iter().map(|s| s.code()).collect();
            anyhow::anyhow!("党员状态“{other}”无效，可选：active、all、{}", codes.join("、"))
        })?),
    })
}

pub async fn run(g: &GlobalOpts, org: Option<&str>, status: &str, json: bool) -> anyhow::Result<i32> {
    let filter = MemberFilter { org_id: org.map(parse_org).transpose()?, status: status_filter(status)?, ..Default::default() };
    let store = crate::open_store(g).await?;
    let rows = all_members(&store, filter).await?;
    let label = |code: &str, f: fn(&str) -> Option<&'static str>| f(code).unwrap_or("").to_owned();
    let gender = |c: &str| Gender::parse(c).ok().map(Gender::label);
    let status_l = |c: &str| MemberStatus::parse(c).ok().map(MemberStatus::label);
    let dues = |c: &str| DuesCategory::parse(c).ok().map(DuesCategory::label);
    if json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                let m = &r.member;
                json!({
                    "id": m.id,
                    "org_id": m.org_id,
                    "org_name": r.org_name,
                    "name": m.name,
                    "gender": m.gender,
                    "gender_label": label(&m.gender, gender),
                    "ethnicity": m.ethnicity,
                    "birth_date": m.birth_date,
                    "id_card_masked": m.id_card_masked,
                    "education": m.education,
                    "phone": m.phone,
                    "joined_on": m.joined_on,
                    "full_on": m.full_on,
                    "status": m.status,
                    "status_label": label(&m.status, status_l),
                    "dues_category": m.dues_category,
                    "dues_category_label": label(&m.dues_category, dues),
                    "work_unit": m.work_unit,
                    "post": m.post,
                    "is_party_worker": m.is_party_worker,
                })
            })
            .collect();
        emit(&serde_json::to_string_pretty(&items)?)?;
        return Ok(0);
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let m = &r.member;
            let (g, s) = (label(&m.gender, gender), label(&m.status, status_l));
            format!("{}\t{g}\t{}\t{s}\t{}\t{}", m.name, m.id_card_masked, r.org_name, m.id)
        })
        .collect();
    if !lines.is_empty() {
        emit(&lines.join("\n"))?;
    }
    eprintln!("共{}名党员", rows.len());
    Ok(0)
}
