//! 审计日志: the latest entries, and recomputing the SM3 chain on request.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, FixedOffset};
use dangwu_store::audit::{self, LogRow, Verification};
use std::collections::HashMap;

use crate::auth::{CurrentUser, require};
use crate::csrf::CsrfForm;
use crate::render::{Layout, html};
use crate::{AppState, WebError};

pub const RECENT: i64 = 200;

pub struct EntryView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub action_label: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    /// Link to the record, when it has a page.
    pub href: Option<String>,
    pub detail: String,
    pub hash: String,
}

/// Chinese names of the actions the application writes (unknown ones show their code only).
fn action_label(action: &str) -> &'static str {
    match action {
        "org.create" => "新建组织",
        "org.update" => "修改组织",
        "org.move" => "调整上级组织",
        "org.abolish" => "撤销组织",
        "org.term.create" => "新建一届委员会",
        "org.committee.add" => "添加委员",
        "member.create" => "登记党员",
        "member.update" => "修改党员信息",
        "member.import" => "导入名册",
        "member.export" => "导出名册",
        "member.view_id_card" => "查看完整身份证号",
        "user.create" => "新建用户",
        "user.password" => "重置密码",
        "user.token.create" => "创建 API 令牌",
        "auth.login" => "登录",
        "auth.login_failed" => "登录失败",
        "activity.create" => "记录活动",
        "activity.update" => "修改活动",
        "activity.attachment.add" => "上传活动附件",
        "material.create" => "新建学习材料",
        "study_plan.create" => "新建学习计划",
        "study_plan.item.add" => "添加学习计划条目",
        a if a.starts_with("member.event.") => "党员变动",
        _ => "",
    }
}

fn entity_label(entity: &str) -> &'static str {
    match entity {
        "org" => "党组织",
        "member" => "党员",
        "user" => "用户",
        "activity" => "活动",
        _ => "其他",
    }
}

/// Beijing time, as the bureau reads it, whatever the server's zone.
fn beijing(at_ms: i64) -> String {
    let tz = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    DateTime::from_timestamp_millis(at_ms)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

impl From<LogRow> for EntryView {
    fn from(r: LogRow) -> Self {
        let href = match r.entity.as_str() {
            "org" if r.entity_id != "*" => Some(format!("/orgs/{}", r.entity_id)),
            "member" if r.entity_id != "*" => Some(format!("/members/{}", r.entity_id)),
            _ => None,
        };
        EntryView {
            seq: r.seq,
            at: beijing(r.at),
            action_label: action_label(&r.action),
            entity: entity_label(&r.entity),
            href,
            hash: r.hash.chars().take(12).collect(),
            actor: r.actor,
            action: r.action,
            entity_id: r.entity_id,
            detail: r.detail,
        }
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<EntryView>,
    /// Outcome of 校验: (intact?, message).
    verdict: Option<(bool, String)>,
}

async fn page(state: &AppState, user: &CurrentUser, verdict: Option<(bool, String)>) -> Result<Response, WebError> {
    require(user.principal.can_view_audit(), "审计日志仅限系统管理员查看")?;
    let entries = audit::recent(&state.store.db, None, RECENT).await?.into_iter().map(EntryView::from).collect();
    Ok(html(&AuditPage { layout: Layout::new(user, "审计日志", "audit"), entries, verdict }))
}

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    page(&state, &user, None).await
}

pub async fn verify(State(state): State<AppState>, f: CsrfForm<HashMap<String, String>>) -> Result<Response, WebError> {
    require(f.user.principal.can_view_audit(), "审计日志仅限系统管理员查看")?;
    let verdict = match audit::verify(&state.store.db).await? {
        Verification::Intact { entries } => (true, format!("审计日志完整：共{entries}条")),
        Verification::Broken(b) => (false, format!("审计日志已被改动：{b}")),
    };
    page(&state, &f.user, Some(verdict)).await
}
