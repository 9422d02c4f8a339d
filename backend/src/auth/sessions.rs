//! Staff sessions: sign-up (a new tenant and its owner), login, refresh and
//! logout. Plain functions over [`AppState`], called by thin handlers.

use pos_wire::{LoginRequest, Role, SignupRequest, SignupResponse, TokenPair};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{
    Email, Password,
    password::{LoginHash, verify},
    refresh::{self, RefreshToken, Rotation},
};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Code, CodedError, Error, FieldErrors, Result},
    http::client_ip::ClientIp,
    state::AppState,
    tenancy::names::Name,
};

/// How many accounts with an old-style password hash one sign-in checks
/// (each costs an argon2 run); see [`find_accounts`].
const LEGACY_CANDIDATES: u32 = 10;

/// Creates a tenant (brand) with its owner, and signs the owner in.
pub async fn sign_up(state: &AppState, req: SignupRequest) -> Result<SignupResponse> {
    let mut errors = FieldErrors::new();
    let brand = errors.take("brand_name", Name::parse(&req.brand_name, 120));
    let owner = errors.take("owner_name", Name::parse(&req.owner_name, 120));
    let email = errors.take("email", Email::parse(&req.email));
    let password = errors.take("password", Password::parse(&req.password));
    errors.finish()?;
    let (brand, owner, email, password) = (brand.unwrap(), owner.unwrap(), email.unwrap(), password.unwrap());

    let password_hash = password.hash_for(&email, state.salt_key()).await?;
    let tenant_id = Uuid::now_v7();
    let user_id = Uuid::now_v7();
    let tx = state.db.begin_scoped(tenant_id, OutletScope::All, PrincipalId::System).await?;
    tx.execute("INSERT INTO tenants (id, name) VALUES ($1, $2)", [tenant_id.into(), brand.as_str().into()]).await?;
    tx.execute(
        "INSERT INTO users (tenant_id, id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5, 'owner')",
        [tenant_id.into(), user_id.into(), email.as_str().into(), owner.as_str().into(), password_hash.into()],
    )
    .await?;
    crate::tenancy::audit::record_as(
        &tx,
        "user",
        Some(user_id),
        None,
        "tenant.signup",
        "tenant",
        Some(tenant_id),
        None,
        None,
        None,
    )
    .await?;
    crate::auth::account_links::issue(
        &tx,
        &state.settings.public_url,
        user_id,
        super::account_links::Purpose::EmailVerification,
    )
    .await?;
    let pair = issue_pair(state, &tx, user_id, Role::Owner).await?;
    tx.commit().await?;
    Ok(SignupResponse {
        tenant_id,
        user_id,
        access_token: pair.access_token,
        refresh_token: pair.refresh_token,
        expires_in: pair.expires_in,
    })
}

async fn issue_pair(state: &AppState, tx: &ScopedTx, user_id: Uuid, role: Role) -> Result<TokenPair> {
    let refresh = refresh::start_family(tx, &state.refresh_policy(), user_id).await?;
    Ok(TokenPair {
        access_token: state.keyring.sign_staff(user_id, tx.tenant_id(), role, refresh.id, state.access_ttl_secs())?,
        refresh_token: refresh.token.encode(),
        expires_in: state.access_ttl_secs(),
    })
}

/// Email and password to a token pair. Rate limited per account and per IP.
pub async fn log_in(state: &AppState, req: LoginRequest, client: ClientIp) -> Result<TokenPair> {
    let account = authenticate(state, &req, client).await?;
    let tx =
        state.db.begin_scoped(account.tenant_id, OutletScope::Only(vec![]), PrincipalId::User(account.user_id)).await?;
    account.store_current_hash(&tx).await?;
    let role = current_role(&tx, account.user_id).await?;
    let pair = issue_pair(state, &tx, account.user_id, role).await?;
    tx.commit().await?;
    Ok(pair)
}

/// An account an email and password open.
#[derive(Debug, Clone)]
pub struct Account {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub tenant_name: String,
    /// Its email was verified through a mailed link.
    pub verified: bool,
    /// The current-style hash to store, when the account's own was made otherwise.
    rehash: Option<LoginHash>,
}

impl Account {
    /// Replaces an old-style hash with the current one (in the sign-in's
    /// transaction), so the next sign-in finds the account by its hash.
    pub async fn store_current_hash(&self, tx: &ScopedTx) -> Result<()> {
        if let Some(hash) = &self.rehash {
            tx.execute(
                "UPDATE users SET password_hash = $2 WHERE id = $1",
                [self.user_id.into(), hash.as_str().into()],
            )
            .await?;
        }
        Ok(())
    }
}

/// The active accounts `password` opens under `email` (in `tenant`, or in
/// every brand). One argon2 run finds every account hashed the current way
/// (see [`super::password`]), however many there are; accounts with an
/// old-style hash are checked one by one, at most [`LEGACY_CANDIDATES`] of
/// them, oldest first. Unknown emails cost the same one run.
pub async fn find_accounts(
    state: &AppState,
    email: &Email,
    password: &str,
    tenant: Option<Uuid>,
) -> Result<Vec<Account>> {
    let hash = LoginHash::compute(email, password, state.salt_key()).await?;
    let cross = state.db.cross_tenant();
    let mut found: Vec<Account> = cross
        .login_matches(email.as_str(), hash.as_str(), tenant)
        .await?
        .into_iter()
        .map(|m| Account {
            tenant_id: m.tenant_id,
            user_id: m.user_id,
            tenant_name: m.tenant_name,
            verified: m.verified,
            rehash: None,
        })
        .collect();
    for c in cross.login_legacy_candidates(email.as_str(), hash.prefix(), tenant, LEGACY_CANDIDATES).await? {
        if verify(password.to_string(), c.password_hash).await? {
            found.push(Account {
                tenant_id: c.tenant_id,
                user_id: c.user_id,
                tenant_name: c.tenant_name,
                verified: c.verified,
                rehash: Some(hash.clone()),
            });
        }
    }
    Ok(found)
}

/// Checks email and password under the per-IP and per-account limits and
/// returns the account. Several matching brands without a `tenant_id`
/// choice is a conflict that lists them.
///
/// Both limits count failures only: each attempt takes a slot of both
/// before the password is checked (atomically, so concurrent guesses cannot
/// overrun them) and a right password gives them back, so a shop signing
/// its whole staff in from one address is never refused.
pub async fn authenticate(state: &AppState, req: &LoginRequest, client: ClientIp) -> Result<Account> {
    let s = &state.settings;
    let window = s.login_limit_window;
    let email = Email::parse(&req.email).map_err(|e| Error::field("email", e))?;
    let limiter = &state.limiter;
    let ip_slot = limiter.acquire(&format!("login:ip:{}", client.bucket()), s.login_limit_per_ip, window).await?;
    let account_slot = match limiter.acquire(&format!("login:account:{email}"), s.login_limit_per_account, window).await
    {
        Ok(slot) => slot,
        Err(e) => {
            limiter.release(ip_slot).await;
            return Err(e);
        }
    };
    let found = find_accounts(state, &email, &req.password, req.tenant_id).await;
    // Only a wrong password counts; a right one (or a failure that tells
    // the caller nothing) gives the slots back.
    if !matches!(&found, Ok(accounts) if accounts.is_empty()) {
        limiter.release(ip_slot).await;
        limiter.release(account_slot).await;
    }
    match prefer_verified(found?).as_slice() {
        [] => Err(Error::Unauthorized(Code::WrongCredentials)),
        [one] => Ok(one.clone()),
        several => Err(Error::Conflict(CodedError::email_in_several_brands(
            several.iter().map(|c| (c.tenant_id.to_string(), c.tenant_name.clone())),
        ))),
    }
}

/// Anybody can sign up with anybody's address, so of several accounts an
/// email and password open, those whose email was never verified give way
/// to the verified ones: a stranger's unverified brand cannot make the
/// address's real owner choose a brand (or see the stranger's name).
fn prefer_verified(accounts: Vec<Account>) -> Vec<Account> {
    if accounts.len() > 1 && accounts.iter().any(|a| a.verified) {
        return accounts.into_iter().filter(|a| a.verified).collect();
    }
    accounts
}

#[derive(FromQueryResult)]
struct RoleRow {
    role: String,
}

pub(crate) async fn current_role(tx: &ScopedTx, user_id: Uuid) -> Result<Role> {
    let row: RoleRow = tx
        .query_one("SELECT role FROM users WHERE id = $1 AND active", [user_id.into()])
        .await?
        .ok_or(Error::Unauthorized(Code::AccountInactive))?;
    Role::parse(&row.role).ok_or_else(|| Error::internal("unknown role in database"))
}

/// Rotates a refresh token into a new pair (see [`refresh`]).
pub async fn refresh_session(state: &AppState, raw: &str) -> Result<TokenPair> {
    let presented = RefreshToken::parse(raw)?;
    let tx = state.db.begin_scoped(presented.tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    match refresh::rotate(&tx, &state.refresh_policy(), &presented).await? {
        Rotation::Rotated { user_id, issued } => {
            let role = current_role(&tx, user_id).await?;
            tx.commit().await?;
            let ttl = state.access_ttl_secs();
            Ok(TokenPair {
                access_token: state.keyring.sign_staff(user_id, presented.tenant_id, role, issued.id, ttl)?,
                refresh_token: issued.token.encode(),
                expires_in: state.access_ttl_secs(),
            })
        }
        Rotation::ReuseDetected => {
            tx.commit().await?;
            Err(Error::Unauthorized(Code::RefreshTokenReused))
        }
    }
}

/// Ends the session of `refresh_token`, or every session (API and admin) of
/// the signed-in user.
pub async fn log_out(state: &AppState, staff: Option<(Uuid, Uuid)>, refresh_token: Option<&str>) -> Result<()> {
    let presented = refresh_token.map(RefreshToken::parse).transpose()?;
    let tenant_id = match (&staff, &presented) {
        (Some((tenant, _)), _) => *tenant,
        (None, Some(p)) => p.tenant_id,
        (None, None) => {
            return Err(Error::Unauthorized(Code::RefreshTokenRequired));
        }
    };
    let user_id = staff.map(|(_, u)| u);
    let tx = state.db.begin_scoped(tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    match (&presented, user_id) {
        (Some(p), _) if p.tenant_id == tenant_id => {
            refresh::revoke_family_of(&tx, &state.refresh_policy(), p, user_id).await?
        }
        (Some(_), _) => return Err(Error::Unauthorized(Code::RefreshTokenInvalid)),
        (None, Some(user)) => end_all_sessions(&tx, user).await?,
        (None, None) => unreachable!("checked above"),
    }
    tx.commit().await?;
    Ok(())
}

/// Ends every session of `user_id`: its refresh-token families (and so
/// every access token issued from them), and its admin sessions. Event
/// streams opened with any of them end within seconds (see
/// [`super::stream_guard`]).
pub async fn end_all_sessions(tx: &ScopedTx, user_id: Uuid) -> Result<()> {
    refresh::revoke_all_of_user(tx, user_id).await?;
    super::admin_session::revoke_all_of_user(tx, user_id).await
}
