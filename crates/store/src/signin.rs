//! Optional QR sign-in for a sitting: the secretary shows a code that changes every few minutes;
//! a member scans it, logs in and is marked present. Never required, no location, no ranking.

use chrono::NaiveDate;
use dangwu_domain::auth::Principal;
use dangwu_domain::DomainError;

use crate::activities;
use crate::audit::{self, Actor};
use crate::db::now_ms;
use crate::orgs::check_write;
use crate::{Store, StoreError, args};

/// How long one code stays valid (the previous window is accepted too, so a code scanned just
/// before it changes still works).
pub const WINDOW_MS: i64 = 10 * 60 * 1000;

fn token_for(store: &Store, activity_id: &str, window: i64) -> String {
    store.keys.blind_index(&format!("sign-in:{activity_id}:{window}"))[..24].to_owned()
}

/// The code to show now; only someone who may edit the record gets it.
pub async fn current_token(store: &Store, p: &Principal, activity_id: &str, now_ms: i64) -> Result<String, StoreError> {
    let d = activities::get(store, p, activity_id).await?;
    check_write(p, &d.org)?;
    Ok(token_for(store, activity_id, now_ms / WINDOW_MS))
}

/// Marks the signed-in member present at the sitting, if the code is current, the sitting is
/// today (or yesterday, for evening meetings) and the member is on its roster.
pub async fn sign_in(store: &Store, p: &Principal, actor: &Actor, activity_id: &str, token: &str, today: NaiveDate) -> Result<String, StoreError> {
    let window = now_ms() / WINDOW_MS;
    let ok = [window, window - 1].iter().any(|w| crate::db::ct_eq(&token_for(store, activity_id, *w), token));
    if !ok {
        return Err(DomainError::field("t", "签到码已过期，请重新扫描会场显示的二维码").into());
    }
    let Some(member) = p.member_id else {
        return Err(DomainError::rule(None, "只有关联了党员信息的账号才能扫码签到").into());
    };
    let a: activities::Activity =
        store.db.read().opt("SELECT * FROM activities WHERE id = $1", args![activity_id]).await?.ok_or(StoreError::NotFound("活动记录"))?;
    if (today - a.held_on).num_days().abs() > 1 {
        return Err(DomainError::rule(None, format!("该活动日期为{}，只能在活动当天签到", a.held_on)).into());
    }
    let roster = activities::roster(store, &a.org_id).await?;
    let Some((_, name)) = roster.iter().find(|(m, _)| *m == member) else {
        return Err(DomainError::rule(None, "您不在本次活动应到人员名单中，请联系会议记录人登记为列席").into());
    };
    let mut tx = store.db.begin().await?;
    let n = tx
        .exec(
            "UPDATE activity_attendance SET attendance = 'present', reason = NULL WHERE activity_id = $1 AND member_id = $2",
            args![activity_id, member],
        )
        .await?;
    if n == 0 {
        tx.exec(
            "INSERT INTO activity_attendance (id, activity_id, member_id, name, attendance, reason) VALUES ($1, $2, $3, $4, 'present', NULL)",
            args![dangwu_domain::ids::new_row_id(), activity_id, member, name.clone()],
        )
        .await?;
    }
    tx.exec(
        "UPDATE activities SET present_count = (SELECT COUNT(*) FROM activity_attendance WHERE activity_id = $1 AND attendance = 'present' AND member_id IS NOT NULL), \
         expected_count = (SELECT COUNT(*) FROM activity_attendance WHERE activity_id = $1 AND attendance <> 'guest' AND member_id IS NOT NULL), \
         updated_at = $2 WHERE id = $1",
        args![activity_id, now_ms()],
    )
    .await?;
    audit::append(&mut tx, actor, "activity.sign_in", "activity", activity_id, String::new(), String::new(), "扫码签到").await?;
    tx.commit().await?;
    Ok(a.title)
}
