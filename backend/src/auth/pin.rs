//! Staff PINs: 4 to 6 digits, for a manager's approval on the spot (and, in
//! issue 12, signing in at a till). Stored as an argon2id hash with a random
//! salt; the digits themselves are never stored, logged or sent back.
//!
//! A PIN has at most a million values, so the hash alone does not protect
//! it: every check is rate limited per person (see [`crate::approvals`]).

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};

use crate::error::{Code, CodedError, Error, Result};

/// 4 to 6 ASCII digits.
#[derive(Clone)]
pub struct Pin(String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

impl Pin {
    pub fn parse(raw: &str) -> Result<Pin, CodedError> {
        if (4..=6).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Pin(raw.to_string()))
        } else {
            Err(Code::PinFormat.into())
        }
    }

    /// An argon2id PHC string with a fresh random salt, computed on the blocking pool.
    pub async fn hash(self) -> Result<String> {
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password(self.0.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| Error::internal(format!("argon2 hash: {e}")))
        })
        .await
        .map_err(|e| Error::internal(format!("hash task: {e}")))?
    }

    /// Whether this is the PIN `phc_hash` was made from (on the blocking pool).
    pub async fn matches(self, phc_hash: String) -> Result<bool> {
        tokio::task::spawn_blocking(move || {
            Argon2::default().verify_password(self.0.as_bytes(), phc_hash.as_str()).is_ok()
        })
        .await
        .map_err(|e| Error::internal(format!("verify task: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_to_six_digits() {
        for ok in ["0000", "12345", "987654"] {
            assert!(Pin::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "123", "1234567", "12a4", " 1234", "١٢٣٤", "12.4"] {
            assert_eq!(Pin::parse(bad).unwrap_err().code, Code::PinFormat, "{bad:?}");
        }
    }

    #[test]
    fn debug_hides_the_digits() {
        assert_eq!(format!("{:?}", Pin::parse("4821").unwrap()), "Pin(***)");
    }

    #[tokio::test]
    async fn salted_hash_then_verify() {
        let a = Pin::parse("4821").unwrap().hash().await.unwrap();
        let b = Pin::parse("4821").unwrap().hash().await.unwrap();
        assert!(a.starts_with("$argon2id$") && !a.contains("4821"));
        assert_ne!(a, b, "a random salt per hash");
        assert!(Pin::parse("4821").unwrap().matches(a.clone()).await.unwrap());
        assert!(!Pin::parse("4822").unwrap().matches(a).await.unwrap());
    }
}
