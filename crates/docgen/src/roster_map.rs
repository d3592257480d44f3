//! Mapping between roster sheet rows and member records, so that export → import round-trips.
//!
//! Import: each [`SheetRow`] becomes a [`MemberInput`] of raw text (validated by the domain) with
//! the 所在党组织 cell as the org name. Export: a stored member becomes the cells of one row in
//! [`roster_columns`] order, written with the same Chinese labels a person would type.

use chrono::NaiveDate;
use dangwu_domain::member::{DuesCategory, Gender, MemberInput, MemberStatus};
use dangwu_store::import::ImportRow;
use dangwu_store::members::MemberRow;

use crate::roster::roster_columns;
use crate::xlsx_table::SheetRow;

/// Sheet rows → import rows. The `org` column names the organisation (name or short name);
/// an empty cell leaves the choice to the importer's default organisation.
pub fn to_import_rows(rows: &[SheetRow]) -> Vec<ImportRow> {
    rows.iter()
        .map(|r| {
            let g = |k: &str| r.get(k).to_owned();
            let input = MemberInput {
                name: g("name"),
                gender: g("gender"),
                ethnicity: g("ethnicity"),
                birth_date: g("birth_date"),
                id_card_no: g("id_card_no"),
                education: g("education"),
                phone: g("phone"),
                joined_on: g("joined_on"),
                full_on: g("full_on"),
                status: g("status"),
                dues_category: g("dues_category"),
                work_unit: g("work_unit"),
                post: g("post"),
                is_party_worker: g("is_party_worker"),
                org_id: String::new(),
            };
            let org = r.get("org").trim();
            ImportRow { row: r.row, input, org_name: (!org.is_empty()).then(|| org.to_owned()) }
        })
        .collect()
}

/// One member as the cells of a roster row, in [`roster_columns`] order, with labels rather
/// than codes (男/女, 正式党员, 在职 …), dates as YYYY-MM-DD and the organisation by name.
/// `full_id_card_no` is the decrypted number (the caller decides who may have it).
pub fn member_to_row(m: &MemberRow, full_id_card_no: &str) -> Vec<String> {
    let mb = &m.member;
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    // Stored values are codes; an unknown code (a newer version's data) is written as is.
    let label = |code: &str, parsed: Option<&'static str>| parsed.map(str::to_owned).unwrap_or_else(|| code.to_owned());
    roster_columns()
        .iter()
        .map(|c| match c.key {
            "name" => mb.name.clone(),
            "gender" => label(&mb.gender, Gender::parse(&mb.gender).ok().map(Gender::label)),
            "ethnicity" => opt(&mb.ethnicity),
            "birth_date" => date(mb.birth_date),
            "id_card_no" => full_id_card_no.to_owned(),
            "education" => opt(&mb.education),
            "phone" => opt(&mb.phone),
            "joined_on" => date(mb.joined_on),
            "full_on" => mb.full_on.map(date).unwrap_or_default(),
            "status" => label(&mb.status, MemberStatus::parse(&mb.status).ok().map(MemberStatus::label)),
            "dues_category" => {
                label(&mb.dues_category, DuesCategory::parse(&mb.dues_category).ok().map(DuesCategory::label))
            }
            "work_unit" => opt(&mb.work_unit),
            "post" => opt(&mb.post),
            "is_party_worker" => if mb.is_party_worker { "是" } else { "否" }.to_owned(),
            "org" => m.org_name.clone(),
            _ => String::new(),
        })
        .collect()
}

/// Chinese column header for a field key as validation errors name it (`org_id` and `org`
/// are both 所在党组织). Unknown keys are returned unchanged.
pub fn column_label(field: &str) -> &str {
    let key = if field == "org_id" { "org" } else { field };
    roster_columns().iter().find(|c| c.key == key).map(|c| c.header).unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{read_roster, write_roster};
    use dangwu_domain::idcard::{IdCardNo, check_char};
    use dangwu_store::members::Member;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn id_no(birth: &str, seq: &str) -> String {
        let first17 = format!("370602{birth}{seq}");
        format!("{first17}{}", check_char(&first17))
    }

    fn row(name: &str, full_id: &str, status: &str, full_on: Option<NaiveDate>, worker: bool) -> MemberRow {
        let id = IdCardNo::parse(full_id).unwrap();
        MemberRow {
            member: Member {
                id: "0190a0a0-0000-7000-8000-000000000001".into(),
                org_id: "0190a0a0-0000-7000-8000-0000000000aa".into(),
                name: name.into(),
                gender: if id.is_male() { "male" } else { "female" }.into(),
                ethnicity: Some("回族".into()),
                birth_date: id.birth_date(),
                id_card_enc: "k1:xxx".into(),
                id_card_index: "idx".into(),
                id_card_masked: id.masked(),
                education: Some("大学本科".into()),
                phone: Some("13912345678".into()),
                joined_on: full_on.map_or(day(2023, 9, 1), |f| f - chrono::Duration::days(366)),
                full_on,
                status: status.into(),
                dues_category: "retired".into(),
                work_unit: Some("海滨市体育运动学校".into()),
                post: None,
                is_party_worker: worker,
                created_at: 0,
                updated_at: 0,
                cell_id: None,
            },
            org_name: "市体育运动学校党支部".into(),
            org_path: "/x/".into(),
        }
    }

    #[test]
    fn export_row_uses_labels_in_column_order() {
        let full = id_no("19800102", "031");
        let cells = member_to_row(&row("林晓东", &full, "full", Some(day(2016, 7, 1)), true), &full);
        assert_eq!(cells.len(), roster_columns().len());
        assert_eq!(
            cells,
            [
                "林晓东", "男", "回族", "1980-01-02", full.as_str(), "大学本科", "13912345678", "2015-07-01", "2016-07-01",
                "正式党员", "离退休", "海滨市体育运动学校", "", "是", "市体育运动学校党支部",
            ]
        );
        let p = row("苏静", &id_no("19990305", "022"), "probationary", None, false);
        let cells = member_to_row(&p, "X");
        assert_eq!((cells[1].as_str(), cells[8].as_str(), cells[9].as_str(), cells[13].as_str()), ("女", "", "预备党员", "否"));
    }

    #[test]
    fn export_then_import_round_trips_through_xlsx() {
        let today = day(2024, 6, 1);
        let ids = [id_no("19800102", "031"), id_no("19990305", "022")];
        let members = [
            row("林晓东", &ids[0], "full", Some(day(2016, 7, 1)), true),
            row("苏静", &ids[1], "probationary", None, false),
        ];
        let cells: Vec<Vec<String>> = members.iter().zip(&ids).map(|(m, id)| member_to_row(m, id)).collect();
        let bytes = write_roster(&cells).unwrap();
        let back = to_import_rows(&read_roster(&bytes, 10).unwrap());
        assert_eq!(back.len(), 2);
        for ((r, m), id) in back.iter().zip(&members).zip(&ids) {
            assert_eq!(r.org_name.as_deref(), Some("市体育运动学校党支部"));
            let d = r.input.validate(today).unwrap();
            let mb = &m.member;
            assert_eq!(d.name, mb.name);
            assert_eq!(d.id_card_no.as_str(), id);
            assert_eq!(d.gender.code(), mb.gender);
            assert_eq!(d.birth_date, mb.birth_date);
            assert_eq!(d.ethnicity, mb.ethnicity);
            assert_eq!(d.education.map(|e| e.label().to_owned()), mb.education);
            assert_eq!(d.phone, mb.phone);
            assert_eq!((d.joined_on, d.full_on), (mb.joined_on, mb.full_on));
            assert_eq!(d.status.code(), mb.status);
            assert_eq!(d.dues_category.code(), mb.dues_category);
            assert_eq!((d.work_unit.clone(), d.post.clone()), (mb.work_unit.clone(), mb.post.clone()));
            assert_eq!(d.is_party_worker, mb.is_party_worker);
            assert_eq!(d.org_id, None);
        }
        assert_eq!(back[0].row, 2);
    }

    #[test]
    fn empty_org_cell_means_default_org() {
        let mut r = SheetRow { row: 7, cells: Default::default() };
        r.cells.insert("name".into(), "王芳".into());
        r.cells.insert("org".into(), "  ".into());
        let out = to_import_rows(&[r]);
        assert_eq!(out[0].row, 7);
        assert_eq!(out[0].input.name, "王芳");
        assert_eq!(out[0].input.id_card_no, "");
        assert_eq!(out[0].org_name, None);
    }

    #[test]
    fn column_labels() {
        assert_eq!(column_label("id_card_no"), "身份证号");
        assert_eq!(column_label("org_id"), "所在党组织");
        assert_eq!(column_label("org"), "所在党组织");
        assert_eq!(column_label("is_party_worker"), "党务工作者");
        assert_eq!(column_label("full_on"), "转正日期");
        assert_eq!(column_label("whatever"), "whatever");
    }
}
