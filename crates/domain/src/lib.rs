//! dangwu domain core: pure types and rules. No IO, no async, no SQL.

pub mod activity;
pub mod audit;
pub mod auth;
pub mod community;
pub mod compliance;
pub mod crypto;
pub mod date;
pub mod dues;
pub mod error;
pub mod facts;
pub mod ethnicity;
pub mod labelled;
pub mod idcard;
pub mod ids;
pub mod member;
pub mod money;
pub mod org;
pub mod org_catalogue;
pub mod passhash;
pub mod password;
pub mod period;
pub mod report;
pub mod rulebook;
pub mod supervision;

pub use error::{DomainError, FieldError};
pub use ids::{MemberId, OrgId, UserId};
