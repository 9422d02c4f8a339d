//! Kiosks, kitchen displays and pickup boards. An owner or manager creates a device for an
//! outlet and gets a short, single-use, expiring pairing code; the device
//! trades the code for a device token bound to that outlet. Revoking the
//! device makes its next request fail with 401.

pub mod board;
pub mod http;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use pos_wire::{CreateDevice, Device, DeviceKind, DevicePairingCode, DeviceRevoked, LiveEvent, PairedDevice, Role};
use sea_orm::FromQueryResult;
use sha2::Sha256;
use uuid::Uuid;

use super::{
    audit::{self, snapshot},
    names::Name,
};
use crate::{
    auth::Actor,
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Code, Error, Result},
    http::client_ip::ClientIp,
    state::AppState,
};

/// No 0/O or 1/I: codes are read off a screen and typed on a tablet.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LEN: usize = 8;

/// A pairing code as typed: case, spaces and dashes do not matter.
pub fn normalise_code(raw: &str) -> Option<String> {
    let code: String =
        raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

fn new_code() -> String {
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())] as char).collect()
}

fn code_hash(key: &[u8], code: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"pair:");
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[derive(Debug, Clone, FromQueryResult)]
struct DeviceRow {
    id: Uuid,
    outlet_id: Uuid,
    kind: String,
    name: String,
    pairing_expires_at: Option<DateTime<Utc>>,
    paired_at: Option<DateTime<Utc>>,
    last_seen_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<DeviceRow> for Device {
    fn from(r: DeviceRow) -> Device {
        let status = if r.revoked_at.is_some() {
            "revoked"
        } else if r.paired_at.is_some() {
            "paired"
        } else if r.pairing_expires_at.is_some_and(|t| t > Utc::now()) {
            "pending"
        } else {
            "expired"
        };
        Device {
            id: r.id,
            outlet_id: r.outlet_id,
            kind: DeviceKind::parse(&r.kind).unwrap_or(DeviceKind::Kiosk),
            name: r.name,
            status: status.into(),
            pairing_expires_at: r.pairing_expires_at,
            paired_at: r.paired_at,
            last_seen_at: r.last_seen_at,
            revoked_at: r.revoked_at,
            created_at: r.created_at,
        }
    }
}

const COLUMNS: &str = "id, outlet_id, kind, name, pairing_expires_at, paired_at, last_seen_at, revoked_at, created_at";

async fn require_outlet(tx: &ScopedTx, outlet_id: Uuid) -> Result<()> {
    let found =
        tx.query_raw("SELECT 1 AS one FROM outlets WHERE id = $1 AND archived_at IS NULL", [outlet_id.into()]).await?;
    if found.is_empty() { Err(Error::NotFound) } else { Ok(()) }
}

/// Creates a device and its pairing code. Owners, and managers of the outlet.
pub async fn create(
    tx: &ScopedTx,
    actor: &Actor,
    code_key: &[u8],
    code_ttl_secs: u64,
    outlet_id: Uuid,
    req: CreateDevice,
) -> Result<DevicePairingCode> {
    actor.require_role(&[Role::Owner, Role::Manager])?;
    require_outlet(tx, outlet_id).await?;
    let name = Name::parse(&req.name, 80).map_err(|e| Error::field("name", e))?;
    let code = new_code();
    let id = Uuid::now_v7();
    let row: DeviceRow = tx
        .query_one(
            &format!(
                "INSERT INTO devices (tenant_id, id, outlet_id, kind, name, pairing_code_hash, pairing_expires_at, number_prefix) \
                 VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7), \
                         CASE WHEN $4 = 'kiosk' THEN 'K' || (SELECT count(*) + 1 FROM devices \
                                                            WHERE outlet_id = $3 AND kind = 'kiosk') \
                              WHEN $4 = 'till' THEN 'T' || (SELECT count(*) + 1 FROM devices \
                                                           WHERE outlet_id = $3 AND kind = 'till') END) \
                 RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                id.into(),
                outlet_id.into(),
                req.kind.as_str().into(),
                name.as_str().into(),
                code_hash(code_key, &code).into(),
                (code_ttl_secs as f64).into(),
            ],
        )
        .await?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let device = Device::from(row);
    audit::record(tx, actor, "device.create", "device", Some(id), Some(outlet_id), None, snapshot(&device)).await?;
    Ok(DevicePairingCode {
        device_id: id,
        pairing_code: code,
        expires_at: device.pairing_expires_at.unwrap_or_else(Utc::now),
    })
}

pub async fn list_for_outlet(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid) -> Result<Vec<Device>> {
    actor.require_role(&[Role::Owner, Role::Manager])?;
    require_outlet(tx, outlet_id).await?;
    let rows: Vec<DeviceRow> = tx
        .query_all(&format!("SELECT {COLUMNS} FROM devices WHERE outlet_id = $1 ORDER BY id"), [outlet_id.into()])
        .await?;
    Ok(rows.into_iter().map(Device::from).collect())
}

pub async fn get(tx: &ScopedTx, id: Uuid) -> Result<Device> {
    tx.query_one::<DeviceRow>(&format!("SELECT {COLUMNS} FROM devices WHERE id = $1"), [id.into()])
        .await?
        .map(Device::from)
        .ok_or(Error::NotFound)
}

/// Revokes a device: its token stops working on its next request.
pub async fn revoke(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require_role(&[Role::Owner, Role::Manager])?;
    let before = get(tx, id).await?;
    tx.execute(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, now()), pairing_code_hash = NULL WHERE id = $1",
        [id.into()],
    )
    .await?;
    tx.narrows_principals();
    let after = get(tx, id).await?;
    // Ends the device's open event stream at once.
    tx.append_event(before.outlet_id, LiveEvent::DeviceRevoked(DeviceRevoked { device_id: id })).await?;
    audit::record(
        tx,
        actor,
        "device.revoke",
        "device",
        Some(id),
        Some(before.outlet_id),
        snapshot(&before),
        snapshot(&after),
    )
    .await?;
    Ok(())
}

/// Trades a pairing code for a device token.
///
/// Codes are 8 of 32 symbols (2^40), live 15 minutes and work once, so
/// guessing one needs very many tries: wrong codes are limited per client
/// address (an IPv6 /64) and, against many addresses at once, for everyone
/// together. Each try takes a slot of both limits before the code is looked
/// up (so concurrent tries cannot overrun them) and a right code gives them
/// back: pairing a shop's tablets never counts.
pub async fn pair(state: &AppState, raw_code: &str, client: ClientIp) -> Result<PairedDevice> {
    let s = &state.settings;
    let invalid = || Error::field("pairing_code", Code::PairingCodeInvalid);
    let code = normalise_code(raw_code).ok_or_else(invalid)?;
    let (limiter, window) = (&state.limiter, s.pair_limit_window);
    let ip_slot = limiter.acquire(&format!("pair:ip:{}", client.bucket()), s.pair_limit_per_ip, window).await?;
    let global_slot = match limiter.acquire("pair:all", s.pair_limit_global, window).await {
        Ok(slot) => slot,
        Err(e) => {
            tracing::warn!("pairing: the limit of wrong codes for everyone together is reached");
            limiter.release(ip_slot).await;
            return Err(e);
        }
    };
    let claimed = state.db.cross_tenant().claim_pairing_code(code_hash(s.token_secret.expose(), &code)).await;
    if !matches!(claimed, Ok(None)) {
        limiter.release(ip_slot).await;
        limiter.release(global_slot).await;
    }
    let claimed = claimed?.ok_or_else(invalid)?;
    let kind = DeviceKind::parse(&claimed.kind).ok_or_else(|| Error::internal("unknown device kind"))?;
    let tx = state
        .db
        .begin_scoped(
            claimed.tenant_id,
            OutletScope::Only(vec![claimed.outlet_id]),
            PrincipalId::Device(claimed.device_id),
        )
        .await?;
    audit::record_as(
        &tx,
        "device",
        Some(claimed.device_id),
        None,
        "device.pair",
        "device",
        Some(claimed.device_id),
        Some(claimed.outlet_id),
        None,
        None,
    )
    .await?;
    let prefix = tx.query_raw("SELECT number_prefix FROM devices WHERE id = $1", [claimed.device_id.into()]).await?;
    let number_prefix: Option<String> = crate::db::opt_row::<Option<String>>(&prefix, "number_prefix")?.flatten();
    tx.commit().await?;
    let device_token = state.keyring.sign_device(
        claimed.device_id,
        claimed.tenant_id,
        claimed.outlet_id,
        kind,
        s.device_token_ttl.as_secs(),
    )?;
    Ok(PairedDevice {
        device_token,
        device_id: claimed.device_id,
        outlet_id: claimed.outlet_id,
        tenant_id: claimed.tenant_id,
        kind,
        number_prefix,
    })
}

/// The calling device itself.
pub async fn me(tx: &ScopedTx, actor: &Actor) -> Result<Device> {
    match actor.kind {
        crate::auth::ActorKind::Device { device_id, .. } => get(tx, device_id).await,
        _ => Err(Error::Forbidden(Code::NotADevice)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typable_and_normalised() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
            assert_eq!(normalise_code(&format!(" {}-{} ", &code[..4].to_lowercase(), &code[4..])), Some(code));
        }
        assert_eq!(normalise_code("ABCD"), None);
        assert_eq!(normalise_code("ABCDEFG0"), None, "0 is not in the alphabet");
    }
}
