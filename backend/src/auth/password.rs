//! Passwords: a length policy, and argon2id hashing off the async workers.
//!
//! Staff passwords are hashed with a salt derived from the account's email
//! and a server key (HMAC), not a random one. The same email and password
//! therefore always give the same hash, so signing in computes one argon2
//! hash and looks the account up by it, however many brands have an account
//! under that email: signing up brands with someone else's email neither
//! locks them out nor makes their sign-in cost more. The salt stays secret
//! and unique per email, so a leaked table still has to be attacked one
//! email at a time. Hashes made otherwise (older accounts, an email changed
//! without a new password, new argon2 parameters) are still verified one by
//! one and replaced at the next successful sign-in.

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Email;
use crate::error::{CodedError, Error, Result};

/// The server key login salts are derived from.
#[derive(Clone, Copy)]
pub struct SaltKey<'a>(pub &'a [u8]);

impl SaltKey<'_> {
    fn salt_for(&self, email: &Email) -> [u8; 16] {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0).expect("any key length");
        mac.update(b"login-salt:");
        mac.update(email.as_str().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut salt = [0u8; 16];
        salt.copy_from_slice(&digest[..16]);
        salt
    }
}

/// The hash `password` has as `email`'s password (a PHC string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHash(String);

impl LoginHash {
    /// Computes it with argon2id on the blocking pool.
    pub async fn compute(email: &Email, password: &str, key: SaltKey<'_>) -> Result<LoginHash> {
        let salt = key.salt_for(email);
        let password = password.to_string();
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password_with_salt(password.as_bytes(), &salt)
                .map(|h| LoginHash(h.to_string()))
                .map_err(|e| Error::internal(format!("argon2 hash: {e}")))
        })
        .await
        .map_err(|e| Error::internal(format!("hash task: {e}")))?
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Everything before the hash itself (algorithm, parameters, salt): a
    /// stored hash with this prefix was made the current way for this email.
    pub fn prefix(&self) -> &str {
        self.0.rfind('$').map_or(self.0.as_str(), |i| &self.0[..=i])
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A password that meets the policy (8 to 128 characters).
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Password, CodedError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(CodedError::too_short(8));
        }
        if n > 128 {
            return Err(CodedError::too_long(128));
        }
        Ok(Password(raw.to_string()))
    }

    /// Hashes with argon2id (m=19 MiB, t=2, p=1) on the blocking pool, as
    /// the password of `email` (see the module notes).
    pub async fn hash_for(self, email: &Email, key: SaltKey<'_>) -> Result<String> {
        Ok(LoginHash::compute(email, &self.0, key).await?.into_string())
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
        let email = Email::parse("ana@kopi.id").unwrap();
        let hash = Password::parse("kopi-susu-2026").unwrap().hash_for(&email, SaltKey(b"k")).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify("kopi-susu-2026".into(), hash.clone()).await.unwrap());
        assert!(!verify("kopi-susu-2027".into(), hash).await.unwrap());
    }

    #[tokio::test]
    async fn login_hashes_are_deterministic_per_email_and_key() {
        let ana = Email::parse("ana@kopi.id").unwrap();
        let budi = Email::parse("budi@kopi.id").unwrap();
        let h = |e: &Email, pw: &'static str, key: &'static [u8]| {
            let e = e.clone();
            async move { LoginHash::compute(&e, pw, SaltKey(key)).await.unwrap() }
        };
        let a1 = h(&ana, "kopi-susu-2026", b"k").await;
        assert_eq!(a1, h(&ana, "kopi-susu-2026", b"k").await);
        assert_eq!(a1.prefix(), h(&ana, "another one", b"k").await.prefix());
        assert_ne!(a1, h(&ana, "another one", b"k").await);
        assert_ne!(a1.prefix(), h(&budi, "kopi-susu-2026", b"k").await.prefix(), "salts differ per email");
        assert_ne!(a1.prefix(), h(&ana, "kopi-susu-2026", b"other key").await.prefix(), "and per server key");
        assert!(a1.as_str().starts_with(a1.prefix()) && a1.prefix().ends_with('$'));
        assert!(verify("kopi-susu-2026".into(), a1.into_string()).await.unwrap());
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
