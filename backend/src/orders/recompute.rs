//! An order's money from its lines and its discounts in force: the one
//! place that writes an order's lines and totals after it was placed
//! (discounts, rounds, merges and splits all end here). Discounts come off
//! before service charge and tax (`pos_wire::discounted_order`, which the
//! till also shows an offline sale's total with).

use pos_wire::{DiscountKind, DiscountTerms, Order, OrderLine};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{COLUMNS, OrderRow};
use crate::{
    db::ScopedTx,
    error::{Error, Result},
};

#[derive(Debug, FromQueryResult)]
struct Rates {
    service_charge_bp: i32,
    tax_rate_bp: i32,
}

#[derive(Debug, FromQueryResult)]
struct ActiveDiscount {
    id: Uuid,
    line_id: Option<Uuid>,
    kind: String,
    value: i64,
    amount_minor: i64,
}

/// The order's discounts in force, oldest first, as the arithmetic sees them.
pub(crate) async fn discount_terms(tx: &ScopedTx, order_id: Uuid) -> Result<Vec<(Uuid, DiscountTerms, i64)>> {
    let rows: Vec<ActiveDiscount> = tx
        .query_all(
            "SELECT id, line_id, kind, value, amount_minor FROM order_discounts \
              WHERE order_id = $1 AND removed_at IS NULL ORDER BY created_at, id",
            [order_id.into()],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let kind = DiscountKind::try_from(r.kind.as_str()).map_err(anyhow::Error::from)?;
            Ok((r.id, DiscountTerms { line_id: r.line_id, kind, value: r.value }, r.amount_minor))
        })
        .collect()
}

/// `(line_id, line_total_minor)` of each line.
pub fn line_totals(lines: &[OrderLine]) -> Vec<(Uuid, i64)> {
    lines.iter().map(|l| (l.line_id, l.line_total_minor)).collect()
}

/// Stores `lines` as the order's (its row locked by the caller) and its
/// totals recomputed with the outlet's rates and the discounts in force;
/// each discount's `amount_minor` is brought up to date.
pub(crate) async fn recompute(tx: &ScopedTx, order_id: Uuid, mut lines: Vec<OrderLine>) -> Result<Order> {
    let rates: Rates = tx
        .query_one(
            "SELECT o.service_charge_bp, o.tax_rate_bp FROM orders r JOIN outlets o ON o.id = r.outlet_id WHERE r.id = $1",
            [order_id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let discounts = discount_terms(tx, order_id).await?;
    let terms: Vec<DiscountTerms> = discounts.iter().map(|(_, t, _)| *t).collect();
    let (amounts, t) =
        pos_wire::discounted_order(&line_totals(&lines), &terms, rates.service_charge_bp, rates.tax_rate_bp);
    for ((id, _, stored), amount) in discounts.iter().zip(&amounts) {
        if stored != amount {
            tx.execute("UPDATE order_discounts SET amount_minor = $2 WHERE id = $1", [(*id).into(), (*amount).into()])
                .await?;
        }
    }
    for line in &mut lines {
        line.discount_minor =
            terms.iter().zip(&amounts).filter(|(t, _)| t.line_id == Some(line.line_id)).map(|(_, a)| a).sum();
    }
    let discount: i64 = amounts.iter().sum();
    store(tx, order_id, &lines, t.subtotal_minor, discount, t.service_charge_minor, t.tax_minor, t.total_minor).await
}

/// Tells the outlet's screens that `order` changed (its lines, money or
/// table), as it is now.
pub(crate) async fn announce(tx: &ScopedTx, actor: &crate::auth::Actor, order_id: Uuid) -> Result<Order> {
    let order = super::read(tx, actor, order_id).await?;
    tx.append_event(order.outlet_id, pos_wire::LiveEvent::OrderUpdated(order.clone())).await?;
    Ok(order)
}

/// Writes an order's lines and money as given.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn store(
    tx: &ScopedTx,
    order_id: Uuid,
    lines: &[OrderLine],
    subtotal_minor: i64,
    discount_minor: i64,
    service_charge_minor: i64,
    tax_minor: i64,
    total_minor: i64,
) -> Result<Order> {
    let row: OrderRow = tx
        .query_one(
            &format!(
                "UPDATE orders SET lines = $2, subtotal_minor = $3, discount_minor = $4, service_charge_minor = $5, \
                        tax_minor = $6, total_minor = $7, updated_at = clock_timestamp() \
                  WHERE id = $1 RETURNING {COLUMNS}"
            ),
            [
                order_id.into(),
                serde_json::to_value(lines).map_err(anyhow::Error::from)?.into(),
                subtotal_minor.into(),
                discount_minor.into(),
                service_charge_minor.into(),
                tax_minor.into(),
                total_minor.into(),
            ],
        )
        .await?
        .ok_or(Error::NotFound)?;
    Order::try_from(row)
}

/// The order, its row locked, refused (409 `order_not_open`) unless nothing
/// was paid or is being paid on it and it is neither cancelled nor void:
/// what discounts and check changes require.
pub(crate) async fn lock_open(tx: &ScopedTx, order_id: Uuid) -> Result<Order> {
    let order = crate::payments::settle::lock_order(tx, order_id).await?;
    // A new payment's foreign key takes a key-share lock on the order, which waits for this one.
    let rows = tx
        .query_raw(
            "SELECT count(*) AS n FROM payments WHERE order_id = $1 AND status IN ('paid', 'pending')",
            [order_id.into()],
        )
        .await?;
    let payments: i64 = crate::db::opt_row(&rows, "n")?.unwrap_or(0);
    let open = payments == 0
        && order.paid_minor == 0
        && order.payment_status == pos_wire::OrderPaymentStatus::Unpaid
        && order.status != pos_wire::OrderStatus::Cancelled;
    if !open {
        return Err(Error::conflict(crate::error::Code::OrderNotOpen));
    }
    Ok(order)
}
