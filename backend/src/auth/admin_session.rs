//! Web admin sessions. Signing in sets an HttpOnly cookie naming a server-side
//! session (`as1.<tenant>.<secret>`, stored hashed, revocable); each session
//! has its own CSRF token that every state-changing admin request must echo.
//! Cashiers and kitchen staff have no admin: they use the devices.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use pos_wire::{Locale, LoginRequest, Role};
use sea_orm::FromQueryResult;
use sha2::Sha256;
use uuid::Uuid;

use super::{Actor, ActorKind, principal::attach_staff, sessions::authenticate};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Error, Result},
    state::AppState,
};

/// The admin session cookie's name.
pub const COOKIE: &str = "pos_admin";
/// How long a session lasts without being used.
pub const IDLE_SECS: i64 = 12 * 3600;

/// An open admin request: its scoped transaction, who is acting, and what
/// the pages need to know about the session.
pub struct AdminSession {
    pub tx: ScopedTx,
    pub actor: Actor,
    pub csrf_token: String,
    pub user_name: String,
    pub locale: Locale,
    pub session_id: Uuid,
}

struct CookieToken {
    tenant_id: Uuid,
    secret: [u8; 32],
}

impl CookieToken {
    fn parse(raw: &str) -> Option<CookieToken> {
        let mut parts = raw.split('.');
        let (Some("as1"), Some(t), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return None;
        };
        let secret = URL_SAFE_NO_PAD.decode(s).ok()?.try_into().ok()?;
        Some(CookieToken { tenant_id: Uuid::parse_str(t).ok()?, secret })
    }

    fn encode(&self) -> String {
        format!("as1.{}.{}", self.tenant_id.simple(), URL_SAFE_NO_PAD.encode(self.secret))
    }

    fn hash(&self, key: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(b"admin-session:");
        mac.update(&self.secret);
        mac.finalize().into_bytes().to_vec()
    }
}

/// Checks the credentials (same limits as the API login) and opens a
/// session; returns the cookie value.
pub async fn sign_in(state: &AppState, req: &LoginRequest, client_ip: &str) -> Result<String> {
    let (tenant_id, user_id) = authenticate(state, req, client_ip).await?;
    let tx = state.db.begin_scoped(tenant_id, OutletScope::Only(vec![]), PrincipalId::User(user_id)).await?;
    let role = super::sessions::current_role(&tx, user_id).await?;
    if !matches!(role, Role::Owner | Role::Manager) {
        return Err(Error::Forbidden(
            "the admin is for owners and managers; cashiers and kitchen staff use the devices",
        ));
    }
    let token = CookieToken { tenant_id, secret: rand::random() };
    let csrf = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>());
    tx.execute(
        "INSERT INTO admin_sessions (tenant_id, id, user_id, token_hash, csrf_token, expires_at) \
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))",
        [
            tenant_id.into(),
            Uuid::now_v7().into(),
            user_id.into(),
            token.hash(state.settings.session_secret.expose()).into(),
            csrf.into(),
            (IDLE_SECS as f64).into(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(token.encode())
}

#[derive(FromQueryResult)]
struct SessionRow {
    id: Uuid,
    user_id: Uuid,
    csrf_token: String,
    name: String,
    locale: String,
}

/// Opens the request's scoped transaction from the session cookie. 401 when
/// the cookie is missing, unknown, expired or revoked, or the user is gone.
pub async fn open(state: &AppState, cookie: Option<&str>, request_id: Option<String>) -> Result<AdminSession> {
    let token = cookie.and_then(CookieToken::parse).ok_or(Error::Unauthorized("please sign in"))?;
    let mut tx = state.db.begin_scoped(token.tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    let row: SessionRow = tx
        .query_one(
            "UPDATE admin_sessions s SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2) \
               FROM users u \
              WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.id = s.user_id \
             RETURNING s.id, s.user_id, s.csrf_token, u.name, u.locale",
            [token.hash(state.settings.session_secret.expose()).into(), (IDLE_SECS as f64).into()],
        )
        .await?
        .ok_or(Error::Unauthorized("your session has ended; please sign in again"))?;
    tx.execute("SELECT set_config('app.user_id', $1, true)", [row.user_id.to_string().into()]).await?;
    let role = attach_staff(&mut tx, row.user_id).await?;
    if !matches!(role, Role::Owner | Role::Manager) {
        return Err(Error::Forbidden("the admin is for owners and managers"));
    }
    Ok(AdminSession {
        tx,
        actor: Actor { tenant_id: token.tenant_id, kind: ActorKind::Staff { user_id: row.user_id, role }, request_id },
        csrf_token: row.csrf_token,
        user_name: row.name,
        locale: Locale::parse(&row.locale).unwrap_or(Locale::Id),
        session_id: row.id,
    })
}

/// Ends the session named by the cookie, if any.
pub async fn sign_out(state: &AppState, cookie: Option<&str>) -> Result<()> {
    let Some(token) = cookie.and_then(CookieToken::parse) else {
        return Ok(());
    };
    let tx = state.db.begin_scoped(token.tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    tx.execute(
        "UPDATE admin_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL",
        [token.hash(state.settings.session_secret.expose()).into()],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Constant-time comparison of a submitted CSRF token with the session's.
pub fn csrf_matches(expected: &str, submitted: Option<&str>) -> bool {
    let Some(submitted) = submitted else {
        return false;
    };
    let (a, b) = (expected.as_bytes(), submitted.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
