//! Refresh tokens: opaque, stored only as keyed hashes, rotated on every use.
//!
//! A token reads `rt1.<tenant>.<secret>`. The tenant part lets refresh run in
//! an ordinary tenant-scoped transaction (no cross-tenant lookup). Each use
//! marks the token used and issues a child in the same family. A used token
//! presented again revokes the whole family (RFC 9700 reuse detection), with
//! one exception: within a short grace window, while the child is still
//! unused, the same child is handed out again, so a tablet that lost the
//! response is not logged out. Children are derived from the parent secret
//! with a server key, which is what makes that re-issue possible without
//! storing any token in the clear.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::FromQueryResult;
use sha2::Sha256;
use uuid::Uuid;

use crate::db::ScopedTx;
use crate::error::{Code, Error, Result};

/// A refresh token as presented by a client, split into its parts.
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub tenant_id: Uuid,
    secret: [u8; 32],
}

impl RefreshToken {
    pub fn parse(raw: &str) -> Result<RefreshToken> {
        let invalid = || Error::Unauthorized(Code::RefreshTokenInvalid);
        let mut parts = raw.trim().split('.');
        let (Some("rt1"), Some(tenant), Some(secret), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let tenant_id = Uuid::parse_str(tenant).map_err(|_| invalid())?;
        let secret = URL_SAFE_NO_PAD.decode(secret).map_err(|_| invalid())?;
        let secret: [u8; 32] = secret.try_into().map_err(|_| invalid())?;
        Ok(RefreshToken { tenant_id, secret })
    }

    fn random(tenant_id: Uuid) -> RefreshToken {
        RefreshToken { tenant_id, secret: rand::random() }
    }

    fn child(&self, key: &[u8]) -> RefreshToken {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(b"child:");
        mac.update(&self.secret);
        RefreshToken { tenant_id: self.tenant_id, secret: mac.finalize().into_bytes().into() }
    }

    fn hash(&self, key: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(b"hash:");
        mac.update(&self.secret);
        mac.finalize().into_bytes().to_vec()
    }

    pub fn encode(&self) -> String {
        format!("rt1.{}.{}", self.tenant_id.simple(), URL_SAFE_NO_PAD.encode(self.secret))
    }
}

/// How long tokens live and the key they are hashed with.
#[derive(Clone)]
pub struct RefreshPolicy<'a> {
    pub key: &'a [u8],
    pub ttl_secs: i64,
    pub grace_secs: i64,
}

/// A refresh token just issued, and its row id (the `sid` of the access
/// token issued with it).
#[derive(Debug)]
pub struct Issued {
    pub id: Uuid,
    pub token: RefreshToken,
}

/// Starts a new family (a new session) for `user_id`.
pub async fn start_family(tx: &ScopedTx, policy: &RefreshPolicy<'_>, user_id: Uuid) -> Result<Issued> {
    let token = RefreshToken::random(tx.tenant_id());
    let id = insert(tx, policy, &token, Uuid::now_v7(), None, user_id).await?;
    Ok(Issued { id, token })
}

async fn insert(
    tx: &ScopedTx,
    policy: &RefreshPolicy<'_>,
    token: &RefreshToken,
    family_id: Uuid,
    parent_id: Option<Uuid>,
    user_id: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO refresh_tokens (tenant_id, id, family_id, parent_id, user_id, token_hash, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))",
        [
            tx.tenant_id().into(),
            id.into(),
            family_id.into(),
            parent_id.into(),
            user_id.into(),
            token.hash(policy.key).into(),
            (policy.ttl_secs as f64).into(),
        ],
    )
    .await?;
    Ok(id)
}

#[derive(Debug, FromQueryResult)]
struct StoredToken {
    id: Uuid,
    family_id: Uuid,
    user_id: Uuid,
    expired: bool,
    revoked: bool,
    used_at: Option<DateTime<Utc>>,
    within_grace: bool,
}

/// What a refresh attempt came to. `ReuseDetected` must be committed (the
/// family is revoked in the transaction) before answering 401.
#[derive(Debug)]
pub enum Rotation {
    Rotated { user_id: Uuid, issued: Issued },
    ReuseDetected,
}

/// Rotates `presented` inside `tx` (scoped to the token's tenant).
pub async fn rotate(tx: &ScopedTx, policy: &RefreshPolicy<'_>, presented: &RefreshToken) -> Result<Rotation> {
    let stored: StoredToken = tx
        .query_one(
            "SELECT id, family_id, user_id, expires_at <= now() AS expired, revoked_at IS NOT NULL AS revoked, \
                    used_at, (used_at > now() - make_interval(secs => $2)) IS TRUE AS within_grace \
               FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
            [presented.hash(policy.key).into(), (policy.grace_secs as f64).into()],
        )
        .await?
        .ok_or(Error::Unauthorized(Code::RefreshTokenInvalid))?;
    if stored.revoked {
        return Err(Error::Unauthorized(Code::SessionEnded));
    }
    if stored.expired {
        return Err(Error::Unauthorized(Code::RefreshTokenExpired));
    }
    let child = presented.child(policy.key);
    if stored.used_at.is_none() {
        tx.execute("UPDATE refresh_tokens SET used_at = now() WHERE id = $1", [stored.id.into()]).await?;
        let id = insert(tx, policy, &child, stored.family_id, Some(stored.id), stored.user_id).await?;
        return Ok(Rotation::Rotated { user_id: stored.user_id, issued: Issued { id, token: child } });
    }
    if stored.within_grace {
        // A retry of the same refresh: hand out the same child while it is unused.
        let child_unused = tx
            .query_raw(
                "SELECT id FROM refresh_tokens WHERE token_hash = $1 AND parent_id = $2 \
                    AND used_at IS NULL AND revoked_at IS NULL",
                [child.hash(policy.key).into(), stored.id.into()],
            )
            .await?;
        if let Some(id) = crate::db::opt_row::<Uuid>(&child_unused, "id")? {
            return Ok(Rotation::Rotated { user_id: stored.user_id, issued: Issued { id, token: child } });
        }
    }
    tracing::warn!(family_id = %stored.family_id, "refresh token reuse: revoking the family");
    revoke_family(tx, stored.family_id).await?;
    Ok(Rotation::ReuseDetected)
}

pub async fn revoke_family(tx: &ScopedTx, family_id: Uuid) -> Result<()> {
    tx.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
        [family_id.into()],
    )
    .await?;
    tx.narrows_principals();
    Ok(())
}

/// Ends the session `presented` belongs to, if it is `user_id`'s.
pub async fn revoke_family_of(
    tx: &ScopedTx,
    policy: &RefreshPolicy<'_>,
    presented: &RefreshToken,
    user_id: Option<Uuid>,
) -> Result<()> {
    tx.execute(
        "UPDATE refresh_tokens SET revoked_at = now() \
          WHERE revoked_at IS NULL AND family_id = \
                (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND ($2::uuid IS NULL OR user_id = $2))",
        [presented.hash(policy.key).into(), user_id.into()],
    )
    .await?;
    tx.narrows_principals();
    Ok(())
}

/// Ends every session of `user_id`.
pub async fn revoke_all_of_user(tx: &ScopedTx, user_id: Uuid) -> Result<()> {
    tx.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        [user_id.into()],
    )
    .await?;
    tx.narrows_principals();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_parse_round_trip() {
        let t = RefreshToken::random(Uuid::now_v7());
        let back = RefreshToken::parse(&t.encode()).unwrap();
        assert_eq!((back.tenant_id, back.secret), (t.tenant_id, t.secret));
    }

    #[test]
    fn children_are_deterministic_and_distinct() {
        let t = RefreshToken::random(Uuid::now_v7());
        assert_eq!(t.child(b"k").secret, t.child(b"k").secret);
        assert_ne!(t.child(b"k").secret, t.secret);
        assert_ne!(t.child(b"k").secret, t.child(b"other").secret);
        assert_ne!(t.hash(b"k"), t.child(b"k").hash(b"k"));
    }

    #[test]
    fn garbage_is_refused() {
        for bad in ["", "rt1", "rt1.x.y", "rt2.00000000000000000000000000000000.AAAA", "a.b.c.d"] {
            assert!(RefreshToken::parse(bad).is_err(), "{bad:?}");
        }
    }
}
