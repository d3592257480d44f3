//! One organisation's page: where it sits, its facts, sub-organisations, members and committee
//! terms, and (for those who may change it) the forms for new terms, office holders, moving and
//! abolishing. A rejected form comes back on this page with its messages and the typed values.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use dangwu_domain::OrgId;
use dangwu_domain::member::MemberStatus;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_store::members::{self, MemberFilter, StatusFilter};
use dangwu_store::orgs::{self, Org};
use dangwu_store::terms::{self, TermWithMembers};

use super::super::Notice;
use crate::pages::kit::{FieldErrors, Opt, Values, org_id, org_opts, staff_only, today};
use crate::auth::CurrentUser;
use crate::render::{Layout, html_status};
use crate::{AppState, WebError};

/// A form on this page that was rejected: which one, its messages and what was typed.
pub struct Failed {
    pub which: &'static str,
    pub status: StatusCode,
    pub errors: FieldErrors,
    pub v: Values,
}

pub struct Crumb {
    pub id: String,
    pub name: String,
    pub link: bool,
}

pub struct Child {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub abolished: bool,
}

pub struct TermView {
    pub id: String,
    pub no: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub elected_on: Option<NaiveDate>,
    pub note: String,
    pub current: bool,
    /// 本届 / 已届满 / 未开始
    pub status: &'static str,
    /// Office holders can be added here (the latest term, not yet ended, writable org).
    pub open: bool,
    pub members: Vec<OfficeView>,
}

pub struct OfficeView {
    pub name: String,
    pub role: String,
    pub member_id: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

#[derive(Template)]
#[template(path = "orgs_detail.html")]
struct DetailPage {
    layout: Layout,
    org: Org,
    kind: String,
    crumbs: Vec<Crumb>,
    children: Vec<Child>,
    members: i64,
    terms: Vec<TermView>,
    writable: bool,
    which: &'static str,
    errors: FieldErrors,
    v: Values,
    move_opts: Vec<Opt>,
    member_opts: Vec<Opt>,
    role_opts: Vec<Opt>,
    role_note: String,
}

pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    render(&state, &user, org_id(&id)?, n.ok, None).await
}

pub async fn render(state: &AppState, user: &CurrentUser, id: OrgId, notice: Option<String>, failed: Option<Failed>) -> Result<Response, WebError> {
    let (store, p, cat) = (&state.store, &user.principal, &state.store.catalogue);
    let org = orgs::get(store, p, id).await?;
    let today = today();
    let crumbs = orgs::ancestors(store, &org)
        .await?
        .into_iter()
        .map(|a| Crumb { link: p.can_read_org(&a.org_path()), id: a.id, name: a.name })
        .collect();
    let children = orgs::children(store, id)
        .await?
        .into_iter()
        .map(|c| Child { kind: cat.label(&c.kind).to_owned(), abolished: !c.is_active(), id: c.id, name: c.name })
        .collect();
    let count = MemberFilter { org_id: Some(id), page: 1, per_page: 1, ..Default::default() };
    let members = members::list(store, p, &count).await?.total;
    let writable = org.is_active() && p.can_write_org(&org.org_path());
    let terms = term_views(terms::list(store, p, id).await?, cat, today, writable);
    let Failed { which, status, errors, mut v } =
        failed.unwrap_or(Failed { which: "", status: StatusCode::OK, errors: FieldErrors::default(), v: Values::default() });
    if v.get("abolished_on").is_empty() {
        v.set("abolished_on", today.to_string());
    }
    let move_opts = if writable { move_targets(state, user, &org, v.get("parent_id")).await? } else { vec![] };
    let (member_opts, role_opts, role_note) =
        if terms.first().is_some_and(|t| t.open) { committee_choices(state, user, &org, &v).await? } else { (vec![], vec![], String::new()) };
    let page = DetailPage {
        layout: Layout::new(user, org.name.clone(), "orgs").notice(notice),
        kind: cat.label(&org.kind).to_owned(),
        org,
        crumbs,
        children,
        members,
        terms,
        writable,
        which,
        errors,
        v,
        move_opts,
        member_opts,
        role_opts,
        role_note,
    };
    Ok(html_status(status, &page))
}

/// Terms newest first: the first that has started is the current one, unless it has run out;
/// older ones were replaced by a re-election (已换届) or ran their course (已届满). Only the
/// latest, while it lasts, takes new office holders.
fn term_views(list: Vec<TermWithMembers>, cat: &OrgCatalogue, today: NaiveDate, writable: bool) -> Vec<TermView> {
    let mut seen_current = false;
    let mut out: Vec<TermView> = list
        .into_iter()
        .map(|t| {
            let (current, status) = if t.term.starts_on > today {
                (false, "未开始")
            } else if seen_current {
                (false, if t.term.ends_on >= today { "已换届" } else { "已届满" })
            } else {
                seen_current = true;
                let current = today <= t.term.ends_on;
                (current, if current { "本届" } else { "已届满" })
            };
            TermView {
                current,
                status,
                open: false,
                members: t
                    .members
                    .into_iter()
                    .map(|m| OfficeView { role: cat.role_label(&m.role).to_owned(), name: m.name, member_id: m.member_id, starts_on: m.starts_on, ends_on: m.ends_on })
                    .collect(),
                id: t.term.id,
                no: t.term.term_no,
                starts_on: t.term.starts_on,
                ends_on: t.term.ends_on,
                elected_on: t.term.elected_on,
                note: t.term.note.unwrap_or_default(),
            }
        })
        .collect();
    if let Some(t) = out.first_mut().filter(|t| writable && t.ends_on >= today) {
        t.open = true;
    }
    out
}

/// Where the organisation may be moved: inside the user's scope, not under itself, allowed by kind.
async fn move_targets(state: &AppState, user: &CurrentUser, org: &Org, selected: &str) -> Result<Vec<Opt>, WebError> {
    let (p, cat) = (&user.principal, &state.store.catalogue);
    let targets: Vec<Org> = orgs::list(&state.store, p, false)
        .await?
        .into_iter()
        .filter(|o| p.can_write_org(&o.org_path()) && !org.org_path().contains(&o.org_path()))
        .filter(|o| Some(&o.id) != org.parent_id.as_ref() && cat.check_parent(&org.kind, Some(&o.kind)).is_ok())
        .collect();
    Ok(org_opts(&targets, selected))
}

/// Who may hold office (the organisation's full members) and which roles the rules allow for
/// its size, with the reason when the committee roles are not available.
async fn committee_choices(state: &AppState, user: &CurrentUser, org: &Org, v: &Values) -> Result<(Vec<Opt>, Vec<Opt>, String), WebError> {
    let cat = &state.store.catalogue;
    let f = MemberFilter { org_id: Some(org.org_id()), status: StatusFilter::Only(MemberStatus::Full), page: 1, per_page: 500, ..Default::default() };
    let full = members::list(&state.store, &user.principal, &f).await?.items;
    let own_full = full.iter().filter(|m| m.member.org_id == org.id).count() as u32;
    // Name the organisation only when the list spans several (a committee over its branches).
    let mixed = full.iter().any(|m| m.member.org_id != org.id);
    let member_opts = full
        .iter()
        .map(|m| {
            let label = if mixed { format!("{}（{}）", m.member.name, m.org_name) } else { m.member.name.clone() };
            Opt::new(m.member.id.clone(), label, v.get("member_id"))
        })
        .collect();
    let role_opts: Vec<Opt> =
        cat.allowed_roles(&org.kind, own_full)?.iter().map(|r| Opt::new(r.clone(), cat.role_label(r), v.get("role"))).collect();
    let mut note = String::new();
    if let Some(def) = cat.kind(&org.kind)
        && let Some(min) = def.committee_min_full_members.filter(|m| own_full < *m)
    {
        let names: Vec<&str> = role_opts.iter().map(|o| o.label.as_str()).collect();
        note = format!("本组织正式党员{own_full}人，不足{min}人不设委员会，只设{}（{}）。", names.join("、"), def.citation);
    }
    Ok((member_opts, role_opts, note))
}
