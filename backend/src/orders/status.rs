//! Moving an order through its lifecycle.

use pos_wire::{
    ChangeOrderStatus, DeviceKind, LiveEvent, Order, OrderStatus, OrderStatusChanged, Role, StockMovementKind,
};
use uuid::Uuid;

use super::{COLUMNS, OrderRow, lifecycle::Move};
use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, CodedError, Error, Result},
};

/// Kitchen staff and KDS devices move orders of their own outlet (the
/// database only shows them those); cashiers, managers and owners too.
/// Kiosks move nothing; cashiers cancel only by a void (`orders/{id}/void`,
/// with a manager's approval). A move the lifecycle does not allow is 409.
pub async fn change_status(tx: &ScopedTx, actor: &Actor, id: Uuid, req: ChangeOrderStatus) -> Result<Order> {
    match &actor.kind {
        ActorKind::Device { kind: DeviceKind::Kiosk, .. } => return Err(Error::Forbidden(Code::KiosksDoNotMoveOrders)),
        ActorKind::Device { .. } => {}
        ActorKind::Staff { .. } => {
            let role = actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier, Role::Kitchen])?;
            // A cashier cancels through a void, with a manager's approval.
            if role == Role::Cashier && req.status == OrderStatus::Cancelled {
                return Err(Error::Forbidden(Code::ApprovalRequired));
            }
        }
    }
    let reason = req.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if req.status == OrderStatus::Cancelled {
        match &reason {
            None => return Err(Error::field("reason", Code::ReasonRequired)),
            Some(r) if r.chars().count() > 200 => return Err(Error::field("reason", CodedError::too_long(200))),
            _ => {}
        }
    }
    let current: OrderRow = tx
        .query_one(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1 FOR UPDATE"), [id.into()])
        .await?
        .ok_or(Error::NotFound)?;
    let moved = set_status(tx, Order::try_from(current)?, req.status, reason, Move::Lifecycle).await?;
    super::with_payments(tx, moved).await
}

/// Moves `order` (its row locked by the caller) to `to` if `how` allows it
/// from where it is, cancels its tickets when it is cancelled, and announces
/// the change: the one place an order's status changes.
pub(crate) async fn set_status(
    tx: &ScopedTx,
    order: Order,
    to: OrderStatus,
    reason: Option<String>,
    how: Move,
) -> Result<Order> {
    let from = order.status;
    if !how.allows(from, to) {
        return Err(Error::Conflict(CodedError::status_transition(from.as_str(), to.as_str())));
    }
    let reason = reason.or_else(|| how.reason().map(str::to_string));
    let row: OrderRow = tx
        .query_one(
            &format!(
                "UPDATE orders SET status = $2, cancel_reason = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancel_reason END, \
                        updated_at = clock_timestamp() WHERE id = $1 RETURNING {COLUMNS}"
            ),
            [order.id.into(), to.as_str().into(), reason.clone().into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let cancelled =
        if to == OrderStatus::Cancelled { crate::kitchen::cancel_tickets(tx, order.id).await? } else { Vec::new() };
    if to == OrderStatus::Cancelled && not_yet_made(from) {
        let note = reason.clone();
        crate::stock::sales::restore_for_order(tx, order.id, StockMovementKind::Cancel, None, note).await?;
    }
    let updated = Order::try_from(row)?;
    let changed = OrderStatusChanged {
        order_id: updated.id,
        number: updated.number.clone(),
        status: to,
        previous: from,
        reason,
        order: updated.clone(),
    };
    let mut events = vec![LiveEvent::OrderStatusChanged(changed)];
    events.extend(cancelled.into_iter().map(LiveEvent::TicketUpdated));
    tx.append_events(updated.outlet_id, events).await?;
    Ok(updated)
}

/// Before the kitchen starts on an order its ingredients are untouched: a
/// cancellation then puts them back into stock; later, they were used.
fn not_yet_made(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Placed | OrderStatus::Accepted)
}
