//! A new order's share of the sales rollups, written by intake itself
//! (migration 0021) before the order takes its outlet's pickup number: the
//! outlet's counter row, which every order of a busy outlet queues on, is
//! then held only for the insert, the events and the commit. Every other
//! change to orders and payments reaches the rollups through their triggers
//! (migration 0017), and so does an order inserted by any other path.

use pos_wire::{Channel, pricing::Totals};
use uuid::Uuid;

use crate::{db::ScopedTx, error::Result};

/// An order about to be inserted, as it will be stored.
pub struct NewOrder<'a> {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub channel: Channel,
    pub totals: &'a Totals,
    /// Its lines, in the JSON the order stores.
    pub lines: &'a serde_json::Value,
}

/// Adds `order` to its outlet's sales and item rollups and marks it counted,
/// so the insert trigger skips it. Call it in the transaction that then
/// inserts exactly this order (a new order: no discount, nothing refunded).
pub async fn count_new_order(tx: &ScopedTx, order: NewOrder<'_>) -> Result<()> {
    tx.execute(
        "SELECT app.rollup_placed_order($1, $2, $3, $4, $5, $6, $7)",
        [
            order.id.into(),
            order.outlet_id.into(),
            order.channel.as_str().into(),
            order.totals.subtotal_minor.into(),
            order.totals.tax_minor.into(),
            order.totals.service_charge_minor.into(),
            order.lines.clone().into(),
        ],
    )
    .await?;
    Ok(())
}
