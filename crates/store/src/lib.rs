//! dangwu store: the database behind one handle, migrations for SQLite and PostgreSQL,
//! and repositories per aggregate. Every write appends to the audit chain in the same transaction.

pub mod activities;
pub mod attachments;
pub mod campaigns;
pub mod case_leads;
pub mod audit;
pub mod bulk;
pub mod audit_retention;
pub mod community;
pub mod compliance;
pub mod db;
pub mod dues;
pub mod facts;
mod error;
pub mod import;
pub mod integrity;
pub mod materials;
pub mod members;
pub mod orgs;
pub mod reports;
pub mod risk_reviews;
pub mod roster_counts;
pub mod personal_data;
pub mod scope;
pub mod signin;
pub mod stats;
pub mod study_plans;
pub mod supervision;
pub mod terms;
pub mod users;

pub use db::{Backend, Db, Tx, now_ms};
pub use error::StoreError;

use dangwu_domain::community::CommunityBook;
use dangwu_domain::crypto::FieldKeys;
use dangwu_domain::dues::DuesRules;
use dangwu_domain::org_catalogue::OrgCatalogue;
use dangwu_domain::report::Templates;
use dangwu_domain::rulebook::Rulebook;
use dangwu_domain::supervision::SupervisionBook;
use std::sync::Arc;

/// What every repository call needs besides the database: the key ring for personal data and
/// the organisation catalogue. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub db: Db,
    pub keys: Arc<FieldKeys>,
    pub catalogue: Arc<OrgCatalogue>,
    pub rulebook: Arc<Rulebook>,
    /// The dues rules in force (rulebook/dues.toml with the deployment's overrides).
    pub dues: Arc<DuesRules>,
    /// How many days ahead an activity may be dated (`[records] activity_future_days`).
    pub activity_future_days: u64,
    /// The report templates in force (rulebook/templates with the deployment's overrides).
    pub templates: Arc<Templates>,
    /// Team and post kinds, training targets, nomination rules (rulebook/community.toml).
    pub community: Arc<CommunityBook>,
    /// The supervision catalogue in force (rulebook/supervision.toml with the deployment's overrides).
    pub supervision: Arc<SupervisionBook>,
    /// Roster totals reused until the roster changes (see `roster_counts`).
    pub roster_counts: Arc<roster_counts::RosterCounts>,
}

impl Store {
    /// A store with the shipped rulebook; `with_rulebook` layers a deployment's.
    pub fn new(db: Db, keys: FieldKeys, catalogue: OrgCatalogue) -> Self {
        let rulebook = Rulebook::shipped(&catalogue);
        Self {
            db,
            keys: Arc::new(keys),
            catalogue: Arc::new(catalogue),
            activity_future_days: activities::DEFAULT_FUTURE_DAYS,
            rulebook: Arc::new(rulebook.clone()),
            dues: Arc::new(DuesRules::shipped()),
            templates: Arc::new(reports::shipped_templates(&rulebook, &SupervisionBook::shipped())),
            community: Arc::new(CommunityBook::shipped()),
            supervision: Arc::new(SupervisionBook::shipped()),
            roster_counts: Arc::default(),
        }
    }

    pub fn with_activity_future_days(mut self, days: u64) -> Self {
        self.activity_future_days = days;
        self
    }

    pub fn with_rulebook(mut self, rulebook: Rulebook) -> Self {
        self.rulebook = Arc::new(rulebook);
        self
    }

    /// The templates in force, checked against this store's fact catalogue (see `reports::load_templates`).
    pub fn with_templates(mut self, templates: Templates) -> Self {
        self.templates = Arc::new(templates);
        self
    }

    /// Layers a deployment's community catalogue (DIR/rulebook/community.toml).
    pub fn with_community(mut self, book: CommunityBook) -> Self {
        self.community = Arc::new(book);
        self
    }

    /// Layers a deployment's supervision catalogue (DIR/rulebook/supervision.toml) over the shipped one.
    pub fn with_supervision(mut self, book: SupervisionBook) -> Self {
        self.supervision = Arc::new(book);
        self
    }

    /// Layers a deployment's dues rules (DIR/rulebook/dues.toml) over the shipped ones.
    pub fn with_dues(mut self, rules: DuesRules) -> Self {
        self.dues = Arc::new(rules);
        self
    }
}
