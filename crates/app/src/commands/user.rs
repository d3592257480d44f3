//! `dangwu user add|passwd|list|token`.

use anyhow::{Context, anyhow, bail};
use dangwu_domain::auth::Role;
use dangwu_domain::crypto::sm3_hex;
use dangwu_domain::passhash::hash_password;
use dangwu_domain::password::{PasswordPolicy, random_password_for, random_token};
use dangwu_store::users::{self, NewUser, User};
use dangwu_store::{Store, orgs};

use super::{emit, parse_member, parse_org};
use crate::cli::GlobalOpts;
use crate::cli_actor;

pub struct AddArgs {
    pub username: String,
    pub role: String,
    pub org: Option<String>,
    pub member: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
}

/// The given password checked against the policy, or a random one to print once.
fn choose_password(username: &str, given: Option<String>) -> anyhow::Result<(String, bool)> {
    match given {
        Some(p) => {
            PasswordPolicy::default().validate(&p, username)?;
            Ok((p, false))
        }
        None => Ok((random_password_for(username), true)),
    }
}

pub async fn add(g: &GlobalOpts, a: AddArgs) -> anyhow::Result<i32> {
    let role = Role::parse(&a.role).map_err(|_| anyhow!("角色“{}”无效，可选：admin、org_admin、member、discipline", a.role))?;
    let scope_org_id = a.org.as_deref().map(parse_org).transpose()?;
    let member_id = a.member.as_deref().map(parse_member).transpose()?;
    let (password, generated) = choose_password(&a.username, a.password)?;
    let store = crate::open_store(g).await?;
    let display_name = a.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).unwrap_or_else(|| a.username.clone());
    let new = NewUser {
        username: a.username.trim().to_owned(),
        display_name,
        password_hash: hash_password(&password),
        role,
        scope_org_id,
        member_id,
    };
    let user = users::create(&store, &cli_actor(), new).await?;
    println!("已创建账号 {}（{}）", user.username, role.label());
    if generated {
        println!("初始密码（只显示这一次，请妥善转交）：{password}");
    }
    Ok(0)
}

async fn find(store: &Store, username: &str) -> anyhow::Result<User> {
    users::by_username(store, username).await?.ok_or_else(|| anyhow!("账号“{username}”不存在"))
}

pub async fn passwd(g: &GlobalOpts, username: &str, password: Option<String>) -> anyhow::Result<i32> {
    let (password, generated) = choose_password(username, password)?;
    let store = crate::open_store(g).await?;
    let user = find(&store, username).await?;
    users::set_password(&store, &cli_actor(), &user.id, hash_password(&password)).await?;
    println!("已修改账号 {} 的密码，原有登录会话已失效", user.username);
    if generated {
        println!("新密码（只显示这一次）：{password}");
    }
    Ok(0)
}

pub async fn list(g: &GlobalOpts, json: bool) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let all = users::list(&store).await?;
    if json {
        emit(&serde_json::to_string_pretty(&all)?)?;
        return Ok(0);
    }
    if all.is_empty() {
        println!("还没有账号。用 dangwu user add 用户名 --role admin 创建第一个管理员。");
    }
    for u in &all {
        let role = Role::parse(&u.role).map(Role::label).unwrap_or(u.role.as_str());
        let scope = match &u.scope_org_id {
            Some(id) => match orgs::find(&store, dangwu_domain::OrgId::parse(id)?).await? {
                Some(o) => format!("  管理：{}", o.name),
                None => String::new(),
            },
            None => String::new(),
        };
        let disabled = if u.disabled { "  （已停用）" } else { "" };
        println!("{}\t{}\t{}{}{}", u.username, u.display_name, role, scope, disabled);
    }
    Ok(0)
}

pub async fn token(g: &GlobalOpts, username: &str, name: Option<String>) -> anyhow::Result<i32> {
    let store = crate::open_store(g).await?;
    let user = find(&store, username).await?;
    if user.disabled {
        bail!("账号“{username}”已停用，不能生成令牌");
    }
    let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).unwrap_or_else(|| "命令行生成".to_owned());
    let token = random_token();
    users::create_token(&store, &cli_actor(), &user.id, &name, &sm3_hex(token.as_bytes()))
        .await
        .context("保存令牌失败")?;
    eprintln!("已为账号 {} 生成 API 令牌“{name}”，权限与该账号相同。令牌只显示这一次：", user.username);
    println!("{token}");
    Ok(0)
}
