//! The domain layer's one error type. The HTTP edge turns it into
//! problem+json (see `http::problem`); nothing internal reaches a client.

use std::collections::BTreeMap;

pub use pos_wire::problem::{Code, CodedError};

/// Field name -> why each value was refused, gathered while parsing a request.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<CodedError>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, error: impl Into<CodedError>) {
        self.0.entry(field.to_string()).or_default().push(error.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was added, else the validation error.
    pub fn finish(self) -> Result<()> {
        if self.is_empty() { Ok(()) } else { Err(Error::Validation(self)) }
    }

    /// Records the error of a parse, if any, and returns its value.
    pub fn take<T>(&mut self, field: &str, parsed: std::result::Result<T, CodedError>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    /// The English words of each field, as `errors` carries them.
    pub fn messages(&self) -> BTreeMap<String, Vec<String>> {
        self.0.iter().map(|(field, errors)| (field.clone(), errors.iter().map(ToString::to_string).collect())).collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(CodedError),
    /// The request body did not arrive within its deadline.
    #[error("request body too slow")]
    RequestTimeout,
    #[error("request body too large")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("not authenticated: {0}")]
    Unauthorized(Code),
    #[error("not allowed: {0}")]
    Forbidden(Code),
    /// Also for another tenant's or outlet's object: never reveal it exists.
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(CodedError),
    /// `code` is `rate_limited` or `too_many_streams`.
    #[error("too many requests")]
    RateLimited { code: Code, retry_after_secs: u64 },
    #[error("dependency unavailable: {0}")]
    Unavailable(Code),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error on one field.
    pub fn field(field: &str, error: impl Into<CodedError>) -> Error {
        let mut errors = FieldErrors::new();
        errors.add(field, error);
        Error::Validation(errors)
    }

    /// A conflict that needs no parameters.
    pub fn conflict(code: Code) -> Error {
        Error::Conflict(code.into())
    }

    pub fn internal(msg: impl Into<String>) -> Error {
        Error::Internal(anyhow::anyhow!(msg.into()))
    }

    /// True when the database refused a write because of a unique key.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Db(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))))
    }
}
