//! `dangwu activity list|add`: activities as the store keeps them. `add` validates everything
//! (kinds for the org, roster, dates, what the kind requires) and writes all or nothing.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use dangwu_domain::DomainError;
use dangwu_domain::activity::{ActivityInput, AttendeeInput, field_label};
use dangwu_domain::date::parse_date;
use dangwu_store::StoreError;
use dangwu_store::activities::{self, ActivityFilter};
use dangwu_web::api::dto::ActivitySummaryDto;

use super::{emit, parse_org};
use crate::cli::{ActivityAddArgs, GlobalOpts};
use crate::{cli_actor, cli_principal, today};

pub struct ListArgs<'a> {
    pub org: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub json: bool,
}

fn date_arg(flag: &str, s: Option<&str>) -> anyhow::Result<Option<chrono::NaiveDate>> {
    s.map(|s| parse_date(s).ok_or_else(|| anyhow!("参数 {flag} 的日期“{s}”格式不正确，应写作 2022-03-31"))).transpose()
}

pub async fn list(g: &GlobalOpts, a: ListArgs<'_>) -> anyhow::Result<i32> {
    let org_id = a.org.map(parse_org).transpose()?;
    let (from, to) = (date_arg("--from", a.from)?, date_arg("--to", a.to)?);
    if let (Some(f), Some(t)) = (from, to) {
        anyhow::ensure!(f <= t, "截止日期 --to {t} 早于起始日期 --from {f}");
    }
    let store = crate::open_store(g).await?;
    let book = store.rulebook.clone();
    if let Some(k) = a.kind
        && book.kind(k).is_none()
    {
        store.db.close().await;
        let known: Vec<&str> = book.kinds.iter().filter(|k| k.enabled).map(|k| k.id.as_str()).collect();
        anyhow::bail!("活动类型“{k}”不存在，可选：{}", known.join("、"));
    }
    let filter = ActivityFilter { org_id, from, to, kind: a.kind.map(str::to_owned), limit: 5000 };
    let rows = activities::list(&store, &cli_principal(), &filter).await;
    store.db.close().await;
    let rows: Vec<ActivitySummaryDto> = rows?.into_iter().map(|r| ActivitySummaryDto::new(r, &book)).collect();
    if a.json {
        emit(&serde_json::to_string_pretty(&rows)?)?;
        return Ok(0);
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let att = if r.expected_count > 0 { format!("出席{}/{}", r.present_count, r.expected_count) } else { "—".to_owned() };
            let flags = if r.flags.iter().any(|f| f == "first_agenda_item") { "〔第一议题〕" } else { "" };
            format!("{}\t{}\t{}\t{}{}\t{}\t{}", r.held_on, r.org_name, r.kind_labels.join("+"), r.title, flags, att, r.id)
        })
        .collect();
    if !lines.is_empty() {
        emit(&lines.join("\n"))?;
    }
    eprintln!("共{}次活动", rows.len());
    Ok(0)
}

/// The command line as the domain's raw input; malformed `--absent`/`--extra` values are named.
fn input(a: &ActivityAddArgs) -> anyhow::Result<ActivityInput> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut attendees: Vec<AttendeeInput> =
        a.present.iter().map(|m| AttendeeInput { member_id: m.clone(), attendance: "present".into(), ..Default::default() }).collect();
    for x in &a.absent {
        let (m, reason) = x.split_once([':', '：']).unwrap_or((x.as_str(), ""));
        attendees.push(AttendeeInput { member_id: m.trim().into(), attendance: "absent".into(), reason: reason.trim().into(), ..Default::default() });
    }
    attendees.extend(a.guests.iter().map(|n| AttendeeInput { name: n.clone(), attendance: "guest".into(), ..Default::default() }));
    let mut extra = BTreeMap::new();
    for kv in &a.extra {
        let (k, v) = kv.split_once('=').ok_or_else(|| anyhow!("参数 --extra 应写作 项目=值，如 households=5，不是“{kv}”"))?;
        extra.insert(k.trim().to_owned(), v.trim().to_owned());
    }
    Ok(ActivityInput {
        org_id: a.org.clone(),
        kinds: a.kinds.clone(),
        title: a.title.clone(),
        held_on: a.date.clone(),
        start_time: s(&a.start),
        end_time: s(&a.end),
        place: s(&a.place),
        host: s(&a.host),
        recorder: s(&a.recorder),
        lecturer: s(&a.lecturer),
        topics: s(&a.topics),
        minutes: s(&a.minutes),
        decisions: s(&a.decisions),
        flags: a.flags.clone(),
        extra,
        materials: a.materials.clone(),
        first_agenda_material: s(&a.first_agenda),
        attendees,
    })
}

/// The Chinese name of a field of the record.
fn label(field: &str) -> &str {
    match field {
        "org_id" => "党组织",
        "kinds" => "活动类型",
        "title" => "活动名称",
        "held_on" => "活动日期",
        "start_time" => "开始时间",
        "end_time" => "结束时间",
        "flags" => "标记",
        "first_agenda_material" => "第一议题材料",
        "attendees" => "参加人员",
        other => field_label(other),
    }
}

/// The option a field comes from, so the message says what to fix on the command line.
fn option_of(field: &str) -> &str {
    match field {
        "org_id" => "--org",
        "kinds" => "--kind",
        "title" => "--title",
        "held_on" => "--date",
        "start_time" => "--start",
        "end_time" => "--end",
        "place" => "--place",
        "host" => "--host",
        "recorder" => "--recorder",
        "lecturer" => "--lecturer",
        "topics" => "--topics",
        "minutes" => "--minutes",
        "decisions" => "--decisions",
        "flags" => "--flag",
        "materials" => "--material",
        "first_agenda_material" => "--first-agenda",
        "attendees" | "attendance" => "--present/--absent/--guest",
        _ => "--extra",
    }
}

pub async fn add(g: &GlobalOpts, a: &ActivityAddArgs) -> anyhow::Result<i32> {
    parse_org(&a.org)?;
    let input = input(a)?;
    let store = crate::open_store(g).await?;
    let res = activities::create(&store, &cli_principal(), &cli_actor(), &input, today(), store.activity_future_days).await;
    store.db.close().await;
    match res {
        Ok(act) => {
            let kinds: Vec<&str> = input.kinds.iter().map(|k| store.rulebook.kind_label(k)).collect();
            println!("已记录活动“{}”（{}，{}）", act.title, kinds.join("、"), act.held_on);
            if act.expected_count > 0 {
                println!("应到{}人，实到{}人", act.expected_count, act.present_count);
            }
            println!("{}", act.id);
            Ok(0)
        }
        Err(StoreError::Domain(DomainError::Invalid(errors))) => {
            eprintln!("活动记录有误，未写入：");
            for e in &errors {
                eprintln!("  [{}（{}）] {}", label(&e.field), option_of(&e.field), e.message);
            }
            Ok(1)
        }
        Err(StoreError::Domain(DomainError::Rule { field, message })) => {
            let at = field.as_deref().map(|f| format!("[{}（{}）] ", label(f), option_of(f))).unwrap_or_default();
            eprintln!("活动记录有误，未写入：\n  {at}{message}");
            Ok(1)
        }
        Err(e) => Err(e).context("记录活动失败，未写入"),
    }
}
