//! `POST /shifts`: a shift opens on a till with a float.
//!
//! Opens of one till are serialised by a transaction-scoped advisory lock on
//! the till, so ten at once make one shift (the unique partial index on open
//! shifts backs it). A replay of the same `client_shift_id` and content
//! answers the stored shift, even once it is closed.

use pos_wire::{DeviceKind, OpenShift, Shift};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{may_run_shifts, payload_hash, record, row};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, Result},
    payments::take::MAX_AMOUNT,
};

#[derive(Debug)]
pub enum Opened {
    Created(Shift),
    /// The same `client_shift_id` with the same content: the stored shift.
    Duplicate(Shift),
}

#[derive(FromQueryResult)]
struct Till {
    outlet_id: Uuid,
    kind: String,
}

#[derive(FromQueryResult)]
struct Existing {
    id: Uuid,
    open_payload_hash: Vec<u8>,
}

pub async fn open_shift(tx: &ScopedTx, actor: &Actor, req: OpenShift) -> Result<Opened> {
    may_run_shifts(actor)?;
    if !(0..=MAX_AMOUNT).contains(&req.opening_float_minor) {
        return Err(Error::field("opening_float_minor", CodedError::out_of_range(0, MAX_AMOUNT)));
    }
    let hash = payload_hash(&(req.device_id, req.opening_float_minor));
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 11))",
        [format!("shift-open:{}", req.device_id).into()],
    )
    .await?;
    if let Some(client_shift_id) = req.client_shift_id {
        let existing: Option<Existing> = tx
            .query_one("SELECT id, open_payload_hash FROM shifts WHERE client_shift_id = $1", [client_shift_id.into()])
            .await?;
        if let Some(existing) = existing {
            if existing.open_payload_hash != hash {
                return Err(Error::conflict(Code::ClientShiftIdReused));
            }
            return row(tx, existing.id, false).await?.to_shift().map(Opened::Duplicate);
        }
    }
    // Another outlet's till is as unknown as a kiosk or a revoked till.
    let till: Option<Till> = tx
        .query_one("SELECT outlet_id, kind FROM devices WHERE id = $1 AND revoked_at IS NULL", [req.device_id.into()])
        .await?;
    let outlet_id = match till {
        Some(t) if t.kind == DeviceKind::Till.as_str() && tx.outlets().contains(t.outlet_id) => t.outlet_id,
        _ => return Err(Error::field("device_id", Code::TillUnknown)),
    };
    if let Some(open) = super::open_shift_of_till(tx, req.device_id).await? {
        return Err(Error::Conflict(CodedError::new(Code::ShiftAlreadyOpen).with("shift_id", open.to_string())));
    }
    let id = Uuid::now_v7();
    let inserted = tx
        .execute(
            "INSERT INTO shifts (tenant_id, id, outlet_id, device_id, client_shift_id, open_payload_hash, status, \
                                 opening_float_minor, opened_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)",
            [
                tx.tenant_id().into(),
                id.into(),
                outlet_id.into(),
                req.device_id.into(),
                req.client_shift_id.into(),
                hash.into(),
                req.opening_float_minor.into(),
                actor.user_id().into(),
            ],
        )
        .await;
    match inserted {
        Ok(_) => {}
        // The same `client_shift_id` taken for another till meanwhile.
        Err(e) if e.is_unique_violation() => return Err(Error::conflict(Code::ClientShiftIdReused)),
        Err(e) => return Err(e),
    }
    let shift = row(tx, id, false).await?.to_shift()?;
    record(tx, actor, "shift.open", &shift, None).await?;
    tracing::info!(shift_id = %shift.id, device_id = %shift.device_id, "shift opened");
    Ok(Opened::Created(shift))
}
