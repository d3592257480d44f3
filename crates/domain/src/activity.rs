//! Activities: validation of what a secretary records after a meeting, against the kind catalogue.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

use crate::date::parse_date;
use crate::error::Errors;
use crate::labelled_enum;
use crate::rulebook::Rulebook;
use crate::{DomainError, MemberId, OrgId};

labelled_enum!(Attendance, "attendance", "出席情况" {
    Present = "present", "出席" | "到会";
    Absent = "absent", "缺席" | "请假";
    Guest = "guest", "列席";
});

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AttendeeInput {
    pub member_id: String,
    /// Needed for guests (列席) who are not in the roster.
    pub name: String,
    pub attendance: String,
    pub reason: String,
}

/// Raw input of an activity record, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ActivityInput {
    pub org_id: String,
    pub kinds: Vec<String>,
    pub title: String,
    pub held_on: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub lecturer: String,
    pub topics: String,
    pub minutes: String,
    pub decisions: String,
    pub flags: Vec<String>,
    /// Values of the kind-defined fields (hours, households, film …).
    pub extra: BTreeMap<String, String>,
    /// Study materials (ids from the catalogue); the first-agenda one is named separately.
    pub materials: Vec<String>,
    pub first_agenda_material: String,
    pub attendees: Vec<AttendeeInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendee {
    pub member_id: Option<MemberId>,
    pub name: String,
    pub attendance: Attendance,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityDraft {
    pub org_id: OrgId,
    pub kinds: Vec<String>,
    pub title: String,
    pub held_on: NaiveDate,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    pub host: Option<String>,
    pub recorder: Option<String>,
    pub lecturer: Option<String>,
    pub topics: Option<String>,
    pub minutes: Option<String>,
    pub decisions: Option<String>,
    pub flags: Vec<String>,
    pub extra: BTreeMap<String, String>,
    pub materials: Vec<String>,
    pub first_agenda_material: Option<String>,
    pub attendees: Vec<Attendee>,
}

impl ActivityDraft {
    /// (present, expected): members expected are those present or absent; guests do not count.
    pub fn attendance_counts(&self) -> (u32, u32) {
        let present = self.attendees.iter().filter(|a| a.attendance == Attendance::Present && a.member_id.is_some()).count();
        let expected = self.attendees.iter().filter(|a| a.attendance != Attendance::Guest && a.member_id.is_some()).count();
        (present as u32, expected as u32)
    }
}

/// What validation needs to know about the org and its roster.
pub struct ActivityContext<'a> {
    pub book: &'a Rulebook,
    pub org_kind: &'a str,
    /// Active members of the org (and names, for messages).
    pub roster: &'a [(MemberId, String)],
    pub today: NaiveDate,
    /// How far ahead a date may lie (planned sittings are recorded after they happen).
    pub future_days: u64,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn time(errs: &mut Errors, field: &str, label: &str, s: &str) -> Option<String> {
    let t = opt(s)?;
    let ok = t.len() == 5 && t.as_bytes()[2] == b':' && chrono::NaiveTime::parse_from_str(&t, "%H:%M").is_ok();
    if !ok {
        errs.push(field, format!("{label}应写作 09:30 这样的时间"));
    }
    Some(t)
}

impl ActivityInput {
    pub fn validate(&self, ctx: &ActivityContext) -> Result<ActivityDraft, DomainError> {
        let mut errs = Errors::default();
        let org_id = OrgId::parse(&self.org_id).map_err(|_| DomainError::field("org_id", "请选择党组织"))?;
        let mut kinds: Vec<String> = Vec::new();
        for k in self.kinds.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
            match ctx.book.kind(k) {
                None => errs.push("kinds", format!("活动类型“{k}”不存在")),
                Some(def) if !def.org_kinds.iter().any(|o| o == ctx.org_kind) => {
                    errs.push("kinds", format!("“{}”不适用于本组织", def.label))
                }
                Some(_) if kinds.iter().any(|x| x == k) => {}
                Some(_) => kinds.push(k.to_owned()),
            }
        }
        if kinds.is_empty() && errs.is_empty() {
            errs.push("kinds", "请至少选择一种活动类型");
        }
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errs.push("title", "活动名称不能为空");
        } else if title.chars().count() > 200 {
            errs.push("title", "活动名称不能超过200个字");
        }
        let held_on = match parse_date(&self.held_on) {
            Some(d) if d > ctx.today + Days::new(ctx.future_days) => {
                errs.push("held_on", format!("活动日期不能晚于{}（只记录已开展的活动）", ctx.today + Days::new(ctx.future_days)));
                None
            }
            Some(d) => Some(d),
            None if self.held_on.trim().is_empty() => {
                errs.push("held_on", "活动日期不能为空");
                None
            }
            None => {
                errs.push("held_on", format!("活动日期“{}”格式不正确", self.held_on.trim()));
                None
            }
        };
        let start_time = time(&mut errs, "start_time", "开始时间", &self.start_time);
        let end_time = time(&mut errs, "end_time", "结束时间", &self.end_time);
        let roster: HashSet<MemberId> = ctx.roster.iter().map(|(id, _)| *id).collect();
        let mut attendees = Vec::new();
        let mut seen = HashSet::new();
        for (i, a) in self.attendees.iter().enumerate() {
            let n = i + 1;
            let Ok(att) = Attendance::parse(&a.attendance) else {
                errs.push("attendees", format!("第{n}位参加人员的出席情况“{}”无效", a.attendance));
                continue;
            };
            let member_id = match opt(&a.member_id) {
                None => None,
                Some(s) => match MemberId::parse(&s) {
                    Ok(id) => Some(id),
                    Err(_) => {
                        errs.push("attendees", format!("第{n}位参加人员编号无效"));
                        continue;
                    }
                },
            };
            let name = match member_id {
                Some(id) => match ctx.roster.iter().find(|(m, _)| *m == id) {
                    Some((_, nm)) => nm.clone(),
                    None if att == Attendance::Guest => opt(&a.name).unwrap_or_default(),
                    None => {
                        errs.push("attendees", format!("第{n}位参加人员不是本组织党员，如为列席请选“列席”"));
                        continue;
                    }
                },
                None if att == Attendance::Guest => match opt(&a.name) {
                    Some(nm) => nm,
                    None => {
                        errs.push("attendees", format!("第{n}位列席人员须填写姓名"));
                        continue;
                    }
                },
                None => {
                    errs.push("attendees", format!("第{n}位参加人员须从本组织党员中选择，非本组织人员请记为列席"));
                    continue;
                }
            };
            if let Some(id) = member_id {
                if !seen.insert(id) {
                    errs.push("attendees", format!("{name}重复出现"));
                    continue;
                }
            }
            let reason = opt(&a.reason);
            if att == Attendance::Absent && reason.is_none() {
                errs.push("attendees", format!("{name}缺席，请填写缺席原因"));
            }
            attendees.push(Attendee { member_id: member_id.filter(|m| roster.contains(m) || att == Attendance::Guest), name, attendance: att, reason });
        }
        let defs: Vec<_> = kinds.iter().filter_map(|k| ctx.book.kind(k)).collect();
        let mut flags = Vec::new();
        for f in self.flags.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
            if !defs.iter().any(|d| d.flags.iter().any(|x| x == f)) {
                errs.push("flags", format!("所选活动类型没有“{}”标记", flag_label(f)));
            } else if !flags.iter().any(|x| x == f) {
                flags.push(f.to_owned());
            }
        }
        let materials: Vec<String> = self.materials.iter().map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()).collect();
        let first_agenda_material = opt(&self.first_agenda_material);
        if flags.iter().any(|f| f == "first_agenda_item") && first_agenda_material.is_none() {
            errs.push("first_agenda_material", "落实“第一议题”须注明所学习的材料");
        }
        let fields_allowed: HashSet<&str> = defs.iter().flat_map(|d| d.fields.iter().map(String::as_str)).collect();
        let mut extra = BTreeMap::new();
        for (k, v) in &self.extra {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            if !fields_allowed.contains(k.as_str()) {
                errs.push(k, format!("所选活动类型没有“{k}”这一项"));
            } else if k == "hours" && crate::community::hours_tenths(v).is_none() {
                errs.push(k, format!("时长“{v}”应为0到24之间的小时数（最多一位小数，一次活动不超过一天）"));
            } else if k == "households" && v.parse::<u32>().is_err() {
                errs.push(k, format!("走访户数“{v}”应为不小于0的整数"));
            } else {
                extra.insert(k.clone(), v.to_owned());
            }
        }
        let draft_fields = [
            ("place", opt(&self.place)),
            ("host", opt(&self.host)),
            ("recorder", opt(&self.recorder)),
            ("lecturer", opt(&self.lecturer)),
            ("topics", opt(&self.topics)),
            ("minutes", opt(&self.minutes)),
            ("decisions", opt(&self.decisions)),
        ];
        for d in &defs {
            for req in &d.required {
                let present = match req.as_str() {
                    "attendance" => !attendees.is_empty(),
                    "materials" => !materials.is_empty() || first_agenda_material.is_some(),
                    other => draft_fields.iter().any(|(k, v)| *k == other && v.is_some()),
                };
                if !present {
                    errs.push(req, format!("{}须填写{}", d.label, field_label(req)));
                }
            }
        }
        let [place, host, recorder, lecturer, topics, minutes, decisions] = draft_fields.map(|(_, v)| v);
        errs.finish(|| ActivityDraft {
            org_id,
            kinds,
            title,
            held_on: held_on.expect("checked"),
            start_time,
            end_time,
            place,
            host,
            recorder,
            lecturer,
            topics,
            minutes,
            decisions,
            flags,
            extra,
            materials,
            first_agenda_material,
            attendees,
        })
    }
}

/// Chinese label of a record field, for messages and forms.
pub fn field_label(f: &str) -> &str {
    match f {
        "place" => "地点",
        "host" => "主持人",
        "recorder" => "记录人",
        "lecturer" => "授课人",
        "topics" => "议题/主题",
        "materials" => "学习材料",
        "minutes" => "会议记录",
        "decisions" => "决议事项",
        "attendance" => "参加人员",
        "hours" => "时长（小时）",
        "households" => "走访户数",
        "community" => "社区",
        "film" => "警示教育片",
        "festival" => "节日",
        "capabilities" => "能力方向",
        "site" => "教育基地",
        "team" => "服务队",
        "post" => "岗位",
        "lecturer_from" => "授课人单位",
        other => other,
    }
}

pub fn flag_label(f: &str) -> &str {
    match f {
        "first_agenda_item" => "第一议题",
        other => other,
    }
}

#[cfg(test)]
mod tests;
