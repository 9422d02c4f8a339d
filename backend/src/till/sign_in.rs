//! Signing a cashier in on a till with their personal PIN.
//!
//! Only the till's own device token may ask. The answer is a staff access
//! token bound to the till, valid for a shift ([`SHIFT_TTL`]), backed by a
//! server-side session (a refresh-token row whose secret is never handed
//! out): ending that session (signing out, deactivation, a password change)
//! refuses the token on its next request, like any staff token.
//!
//! A PIN has at most a million values, so guesses are limited per person
//! and per till (failures only: a right PIN gives its slots back). An
//! unknown person and a wrong PIN get the same answer, after the same
//! argon2 work.

use std::time::Duration;

use pos_wire::{DeviceKind, Role, TillSession, TillSignIn, TillStaff};
use sea_orm::FromQueryResult;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind, pin::Pin, refresh},
    db::ScopedTx,
    error::{Code, Error, Result},
    state::AppState,
    tenancy::audit,
};

/// How long a cashier's till token lives: a shift.
pub const SHIFT_TTL: Duration = Duration::from_secs(12 * 3600);
/// Wrong PINs allowed per person, on every till together, in [`PIN_WINDOW`].
pub const PIN_ATTEMPTS_PER_USER: u32 = 5;
/// Wrong PINs allowed per till, for everyone together, in [`PIN_WINDOW`].
pub const PIN_ATTEMPTS_PER_TILL: u32 = 20;
pub const PIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The till making the request: (device id, outlet id); 403 for anyone else.
pub fn calling_till(actor: &Actor) -> Result<(Uuid, Uuid)> {
    match actor.kind {
        ActorKind::Device { device_id, outlet_id, kind: DeviceKind::Till } => Ok((device_id, outlet_id)),
        _ => Err(Error::Forbidden(Code::TillTokenRequired)),
    }
}

/// Who may sign in at `outlet_id`: active owners, and managers and cashiers
/// with a membership there, with a PIN set.
const MAY_SIGN_IN: &str = "u.active AND u.pin_hash IS NOT NULL \
     AND (u.role = 'owner' OR (u.role IN ('manager', 'cashier') AND EXISTS \
          (SELECT 1 FROM user_outlets m WHERE m.user_id = u.id AND m.outlet_id = $1)))";

#[derive(FromQueryResult)]
struct StaffRow {
    id: Uuid,
    name: String,
    role: String,
}

impl TryFrom<StaffRow> for TillStaff {
    type Error = Error;

    fn try_from(r: StaffRow) -> Result<TillStaff> {
        let role = Role::parse(&r.role).ok_or_else(|| Error::internal("unknown role in database"))?;
        Ok(TillStaff { id: r.id, name: r.name, role })
    }
}

/// The people who may sign in on the calling till, by name.
pub async fn staff(tx: &ScopedTx, actor: &Actor) -> Result<Vec<TillStaff>> {
    let (_, outlet_id) = calling_till(actor)?;
    let rows: Vec<StaffRow> = tx
        .query_all(
            &format!("SELECT u.id, u.name, u.role FROM users u WHERE {MAY_SIGN_IN} ORDER BY lower(u.name), u.id"),
            [outlet_id.into()],
        )
        .await?;
    rows.into_iter().map(TillStaff::try_from).collect()
}

#[derive(FromQueryResult)]
struct Candidate {
    id: Uuid,
    name: String,
    role: String,
    pin_hash: String,
}

/// A hash no PIN opens, checked for unknown people so that they cost the
/// same argon2 run as a wrong PIN.
async fn decoy_hash() -> Result<String> {
    static DECOY: OnceCell<String> = OnceCell::const_new();
    DECOY.get_or_try_init(|| async { Pin::parse("000000").expect("six digits").hash().await }).await.cloned()
}

/// Signs `req.user_id` in on the calling till (in `tx`, the till's scoped
/// transaction, which the caller commits).
pub async fn sign_in(state: &AppState, tx: &ScopedTx, actor: &Actor, req: TillSignIn) -> Result<TillSession> {
    let (till_id, outlet_id) = calling_till(actor)?;
    let pin = Pin::parse(&req.pin).map_err(|e| Error::field("pin", e))?;
    let limiter = &state.limiter;
    let till_slot = limiter.acquire(&format!("till-pin:till:{till_id}"), PIN_ATTEMPTS_PER_TILL, PIN_WINDOW).await?;
    let user_key = format!("till-pin:user:{}:{}", tx.tenant_id(), req.user_id);
    let user_slot = match limiter.acquire(&user_key, PIN_ATTEMPTS_PER_USER, PIN_WINDOW).await {
        Ok(slot) => slot,
        Err(e) => {
            // Not a guess: the person's own limit refused it first.
            limiter.release(till_slot).await;
            return Err(e);
        }
    };
    let candidate: Option<Candidate> = tx
        .query_one(
            &format!("SELECT u.id, u.name, u.role, u.pin_hash FROM users u WHERE u.id = $2 AND {MAY_SIGN_IN}"),
            [outlet_id.into(), req.user_id.into()],
        )
        .await?;
    let hash = match &candidate {
        Some(c) => c.pin_hash.clone(),
        None => decoy_hash().await?,
    };
    let right = pin.matches(hash).await? && candidate.is_some();
    let Some(person) = candidate.filter(|_| right) else {
        // Both slots stay taken: a wrong guess counts.
        tracing::warn!(%till_id, user_id = %req.user_id, "till sign-in refused");
        return Err(Error::Unauthorized(Code::TillSignInRefused));
    };
    limiter.release(till_slot).await;
    limiter.release(user_slot).await;

    let user = TillStaff::try_from(StaffRow { id: person.id, name: person.name, role: person.role })?;
    let mut policy = state.refresh_policy();
    policy.ttl_secs = SHIFT_TTL.as_secs() as i64;
    let session = refresh::start_family(tx, &policy, user.id).await?;
    let access_token =
        state.keyring.sign_till_staff(user.id, tx.tenant_id(), user.role, session.id, till_id, SHIFT_TTL.as_secs())?;
    let after = serde_json::json!({"user_id": user.id, "session_id": session.id});
    audit::record(tx, actor, "till.sign_in", "device", Some(till_id), Some(outlet_id), None, Some(after)).await?;
    tracing::info!(%till_id, user_id = %user.id, "cashier signed in on a till");
    Ok(TillSession { access_token, expires_in: SHIFT_TTL.as_secs(), user })
}

/// Ends the till session `session_id` of the calling cashier (their other
/// sessions, on other tills or in the admin, stay).
pub async fn sign_out(tx: &ScopedTx, actor: &Actor, session_id: Uuid) -> Result<()> {
    let till = actor.till().ok_or(Error::Forbidden(Code::TillTokenRequired))?;
    let user_id = actor.user_id().ok_or(Error::Forbidden(Code::TillTokenRequired))?;
    tx.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        [session_id.into(), user_id.into()],
    )
    .await?;
    tx.narrows_principals();
    let after = serde_json::json!({"user_id": user_id, "session_id": session_id});
    audit::record(tx, actor, "till.sign_out", "device", Some(till.device_id), Some(till.outlet_id), None, Some(after))
        .await
}
