use dangwu_domain::DomainError;

/// The store's one error type. The web layer maps it to HTTP status and a Chinese message.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}不存在")]
    NotFound(&'static str),
    /// A uniqueness or state conflict the user can fix (e.g. a duplicate ID number).
    #[error("{message}")]
    Conflict { field: Option<String>, message: String },
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{0}")]
    Io(String),
    #[error("数据库错误：{0}")]
    Db(#[from] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("加密数据无法解密：{0}")]
    Crypto(String),
}

impl StoreError {
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        StoreError::Conflict { field: Some(field.to_owned()), message: message.into() }
    }
    pub fn forbidden(what: &str) -> Self {
        StoreError::Domain(DomainError::Forbidden(what.to_owned()))
    }
}
