//! Validation errors carry the field they concern and a Chinese message for the user.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Identifier of the field (glossary name, e.g. `id_card_no`).
    pub field: String,
    /// Chinese message naming the field, shown to the user as is.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Input that fails validation; nothing was written.
    #[error("输入有误：{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Invalid(Vec<FieldError>),
    /// A rule of the organisation forbids the change (e.g. a 党小组 outside a branch).
    #[error("{message}")]
    Rule { field: Option<String>, message: String },
    #[error("无权操作：{0}")]
    Forbidden(String),
}

impl DomainError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![FieldError::new(field, message)])
    }
    pub fn rule(field: Option<&str>, message: impl Into<String>) -> Self {
        DomainError::Rule { field: field.map(str::to_owned), message: message.into() }
    }
    /// The first field the error names, for APIs that return one.
    pub fn first_field(&self) -> Option<&str> {
        match self {
            DomainError::Invalid(v) => v.first().map(|e| e.field.as_str()),
            DomainError::Rule { field, .. } => field.as_deref(),
            DomainError::Forbidden(_) => None,
        }
    }
}

/// Collects field errors while validating a whole input, so the user sees every problem at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, DomainError> {
        if self.0.is_empty() { Ok(value()) } else { Err(DomainError::Invalid(self.0)) }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
