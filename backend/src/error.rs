//! The domain layer's one error type. The HTTP edge turns it into
//! problem+json (see `http::problem`); nothing internal reaches a client.

use std::collections::BTreeMap;

/// Field name -> messages, gathered while parsing a request.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_string()).or_default().push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was added, else the validation error.
    pub fn finish(self) -> Result<()> {
        if self.is_empty() { Ok(()) } else { Err(Error::Validation(self)) }
    }

    /// Records the error of a parse, if any, and returns its value.
    pub fn take<T>(&mut self, field: &str, parsed: std::result::Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request body did not arrive within its deadline.
    #[error("request body too slow")]
    RequestTimeout,
    #[error("request body too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("not authenticated: {0}")]
    Unauthorized(&'static str),
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// Also for another tenant's or outlet's object: never reveal it exists.
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("dependency unavailable: {0}")]
    Unavailable(&'static str),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Error {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Error::Validation(errors)
    }

    pub fn internal(msg: impl Into<String>) -> Error {
        Error::Internal(anyhow::anyhow!(msg.into()))
    }

    /// True when the database refused a write because of a unique key.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Db(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))))
    }
}
