//! Staff sessions: sign-up (a new tenant and its owner), login, refresh and
//! logout. Plain functions over [`AppState`], called by thin handlers.

use pos_wire::{LoginRequest, Role, SignupRequest, SignupResponse, TokenPair};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{
    Email, Password,
    password::{decoy_hash, verify},
    refresh::{self, RefreshToken, Rotation},
};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Error, FieldErrors, Result},
    state::AppState,
    tenancy::names::Name,
};

/// Creates a tenant (brand) with its owner, and signs the owner in.
pub async fn sign_up(state: &AppState, req: SignupRequest) -> Result<SignupResponse> {
    let mut errors = FieldErrors::new();
    let brand = errors.take("brand_name", Name::parse(&req.brand_name, 120));
    let owner = errors.take("owner_name", Name::parse(&req.owner_name, 120));
    let email = errors.take("email", Email::parse(&req.email));
    let password = errors.take("password", Password::parse(&req.password));
    errors.finish()?;
    let (brand, owner, email, password) = (brand.unwrap(), owner.unwrap(), email.unwrap(), password.unwrap());

    let password_hash = password.hash().await?;
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
        access_token: state.keyring.sign_staff(user_id, tx.tenant_id(), role, state.access_ttl_secs())?,
        refresh_token: refresh.encode(),
        expires_in: state.access_ttl_secs(),
    })
}

/// Email and password to a token pair. Rate limited per account and per IP.
pub async fn log_in(state: &AppState, req: LoginRequest, client_ip: &str) -> Result<TokenPair> {
    let (tenant_id, user_id) = authenticate(state, &req, client_ip).await?;
    let tx = state.db.begin_scoped(tenant_id, OutletScope::Only(vec![]), PrincipalId::User(user_id)).await?;
    let role = current_role(&tx, user_id).await?;
    let pair = issue_pair(state, &tx, user_id, role).await?;
    tx.commit().await?;
    Ok(pair)
}

/// Checks email and password, with the per-account and per-IP limits, and
/// returns (tenant, user). Several matching brands without a `tenant_id`
/// choice is a conflict that lists them.
pub async fn authenticate(state: &AppState, req: &LoginRequest, client_ip: &str) -> Result<(Uuid, Uuid)> {
    let s = &state.settings;
    let window = s.login_limit_window;
    state.limiter.check_and_hit(&format!("login:ip:{client_ip}"), s.login_limit_per_ip, window).await?;
    let email = Email::parse(&req.email).map_err(|m| Error::field("email", m))?;
    let account_key = format!("login:account:{email}");
    state.limiter.check(&account_key, s.login_limit_per_account, window).await?;

    let candidates = state.db.cross_tenant().login_candidates(email.as_str()).await?;
    let mut matches = Vec::new();
    if candidates.is_empty() {
        // Same cost as a real check, so timing does not reveal unknown emails.
        verify(req.password.clone(), decoy_hash().to_string()).await?;
    }
    for c in candidates {
        if req.tenant_id.is_some_and(|t| t != c.tenant_id) {
            continue;
        }
        if verify(req.password.clone(), c.password_hash.clone()).await? {
            matches.push(c);
        }
    }
    match matches.as_slice() {
        [] => {
            state.limiter.hit(&account_key, window).await;
            Err(Error::Unauthorized("wrong email or password"))
        }
        [one] => Ok((one.tenant_id, one.user_id)),
        several => Err(Error::Conflict(format!(
            "This email opens accounts in several brands; log in again with tenant_id set to one of: {}",
            several.iter().map(|c| format!("{} ({})", c.tenant_id, c.tenant_name)).collect::<Vec<_>>().join(", ")
        ))),
    }
}

#[derive(FromQueryResult)]
struct RoleRow {
    role: String,
}

pub(crate) async fn current_role(tx: &ScopedTx, user_id: Uuid) -> Result<Role> {
    let row: RoleRow = tx
        .query_one("SELECT role FROM users WHERE id = $1 AND active", [user_id.into()])
        .await?
        .ok_or(Error::Unauthorized("this account is no longer active"))?;
    Role::parse(&row.role).ok_or_else(|| Error::internal("unknown role in database"))
}

/// Rotates a refresh token into a new pair (see [`refresh`]).
pub async fn refresh_session(state: &AppState, raw: &str) -> Result<TokenPair> {
    let presented = RefreshToken::parse(raw)?;
    let tx = state.db.begin_scoped(presented.tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    match refresh::rotate(&tx, &state.refresh_policy(), &presented).await? {
        Rotation::Rotated { user_id, token } => {
            let role = current_role(&tx, user_id).await?;
            tx.commit().await?;
            Ok(TokenPair {
                access_token: state.keyring.sign_staff(user_id, presented.tenant_id, role, state.access_ttl_secs())?,
                refresh_token: token.encode(),
                expires_in: state.access_ttl_secs(),
            })
        }
        Rotation::ReuseDetected => {
            tx.commit().await?;
            Err(Error::Unauthorized("refresh token reuse detected; every session of this login has been ended"))
        }
    }
}

/// Ends the session of `refresh_token`, or every session of the signed-in user.
pub async fn log_out(state: &AppState, staff: Option<(Uuid, Uuid)>, refresh_token: Option<&str>) -> Result<()> {
    let presented = refresh_token.map(RefreshToken::parse).transpose()?;
    let tenant_id = match (&staff, &presented) {
        (Some((tenant, _)), _) => *tenant,
        (None, Some(p)) => p.tenant_id,
        (None, None) => {
            return Err(Error::Unauthorized("send a bearer token or a refresh_token"));
        }
    };
    let user_id = staff.map(|(_, u)| u);
    let tx = state.db.begin_scoped(tenant_id, OutletScope::Only(vec![]), PrincipalId::System).await?;
    match (&presented, user_id) {
        (Some(p), _) if p.tenant_id == tenant_id => {
            refresh::revoke_family_of(&tx, &state.refresh_policy(), p, user_id).await?
        }
        (Some(_), _) => return Err(Error::Unauthorized("invalid refresh token")),
        (None, Some(user)) => refresh::revoke_all_of_user(&tx, user).await?,
        (None, None) => unreachable!("checked above"),
    }
    tx.commit().await?;
    Ok(())
}
