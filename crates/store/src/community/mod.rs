//! People and community: teams and posts, communities (双报到) and their needs, delegate
//! nominations, and training hours against targets.

pub mod communities;
pub mod elections;
pub mod groups;
pub mod training;

use dangwu_domain::UserId;
use dangwu_domain::auth::{Principal, Role};

/// Report facts are computed over a subtree the caller was already allowed to see; the shared
/// list and roster functions then run with full visibility.
pub(crate) fn system_principal() -> Principal {
    Principal { user_id: UserId::from_u128(0), username: "system".into(), display_name: "统计".into(), role: Role::Admin, scope: None, member_id: None }
}
