//! An order's money after one of its payments changed: the paid amount and
//! status, the receipt number once fully paid, the kitchen release of a
//! kiosk order that waited for its payment, and the events saying so.
//!
//! Every caller holds the order's row lock (taken before the payment's), so
//! payments of one order apply one at a time. The receipt number comes from
//! the outlet's counter row, bumped in this same transaction: its row lock
//! is held to commit and a rollback gives the number back, so receipt
//! numbers are sequential and without gaps.

use pos_wire::{LiveEvent, Order, OrderPaid, OrderPaymentStatus, Payment, PaymentStatus, PaymentUpdated};
use uuid::Uuid;

use crate::{
    db::ScopedTx,
    error::{Error, Result},
    orders::{COLUMNS, OrderRow},
};

/// The order, its row locked for the rest of the transaction.
pub(crate) async fn lock_order(tx: &ScopedTx, order_id: Uuid) -> Result<Order> {
    tx.query_one::<OrderRow>(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1 FOR UPDATE"), [order_id.into()])
        .await?
        .map(Order::try_from)
        .ok_or(Error::NotFound)?
}

/// What is still due on `order`.
pub fn balance(order: &Order) -> i64 {
    order.total_minor - order.paid_minor
}

/// Applies `payment`, just made `paid`, to its order (locked by the caller)
/// and announces both; returns the order as it is now.
pub(crate) async fn apply_paid(tx: &ScopedTx, order: &Order, payment: &Payment) -> Result<Order> {
    debug_assert_eq!(payment.status, PaymentStatus::Paid);
    let row: OrderRow = tx
        .query_one(
            &format!(
                "UPDATE orders SET paid_minor = paid_minor + $2, rounding_minor = rounding_minor + $3, \
                        payment_status = CASE WHEN paid_minor + $2 = total_minor THEN 'paid' ELSE 'partially_paid' END, \
                        paid_at = CASE WHEN paid_minor + $2 = total_minor THEN now() ELSE paid_at END, \
                        updated_at = clock_timestamp() \
                  WHERE id = $1 RETURNING {COLUMNS}"
            ),
            [order.id.into(), payment.amount_minor.into(), payment.rounding_minor.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let mut updated = Order::try_from(row)?;
    let mut events = vec![payment_updated(&updated, payment)];
    if updated.payment_status == OrderPaymentStatus::Paid {
        updated = number_receipt(tx, &updated).await?;
        let receipt_number = updated.receipt_number.ok_or_else(|| Error::internal("no receipt number"))?;
        events.push(LiveEvent::OrderPaid(OrderPaid {
            order_id: updated.id,
            number: updated.number.clone(),
            receipt_number,
        }));
        let released = crate::kitchen::release_tickets(tx, &updated).await?;
        events.extend(released.into_iter().map(LiveEvent::TicketCreated));
    }
    tx.append_events(updated.outlet_id, events).await?;
    metrics::counter!("orders_paid_total", "fully" => (updated.payment_status == OrderPaymentStatus::Paid).to_string())
        .increment(1);
    Ok(updated)
}

/// The flag an order carries while a surplus payment of it waits for its refund.
pub const REFUND_DUE: &str = "refund_due";

/// Marks `payment` (just made `paid`, not counted on `order`) a surplus to
/// refund, and flags the order; returns both as they are now.
pub(crate) async fn mark_surplus(tx: &ScopedTx, order: &Order, payment: &Payment) -> Result<(Order, Payment)> {
    let payment: super::PaymentRow = tx
        .query_one(
            &format!(
                "UPDATE payments SET surplus = true, updated_at = now() WHERE id = $1 RETURNING {}",
                super::COLUMNS
            ),
            [payment.id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let order: OrderRow = tx
        .query_one(
            &format!(
                "UPDATE orders SET flags = CASE WHEN $2 = ANY(flags) THEN flags ELSE array_append(flags, $2) END, \
                        updated_at = clock_timestamp() \
                  WHERE id = $1 RETURNING {COLUMNS}"
            ),
            [order.id.into(), REFUND_DUE.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    Ok((Order::try_from(order)?, Payment::try_from(payment)?))
}

/// Announces a payment whose change leaves the order's money as it was
/// (a QR code made, expired, cancelled or declined).
pub(crate) async fn announce(tx: &ScopedTx, order: &Order, payment: &Payment) -> Result<()> {
    tx.append_event(order.outlet_id, payment_updated(order, payment)).await?;
    Ok(())
}

fn payment_updated(order: &Order, payment: &Payment) -> LiveEvent {
    LiveEvent::PaymentUpdated(PaymentUpdated {
        order_id: order.id,
        payment: payment.clone(),
        payment_status: order.payment_status,
        paid_minor: order.paid_minor,
    })
}

/// Gives a fully paid order the outlet's next receipt number.
async fn number_receipt(tx: &ScopedTx, order: &Order) -> Result<Order> {
    let row: OrderRow = tx
        .query_one(
            &format!(
                "WITH c AS ( \
                    INSERT INTO receipt_counters AS c (tenant_id, outlet_id, last_number) VALUES ($1, $2, 1) \
                    ON CONFLICT (tenant_id, outlet_id) DO UPDATE SET last_number = c.last_number + 1 \
                    RETURNING last_number) \
                 UPDATE orders SET receipt_number = (SELECT last_number FROM c) \
                  WHERE id = $3 AND receipt_number IS NULL RETURNING {COLUMNS}"
            ),
            [tx.tenant_id().into(), order.outlet_id.into(), order.id.into()],
        )
        .await?
        .ok_or_else(|| Error::internal("the order already had a receipt number"))?;
    Order::try_from(row)
}
