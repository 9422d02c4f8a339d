//! Access and device tokens: EdDSA JWTs whose header names the signing key
//! (`kid`). The keyring holds the current key and any previous ones still
//! accepted for verification, so keys can rotate without logging anyone out.

use std::collections::HashMap;

use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pos_wire::{DeviceKind, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::Settings;
use crate::error::{Code, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Staff,
    Device,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The user or device id.
    pub sub: Uuid,
    /// The tenant.
    pub tid: Uuid,
    pub typ: TokenType,
    /// The outlet a device is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<Uuid>,
    /// Informational; every request reads the role afresh from the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DeviceKind>,
    /// Staff: the refresh token issued with this access token. Ending its
    /// session (logout, reuse, a password change, deactivation) ends the
    /// access token too: every request checks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
    /// Staff signed in on a till with their PIN: the till's device id. The
    /// token then works only while that till is paired, at its outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub till: Option<Uuid>,
    pub jti: Uuid,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

pub struct Keyring {
    current_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    issuer: String,
    audience: String,
    /// Tokens whose signature was checked already (an Ed25519 verification
    /// is most of a cheap request's CPU); see [`Keyring::verify`].
    verified: std::sync::Mutex<HashMap<String, Claims>>,
}

/// Seconds past `exp` a token is still accepted (clock skew).
const LEEWAY_SECS: i64 = 30;
/// Verified tokens remembered at most (expired ones go first, then all).
const MAX_VERIFIED: usize = 50_000;

/// PKCS#8 v1 DER of an Ed25519 private key: a fixed prefix, then the seed.
fn ed25519_pkcs8(seed: &[u8; 32]) -> Vec<u8> {
    let mut der = vec![0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
    der.extend_from_slice(seed);
    der
}

impl Keyring {
    pub fn from_settings(settings: &Settings) -> Keyring {
        // The crypto backend must be chosen before the first sign/verify;
        // a second install (tests, several apps in one process) is harmless.
        let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
        let mut verifying = HashMap::new();
        let mut signing = None;
        for key in &settings.jwt_keys {
            let seed = key.seed.expose();
            let public = SigningKey::from_bytes(seed).verifying_key().to_bytes();
            verifying.insert(key.kid.clone(), DecodingKey::from_ed_der(&public));
            if key.kid == settings.jwt_current_kid {
                signing = Some(EncodingKey::from_ed_der(&ed25519_pkcs8(seed)));
            }
        }
        Keyring {
            current_kid: settings.jwt_current_kid.clone(),
            signing: signing.expect("settings guarantee the current kid is in the keyring"),
            verifying,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            verified: Default::default(),
        }
    }

    /// Signs arbitrary claims with the current key (tools and tests; the
    /// server itself uses [`Keyring::sign_staff`] and [`Keyring::sign_device`]).
    pub fn sign_claims(&self, claims: &Claims) -> Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.current_kid.clone());
        jsonwebtoken::encode(&header, claims, &self.signing).map_err(|e| Error::internal(format!("jwt sign: {e}")))
    }

    fn claims(&self, sub: Uuid, tid: Uuid, typ: TokenType, ttl_secs: u64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub,
            tid,
            typ,
            oid: None,
            role: None,
            kind: None,
            sid: None,
            till: None,
            jti: Uuid::now_v7(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now + ttl_secs as i64,
        }
    }

    /// A staff access token of the session `session_id` (its refresh token).
    pub fn sign_staff(
        &self,
        user_id: Uuid,
        tenant_id: Uuid,
        role: Role,
        session_id: Uuid,
        ttl_secs: u64,
    ) -> Result<String> {
        self.sign_session(user_id, tenant_id, role, session_id, None, ttl_secs)
    }

    /// A staff access token of the session `session_id`, bound to the till `till_id`.
    pub fn sign_till_staff(
        &self,
        user_id: Uuid,
        tenant_id: Uuid,
        role: Role,
        session_id: Uuid,
        till_id: Uuid,
        ttl_secs: u64,
    ) -> Result<String> {
        self.sign_session(user_id, tenant_id, role, session_id, Some(till_id), ttl_secs)
    }

    fn sign_session(
        &self,
        user_id: Uuid,
        tenant_id: Uuid,
        role: Role,
        session_id: Uuid,
        till: Option<Uuid>,
        ttl_secs: u64,
    ) -> Result<String> {
        let mut claims = self.claims(user_id, tenant_id, TokenType::Staff, ttl_secs);
        claims.role = Some(role);
        claims.sid = Some(session_id);
        claims.till = till;
        self.sign_claims(&claims)
    }

    pub fn sign_device(
        &self,
        device_id: Uuid,
        tenant_id: Uuid,
        outlet_id: Uuid,
        kind: DeviceKind,
        ttl_secs: u64,
    ) -> Result<String> {
        let mut claims = self.claims(device_id, tenant_id, TokenType::Device, ttl_secs);
        claims.oid = Some(outlet_id);
        claims.kind = Some(kind);
        self.sign_claims(&claims)
    }

    /// Verifies signature (by `kid`), issuer, audience and expiry. A token
    /// verified before is not verified again (the same bytes, the same
    /// keyring: the same answer); only its expiry is checked again.
    pub fn verify(&self, token: &str) -> Result<Claims> {
        let now = jsonwebtoken::get_current_timestamp() as i64;
        let known = self.verified.lock().unwrap_or_else(|p| p.into_inner()).get(token).cloned();
        if let Some(claims) = known {
            if now > claims.exp + LEEWAY_SECS {
                return Err(Error::Unauthorized(Code::TokenExpired));
            }
            return Ok(claims);
        }
        let claims = self.verify_signed(token)?;
        let mut verified = self.verified.lock().unwrap_or_else(|p| p.into_inner());
        if verified.len() >= MAX_VERIFIED {
            verified.retain(|_, c| now <= c.exp + LEEWAY_SECS);
            if verified.len() >= MAX_VERIFIED {
                verified.clear();
            }
        }
        verified.insert(token.to_string(), claims.clone());
        Ok(claims)
    }

    fn verify_signed(&self, token: &str) -> Result<Claims> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Error::Unauthorized(Code::TokenInvalid))?;
        if header.alg != Algorithm::EdDSA {
            return Err(Error::Unauthorized(Code::TokenInvalid));
        }
        let kid = header.kid.ok_or(Error::Unauthorized(Code::TokenInvalid))?;
        let key = self.verifying.get(&kid).ok_or(Error::Unauthorized(Code::TokenKeyUnknown))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS as u64;
        jsonwebtoken::decode::<Claims>(token, key, &validation).map(|d| d.claims).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => Error::Unauthorized(Code::TokenExpired),
            _ => Error::Unauthorized(Code::TokenInvalid),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{JwtKeyConfig, Secret};

    fn keyring(keys: &[(&str, u8)], current: &str) -> Keyring {
        let mut settings = Settings::from_lookup(|k| (k == "POS_ENV").then(|| "test".into())).unwrap();
        settings.jwt_keys =
            keys.iter().map(|(kid, b)| JwtKeyConfig { kid: kid.to_string(), seed: Secret::new([*b; 32]) }).collect();
        settings.jwt_current_kid = current.into();
        Keyring::from_settings(&settings)
    }

    #[test]
    fn round_trip_staff_and_device() {
        let ring = keyring(&[("k1", 1)], "k1");
        let (u, t, o) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let sid = Uuid::now_v7();
        let c = ring.verify(&ring.sign_staff(u, t, Role::Manager, sid, 60).unwrap()).unwrap();
        assert_eq!((c.sub, c.tid, c.typ, c.role, c.sid), (u, t, TokenType::Staff, Some(Role::Manager), Some(sid)));
        assert_eq!(c.till, None);
        let c = ring.verify(&ring.sign_till_staff(u, t, Role::Cashier, sid, o, 60).unwrap()).unwrap();
        assert_eq!((c.typ, c.sid, c.till), (TokenType::Staff, Some(sid), Some(o)));
        let c = ring.verify(&ring.sign_device(u, t, o, DeviceKind::Kds, 60).unwrap()).unwrap();
        assert_eq!((c.typ, c.oid, c.kind), (TokenType::Device, Some(o), Some(DeviceKind::Kds)));
    }

    #[test]
    fn rotation_keeps_old_tokens_valid_and_unknown_kids_fail() {
        let old = keyring(&[("k1", 1)], "k1");
        let token = old.sign_staff(Uuid::now_v7(), Uuid::now_v7(), Role::Owner, Uuid::now_v7(), 60).unwrap();
        let rotated = keyring(&[("k2", 2), ("k1", 1)], "k2");
        assert!(rotated.verify(&token).is_ok());
        let retired = keyring(&[("k2", 2)], "k2");
        assert!(matches!(retired.verify(&token), Err(Error::Unauthorized(Code::TokenKeyUnknown))));
    }

    #[test]
    fn same_kid_other_key_fails() {
        let a = keyring(&[("k1", 1)], "k1");
        let b = keyring(&[("k1", 9)], "k1");
        let token = a.sign_staff(Uuid::now_v7(), Uuid::now_v7(), Role::Owner, Uuid::now_v7(), 60).unwrap();
        assert!(b.verify(&token).is_err());
    }

    #[test]
    fn expired_and_tampered_fail() {
        let ring = keyring(&[("k1", 1)], "k1");
        let mut claims = ring.claims(Uuid::now_v7(), Uuid::now_v7(), TokenType::Staff, 0);
        claims.exp -= 3600;
        let expired = ring.sign_claims(&claims).unwrap();
        assert!(matches!(ring.verify(&expired), Err(Error::Unauthorized(Code::TokenExpired))));

        let token = ring.sign_staff(Uuid::now_v7(), Uuid::now_v7(), Role::Cashier, Uuid::now_v7(), 60).unwrap();
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        // Swap the payload for one claiming owner, keep the signature.
        let forged = ring.sign_staff(Uuid::now_v7(), Uuid::now_v7(), Role::Owner, Uuid::now_v7(), 60).unwrap();
        parts[1] = forged.split('.').nth(1).unwrap().to_string();
        assert!(ring.verify(&parts.join(".")).is_err());
    }
}
