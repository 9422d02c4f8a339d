//! `POST /outlets/{id}/stock-movements`: what people record, exactly once
//! per `client_movement_id` at the outlet (replays of one key are
//! serialised by an advisory lock; the unique index backs it).
//!
//! - `receive` adds; `waste` takes (never more than is on hand).
//! - `count` records the counted quantity: the movement's `qty` is the
//!   variance (counted minus what the ledger expected), and on hand becomes
//!   what was counted.
//! - `transfer_out` takes from this outlet and opens a pending transfer to
//!   `to_outlet_id` (another outlet of the brand); `transfer_in` at that
//!   outlet receives it (`transfer_id`), all of it or what arrived.

use chrono::{DateTime, Utc};
use pos_wire::{CreateStockMovement, StockMovement, StockMovementKind};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    MAX_QTY,
    ledger::{self, Change, Entry},
    may_record,
};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::names::Name,
};

#[derive(Debug)]
pub enum Recorded {
    Created(StockMovement),
    Duplicate(StockMovement),
}

#[derive(Debug, Clone, FromQueryResult)]
pub(super) struct MovementRow {
    id: Uuid,
    client_movement_id: Option<Uuid>,
    outlet_id: Uuid,
    ingredient_id: Uuid,
    kind: String,
    qty: i64,
    on_hand_after: i64,
    counted: Option<i64>,
    unit_cost_minor: i64,
    order_id: Option<Uuid>,
    transfer_id: Option<Uuid>,
    user_id: Option<Uuid>,
    note: Option<String>,
    created_at: DateTime<Utc>,
    payload_hash: Option<Vec<u8>>,
}

const COLUMNS: &str = "id, client_movement_id, outlet_id, ingredient_id, kind, qty, on_hand_after, counted, \
                       unit_cost_minor, order_id, transfer_id, user_id, note, created_at, payload_hash";

impl TryFrom<MovementRow> for StockMovement {
    type Error = Error;

    fn try_from(r: MovementRow) -> Result<StockMovement> {
        let kind = StockMovementKind::try_from(r.kind.as_str()).map_err(anyhow::Error::from)?;
        Ok(StockMovement {
            id: r.id,
            client_movement_id: r.client_movement_id,
            outlet_id: r.outlet_id,
            ingredient_id: r.ingredient_id,
            kind,
            qty: r.qty,
            on_hand_after: r.on_hand_after,
            counted: r.counted,
            variance: (kind == StockMovementKind::Count).then_some(r.qty),
            unit_cost_minor: r.unit_cost_minor,
            order_id: r.order_id,
            transfer_id: r.transfer_id,
            user_id: r.user_id,
            note: r.note,
            created_at: r.created_at,
        })
    }
}

/// A movement request, checked.
#[derive(Debug, Clone, PartialEq)]
struct Checked {
    kind: StockMovementKind,
    /// Positive amount, or the counted quantity; `None` for "all of the transfer".
    qty: Option<i64>,
    note: Option<String>,
}

fn check(req: &CreateStockMovement, errors: &mut FieldErrors) -> Checked {
    use StockMovementKind as K;
    if matches!(req.kind, K::Sale | K::Refund | K::Cancel) {
        errors.add("kind", Code::StockMovementKindInvalid);
    }
    let least = if req.kind == K::Count || req.kind == K::TransferIn { 0 } else { 1 };
    match req.qty {
        None if req.kind != K::TransferIn => errors.add("qty", Code::Required),
        Some(q) if !(least..=MAX_QTY).contains(&q) => errors.add("qty", CodedError::out_of_range(least, MAX_QTY)),
        _ => {}
    }
    if req.kind == K::TransferOut && req.to_outlet_id.is_none() {
        errors.add("to_outlet_id", Code::Required);
    }
    if req.kind == K::TransferIn && req.transfer_id.is_none() {
        errors.add("transfer_id", Code::Required);
    }
    let note = match req.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        None => None,
        Some(n) => errors.take("note", Name::parse(n, 200)).map(|n| n.as_str().to_string()),
    };
    Checked { kind: req.kind, qty: req.qty, note }
}

/// What makes a replay the same request.
fn payload_hash(outlet_id: Uuid, req: &CreateStockMovement, note: &Option<String>) -> Vec<u8> {
    let canonical =
        serde_json::to_vec(&(outlet_id, req.ingredient_id, req.kind, req.qty, note, req.to_outlet_id, req.transfer_id))
            .unwrap_or_default();
    Sha256::digest(&canonical).to_vec()
}

pub async fn get_movement(tx: &ScopedTx, id: Uuid) -> Result<StockMovement> {
    let row: MovementRow = tx
        .query_one(&format!("SELECT {COLUMNS} FROM stock_movements WHERE id = $1"), [id.into()])
        .await?
        .ok_or(Error::NotFound)?;
    StockMovement::try_from(row)
}

/// Records `req` at the outlet (see the module docs).
pub async fn record_movement(
    tx: &ScopedTx,
    actor: &Actor,
    outlet_id: Uuid,
    req: CreateStockMovement,
) -> Result<Recorded> {
    may_record(actor, req.kind)?;
    super::live_outlet(tx, outlet_id).await?;
    let mut errors = FieldErrors::new();
    let checked = check(&req, &mut errors);
    errors.finish()?;
    let hash = payload_hash(outlet_id, &req, &checked.note);

    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 14))",
        [format!("stock-movement:{outlet_id}:{}", req.client_movement_id).into()],
    )
    .await?;
    let existing: Option<MovementRow> = tx
        .query_one(
            &format!("SELECT {COLUMNS} FROM stock_movements WHERE outlet_id = $1 AND client_movement_id = $2"),
            [outlet_id.into(), req.client_movement_id.into()],
        )
        .await?;
    if let Some(existing) = existing {
        if existing.payload_hash.as_deref() != Some(hash.as_slice()) {
            return Err(Error::conflict(Code::ClientStockMovementIdReused));
        }
        return StockMovement::try_from(existing).map(Recorded::Duplicate);
    }
    let live = tx
        .query_raw("SELECT 1 AS one FROM ingredients WHERE id = $1 AND deleted_at IS NULL", [req.ingredient_id.into()])
        .await?;
    if live.is_empty() {
        return Err(Error::field("ingredient_id", Code::IngredientUnknown));
    }

    let mut entry = Entry {
        client_movement_id: Some(req.client_movement_id),
        payload_hash: Some(hash),
        user_id: actor.user_id(),
        note: checked.note.clone(),
        ..Entry::default()
    };
    let changes = match checked.kind {
        StockMovementKind::Receive => add(tx, outlet_id, req.ingredient_id, qty(&checked)).await?,
        StockMovementKind::Waste => take(tx, outlet_id, req.ingredient_id, qty(&checked)).await?,
        StockMovementKind::Count => {
            let counted = qty(&checked);
            entry.counted = Some(counted);
            count(tx, outlet_id, req.ingredient_id, counted).await?
        }
        StockMovementKind::TransferOut => {
            let to = req.to_outlet_id.unwrap_or_default();
            entry.transfer_id = Some(send(tx, actor, outlet_id, to, req.ingredient_id, qty(&checked)).await?);
            take(tx, outlet_id, req.ingredient_id, qty(&checked)).await?
        }
        StockMovementKind::TransferIn => {
            let transfer_id = req.transfer_id.unwrap_or_default();
            let received = receive_transfer(tx, actor, outlet_id, transfer_id, req.ingredient_id, checked.qty).await?;
            entry.transfer_id = Some(transfer_id);
            add(tx, outlet_id, req.ingredient_id, received).await?
        }
        StockMovementKind::Sale | StockMovementKind::Refund | StockMovementKind::Cancel => {
            return Err(Error::field("kind", Code::StockMovementKindInvalid));
        }
    };
    let ids = ledger::record(tx, outlet_id, checked.kind, &changes, &entry)
        .await
        .map_err(|e| if e.is_unique_violation() { Error::conflict(Code::ClientStockMovementIdReused) } else { e })?;
    ledger::effects(tx, outlet_id, &changes).await?;
    let id = ids.first().copied().ok_or_else(|| Error::internal("movement not recorded"))?;
    get_movement(tx, id).await.map(Recorded::Created)
}

fn qty(checked: &Checked) -> i64 {
    checked.qty.unwrap_or_default()
}

async fn add(tx: &ScopedTx, outlet_id: Uuid, ingredient_id: Uuid, qty: i64) -> Result<Vec<Change>> {
    ledger::apply(tx, outlet_id, &[(ingredient_id, qty)]).await
}

/// Takes `qty`, refusing more than is on hand (the statement's row lock
/// makes the check and the change one).
async fn take(tx: &ScopedTx, outlet_id: Uuid, ingredient_id: Uuid, qty: i64) -> Result<Vec<Change>> {
    let changes = ledger::apply(tx, outlet_id, &[(ingredient_id, -qty)]).await?;
    if let Some(c) = changes.iter().find(|c| c.after < 0) {
        return Err(Error::field("qty", CodedError::new(Code::StockInsufficient).with("on_hand", c.before().max(0))));
    }
    Ok(changes)
}

/// Sets on hand to `counted`: locks the balance, reads it, moves it by the variance.
async fn count(tx: &ScopedTx, outlet_id: Uuid, ingredient_id: Uuid, counted: i64) -> Result<Vec<Change>> {
    let now = ledger::apply(tx, outlet_id, &[(ingredient_id, 0)]).await?;
    let expected = now.first().map(|c| c.after).ok_or_else(|| Error::internal("no balance"))?;
    ledger::apply(tx, outlet_id, &[(ingredient_id, counted - expected)]).await
}

/// Opens a pending transfer to another outlet of the brand; its id.
async fn send(tx: &ScopedTx, actor: &Actor, from: Uuid, to: Uuid, ingredient_id: Uuid, qty: i64) -> Result<Uuid> {
    if from == to {
        return Err(Error::field("to_outlet_id", Code::TransferSameOutlet));
    }
    // Only to a live outlet of the brand (row security hides the outlets
    // the sender does not work at; the function answers for the brand).
    let state = tx.query_raw("SELECT app.outlet_state($1) AS state", [to.into()]).await?;
    match crate::db::opt_row::<Option<String>>(&state, "state")?.flatten().as_deref() {
        Some("live") => {}
        Some(_) => return Err(Error::field("to_outlet_id", Code::TransferOutletArchived)),
        None => return Err(Error::field("to_outlet_id", Code::OutletNotFound)),
    }
    let id = Uuid::now_v7();
    // The foreign key (which row security does not hide) proves the
    // destination is an outlet of this brand, whether or not the sender
    // works there.
    tx.execute(
        "INSERT INTO stock_transfers (tenant_id, id, from_outlet_id, to_outlet_id, ingredient_id, qty_sent, status, sent_by) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
        [
            tx.tenant_id().into(),
            id.into(),
            from.into(),
            to.into(),
            ingredient_id.into(),
            qty.into(),
            actor.user_id().into(),
        ],
    )
    .await
    .map_err(|e| if is_foreign_key_violation(&e) { Error::field("to_outlet_id", Code::OutletNotFound) } else { e })?;
    Ok(id)
}

fn is_foreign_key_violation(e: &Error) -> bool {
    matches!(e, Error::Db(db) if matches!(db.sql_err(), Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))))
}

/// Marks the pending transfer received; how much arrived.
async fn receive_transfer(
    tx: &ScopedTx,
    actor: &Actor,
    outlet_id: Uuid,
    transfer_id: Uuid,
    ingredient_id: Uuid,
    qty: Option<i64>,
) -> Result<i64> {
    #[derive(FromQueryResult)]
    struct Pending {
        qty_sent: i64,
        status: String,
    }
    let pending: Pending = tx
        .query_one(
            "SELECT qty_sent, status FROM stock_transfers \
              WHERE id = $1 AND to_outlet_id = $2 AND ingredient_id = $3 FOR UPDATE",
            [transfer_id.into(), outlet_id.into(), ingredient_id.into()],
        )
        .await?
        .ok_or_else(|| Error::field("transfer_id", Code::TransferUnknown))?;
    if pending.status != "pending" {
        return Err(Error::conflict(Code::TransferAlreadyReceived));
    }
    let received = qty.unwrap_or(pending.qty_sent);
    if received > pending.qty_sent {
        return Err(Error::field("qty", CodedError::new(Code::TransferQtyExceeded).with("max", pending.qty_sent)));
    }
    tx.execute(
        "UPDATE stock_transfers SET status = 'received', qty_received = $2, received_by = $3, received_at = now() \
          WHERE id = $1",
        [transfer_id.into(), received.into(), actor.user_id().into()],
    )
    .await?;
    Ok(received)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kind: StockMovementKind, qty: Option<i64>) -> CreateStockMovement {
        CreateStockMovement {
            client_movement_id: Uuid::nil(),
            ingredient_id: Uuid::nil(),
            kind,
            qty,
            note: Some("  dus penyok ".into()),
            to_outlet_id: None,
            transfer_id: None,
        }
    }

    #[test]
    fn each_kind_asks_for_what_it_needs() {
        let mut errors = FieldErrors::new();
        let c = check(&req(StockMovementKind::Receive, Some(5)), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.note.as_deref(), Some("dus penyok"));
        check(&req(StockMovementKind::Count, Some(0)), &mut errors);
        assert!(errors.is_empty(), "a count of nothing is a count");
        check(&req(StockMovementKind::Waste, Some(0)), &mut errors);
        check(&req(StockMovementKind::Sale, Some(1)), &mut errors);
        check(&req(StockMovementKind::TransferOut, Some(1)), &mut errors);
        check(&req(StockMovementKind::TransferIn, None), &mut errors);
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["kind", "qty", "to_outlet_id", "transfer_id"]);
    }
}
