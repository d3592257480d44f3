//! Activities (meetings, study, visits …): recording, listing and the detail with attendance,
//! materials and attachments. One sitting keeps each of its kinds as a separate row of
//! `activity_kinds`, so it counts for every obligation it satisfies.

use chrono::NaiveDate;
use dangwu_domain::activity::{ActivityContext, ActivityDraft, ActivityInput};
use dangwu_domain::auth::Principal;
use dangwu_domain::{DomainError, MemberId, OrgId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::community::groups::Register;
use crate::db::{Arg, Tx, now_ms};
use crate::orgs::{self, Org, check_write};
use crate::scope::org_condition;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Activity {
    pub id: String,
    pub org_id: String,
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
    pub flags: String,
    pub extra: String,
    pub expected_count: i64,
    pub present_count: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Activity {
    pub fn flag_list(&self) -> Vec<String> {
        self.flags.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }
    pub fn extra_map(&self) -> std::collections::BTreeMap<String, String> {
        serde_json::from_str(&self.extra).unwrap_or_default()
    }
}

/// A line of an activity list: the record, its org's name and its kinds.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityRow {
    pub activity: Activity,
    pub org_name: String,
    pub kinds: Vec<String>,
    /// Evidence kinds of its attachments (photo, sign_in_sheet …).
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AttendanceRow {
    pub id: String,
    pub member_id: Option<String>,
    pub name: String,
    pub attendance: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MaterialUse {
    pub material_id: String,
    pub title: String,
    pub first_agenda: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AttachmentRow {
    pub id: String,
    pub digest: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub evidence: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityDetail {
    pub activity: Activity,
    pub org: Org,
    pub kinds: Vec<String>,
    pub attendance: Vec<AttendanceRow>,
    pub materials: Vec<MaterialUse>,
    pub attachments: Vec<AttachmentRow>,
}

/// How far ahead an activity date may lie (configurable by the caller; 0 = only past and today).
pub const DEFAULT_FUTURE_DAYS: u64 = 0;

/// Who is expected at an org's sittings: the active members of a branch, of a 党小组 (its
/// assigned members), or — for a 党组 or committee — the office holders of its current term.
pub async fn roster(store: &Store, org_id: &str) -> Result<Vec<(MemberId, String)>, StoreError> {
    let rows: Vec<(String, String)> = store
        .db
        .read()
        .all(
            "SELECT id, name FROM members WHERE (org_id = $1 OR cell_id = $1) AND status IN ('full', 'probationary') \
             UNION SELECT m.id, m.name FROM committee_members c JOIN members m ON m.id = c.member_id \
             WHERE c.org_id = $1 AND c.ends_on IS NULL AND m.status IN ('full', 'probationary') \
             AND NOT EXISTS (SELECT 1 FROM members x WHERE x.org_id = $1) ORDER BY 2",
            args![org_id],
        )
        .await?;
    rows.into_iter().map(|(id, n)| Ok((MemberId::parse(&id)?, n))).collect()
}

/// Validates `input` for its org and records it with its kinds, attendance and materials.
pub async fn create(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    input: &ActivityInput,
    today: NaiveDate,
    future_days: u64,
) -> Result<Activity, StoreError> {
    let draft = validate(store, p, input, today, future_days).await?;
    let mut tx = store.db.begin().await?;
    let id = dangwu_domain::ids::new_row_id();
    let now = now_ms();
    let (present, expected) = draft.attendance_counts();
    tx.exec(
        "INSERT INTO activities (id, org_id, title, held_on, start_time, end_time, place, host, recorder, lecturer, topics, minutes, \
         decisions, flags, extra, expected_count, present_count, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)",
        args![id.clone(), draft.org_id, draft.title.clone(), draft.held_on, draft.start_time.clone(), draft.end_time.clone(),
              draft.place.clone(), draft.host.clone(), draft.recorder.clone(), draft.lecturer.clone(), draft.topics.clone(),
              draft.minutes.clone(), draft.decisions.clone(), draft.flags.join(","), serde_json::to_string(&draft.extra).expect("map"),
              expected as i64, present as i64, actor.0.clone(), now],
    )
    .await?;
    write_children(&mut tx, &id, &draft).await?;
    let a = find_in(&mut tx, &id).await?;
    audit::append(&mut tx, actor, "activity.create", "activity", &id, String::new(), digest(Some(&(&a, &draft))), &a.title).await?;
    tx.commit().await?;
    Ok(a)
}

/// Replaces the record's fields, kinds, attendance and materials (attachments stay).
pub async fn update(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    id: &str,
    input: &ActivityInput,
    today: NaiveDate,
    future_days: u64,
) -> Result<Activity, StoreError> {
    let before = get(store, p, id).await?;
    if input.org_id.trim() != before.activity.org_id {
        return Err(DomainError::field("org_id", "活动所属党组织不能修改，请删除后重新记录").into());
    }
    let draft = validate(store, p, input, today, future_days).await?;
    let mut tx = store.db.begin().await?;
    let (present, expected) = draft.attendance_counts();
    tx.exec(
        "UPDATE activities SET title = $1, held_on = $2, start_time = $3, end_time = $4, place = $5, host = $6, recorder = $7, \
         lecturer = $8, topics = $9, minutes = $10, decisions = $11, flags = $12, extra = $13, expected_count = $14, present_count = $15, \
         updated_at = $16 WHERE id = $17",
        args![draft.title.clone(), draft.held_on, draft.start_time.clone(), draft.end_time.clone(), draft.place.clone(),
              draft.host.clone(), draft.recorder.clone(), draft.lecturer.clone(), draft.topics.clone(), draft.minutes.clone(),
              draft.decisions.clone(), draft.flags.join(","), serde_json::to_string(&draft.extra).expect("map"),
              expected as i64, present as i64, now_ms(), id],
    )
    .await?;
    for t in ["activity_kinds", "activity_attendance", "activity_materials"] {
        tx.exec(&format!("DELETE FROM {t} WHERE activity_id = $1"), args![id]).await?;
    }
    write_children(&mut tx, id, &draft).await?;
    let a = find_in(&mut tx, id).await?;
    audit::append(&mut tx, actor, "activity.update", "activity", id, digest(Some(&before)), digest(Some(&(&a, &draft))), &a.title).await?;
    tx.commit().await?;
    Ok(a)
}

async fn validate(
    store: &Store,
    p: &Principal,
    input: &ActivityInput,
    today: NaiveDate,
    future_days: u64,
) -> Result<ActivityDraft, StoreError> {
    let org_id = OrgId::parse(&input.org_id).map_err(|_| DomainError::field("org_id", "请选择党组织"))?;
    let org = orgs::get(store, p, org_id).await?;
    check_write(p, &org)?;
    if !org.is_active() {
        return Err(DomainError::field("org_id", format!("“{}”已撤销", org.name)).into());
    }
    let roster = roster(store, &org.id).await?;
    let ctx = ActivityContext { book: &store.rulebook, org_kind: &org.kind, roster: &roster, today, future_days };
    let mut draft = input.validate(&ctx)?;
    // Training tags are catalogue ids, so a renamed label keeps counting the old sessions.
    if let Some(c) = draft.extra.get("capabilities") {
        let ids = store.community.capability_tags(c)?;
        draft.extra.insert("capabilities".into(), ids.join(","));
    }
    for reg in [Register::Team, Register::Post] {
        if let Some(id) = draft.extra.get(reg.field()) {
            crate::community::groups::check_link(store, reg, &org.id, id, draft.held_on).await?;
        }
    }
    // Materials must exist in the catalogue.
    for m in draft.materials.iter().chain(draft.first_agenda_material.iter()) {
        let n: i64 = store.db.read().scalar("SELECT COUNT(*) FROM materials WHERE id = $1", args![m.as_str()]).await?;
        if n == 0 {
            return Err(DomainError::field("materials", "所选学习材料不存在").into());
        }
    }
    Ok(draft)
}

async fn write_children(tx: &mut Tx, id: &str, d: &ActivityDraft) -> Result<(), StoreError> {
    for k in &d.kinds {
        tx.exec("INSERT INTO activity_kinds (activity_id, kind) VALUES ($1, $2)", args![id, k.as_str()]).await?;
    }
    for a in &d.attendees {
        tx.exec(
            "INSERT INTO activity_attendance (id, activity_id, member_id, name, attendance, reason) VALUES ($1, $2, $3, $4, $5, $6)",
            args![dangwu_domain::ids::new_row_id(), id, a.member_id, a.name.clone(), a.attendance.code(), a.reason.clone()],
        )
        .await?;
    }
    let mut all: Vec<(&String, bool)> = d.first_agenda_material.iter().map(|m| (m, true)).collect();
    all.extend(d.materials.iter().filter(|m| Some(*m) != d.first_agenda_material.as_ref()).map(|m| (m, false)));
    for (i, (m, first)) in all.into_iter().enumerate() {
        tx.exec(
            "INSERT INTO activity_materials (activity_id, material_id, first_agenda, sort_order) VALUES ($1, $2, $3, $4)",
            args![id, m.as_str(), first, i as i64],
        )
        .await?;
    }
    Ok(())
}

async fn find_in(tx: &mut Tx, id: &str) -> Result<Activity, StoreError> {
    tx.opt("SELECT * FROM activities WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("活动记录"))
}

/// The full record, if the principal may see its org (or attended it, for a member).
pub async fn get(store: &Store, p: &Principal, id: &str) -> Result<ActivityDetail, StoreError> {
    let a: Activity = store.db.read().opt("SELECT * FROM activities WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("活动记录"))?;
    let org = orgs::find(store, OrgId::parse(&a.org_id)?).await?.ok_or(StoreError::NotFound("党组织"))?;
    let attendance: Vec<AttendanceRow> = store
        .db
        .read()
        .all("SELECT id, member_id, name, attendance, reason FROM activity_attendance WHERE activity_id = $1 ORDER BY attendance DESC, name", args![id])
        .await?;
    let attended = p.member_id.is_some_and(|m| attendance.iter().any(|r| r.member_id.as_deref() == Some(&m.to_string())));
    if !p.can_read_org(&org.org_path()) && !attended {
        return Err(StoreError::NotFound("活动记录"));
    }
    let kinds: Vec<(String,)> =
        store.db.read().all("SELECT kind FROM activity_kinds WHERE activity_id = $1 ORDER BY kind", args![id]).await?;
    let materials = store
        .db
        .read()
        .all(
            "SELECT am.material_id, m.title, am.first_agenda FROM activity_materials am JOIN materials m ON m.id = am.material_id \
             WHERE am.activity_id = $1 ORDER BY am.sort_order",
            args![id],
        )
        .await?;
    let attachments = store
        .db
        .read()
        .all("SELECT id, digest, filename, content_type, size, evidence, created_at FROM attachments WHERE activity_id = $1 ORDER BY created_at", args![id])
        .await?;
    Ok(ActivityDetail { activity: a, org, kinds: kinds.into_iter().map(|(k,)| k).collect(), attendance, materials, attachments })
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub org_id: Option<OrgId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<String>,
    pub limit: i64,
}

/// Activities in the principal's scope (org subtree), newest first, with their kinds.
pub async fn list(store: &Store, p: &Principal, f: &ActivityFilter) -> Result<Vec<ActivityRow>, StoreError> {
    let (cond, mut a) = match f.org_id {
        Some(id) => {
            let org = orgs::get(store, p, id).await?;
            crate::scope::subtree(&org.org_path(), 1)
        }
        None => org_condition(&p.visibility(), 1),
    };
    let mut conds = vec![cond];
    if let Some(d) = f.from {
        conds.push(format!("a.held_on >= ${}", a.len() + 1));
        a.push(Arg::from(d));
    }
    if let Some(d) = f.to {
        conds.push(format!("a.held_on <= ${}", a.len() + 1));
        a.push(Arg::from(d));
    }
    if let Some(k) = &f.kind {
        conds.push(format!("a.id IN (SELECT activity_id FROM activity_kinds WHERE kind = ${})", a.len() + 1));
        a.push(Arg::from(k.as_str()));
    }
    let limit = if f.limit > 0 { f.limit.min(5000) } else { 500 };
    a.push(Arg::from(limit));
    let sql = format!(
        "SELECT a.*, o.name AS org_name FROM activities a JOIN orgs o ON o.id = a.org_id WHERE {} \
         ORDER BY a.held_on DESC, a.start_time DESC, a.id LIMIT ${}",
        conds.join(" AND "),
        a.len()
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        activity: Activity,
        org_name: String,
    }
    let rows: Vec<Row> = store.db.read().all(&sql, a).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.activity.id.clone()).collect();
    let kinds = by_activity(store, "SELECT activity_id, kind FROM activity_kinds", "kind", &ids).await?;
    let evidence = by_activity(store, "SELECT DISTINCT activity_id, evidence FROM attachments", "evidence", &ids).await?;
    let pick = |v: &[(String, String)], id: &str| v.iter().filter(|(a, _)| a == id).map(|(_, k)| k.clone()).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (ks, ev) = (pick(&kinds, &r.activity.id), pick(&evidence, &r.activity.id));
            ActivityRow { activity: r.activity, org_name: r.org_name, kinds: ks, evidence: ev }
        })
        .collect())
}

/// (activity id, value) pairs for many activities: one query per 500 ids.
async fn by_activity(store: &Store, select: &str, order: &str, ids: &[String]) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{select} WHERE activity_id IN ({}) ORDER BY {order}", marks.join(", "));
        let rows: Vec<(String, String)> = store.db.read().all(&sql, chunk.iter().map(Arg::from).collect()).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Activities a member took part in (self-service: 我参加的活动).
pub async fn attended_by(store: &Store, member: MemberId, limit: i64) -> Result<Vec<(Activity, String)>, StoreError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        activity: Activity,
        attendance: String,
    }
    let rows: Vec<Row> = store
        .db
        .read()
        .all(
            "SELECT a.*, t.attendance FROM activities a JOIN activity_attendance t ON t.activity_id = a.id \
             WHERE t.member_id = $1 ORDER BY a.held_on DESC LIMIT $2",
            args![member, limit],
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.activity, r.attendance)).collect())
}
