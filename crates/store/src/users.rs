//! Accounts, login attempts, sessions and API tokens.

use dangwu_domain::auth::{Principal, Role};
use dangwu_domain::org::OrgPath;
use dangwu_domain::{DomainError, MemberId, OrgId, UserId};
use serde::Serialize;

use crate::audit::{self, Actor, digest};
use crate::db::now_ms;
use crate::{Store, StoreError, args};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub scope_org_id: Option<String>,
    pub member_id: Option<String>,
    pub disabled: bool,
    pub password_changed_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub scope_org_id: Option<OrgId>,
    pub member_id: Option<MemberId>,
}

fn check_username(u: &str) -> Result<(), DomainError> {
    let ok = (3..=32).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-');
    if ok { Ok(()) } else { Err(DomainError::field("username", "用户名须为3–32位字母、数字、下划线、点或连字符")) }
}

pub async fn create(store: &Store, actor: &Actor, u: NewUser) -> Result<User, StoreError> {
    check_username(&u.username)?;
    match (u.role, u.scope_org_id, u.member_id) {
        (Role::OrgAdmin, None, _) => return Err(DomainError::field("scope_org_id", "组织管理员须指定管理的党组织").into()),
        (Role::Member, _, None) => return Err(DomainError::field("member_id", "党员账号须关联党员信息").into()),
        _ => {}
    }
    let mut tx = store.db.begin().await?;
    let taken: i64 = tx.scalar("SELECT COUNT(*) FROM users WHERE username = $1", args![u.username.clone()]).await?;
    if taken > 0 {
        return Err(StoreError::conflict("username", format!("用户名“{}”已存在", u.username)));
    }
    if let Some(o) = u.scope_org_id {
        let n: i64 = tx.scalar("SELECT COUNT(*) FROM orgs WHERE id = $1", args![o]).await?;
        if n == 0 {
            return Err(DomainError::field("scope_org_id", "管理的党组织不存在").into());
        }
    }
    if let Some(m) = u.member_id {
        let n: i64 = tx.scalar("SELECT COUNT(*) FROM members WHERE id = $1", args![m]).await?;
        if n == 0 {
            return Err(DomainError::field("member_id", "关联的党员不存在").into());
        }
    }
    let id = UserId::new();
    let now = now_ms();
    tx.exec(
        "INSERT INTO users (id, username, display_name, password_hash, role, scope_org_id, member_id, disabled, password_changed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $8, $8)",
        args![id, u.username.clone(), u.display_name, u.password_hash, u.role.code(), u.scope_org_id, u.member_id, now],
    )
    .await?;
    let user: User = tx.opt("SELECT * FROM users WHERE id = $1", args![id]).await?.ok_or(StoreError::NotFound("用户"))?;
    audit::append(&mut tx, actor, "user.create", "user", &user.id, String::new(), digest(Some(&user)), &user.username).await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn by_username(store: &Store, username: &str) -> Result<Option<User>, StoreError> {
    store.db.read().opt("SELECT * FROM users WHERE username = $1", args![username]).await
}

pub async fn by_id(store: &Store, id: &str) -> Result<Option<User>, StoreError> {
    store.db.read().opt("SELECT * FROM users WHERE id = $1", args![id]).await
}

pub async fn list(store: &Store) -> Result<Vec<User>, StoreError> {
    store.db.read().all("SELECT * FROM users ORDER BY username", vec![]).await
}

/// Sets a new password hash and ends the user's sessions (a changed password logs everyone out).
pub async fn set_password(store: &Store, actor: &Actor, user_id: &str, hash: String) -> Result<(), StoreError> {
    let mut tx = store.db.begin().await?;
    let n = tx
        .exec("UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3", args![hash, now_ms(), user_id])
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound("用户"));
    }
    tx.exec("DELETE FROM sessions WHERE user_id = $1", args![user_id]).await?;
    audit::append(&mut tx, actor, "user.password", "user", user_id, String::new(), String::new(), "").await?;
    tx.commit().await
}

/// The principal a user acts as: role plus the path of the org subtree they manage.
pub async fn principal(store: &Store, u: &User) -> Result<Principal, StoreError> {
    let scope = match &u.scope_org_id {
        Some(o) => store.db.read().opt::<(String,)>("SELECT path FROM orgs WHERE id = $1", args![o.as_str()]).await?.map(|(p,)| p),
        None => None,
    };
    principal_with(u, scope)
}

/// The principal from a user and the stored path of their scope org (already loaded).
pub fn principal_with(u: &User, scope_path: Option<String>) -> Result<Principal, StoreError> {
    Ok(Principal {
        user_id: UserId::parse(&u.id)?,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: Role::parse(&u.role)?,
        scope: scope_path.map(OrgPath::from_stored),
        member_id: u.member_id.as_deref().map(MemberId::parse).transpose()?,
    })
}

/// A session with its user and the user's scope path: what every page request needs, in one query.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionUser {
    #[sqlx(flatten)]
    pub user: User,
    pub session_csrf: String,
    pub last_seen_at: i64,
    pub scope_path: Option<String>,
}

pub async fn session_user(store: &Store, id_hash: &str) -> Result<Option<SessionUser>, StoreError> {
    store
        .db
        .read()
        .opt(
            "SELECT u.*, s.csrf_token AS session_csrf, s.last_seen_at, o.path AS scope_path FROM sessions s \
             JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = u.scope_org_id WHERE s.id = $1",
            args![id_hash],
        )
        .await
}

pub async fn record_attempt(store: &Store, username: &str, success: bool, ip: Option<&str>) -> Result<(), StoreError> {
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO login_attempts (id, username, at, success, ip) VALUES ($1, $2, $3, $4, $5)",
        args![dangwu_domain::ids::new_row_id(), username, now_ms(), success, ip],
    )
    .await?;
    tx.commit().await
}

/// Failed attempts since `since_ms` that came after the last successful login.
pub async fn recent_failures(store: &Store, username: &str, since_ms: i64) -> Result<(i64, Option<i64>), StoreError> {
    let last_ok: Option<i64> = store
        .db
        .read()
        .scalar("SELECT MAX(at) FROM login_attempts WHERE username = $1 AND success = TRUE", args![username])
        .await?;
    let from = since_ms.max(last_ok.unwrap_or(0) + 1);
    #[derive(sqlx::FromRow)]
    struct F {
        n: i64,
        latest: Option<i64>,
    }
    let f: F = store
        .db
        .read()
        .opt("SELECT COUNT(*) AS n, MAX(at) AS latest FROM login_attempts WHERE username = $1 AND success = FALSE AND at >= $2", args![username, from])
        .await?
        .expect("aggregate returns a row");
    Ok((f.n, f.latest))
}

pub async fn create_session(store: &Store, id_hash: &str, user_id: &str, csrf: &str, ip: Option<&str>, ua: Option<&str>) -> Result<(), StoreError> {
    let now = now_ms();
    let mut tx = store.db.begin().await?;
    tx.exec(
        "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6)",
        args![id_hash, user_id, csrf, now, ip, ua],
    )
    .await?;
    tx.commit().await
}

pub async fn touch_session(store: &Store, id_hash: &str, now: i64) -> Result<(), StoreError> {
    let mut tx = store.db.begin().await?;
    tx.exec("UPDATE sessions SET last_seen_at = $1 WHERE id = $2", args![now, id_hash]).await?;
    tx.commit().await
}

pub async fn delete_session(store: &Store, id_hash: &str) -> Result<(), StoreError> {
    let mut tx = store.db.begin().await?;
    tx.exec("DELETE FROM sessions WHERE id = $1", args![id_hash]).await?;
    tx.commit().await
}

/// Stores a new API token's hash; the caller shows the token itself once.
pub async fn create_token(store: &Store, actor: &Actor, user_id: &str, name: &str, token_hash: &str) -> Result<(), StoreError> {
    let mut tx = store.db.begin().await?;
    let id = dangwu_domain::ids::new_row_id();
    tx.exec(
        "INSERT INTO api_tokens (id, user_id, token_hash, name, created_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL, NULL)",
        args![id.clone(), user_id, token_hash, name, now_ms()],
    )
    .await?;
    audit::append(&mut tx, actor, "user.token.create", "user", user_id, String::new(), String::new(), name).await?;
    tx.commit().await
}

/// The user behind an unrevoked token.
pub async fn user_for_token(store: &Store, token_hash: &str) -> Result<Option<User>, StoreError> {
    store
        .db
        .read()
        .opt(
            "SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            args![token_hash],
        )
        .await
}

pub async fn delete_expired_sessions(store: &Store, idle_before_ms: i64) -> Result<u64, StoreError> {
    let mut tx = store.db.begin().await?;
    let n = tx.exec("DELETE FROM sessions WHERE last_seen_at < $1", args![idle_before_ms]).await?;
    tx.commit().await?;
    Ok(n)
}

/// Ends every session of a user (logout ends them all: a forgotten session on a shared
/// computer in a branch office should not outlive the user's own logout).
pub async fn delete_user_sessions(store: &Store, user_id: &str) -> Result<u64, StoreError> {
    let mut tx = store.db.begin().await?;
    let n = tx.exec("DELETE FROM sessions WHERE user_id = $1", args![user_id]).await?;
    tx.commit().await?;
    Ok(n)
}
