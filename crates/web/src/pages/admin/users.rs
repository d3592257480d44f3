//! 用户管理: accounts with their role and scope, a form for a new account, password resets.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dangwu_domain::auth::Role;
use dangwu_domain::idcard::IdCardNo;
use dangwu_domain::passhash::hash_password;
use dangwu_domain::password::PasswordPolicy;
use dangwu_domain::{MemberId, OrgId};
use dangwu_store::members::{self, MemberFilter, StatusFilter};
use dangwu_store::{orgs, users};
use serde::Deserialize;
use std::collections::HashMap;

use super::super::Notice;
use crate::pages::kit::{FieldErrors, Opt, Problems, Values, org_opts, see_other};
use crate::auth::{CurrentUser, require};
use crate::csrf::CsrfForm;
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

const CREATE_FIELDS: &[&str] = &["username", "display_name", "role", "scope_org_id", "member_id", "password", "password2"];

pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub scope: String,
    pub member: Option<(String, String)>,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserView>,
    roles: Vec<Opt>,
    orgs: Vec<Opt>,
    v: Values,
    errors: FieldErrors,
    /// The account whose password reset was rejected, and why.
    reset_for: String,
    reset_errors: FieldErrors,
}

fn admin_only(user: &CurrentUser) -> Result<(), WebError> {
    require(user.principal.can_manage_users(), "用户管理仅限系统管理员")
}

async fn render(state: &AppState, user: &CurrentUser, notice: Option<String>, status: StatusCode, v: Values, errors: FieldErrors, reset: (String, FieldErrors)) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    let all_orgs = orgs::list(store, p, true).await?;
    let names: HashMap<&str, &str> = all_orgs.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect();
    let mut list = Vec::new();
    for u in users::list(store).await? {
        let member = match u.member_id.as_deref().map(MemberId::parse) {
            Some(Ok(mid)) => members::get(store, p, mid).await.ok().map(|r| (r.member.id, r.member.name)),
            _ => None,
        };
        list.push(UserView {
            role: Role::parse(&u.role).map(Role::label).unwrap_or("未知角色"),
            scope: u.scope_org_id.as_deref().and_then(|o| names.get(o).copied()).unwrap_or("").to_owned(),
            member,
            disabled: u.disabled,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
        });
    }
    let roles = Role::ALL.iter().map(|r| Opt::new(r.code(), r.label(), v.get("role"))).collect();
    let active: Vec<_> = all_orgs.iter().filter(|o| o.is_active()).collect();
    let page = UsersPage {
        layout: Layout::new(user, "用户管理", "users").notice(notice),
        users: list,
        roles,
        orgs: org_opts(active, v.get("scope_org_id")),
        v,
        errors,
        reset_for: reset.0,
        reset_errors: reset.1,
    };
    Ok(html_status(status, &page))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Query(n): Query<Notice>) -> Result<Response, WebError> {
    admin_only(&user)?;
    render(&state, &user, n.ok, StatusCode::OK, Values::default(), FieldErrors::default(), Default::default()).await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope_org_id: String,
    /// The member record, by its full ID number (or the record's id).
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

fn check_password(p: &mut Problems, password: &str, again: &str, username: &str) {
    if let Err(e) = PasswordPolicy::default().validate(password, username) {
        p.extend(e);
    }
    if password != again {
        p.push("password2", "两次输入的密码不一致");
    }
}

/// argon2 is deliberately slow: hash off the async workers.
async fn hash(password: String) -> Result<String, WebError> {
    tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|_| WebError::internal())
}

async fn find_member(state: &AppState, user: &CurrentUser, p: &mut Problems, s: &str) -> Result<Option<MemberId>, WebError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(id) = MemberId::parse(s) {
        return Ok(Some(id));
    }
    if let Err(e) = IdCardNo::parse(s) {
        let why = match e {
            dangwu_domain::DomainError::Invalid(v) => v.into_iter().map(|f| f.message).collect::<Vec<_>>().join("；"),
            other => other.to_string(),
        };
        p.push("member_id", format!("请填写该党员完整、正确的身份证号（{why}）"));
        return Ok(None);
    }
    let f = MemberFilter { q: Some(s.to_owned()), status: StatusFilter::All, page: 1, per_page: 1, ..Default::default() };
    let found = members::list(&state.store, &user.principal, &f).await?.items.into_iter().next();
    if found.is_none() {
        p.push("member_id", "名册中没有这个身份证号的党员");
    }
    Ok(found.map(|r| r.member.member_id()))
}

pub async fn create(State(state): State<AppState>, f: CsrfForm<NewUserForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    admin_only(&user)?;
    let result = async {
        let mut p = Problems::default();
        if form.username.trim().is_empty() {
            p.push("username", "请填写用户名");
        }
        if form.display_name.trim().is_empty() {
            p.push("display_name", "请填写姓名（显示名）");
        }
        let role = Role::parse(&form.role).map_err(|e| p.extend(e)).ok();
        let scope = match form.scope_org_id.trim() {
            "" => None,
            s => OrgId::parse(s).map_err(|_| p.push("scope_org_id", "所选党组织不存在")).ok(),
        };
        let member_id = find_member(&state, &user, &mut p, &form.member_id).await?;
        check_password(&mut p, &form.password, &form.password2, &form.username);
        p.finish()?;
        let new = users::NewUser {
            username: form.username.trim().to_owned(),
            display_name: form.display_name.trim().to_owned(),
            password_hash: hash(form.password.clone()).await?,
            role: role.expect("checked"),
            scope_org_id: scope,
            member_id,
        };
        Ok::<_, WebError>(users::create(&state.store, &user.actor(), new).await?)
    }
    .await;
    match result {
        Ok(u) => Ok(see_other("/users", &format!("已新建用户 {}", u.username))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, CREATE_FIELDS)?;
            let mut v = Values::default();
            for (k, s) in [("username", &form.username), ("display_name", &form.display_name), ("role", &form.role),
                ("scope_org_id", &form.scope_org_id), ("member_id", &form.member_id)] {
                v.set(k, s.clone());
            }
            render(&state, &user, None, status, v, errors, Default::default()).await
        }
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub async fn reset_password(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<PasswordForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    admin_only(&user)?;
    let target = users::by_id(&state.store, &id).await?.ok_or(WebError::not_found("用户"))?;
    let result = async {
        let mut p = Problems::default();
        check_password(&mut p, &form.password, &form.password2, &target.username);
        p.finish()?;
        users::set_password(&state.store, &user.actor(), &target.id, hash(form.password.clone()).await?).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other("/users", &format!("已重置 {} 的密码，该用户需用新密码重新登录", target.username))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, &["password", "password2"])?;
            render(&state, &user, None, status, Values::default(), FieldErrors::default(), (target.id, errors)).await
        }
    }
}
