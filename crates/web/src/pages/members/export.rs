//! The roster as an .xlsx file in the import layout (export → import round-trips), and the
//! empty template. An export holds full ID numbers, so it is one audit entry (member.export).

use axum::extract::{Query, State};
use axum::response::Response;
use dangwu_docgen::roster_map::member_to_row;
use dangwu_docgen::{roster_template, write_roster};
use dangwu_domain::auth::Role;
use dangwu_domain::org::OrgPath;
use dangwu_store::audit::{self, digest};
use dangwu_store::members::{self, MemberFilter, StatusFilter};
use serde::Deserialize;

use crate::pages::kit::{download, org_id};
use crate::auth::{CurrentUser, require};
use crate::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    org: String,
}

pub async fn export(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ExportQuery>) -> Result<Response, WebError> {
    let (store, p) = (&state.store, &user.principal);
    require(p.role != Role::Member, "党员账号不能导出名册")?;
    let org = match q.org.trim() {
        "" => None,
        s => Some(org_id(s)?),
    };
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let f = MemberFilter { org_id: org, status: StatusFilter::Active, page, per_page: 500, ..Default::default() };
        let found = members::list(store, p, &f).await?;
        let last = found.page >= found.pages();
        for r in &found.items {
            require(p.can_reveal_id(r.member.member_id(), &OrgPath::from_stored(r.org_path.clone())), "无权导出完整身份证号")?;
            let full = store.keys.decrypt(&r.member.id_card_enc).map_err(|e| {
                tracing::error!(error = %e, member = %r.member.id, "id number does not decrypt");
                WebError::internal()
            })?;
            rows.push(member_to_row(r, &full));
            ids.push(r.member.id.clone());
        }
        if last || found.items.is_empty() {
            break;
        }
        page += 1;
    }
    let bytes = write_roster(&rows).map_err(|e| {
        tracing::error!(error = %e, "roster export failed");
        WebError::internal()
    })?;
    let mut tx = store.db.begin().await?;
    let scope = org.map(|o| o.to_string()).unwrap_or_else(|| "*".to_owned());
    audit::append(&mut tx, &user.actor(), "member.export", "member", &scope, String::new(), digest(Some(&ids)), &format!("导出党员名册{}名", ids.len()))
        .await?;
    tx.commit().await?;
    Ok(download(bytes, "roster.xlsx", "党员名册.xlsx"))
}

pub async fn template(_user: CurrentUser) -> Response {
    download(roster_template(), "roster-template.xlsx", "党员名册模板.xlsx")
}
