use std::fmt;

use crate::error::{Code, CodedError};

/// The longest address (in bytes) SMTP carries.
const MAX_LEN: usize = 254;

/// A plausible email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, CodedError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(Code::Required.into());
        }
        if email.len() > MAX_LEN {
            return Err(CodedError::too_long(MAX_LEN));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(Code::EmailInvalid.into());
        };
        let domain_ok =
            domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@');
        if local.is_empty() || !domain_ok || email.chars().any(char::is_whitespace) {
            return Err(Code::EmailInvalid.into());
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Email::parse("  Ana@Kopi.ID ").unwrap().as_str(), "ana@kopi.id");
    }

    #[test]
    fn refuses_garbage() {
        for bad in ["", "ana", "ana@", "@kopi.id", "ana@kopi", "a b@kopi.id", "a@b@kopi.id"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
