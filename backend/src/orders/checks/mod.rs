//! Checks: orders of channel `table` seated at a table, open until paid.
//! They collect rounds (each priced as `POST /orders` prices and sent to the
//! kitchen on its own), move to a free table, merge with another check of
//! the outlet, split by item into a new order, and split evenly into
//! payment amounts. None of it happens once anything is paid or being paid
//! on the check (`super::recompute::lock_open`); payment itself goes
//! through the payments API.

pub mod http;
pub mod rounds;
pub mod split;

use pos_wire::{Channel, MergeChecks, MoveCheck, Order, OrderPaymentStatus, OrderStatus, Role, SetGuests};
use uuid::Uuid;

use super::{
    lifecycle::Move,
    recompute::{announce, lock_open, recompute},
    status::set_status,
};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, Result},
    tenancy::audit,
};

/// Staff at the counter work the checks; devices alone and kitchen staff do not.
fn may_work_checks(actor: &Actor) -> Result<()> {
    actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier]).map(|_| ())
}

/// The open check `order_id`, its row locked (409 for an order that is not a check).
async fn lock_check(tx: &ScopedTx, actor: &Actor, order_id: Uuid) -> Result<Order> {
    let order = super::get(tx, actor, order_id).await?;
    let order = lock_open(tx, order.id).await?;
    if order.channel != Channel::Table {
        return Err(Error::conflict(Code::NotACheck));
    }
    Ok(order)
}

/// Seats the check at another free table of its outlet.
pub async fn move_check(tx: &ScopedTx, actor: &Actor, order_id: Uuid, req: MoveCheck) -> Result<Order> {
    may_work_checks(actor)?;
    let order = lock_check(tx, actor, order_id).await?;
    if order.table_id == Some(req.table_id) {
        return super::read(tx, actor, order.id).await;
    }
    let seat = crate::tables::free_table(tx, order.outlet_id, req.table_id, Some(order.id))
        .await?
        .ok_or_else(|| Error::field("table_id", Code::TableUnknown))?;
    tx.execute(
        "UPDATE orders SET table_id = $2, table_label = $3, updated_at = clock_timestamp() WHERE id = $1",
        [order.id.into(), seat.table_id.into(), seat.label.clone().into()],
    )
    .await
    .map_err(crate::tables::seat_taken)?;
    let before = serde_json::json!({"table_id": order.table_id, "table": order.table});
    let after = serde_json::json!({"table_id": seat.table_id, "table": seat.label});
    audit::record(tx, actor, "check.move", "order", Some(order.id), Some(order.outlet_id), Some(before), Some(after))
        .await?;
    announce(tx, actor, order.id).await
}

/// Changes how many guests sit at the check (1 to 999).
pub async fn set_guests(tx: &ScopedTx, actor: &Actor, order_id: Uuid, req: SetGuests) -> Result<Order> {
    may_work_checks(actor)?;
    let count = crate::tables::guest_count(req.guest_count).map_err(|e| Error::field("guest_count", e))?;
    let order = lock_check(tx, actor, order_id).await?;
    if order.guest_count == Some(count) {
        return super::read(tx, actor, order.id).await;
    }
    tx.execute(
        "UPDATE orders SET guest_count = $2, updated_at = clock_timestamp() WHERE id = $1",
        [order.id.into(), count.into()],
    )
    .await?;
    let before = serde_json::json!({"guest_count": order.guest_count});
    let after = serde_json::json!({"guest_count": count});
    audit::record(tx, actor, "check.guests", "order", Some(order.id), Some(order.outlet_id), Some(before), Some(after))
        .await?;
    announce(tx, actor, order.id).await
}

/// Moves the lines (and kitchen tickets) of check `req.from_order_id` into
/// check `into_id`; the other check is closed (cancelled, `void`, reason
/// `merged`). Checks with discounts are not merged.
pub async fn merge_checks(tx: &ScopedTx, actor: &Actor, into_id: Uuid, req: MergeChecks) -> Result<Order> {
    may_work_checks(actor)?;
    if into_id == req.from_order_id {
        return Err(Error::field("from_order_id", Code::MergeSameCheck));
    }
    let (into_seen, from_seen) =
        (super::get(tx, actor, into_id).await?, super::get(tx, actor, req.from_order_id).await?);
    // Row locks in one order, so two merges of the same pair cannot deadlock.
    let (first, second) = if into_seen.id < from_seen.id { (into_id, from_seen.id) } else { (from_seen.id, into_id) };
    let a = lock_check(tx, actor, first).await?;
    let b = lock_check(tx, actor, second).await?;
    let (into, from) = if a.id == into_id { (a, b) } else { (b, a) };
    if into.outlet_id != from.outlet_id {
        return Err(Error::field("from_order_id", Code::ChecksOfOtherOutlets));
    }
    if into.discount_minor > 0 || from.discount_minor > 0 || has_discounts(tx, &[into.id, from.id]).await? {
        return Err(Error::conflict(Code::CheckHasDiscounts));
    }
    let mut lines = into.items.clone();
    lines.extend(from.items.iter().cloned());
    let merged = recompute(tx, into.id, lines).await?;
    crate::stock::sales::follow_merge(tx, from.id, &into).await?;
    let tickets = crate::kitchen::hand_over_tickets(tx, from.id, into.id).await?;
    tx.append_events(into.outlet_id, tickets.into_iter().map(pos_wire::LiveEvent::TicketUpdated).collect()).await?;
    tx.execute("UPDATE orders SET payment_status = 'void' WHERE id = $1", [from.id.into()]).await?;
    let mut closed = from.clone();
    closed.payment_status = OrderPaymentStatus::Void;
    let reason = format!("merged into {}", into.number);
    if closed.status != OrderStatus::Cancelled {
        set_status(tx, closed, OrderStatus::Cancelled, Some(reason.clone()), Move::Lifecycle).await?;
    }
    let record =
        serde_json::json!({"from_order_id": from.id, "into_order_id": into.id, "total_minor": merged.total_minor});
    audit::record(tx, actor, "check.merge", "order", Some(into.id), Some(into.outlet_id), None, Some(record.clone()))
        .await?;
    audit::record(tx, actor, "check.merge", "order", Some(from.id), Some(from.outlet_id), None, Some(record)).await?;
    announce(tx, actor, into.id).await
}

/// Whether any of `orders` has a discount in force.
pub(crate) async fn has_discounts(tx: &ScopedTx, orders: &[Uuid]) -> Result<bool> {
    let rows = tx
        .query_raw(
            "SELECT 1 AS one FROM order_discounts WHERE order_id = ANY($1) AND removed_at IS NULL LIMIT 1",
            [orders.to_vec().into()],
        )
        .await?;
    Ok(!rows.is_empty())
}
