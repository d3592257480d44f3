//! A member's own data as one JSON document (个人信息保护法 第四十五条: the right to consult and
//! copy one's personal information). Same scope checks as reading the record; every export is
//! written to the audit chain, since it contains the full ID number.

use dangwu_domain::MemberId;
use dangwu_domain::auth::Principal;
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::dues::{payments, verification};
use crate::{Store, StoreError, activities, members};

/// Everything dangwu holds about `id` that `p` may read, for a download.
pub async fn export(store: &Store, p: &Principal, actor: &Actor, id: MemberId) -> Result<Value, StoreError> {
    let row = members::get(store, p, id).await?;
    let id_card = store.keys.decrypt(&row.member.id_card_enc).map_err(|e| StoreError::Crypto(e.to_string()))?;
    let history = members::history(store, p, id).await?;
    let events = members::events(store, p, id).await?;
    let attended: Vec<Value> = activities::attended_by(store, id, i64::MAX)
        .await?
        .into_iter()
        .map(|(a, attendance)| json!({"activity": a, "attendance": attendance}))
        .collect();
    let dues_verifications = verification::history(store, p, id).await?;
    let dues_payments = payments::history(store, p, id).await?;
    let mut member = serde_json::to_value(&row.member).unwrap_or(Value::Null);
    member["id_card_no"] = Value::String(id_card);
    member["org_name"] = Value::String(row.org_name.clone());
    let doc = json!({
        "exported_at": chrono::Utc::now().to_rfc3339(),
        "notice": "本文件包含您的完整身份证号等个人信息，请妥善保管。",
        "member": member,
        "org_history": history,
        "status_events": events,
        "activities_attended": attended,
        "dues_verifications": dues_verifications,
        "dues_payments": dues_payments,
    });
    let mut tx = store.db.begin().await?;
    audit::append(&mut tx, actor, "member.export_own_data", "member", &row.member.id, String::new(), String::new(), "导出个人数据").await?;
    tx.commit().await?;
    Ok(doc)
}
