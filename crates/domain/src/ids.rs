//! App-generated identifiers (UUIDv7: time-ordered, no sequences), validated at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

use crate::DomainError;

macro_rules! id_type {
    ($name:ident, $label:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// Deterministic id for seeded generators (demo data, benchmarks).
            pub fn from_u128(v: u128) -> Self {
                Self(Uuid::from_u128(v))
            }
            pub fn parse(s: &str) -> Result<Self, DomainError> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| DomainError::field(stringify!($name), format!("{}编号格式不正确：{}", $label, s)))
            }
        }
        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.to_string()
            }
        }
    };
}

id_type!(OrgId, "组织");
id_type!(MemberId, "党员");
id_type!(UserId, "用户");

/// A fresh opaque id for rows that are not aggregates of their own (history, events, terms).
pub fn new_row_id() -> String {
    Uuid::now_v7().hyphenated().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parse_round_trip_and_reject() {
        let id = OrgId::new();
        assert_eq!(OrgId::parse(&id.to_string()).unwrap(), id);
        let err = OrgId::parse("abc").unwrap_err();
        assert!(err.to_string().contains("组织编号格式不正确"));
    }
}
