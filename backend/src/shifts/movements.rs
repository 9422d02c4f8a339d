//! `POST /shifts/{id}/cash-movements`: cash put into the drawer or taken out
//! of it, with a reason; exactly once per `client_movement_id` (replays of
//! one key are serialised by an advisory lock, and the unique index backs
//! it). Nothing is added to a closed shift, and no more cash leaves the
//! drawer than it should hold.

use chrono::{DateTime, Utc};
use pos_wire::{CashMovement, CashMovementKind, CreateCashMovement, ShiftStatus};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{may_run_shifts, payload_hash, record, row};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    payments::take::MAX_AMOUNT,
    tenancy::names::Name,
};

/// The longest reason kept.
pub const REASON_MAX: usize = 200;

#[derive(Debug)]
pub enum Recorded {
    Created(CashMovement),
    Duplicate(CashMovement),
}

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct MovementRow {
    id: Uuid,
    client_movement_id: Uuid,
    shift_id: Uuid,
    kind: String,
    amount_minor: i64,
    reason: String,
    user_id: Option<Uuid>,
    user_name: Option<String>,
    created_at: DateTime<Utc>,
    payload_hash: Vec<u8>,
}

const COLUMNS: &str = "m.id, m.client_movement_id, m.shift_id, m.kind, m.amount_minor, m.reason, m.user_id, \
    u.name AS user_name, m.created_at, m.payload_hash";
const FROM: &str = "shift_cash_movements m LEFT JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id";

impl TryFrom<MovementRow> for CashMovement {
    type Error = Error;

    fn try_from(r: MovementRow) -> Result<CashMovement> {
        Ok(CashMovement {
            id: r.id,
            client_movement_id: r.client_movement_id,
            shift_id: r.shift_id,
            kind: CashMovementKind::try_from(r.kind.as_str()).map_err(anyhow::Error::from)?,
            amount_minor: r.amount_minor,
            reason: r.reason,
            user_id: r.user_id,
            user_name: r.user_name,
            created_at: r.created_at,
        })
    }
}

/// The movements of a shift, oldest first.
pub async fn of_shift(tx: &ScopedTx, shift_id: Uuid) -> Result<Vec<CashMovement>> {
    let rows: Vec<MovementRow> = tx
        .query_all(
            &format!("SELECT {COLUMNS} FROM {FROM} WHERE m.shift_id = $1 ORDER BY m.created_at, m.id"),
            [shift_id.into()],
        )
        .await?;
    rows.into_iter().map(CashMovement::try_from).collect()
}

/// The trimmed reason, or why it is refused.
pub fn parse_reason(raw: &str) -> std::result::Result<String, CodedError> {
    match Name::parse(raw, REASON_MAX) {
        Ok(reason) => Ok(reason.as_str().to_string()),
        Err(e) if e.code == Code::Required => Err(Code::ReasonRequired.into()),
        Err(e) => Err(e),
    }
}

pub async fn record_cash_movement(
    tx: &ScopedTx,
    actor: &Actor,
    shift_id: Uuid,
    req: CreateCashMovement,
) -> Result<Recorded> {
    may_run_shifts(actor)?;
    let mut errors = FieldErrors::new();
    if !(1..=MAX_AMOUNT).contains(&req.amount_minor) {
        errors.add("amount_minor", CodedError::out_of_range(1, MAX_AMOUNT));
    }
    let reason = errors.take("reason", parse_reason(&req.reason));
    errors.finish()?;
    let reason = reason.unwrap_or_default();
    let hash = payload_hash(&(shift_id, req.kind, req.amount_minor, &reason));

    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 12))",
        [format!("cash-movement:{}", req.client_movement_id).into()],
    )
    .await?;
    let existing: Option<MovementRow> = tx
        .query_one(
            &format!("SELECT {COLUMNS} FROM {FROM} WHERE m.client_movement_id = $1"),
            [req.client_movement_id.into()],
        )
        .await?;
    if let Some(existing) = existing {
        if existing.payload_hash != hash {
            return Err(Error::conflict(Code::ClientMovementIdReused));
        }
        return CashMovement::try_from(existing).map(Recorded::Duplicate);
    }

    let shift = row(tx, shift_id, true).await?;
    if shift.status()? != ShiftStatus::Open {
        return Err(Error::conflict(Code::ShiftClosed));
    }
    if req.kind == CashMovementKind::Out {
        let available = shift.drawer().expected_minor();
        if req.amount_minor > available {
            return Err(Error::field(
                "amount_minor",
                CodedError::new(Code::CashOutExceedsDrawer).with("available_minor", available.max(0)),
            ));
        }
    }
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO shift_cash_movements (tenant_id, id, outlet_id, shift_id, client_movement_id, payload_hash, kind, \
                                           amount_minor, reason, user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            tx.tenant_id().into(),
            id.into(),
            shift.outlet_id.into(),
            shift_id.into(),
            req.client_movement_id.into(),
            hash.into(),
            req.kind.as_str().into(),
            req.amount_minor.into(),
            reason.into(),
            actor.user_id().into(),
        ],
    )
    .await
    .map_err(|e| if e.is_unique_violation() { Error::conflict(Code::ClientMovementIdReused) } else { e })?;
    let movement: MovementRow = tx
        .query_one(&format!("SELECT {COLUMNS} FROM {FROM} WHERE m.id = $1"), [id.into()])
        .await?
        .ok_or_else(|| Error::internal("movement not stored"))?;
    let movement = CashMovement::try_from(movement)?;
    let action = match movement.kind {
        CashMovementKind::In => "shift.cash_in",
        CashMovementKind::Out => "shift.cash_out",
    };
    let after = serde_json::to_value(&movement).map_err(anyhow::Error::from)?;
    record(tx, actor, action, &shift.to_shift()?, Some(after)).await?;
    Ok(Recorded::Created(movement))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_trimmed_and_bounded() {
        assert_eq!(parse_reason("  Beli es batu "), Ok("Beli es batu".to_string()));
        assert_eq!(parse_reason("   "), Err(Code::ReasonRequired.into()));
        assert_eq!(parse_reason(&"x".repeat(201)), Err(CodedError::too_long(200)));
        assert_eq!(parse_reason("a\u{7}b"), Err(Code::ControlCharacters.into()));
    }
}
