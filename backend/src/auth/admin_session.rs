//! Web admin sessions. Signing in sets an HttpOnly cookie naming a server-side
//! session (`as1.<tenant>.<secret>`, stored hashed, revocable); each session
//! has its own CSRF token that every state-changing admin request must echo.
//! A session ends after a while without use, at the latest a fixed time after
//! sign-in, and when its user signs out, changes password, or is deactivated
//! or deleted. Cashiers and kitchen staff have no admin: they use the devices.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use pos_wire::{Locale, LoginRequest, Role};
use sea_orm::FromQueryResult;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{Actor, ActorKind, principal::attach_staff, sessions::authenticate};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Code, Error, Result},
    http::client_ip::ClientIp,
    state::AppState,
};

/// The admin session cookie's name. `__Host-`: browsers accept it only
/// `Secure`, for the whole site (`Path=/`) and from this host alone (no
/// `Domain`), so a sibling subdomain cannot plant or overwrite it.
pub const COOKIE: &str = "__Host-pos_admin";

/// An open admin request: its scoped transaction, who is acting, and what
/// the pages need to know about the session.
pub struct AdminSession {
    pub tx: ScopedTx,
    pub actor: Actor,
    pub csrf_token: String,
    pub user_name: String,
    pub locale: Locale,
    pub session_id: Uuid,
    /// When the session ends whatever happens.
    pub ends_at: chrono::DateTime<chrono::Utc>,
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
pub async fn sign_in(state: &AppState, req: &LoginRequest, client: ClientIp) -> Result<String> {
    let account = authenticate(state, req, client).await?;
    let (tenant_id, user_id) = (account.tenant_id, account.user_id);
    let tx = state.db.begin_scoped(tenant_id, OutletScope::Only(vec![]), PrincipalId::User(user_id)).await?;
    account.store_current_hash(&tx).await?;
    let role = super::sessions::current_role(&tx, user_id).await?;
    if !matches!(role, Role::Owner | Role::Manager) {
        return Err(Error::Forbidden(Code::AdminForManagers));
    }
    let token = CookieToken { tenant_id, secret: rand::random() };
    let csrf = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>());
    let (idle, lifetime) = limits(state);
    tx.execute(
        "INSERT INTO admin_sessions (tenant_id, id, user_id, token_hash, csrf_token, expires_at, absolute_expires_at) \
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => least($6, $7)), now() + make_interval(secs => $7))",
        [
            tenant_id.into(),
            Uuid::now_v7().into(),
            user_id.into(),
            token.hash(state.settings.session_secret.expose()).into(),
            csrf.into(),
            idle.into(),
            lifetime.into(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(token.encode())
}

/// (idle timeout, absolute lifetime) in seconds.
fn limits(state: &AppState) -> (f64, f64) {
    let s = &state.settings;
    (s.admin_session_idle.as_secs_f64(), s.admin_session_lifetime.as_secs_f64())
}

#[derive(FromQueryResult)]
struct SessionRow {
    id: Uuid,
    user_id: Uuid,
    csrf_token: String,
    name: String,
    locale: String,
    absolute_expires_at: chrono::DateTime<chrono::Utc>,
}

/// Opens the request's scoped transaction from the session cookie. 401 when
/// the cookie is missing, unknown, expired or revoked, or the user is gone.
pub async fn open(state: &AppState, cookie: Option<&str>, request_id: Option<String>) -> Result<AdminSession> {
    let token = cookie.and_then(CookieToken::parse).ok_or(Error::Unauthorized(Code::SignInRequired))?;
    let mut tx = state.db.begin_scoped(token.tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    let row: SessionRow = tx
        .query_one(
            // The idle expiry slides at most every tenth of the idle window
            // (30 s at most): a touch locks the session's row until commit,
            // and every page of one browser (or tab) shares that row.
            "WITH s AS (SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, u.name, u.locale, s.absolute_expires_at \
                          FROM admin_sessions s JOIN users u ON u.id = s.user_id \
                         WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() \
                           AND s.absolute_expires_at > now()), \
                  touch AS (UPDATE admin_sessions t SET last_seen_at = now(), \
                                   expires_at = least(now() + make_interval(secs => $2), t.absolute_expires_at) \
                              FROM s WHERE t.id = s.id \
                               AND s.last_seen_at < now() - make_interval(secs => least(30, $2 / 10))) \
             SELECT id, user_id, csrf_token, name, locale, absolute_expires_at FROM s",
            [token.hash(state.settings.session_secret.expose()).into(), limits(state).0.into()],
        )
        .await?
        .ok_or(Error::Unauthorized(Code::SessionEnded))?;
    tx.execute("SELECT set_config('app.user_id', $1, true)", [row.user_id.to_string().into()]).await?;
    let role = attach_staff(&mut tx, row.user_id).await?;
    if !matches!(role, Role::Owner | Role::Manager) {
        return Err(Error::Forbidden(Code::AdminForManagers));
    }
    Ok(AdminSession {
        tx,
        actor: Actor {
            tenant_id: token.tenant_id,
            kind: ActorKind::Staff { user_id: row.user_id, role, till: None },
            request_id,
        },
        csrf_token: row.csrf_token,
        user_name: row.name,
        locale: Locale::parse(&row.locale).unwrap_or(Locale::Id),
        session_id: row.id,
        ends_at: row.absolute_expires_at,
    })
}

/// Ends every admin session of `user_id` (see [`super::sessions::end_all_sessions`]).
pub async fn revoke_all_of_user(tx: &ScopedTx, user_id: Uuid) -> Result<()> {
    tx.execute(
        "UPDATE admin_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        [user_id.into()],
    )
    .await?;
    Ok(())
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

/// The sign-in form has no session yet to hold its CSRF token, so the
/// browser gets a random seed (the admin keeps it in a `__Host-` cookie) and
/// the form a MAC of it under the server's session key: a cross-site post
/// has either no cookie or no matching field. A fresh seed:
pub fn new_login_seed() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

/// The sign-in form's CSRF token for the browser holding `seed`.
pub fn login_csrf_token(state: &AppState, seed: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.settings.session_secret.expose()).expect("any key length");
    mac.update(b"login-csrf:");
    mac.update(seed.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of a submitted CSRF token with the session's.
pub fn csrf_matches(expected: &str, submitted: Option<&str>) -> bool {
    let Some(submitted) = submitted else {
        return false;
    };
    // The length is no secret (every token has the same one); the bytes are.
    bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
}
