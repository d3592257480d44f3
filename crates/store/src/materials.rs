//! The reusable catalogue of study materials (十九届六中全会精神, a dated speech …).

use chrono::NaiveDate;
use dangwu_domain::DomainError;
use dangwu_domain::auth::Principal;
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Material {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub issued_on: Option<NaiveDate>,
    pub source: Option<String>,
    pub created_at: i64,
}

pub const KINDS: &[(&str, &str)] =
    &[("speech", "重要讲话"), ("meeting_spirit", "会议精神"), ("document", "文件"), ("theory", "理论著作"), ("other", "其他")];

pub async fn list(store: &Store) -> Result<Vec<Material>, StoreError> {
    store.db.read().all("SELECT * FROM materials ORDER BY issued_on DESC, title", vec![]).await
}

pub async fn create(
    store: &Store,
    p: &Principal,
    actor: &Actor,
    title: &str,
    kind: &str,
    issued_on: Option<NaiveDate>,
    source: Option<&str>,
) -> Result<Material, StoreError> {
    if p.role == dangwu_domain::auth::Role::Member {
        return Err(StoreError::forbidden("党员不能维护学习材料目录"));
    }
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(DomainError::field("title", "材料名称不能为空，且不超过200个字").into());
    }
    if !KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(DomainError::field("kind", format!("材料类别“{kind}”无效")).into());
    }
    let mut tx = store.db.begin().await?;
    let n: i64 = tx.scalar("SELECT COUNT(*) FROM materials WHERE title = $1", args![title]).await?;
    if n > 0 {
        return Err(StoreError::conflict("title", format!("学习材料“{title}”已在目录中")));
    }
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO materials (id, title, kind, issued_on, source, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![id.clone(), title, kind, issued_on, source.map(str::trim).filter(|s| !s.is_empty()), now_ms()],
    )
    .await?;
    let m: Material = tx.opt("SELECT * FROM materials WHERE id = $1", args![id.clone()]).await?.ok_or(StoreError::NotFound("学习材料"))?;
    audit::append(&mut tx, actor, "material.create", "material", &id, String::new(), digest(Some(&m)), title).await?;
    tx.commit().await?;
    Ok(m)
}
