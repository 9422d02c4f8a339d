//! Passwords: a length policy, and argon2id hashing off the async workers.

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};

use crate::error::{Error, Result};

/// A password that meets the policy (8 to 128 characters).
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Password, String> {
        let n = raw.chars().count();
        if n < 8 {
            return Err("must be at least 8 characters".into());
        }
        if n > 128 {
            return Err("must be at most 128 characters".into());
        }
        Ok(Password(raw.to_string()))
    }

    /// Hashes with argon2id (m=19 MiB, t=2, p=1) on the blocking pool.
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
}

/// Checks `password` against a stored PHC hash on the blocking pool.
pub async fn verify(password: String, phc_hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        Argon2::default().verify_password(password.as_bytes(), phc_hash.as_str()).is_ok()
    })
    .await
    .map_err(|e| Error::internal(format!("verify task: {e}")))
}

/// A valid hash of a random password: verifying against it costs what a real
/// check costs, so an unknown email takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q6jYhjZRpE0w8R1l0Wzq4Sxo1n8J3rW3tD0mQd0bQ1A"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let hash = Password::parse("kopi-susu-2026").unwrap().hash().await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify("kopi-susu-2026".into(), hash.clone()).await.unwrap());
        assert!(!verify("kopi-susu-2027".into(), hash).await.unwrap());
    }

    #[test]
    fn policy() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse("long enough").is_ok());
    }

    #[tokio::test]
    async fn decoy_is_a_parseable_hash() {
        assert!(!verify("anything".into(), decoy_hash().into()).await.unwrap());
    }
}
