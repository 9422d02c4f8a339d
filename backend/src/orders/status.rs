//! Moving an order through its lifecycle.

use pos_wire::{ChangeOrderStatus, DeviceKind, Order, OrderStatus, Role};
use uuid::Uuid;

use super::{COLUMNS, OrderRow, lifecycle::can_move};
use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, CodedError, Error, Result},
};

/// Kitchen staff and KDS devices move orders of their own outlet (the
/// database only shows them those); cashiers, managers and owners too.
/// Kiosks move nothing. A move the lifecycle does not allow is 409.
pub async fn change_status(tx: &ScopedTx, actor: &Actor, id: Uuid, req: ChangeOrderStatus) -> Result<Order> {
    match &actor.kind {
        ActorKind::Device { kind: DeviceKind::Kiosk, .. } => return Err(Error::Forbidden(Code::KiosksDoNotMoveOrders)),
        ActorKind::Device { .. } => {}
        ActorKind::Staff { .. } => {
            actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier, Role::Kitchen])?;
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
    let from = OrderStatus::parse(&current.status).unwrap_or(OrderStatus::Placed);
    set_status(tx, current.into_order(), from, req.status, reason).await
}

/// Applies a move already known to come from `from` (row locked by the caller).
pub(crate) async fn set_status(
    tx: &ScopedTx,
    order: Order,
    from: OrderStatus,
    to: OrderStatus,
    reason: Option<String>,
) -> Result<Order> {
    if !can_move(from, to) {
        return Err(Error::Conflict(CodedError::status_transition(from.as_str(), to.as_str())));
    }
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
    let updated = row.into_order();
    let mut events = vec![(
        "order.status_changed",
        serde_json::json!({
            "order_id": updated.id, "number": updated.number, "status": to, "previous": from,
            "reason": reason, "order": updated,
        }),
    )];
    for ticket in &cancelled {
        events.push(("ticket.updated", serde_json::to_value(ticket).map_err(anyhow::Error::from)?));
    }
    tx.append_events(updated.outlet_id, events).await?;
    Ok(updated)
}
