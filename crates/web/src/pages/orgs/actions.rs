//! Changes made from an organisation's page: move, abolish, open a new term (届), add an office holder.

use axum::extract::{Path, State};
use axum::response::Response;
use dangwu_domain::MemberId;
use dangwu_store::orgs;
use dangwu_store::terms::{self, CommitteeInput, TermInput};
use serde::Deserialize;

use super::detail::{Failed, render};
use crate::pages::kit::{FieldErrors, Problems, Values, opt_text, org_id, see_other};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::{AppState, WebError};

/// Which form on the organisation's page was sent, its fields and what was typed.
struct Sent {
    which: &'static str,
    fields: &'static [&'static str],
    v: Values,
}

/// Shows the organisation again after a form: the notice on success, the messages otherwise.
async fn finish(state: &AppState, user: &CurrentUser, id: &str, sent: Sent, result: Result<(), WebError>, ok: &str) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/orgs/{id}"), ok)),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, sent.fields)?;
            render(state, user, org_id(id)?, None, Some(Failed { which: sent.which, status, errors, v: sent.v })).await
        }
    }
}

fn values(pairs: &[(&str, &str)]) -> Values {
    let mut v = Values::default();
    for (k, s) in pairs {
        v.set(k, *s);
    }
    v
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    parent_id: String,
}

pub async fn move_org(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<MoveForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let result = async {
        let oid = org_id(&id)?;
        if form.parent_id.trim().is_empty() {
            let mut p = Problems::default();
            p.push("parent_id", "请选择新的上级组织");
            p.finish()?;
        }
        let parent = dangwu_domain::OrgId::parse(&form.parent_id).map_err(WebError::from)?;
        orgs::move_to(&state.store, &user.principal, &user.actor(), oid, parent).await?;
        Ok(())
    }
    .await;
    let sent = Sent { which: "move", fields: &["parent_id"], v: values(&[("parent_id", &form.parent_id)]) };
    finish(&state, &user, &id, sent, result, "已调整上级组织").await
}

#[derive(Deserialize)]
pub struct AbolishForm {
    #[serde(default)]
    abolished_on: String,
    #[serde(default)]
    abolish_reason: String,
}

pub async fn abolish(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<AbolishForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let result = async {
        let oid = org_id(&id)?;
        let mut p = Problems::default();
        let on = p.date("abolished_on", "撤销日期", &form.abolished_on, true);
        if form.abolish_reason.trim().is_empty() {
            p.push("abolish_reason", "请填写撤销原因（如上级批复文号）");
        }
        p.finish()?;
        let on = on.expect("checked");
        orgs::abolish(&state.store, &user.principal, &user.actor(), oid, on, &form.abolish_reason).await?;
        Ok(())
    }
    .await;
    let v = values(&[("abolished_on", &form.abolished_on), ("abolish_reason", &form.abolish_reason)]);
    let sent = Sent { which: "abolish", fields: &["abolished_on", "abolish_reason"], v };
    finish(&state, &user, &id, sent, result, "已撤销该组织").await
}

#[derive(Deserialize)]
pub struct TermForm {
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    elected_on: String,
    #[serde(default)]
    note: String,
}

pub async fn add_term(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<TermForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let result = async {
        let oid = org_id(&id)?;
        let mut p = Problems::default();
        let starts_on = p.date("starts_on", "任期开始日期", &form.starts_on, true);
        let ends_on = p.date("ends_on", "届满日期", &form.ends_on, false);
        let elected_on = p.date("elected_on", "选举日期", &form.elected_on, false);
        p.finish()?;
        let input = TermInput { starts_on: starts_on.expect("checked"), ends_on, elected_on, note: opt_text(&form.note) };
        terms::add_term(&state.store, &user.principal, &user.actor(), oid, input).await?;
        Ok(())
    }
    .await;
    let v = values(&[("starts_on", &form.starts_on), ("ends_on", &form.ends_on), ("elected_on", &form.elected_on), ("note", &form.note)]);
    let sent = Sent { which: "term", fields: &["starts_on", "ends_on", "elected_on", "note"], v };
    finish(&state, &user, &id, sent, result, "已新建一届委员会").await
}

#[derive(Deserialize)]
pub struct CommitteeForm {
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cm_starts_on: String,
}

pub async fn add_committee_member(
    State(state): State<AppState>,
    Path((id, term_id)): Path<(String, String)>,
    f: CsrfForm<CommitteeForm>,
) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let result = async {
        let oid = org_id(&id)?;
        // The term must belong to this organisation (and the organisation be visible to the user).
        let terms = terms::list(&state.store, &user.principal, oid).await?;
        if !terms.iter().any(|t| t.term.id == term_id) {
            return Err(WebError::not_found("任期"));
        }
        let mut p = Problems::default();
        let member_id = match opt_text(&form.member_id) {
            Some(m) => MemberId::parse(&m).map(Some).unwrap_or_else(|_| {
                p.push("member_id", "所选党员不存在");
                None
            }),
            None => None,
        };
        if form.role.trim().is_empty() {
            p.push("role", "请选择职务");
        }
        let starts_on = p.date("cm_starts_on", "任职日期", &form.cm_starts_on, false);
        p.finish()?;
        let input = CommitteeInput { member_id, name: opt_text(&form.name), role: form.role.trim().to_owned(), starts_on };
        terms::add_committee_member(&state.store, &user.principal, &user.actor(), &term_id, input).await.map_err(|e| {
            // The store names the date field `starts_on`; on this page it is `cm_starts_on`.
            let mut w = WebError::from(e);
            for fe in &mut w.errors {
                if fe.field == "starts_on" {
                    fe.field = "cm_starts_on".into();
                }
            }
            w
        })?;
        Ok(())
    }
    .await;
    let v = values(&[("member_id", &form.member_id), ("name", &form.name), ("role", &form.role), ("cm_starts_on", &form.cm_starts_on)]);
    let sent = Sent { which: "committee", fields: &["member_id", "name", "role", "cm_starts_on"], v };
    finish(&state, &user, &id, sent, result, "已添加委员").await
}
