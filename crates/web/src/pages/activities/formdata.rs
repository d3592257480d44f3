//! The activity form as posted: repeated keys (`kinds=…&kinds=…`) and one row per attendee
//! (`att_<member_id>`, `reason_<member_id>`), which `axum::Form` cannot collect, so the body is
//! read as ordered pairs and turned into an `ActivityInput` here; and the other way, a record's
//! attendance laid over the roster as the rows the form shows.

use dangwu_domain::MemberId;
use dangwu_domain::activity::{ActivityInput, AttendeeInput};

/// A urlencoded body as (key, value) pairs, in the order they were sent.
#[derive(Debug, Default, Clone)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn parse(body: &[u8]) -> Self {
        Pairs(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `key` ("" when absent).
    pub fn get(&self, key: &str) -> &str {
        self.0.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated `key`, in order.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
    }
}

/// Guest names: each `guest_name` box may hold several names separated by 、，; or new lines.
pub fn guest_names(boxes: &[String]) -> Vec<String> {
    boxes
        .iter()
        .flat_map(|b| b.split(['、', ',', '，', ';', '；', '\n']))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The record as typed. Attendees come in the order their rows were sent (roster order on the
/// page), then the guests; a row's member id is the part of its key after `att_`.
pub fn activity_input(f: &Pairs) -> ActivityInput {
    let text = |k: &str| f.get(k).to_owned();
    let mut attendees: Vec<AttendeeInput> = Vec::new();
    for (k, v) in &f.0 {
        let Some(id) = k.strip_prefix("att_") else { continue };
        if id.is_empty() || attendees.iter().any(|a| a.member_id == id) {
            continue;
        }
        attendees.push(AttendeeInput {
            member_id: id.to_owned(),
            name: f.get(&format!("name_{id}")).trim().to_owned(),
            attendance: v.trim().to_owned(),
            reason: f.get(&format!("reason_{id}")).trim().to_owned(),
        });
    }
    for name in guest_names(&f.all("guest_name")) {
        attendees.push(AttendeeInput { name, attendance: "guest".into(), ..Default::default() });
    }
    let extra = f
        .0
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("extra_").filter(|k| !k.is_empty()).map(|k| (k.to_owned(), v.clone())))
        .collect();
    ActivityInput {
        org_id: text("org_id"),
        kinds: f.all("kinds"),
        title: text("title"),
        held_on: text("held_on"),
        start_time: text("start_time"),
        end_time: text("end_time"),
        place: text("place"),
        host: text("host"),
        recorder: text("recorder"),
        lecturer: text("lecturer"),
        topics: text("topics"),
        minutes: text("minutes"),
        decisions: text("decisions"),
        flags: f.all("flags"),
        extra,
        materials: f.all("materials").into_iter().filter(|m| !m.trim().is_empty()).collect(),
        first_agenda_material: text("first_agenda_material"),
        attendees,
    }
}

/// One attendance row: a roster member (出席/缺席) or someone recorded before who is not on
/// the roster now (who may then only be 列席).
pub struct AttRow {
    pub member_id: String,
    pub name: String,
    pub attendance: String,
    pub reason: String,
    pub on_roster: bool,
}

/// The roster in its order, each member as recorded (出席 when not yet recorded), then anyone
/// recorded who is not on the roster; named guests go to the guest boxes (plus two empty ones).
pub fn attendance_rows(roster: &[(MemberId, String)], recorded: &[AttendeeInput]) -> (Vec<AttRow>, Vec<String>) {
    let mut rows: Vec<AttRow> = roster
        .iter()
        .map(|(id, name)| {
            let id = id.to_string();
            let a = recorded.iter().find(|a| a.member_id == id);
            AttRow {
                attendance: a.map_or("present", |a| a.attendance.as_str()).to_owned(),
                reason: a.map(|a| a.reason.clone()).unwrap_or_default(),
                name: name.clone(),
                member_id: id,
                on_roster: true,
            }
        })
        .collect();
    for a in recorded.iter().filter(|a| !a.member_id.trim().is_empty()) {
        if !rows.iter().any(|r| r.member_id == a.member_id) {
            rows.push(AttRow {
                member_id: a.member_id.clone(),
                name: if a.name.trim().is_empty() { "（非本组织人员）".into() } else { a.name.clone() },
                attendance: a.attendance.clone(),
                reason: a.reason.clone(),
                on_roster: false,
            });
        }
    }
    let mut guests: Vec<String> = recorded.iter().filter(|a| a.member_id.trim().is_empty()).map(|a| a.name.clone()).collect();
    guests.extend([String::new(), String::new()]);
    (rows, guests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_all_kept_in_order() {
        let f = Pairs::parse(b"kinds=branch_assembly&title=%E5%AD%A6%E4%B9%A0+%E4%BC%9A&kinds=party_lecture&csrf_token=t");
        assert_eq!(f.all("kinds"), ["branch_assembly", "party_lecture"]);
        assert_eq!(f.get("title"), "学习 会");
        assert_eq!(f.get("csrf_token"), "t");
        assert_eq!(f.get("missing"), "");
        assert!(f.all("missing").is_empty());
    }

    #[test]
    fn attendee_rows_become_attendees_in_page_order() {
        let body = "att_m2=present&reason_m2=&att_m1=absent&reason_m1=%E5%87%BA%E5%B7%AE\
                    &att_m3=guest&name_m3=%E8%80%81%E7%8E%8B&guest_name=%E5%BC%A0%E4%B8%89%E3%80%81%E6%9D%8E%E5%9B%9B&guest_name=&guest_name=+%E7%8E%8B%E4%BA%94+";
        let i = activity_input(&Pairs::parse(body.as_bytes()));
        let rows: Vec<(&str, &str, &str, &str)> =
            i.attendees.iter().map(|a| (a.member_id.as_str(), a.name.as_str(), a.attendance.as_str(), a.reason.as_str())).collect();
        assert_eq!(
            rows,
            [
                ("m2", "", "present", ""),
                ("m1", "", "absent", "出差"),
                ("m3", "老王", "guest", ""),
                ("", "张三", "guest", ""),
                ("", "李四", "guest", ""),
                ("", "王五", "guest", ""),
            ]
        );
    }

    #[test]
    fn a_repeated_attendee_row_counts_once_and_empty_ids_are_ignored() {
        let i = activity_input(&Pairs::parse(b"att_m1=present&att_m1=absent&att_=present"));
        assert_eq!(i.attendees.len(), 1);
        assert_eq!(i.attendees[0].attendance, "present");
    }

    #[test]
    fn extra_fields_flags_and_materials() {
        let i = activity_input(&Pairs::parse(
            b"extra_hours=2.5&extra_film=&extra_=x&flags=first_agenda_item&materials=a&materials=&materials=b&first_agenda_material=a",
        ));
        assert_eq!(i.extra.get("hours").map(String::as_str), Some("2.5"));
        assert_eq!(i.extra.get("film").map(String::as_str), Some(""));
        assert_eq!(i.extra.len(), 2);
        assert_eq!(i.flags, ["first_agenda_item"]);
        assert_eq!(i.materials, ["a", "b"]);
        assert_eq!(i.first_agenda_material, "a");
    }

    #[test]
    fn guest_names_split_on_chinese_and_ascii_separators() {
        let boxes = vec!["张三、李四，王五".to_owned(), "赵六;钱七\n孙八".to_owned(), "  ".to_owned()];
        assert_eq!(guest_names(&boxes), ["张三", "李四", "王五", "赵六", "钱七", "孙八"]);
    }

    #[test]
    fn malformed_percent_escapes_do_not_panic() {
        let f = Pairs::parse(b"title=%E5%AD&kinds=%ZZ&=&&x");
        assert_eq!(f.all("kinds"), ["%ZZ"]);
        assert!(!f.get("title").is_empty());
    }

    #[test]
    fn roster_defaults_to_present_and_keeps_recorded_rows() {
        let (a, b, c) = (MemberId::new(), MemberId::new(), MemberId::new());
        let roster = vec![(a, "甲".to_owned()), (b, "乙".to_owned())];
        let recorded = vec![
            AttendeeInput { member_id: b.to_string(), name: String::new(), attendance: "absent".into(), reason: "病假".into() },
            AttendeeInput { member_id: c.to_string(), name: "丙".into(), attendance: "guest".into(), reason: String::new() },
            AttendeeInput { member_id: String::new(), name: "丁".into(), attendance: "guest".into(), reason: String::new() },
        ];
        let (rows, guests) = attendance_rows(&roster, &recorded);
        let got: Vec<(&str, &str, &str, bool)> =
            rows.iter().map(|r| (r.name.as_str(), r.attendance.as_str(), r.reason.as_str(), r.on_roster)).collect();
        assert_eq!(got, [("甲", "present", "", true), ("乙", "absent", "病假", true), ("丙", "guest", "", false)]);
        assert_eq!(guests, ["丁", "", ""]);
    }
}
