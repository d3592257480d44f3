//! 组织生活: recording a sitting (one or more kinds) with attendance, materials and evidence,
//! the list and month calendar, a record's page with its attachments, the study-material
//! catalogue and each organisation's study plan (学习方案) against what was studied.

use axum::Router;
use axum::routing::{get, post};
use dangwu_domain::rulebook::Rulebook;
use dangwu_store::attachments::EVIDENCE;
use dangwu_store::orgs::{self, Org};

use crate::auth::CurrentUser;
use crate::{AppState, WebError};

mod calendar;
mod detail;
mod form;
pub(crate) mod formdata;
mod list;
mod signin;
mod materials;
mod study_plan;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/activities", get(list::list).post(form::create))
        .route("/activities/calendar", get(calendar::calendar))
        .route("/activities/new", get(form::new_form))
        .route("/activities/{id}", get(detail::show).post(form::update))
        .route("/activities/{id}/edit", get(form::edit_form))
        .route("/activities/{id}/attachments", post(detail::upload))
        .route("/attachments/{id}", get(detail::download))
        .route("/activities/{id}/qr", get(signin::qr))
        .route("/activities/{id}/sign-in", get(signin::confirm).post(signin::sign))
        .route("/materials", get(materials::show).post(materials::create))
        .route("/orgs/{id}/study-plan", get(study_plan::show).post(study_plan::create))
        .route("/orgs/{id}/study-plan/items", post(study_plan::add_item))
}

/// Chinese labels of a record's kinds, in the rulebook's order.
pub fn kind_labels(book: &Rulebook, kinds: &[String]) -> Vec<String> {
    let mut ks: Vec<&String> = kinds.iter().collect();
    ks.sort_by_key(|k| book.kinds.iter().position(|d| &d.id == *k).unwrap_or(usize::MAX));
    ks.into_iter().map(|k| book.kind_label(k).to_owned()).collect()
}

pub fn evidence_label(code: &str) -> &str {
    EVIDENCE.iter().find(|(k, _)| *k == code).map_or(code, |(_, l)| l)
}

/// One line of the evidence checklist: a kind needs one item of `group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceCheck {
    pub kind: String,
    /// “现场照片 或 签到表”
    pub accepted: String,
    pub met: bool,
}

/// The evidence each kind of the record asks for, checked against the attachments' evidence.
pub fn evidence_checks(book: &Rulebook, kinds: &[String], have: &[&str]) -> Vec<EvidenceCheck> {
    let mut out = Vec::new();
    for k in kinds {
        let Some(def) = book.kind(k) else { continue };
        for group in def.evidence.iter().filter(|g| !g.is_empty()) {
            out.push(EvidenceCheck {
                kind: def.label.clone(),
                accepted: group.iter().map(|e| evidence_label(e)).collect::<Vec<_>>().join(" 或 "),
                met: group.iter().any(|e| have.contains(&e.as_str())),
            });
        }
    }
    out
}

/// Whether any of `kinds` asks for evidence at all (so a list can skip loading attachments).
pub fn needs_evidence(book: &Rulebook, kinds: &[String]) -> bool {
    kinds.iter().filter_map(|k| book.kind(k)).any(|d| d.evidence.iter().any(|g| !g.is_empty()))
}

/// Active organisations in the user's scope where they may record activities of some kind.
pub async fn recording_orgs(state: &AppState, user: &CurrentUser) -> Result<Vec<Org>, WebError> {
    let p = &user.principal;
    let book = &state.store.rulebook;
    Ok(orgs::list(&state.store, p, false)
        .await?
        .into_iter()
        .filter(|o| p.can_write_org(&o.org_path()) && !book.kinds_for(&o.kind).is_empty())
        .collect())
}

/// Sizes as people read them.
pub fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dangwu_domain::org_catalogue::OrgCatalogue;

    fn book() -> Rulebook {
        Rulebook::shipped(&OrgCatalogue::shipped())
    }

    #[test]
    fn evidence_is_met_by_one_item_of_each_group() {
        let b = book();
        let kinds = vec!["branch_assembly".to_owned(), "party_lecture".to_owned()];
        let none = evidence_checks(&b, &kinds, &[]);
        assert!(!none.is_empty() && none.iter().all(|c| !c.met));
        assert!(none[0].accepted.contains("现场照片") && none[0].accepted.contains(" 或 "));
        assert!(evidence_checks(&b, &kinds, &["sign_in_sheet"]).iter().all(|c| c.met));
        assert!(evidence_checks(&b, &kinds, &["other"]).iter().all(|c| !c.met));
        assert!(needs_evidence(&b, &kinds));
        assert!(!needs_evidence(&b, &["committee_meeting".to_owned()]));
    }

    #[test]
    fn kinds_are_labelled_in_rulebook_order() {
        let b = book();
        let labels = kind_labels(&b, &["party_lecture".to_owned(), "branch_assembly".to_owned(), "nope".to_owned()]);
        assert_eq!(labels, ["支部党员大会", "党课", "nope"]);
    }

    #[test]
    fn sizes() {
        assert_eq!(size_label(1), "1 KB");
        assert_eq!(size_label(2048), "2 KB");
        assert_eq!(size_label(3 * 1024 * 1024 / 2), "1.5 MB");
    }
}
