//! Creating and editing an organisation (name, kind, unit, establishment date).
//! Moving and abolishing are separate actions on the organisation's page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use dangwu_domain::org::OrgInput;
use dangwu_store::orgs::{self, Org};
use serde::Deserialize;

use crate::pages::kit::{FieldErrors, Opt, Values, org_id, org_opts, see_other, staff_only, today};
use crate::auth::CurrentUser;
use crate::csrf::CsrfForm;
use crate::render::{Layout, html, html_status};
use crate::{AppState, WebError};

const FIELDS: &[&str] = &["name", "short_name", "kind", "parent_id", "established_on", "unit"];
/// The edit form has no parent (moving is its own form), so a parent problem is shown above the form.
const EDIT_FIELDS: &[&str] = &["name", "short_name", "kind", "established_on", "unit"];

#[derive(Template)]
#[template(path = "orgs_form.html")]
struct FormPage {
    layout: Layout,
    /// `None` for a new organisation.
    org: Option<Org>,
    v: Values,
    errors: FieldErrors,
    kinds: Vec<Opt>,
    parents: Vec<Opt>,
    /// Admins may create a top-level organisation.
    allow_root: bool,
}

#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    established_on: String,
    #[serde(default)]
    unit: String,
}

impl OrgForm {
    fn input(&self, parent: bool) -> OrgInput {
        OrgInput {
            name: self.name.clone(),
            short_name: Some(self.short_name.clone()),
            kind: self.kind.clone(),
            parent_id: parent.then(|| self.parent_id.clone()),
            established_on: Some(self.established_on.clone()),
            unit: Some(self.unit.clone()),
        }
    }
    fn values(&self) -> Values {
        let mut v = Values::default();
        for (k, s) in [("name", &self.name), ("short_name", &self.short_name), ("kind", &self.kind),
            ("parent_id", &self.parent_id), ("established_on", &self.established_on), ("unit", &self.unit)] {
            v.set(k, s.clone());
        }
        v
    }
}

async fn page(state: &AppState, user: &CurrentUser, org: Option<Org>, v: Values, errors: FieldErrors) -> Result<FormPage, WebError> {
    let p = &user.principal;
    let cat = &state.store.catalogue;
    let mut parents = Vec::new();
    let mut kind_filter: Option<String> = None;
    if org.is_none() {
        let writable: Vec<Org> =
            orgs::list(&state.store, p, false).await?.into_iter().filter(|o| p.can_write_org(&o.org_path())).collect();
        if writable.is_empty() && !p.can_create_org(None) {
            return Err(WebError::forbidden("无权操作：本人管理范围内没有可以新建下级组织的党组织"));
        }
        kind_filter = writable.iter().find(|o| o.id == v.get("parent_id")).map(|o| o.kind.clone());
        parents = org_opts(&writable, v.get("parent_id"));
    }
    // Offer only the kinds that may sit under the chosen parent (the store checks again).
    let kinds = cat
        .kinds
        .iter()
        .filter(|k| org.is_some() || kind_filter.as_deref().is_none_or(|pk| cat.check_parent(&k.id, Some(pk)).is_ok()))
        .map(|k| Opt::new(k.id.clone(), k.label.clone(), v.get("kind")))
        .collect();
    let title = match &org {
        Some(o) => format!("编辑：{}", o.name),
        None => "新建党组织".to_owned(),
    };
    Ok(FormPage { layout: Layout::new(user, title, "orgs"), org, v, errors, kinds, parents, allow_root: p.can_create_org(None) })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    parent: String,
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser, Query(q): Query<NewQuery>) -> Result<Response, WebError> {
    if let Err(r) = staff_only(&user) {
        return Ok(r);
    }
    let mut v = Values::default();
    v.set("parent_id", q.parent);
    Ok(html(&page(&state, &user, None, v, FieldErrors::default()).await?))
}

pub async fn create(State(state): State<AppState>, f: CsrfForm<OrgForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let result = async {
        let draft = form.input(true).validate(&state.store.catalogue, today())?;
        Ok::<_, WebError>(orgs::create(&state.store, &user.principal, &user.actor(), draft).await?)
    }
    .await;
    match result {
        Ok(org) => Ok(see_other(&format!("/orgs/{}", org.id), "已新建党组织")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, FIELDS)?;
            Ok(html_status(status, &page(&state, &user, None, form.values(), errors).await?))
        }
    }
}

pub async fn edit_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    let org = orgs::get(&state.store, &user.principal, org_id(&id)?).await?;
    crate::auth::require(user.principal.can_write_org(&org.org_path()), "不能修改本人管理范围以外的党组织")?;
    let mut v = Values::default();
    v.set("name", org.name.clone());
    v.set("short_name", org.short_name.clone().unwrap_or_default());
    v.set("kind", org.kind.clone());
    v.set("established_on", org.established_on.map(|d| d.to_string()).unwrap_or_default());
    v.set("unit", org.unit.clone().unwrap_or_default());
    Ok(html(&page(&state, &user, Some(org), v, FieldErrors::default()).await?).into_response())
}

pub async fn update(State(state): State<AppState>, Path(id): Path<String>, f: CsrfForm<OrgForm>) -> Result<Response, WebError> {
    let (user, form) = (f.user, f.form);
    let id = org_id(&id)?;
    let result = async {
        let draft = form.input(false).validate(&state.store.catalogue, today())?;
        Ok::<_, WebError>(orgs::update(&state.store, &user.principal, &user.actor(), id, draft).await?)
    }
    .await;
    match result {
        Ok(org) => Ok(see_other(&format!("/orgs/{}", org.id), "已保存")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_error(e, EDIT_FIELDS)?;
            let org = orgs::get(&state.store, &user.principal, id).await?;
            Ok(html_status(status, &page(&state, &user, Some(org), form.values(), errors).await?))
        }
    }
}
