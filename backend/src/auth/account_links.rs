//! Links sent by mail: to set a password (a staff invitation, 7 days; a
//! password reset, one hour) and to verify a new brand owner's email (7
//! days). Each is single use; only a SHA-256 of its token is stored; a new
//! link of the same purpose ends the earlier ones. Using any of them proves
//! the address, so the account's email counts as verified afterwards.
//!
//! A reset request answers the same whether or not the email has an
//! account, and is rate limited per address (the answer is the same past
//! the limit too: nothing is sent) and per client.

use std::time::Duration;

use base64::Engine;
use chrono::Utc;
use pos_wire::Locale;
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{Email, Password, sessions::end_all_sessions};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx},
    email::{
        Mail, MailKind, enqueue,
        templates::{LinkMail, link_mail},
    },
    error::{Code, Error, Result},
    http::client_ip::ClientIp,
    state::AppState,
    tenancy::audit,
};

pub const INVITATION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
pub const RESET_TTL: Duration = Duration::from_secs(3600);
/// Reset mails per address and hour (requests per client count against
/// the sign-in limit per address).
const RESETS_PER_EMAIL: u32 = 3;

pub const VERIFICATION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Verification mails a signed-in owner may ask for again, per hour.
const VERIFICATIONS_PER_HOUR: u32 = 3;

/// Where a link leads: the admin's page that sets the password.
pub const SET_PASSWORD_PATH: &str = "/admin/password/set";
/// Where a verification link leads.
pub const VERIFY_EMAIL_PATH: &str = "/admin/verify-email";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invitation,
    PasswordReset,
    EmailVerification,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailVerification => "email_verification",
        }
    }

    fn ttl(self) -> Duration {
        match self {
            Purpose::Invitation => INVITATION_TTL,
            Purpose::PasswordReset => RESET_TTL,
            Purpose::EmailVerification => VERIFICATION_TTL,
        }
    }

    /// The mail's kind, its template and the admin page the link opens.
    fn mail(self) -> (MailKind, LinkMail, &'static str) {
        match self {
            Purpose::Invitation => (MailKind::StaffInvitation, LinkMail::Invitation, SET_PASSWORD_PATH),
            Purpose::PasswordReset => (MailKind::PasswordReset, LinkMail::PasswordReset, SET_PASSWORD_PATH),
            Purpose::EmailVerification => (MailKind::EmailVerification, LinkMail::EmailVerification, VERIFY_EMAIL_PATH),
        }
    }
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[derive(FromQueryResult)]
struct Recipient {
    email: String,
    name: String,
    locale: String,
    brand: String,
}

/// Makes a link for `user_id` and puts its mail in the outbox, in `tx`.
pub async fn issue(tx: &ScopedTx, public_url: &str, user_id: Uuid, purpose: Purpose) -> Result<()> {
    let to: Recipient = tx
        .query_one(
            "SELECT u.email, u.name, u.locale, t.name AS brand FROM users u JOIN tenants t ON t.id = u.tenant_id \
              WHERE u.id = $1 AND u.active",
            [user_id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    tx.execute(
        "UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        [user_id.into(), purpose.as_str().into()],
    )
    .await?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let expires_at = Utc::now() + chrono::Duration::from_std(purpose.ttl()).unwrap_or_default();
    tx.execute(
        "INSERT INTO account_tokens (tenant_id, id, user_id, purpose, token_hash, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        [
            tx.tenant_id().into(),
            Uuid::now_v7().into(),
            user_id.into(),
            purpose.as_str().into(),
            hash(&token).into(),
            expires_at.into(),
        ],
    )
    .await?;
    let locale = Locale::parse(&to.locale).unwrap_or(Locale::Id);
    let (kind, template, path) = purpose.mail();
    let link = format!("{public_url}{path}?token={token}&lang={}", locale.as_str());
    let (subject, text, html) = link_mail(template, locale, &to.brand, &to.name, &link)?;
    let to = Email::parse(&to.email).map_err(|_| Error::internal("a stored email does not parse"))?;
    enqueue(tx, &Mail { kind, to, subject, text, html }).await?;
    Ok(())
}

/// `POST /auth/password-reset`: mails a link to every active account under
/// `email`. The answer is the same whatever happens.
pub async fn request_reset(state: &AppState, raw_email: &str, client: &ClientIp) -> Result<()> {
    let window = Duration::from_secs(3600);
    let s = &state.settings;
    state
        .limiter
        .check_and_hit(&format!("reset:ip:{}", client.bucket()), s.login_limit_per_ip, s.login_limit_window)
        .await?;
    let Ok(email) = Email::parse(raw_email) else { return Err(Error::field("email", Code::EmailInvalid)) };
    if state.limiter.check_and_hit(&format!("reset:email:{}", email.as_str()), RESETS_PER_EMAIL, window).await.is_err()
    {
        tracing::info!("password reset asked too often for one address; nothing sent");
        return Ok(());
    }
    for account in state.db.cross_tenant().accounts_by_email(email.as_str()).await? {
        let tx = state.db.begin_scoped(account.tenant_id, OutletScope::All, PrincipalId::System).await?;
        issue(&tx, &state.settings.public_url, account.user_id, Purpose::PasswordReset).await?;
        tx.commit().await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct Held {
    email: String,
}

/// Sets the password a link's token allows, once; ends every session of
/// the account (a reset is often about a stolen one).
pub async fn set_password(state: &AppState, token: &str, password: &str) -> Result<()> {
    let password = Password::parse(password).map_err(|e| Error::field("password", e))?;
    let found = state.db.cross_tenant().account_token(&hash(token.trim())).await?;
    // A verification link proves an address; it never sets a password.
    let Some(found) = found.filter(|f| f.purpose != Purpose::EmailVerification.as_str()) else {
        return Err(Error::field("token", Code::LinkInvalid));
    };
    let tx = state.db.begin_scoped(found.tenant_id, OutletScope::All, PrincipalId::System).await?;
    // Claimed under its row lock: of two uses at once, one wins.
    let held: Option<Held> = tx
        .query_one(
            "UPDATE account_tokens t SET used_at = now() FROM users u \
              WHERE t.id = $1 AND t.used_at IS NULL AND t.expires_at > now() \
                AND u.tenant_id = t.tenant_id AND u.id = t.user_id AND u.active \
             RETURNING u.email",
            [found.token_id.into()],
        )
        .await?;
    let Some(held) = held else { return Err(Error::field("token", Code::LinkInvalid)) };
    let email = Email::parse(&held.email).map_err(|_| Error::internal("a stored email does not parse"))?;
    let hashed = password.hash_for(&email, state.salt_key()).await?;
    tx.execute(
        "UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()), \
                updated_at = now() WHERE id = $1",
        [found.user_id.into(), hashed.into()],
    )
    .await?;
    tx.narrows_principals();
    end_all_sessions(&tx, found.user_id).await?;
    let after = serde_json::json!({ "via": found.purpose });
    audit::record_as(
        &tx,
        "user",
        Some(found.user_id),
        None,
        "user.password_set",
        "user",
        Some(found.user_id),
        None,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Verifies the email a verification link was sent to, once.
pub async fn verify_email(state: &AppState, token: &str) -> Result<()> {
    let found = state.db.cross_tenant().account_token(&hash(token.trim())).await?;
    let Some(found) = found.filter(|f| f.purpose == Purpose::EmailVerification.as_str()) else {
        return Err(Error::field("token", Code::LinkInvalid));
    };
    let tx = state.db.begin_scoped(found.tenant_id, OutletScope::All, PrincipalId::System).await?;
    let claimed = tx
        .execute(
            "UPDATE account_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()",
            [found.token_id.into()],
        )
        .await?;
    if claimed.rows_affected() == 0 {
        return Err(Error::field("token", Code::LinkInvalid));
    }
    tx.execute(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() \
          WHERE id = $1 AND active",
        [found.user_id.into()],
    )
    .await?;
    audit::record_as(
        &tx,
        "user",
        Some(found.user_id),
        None,
        "user.email_verified",
        "user",
        Some(found.user_id),
        None,
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Mails a signed-in account a new verification link, unless its email is
/// verified already (then nothing happens). At most three an hour.
pub async fn resend_verification(state: &AppState, tx: &ScopedTx, user_id: Uuid) -> Result<()> {
    #[derive(FromQueryResult)]
    struct Verified {
        verified: bool,
    }
    let me: Verified = tx
        .query_one(
            "SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1 AND active",
            [user_id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    if me.verified {
        return Ok(());
    }
    state
        .limiter
        .check_and_hit(&format!("verify:user:{user_id}"), VERIFICATIONS_PER_HOUR, Duration::from_secs(3600))
        .await?;
    issue(tx, &state.settings.public_url, user_id, Purpose::EmailVerification).await
}
