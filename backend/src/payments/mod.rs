//! Payments on orders: cash, card from the bank's terminal, and QRIS
//! through a payment gateway (see API.md, Payments).
//!
//! - [`take`]: `POST /orders/{id}/payments`, exactly once per `client_payment_id`.
//! - [`cash`]: what cash settles (rounding, change), plain arithmetic.
//! - [`settle`]: an order's money after a payment is paid: `paid_minor`,
//!   `payment_status`, the gapless receipt number, the kitchen release.
//! - [`charge_state`]: a QRIS charge's state as the gateway reports it,
//!   shared by the [`webhook`] and the [`reconcile`] job.

pub mod cancel;
pub mod cash;
pub mod charge_state;
pub mod gateway;
pub mod http;
pub mod reconcile;
pub mod refunds;
pub mod settle;
pub mod take;
pub mod webhook;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pos_wire::{CardBrand, CardDetails, Order, Payment, PaymentMethod, PaymentStatus};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{
    db::ScopedTx,
    error::{Error, Result},
};

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct PaymentRow {
    pub id: Uuid,
    pub client_payment_id: Uuid,
    pub order_id: Uuid,
    pub outlet_id: Uuid,
    pub method: String,
    pub status: String,
    pub amount_minor: i64,
    pub rounding_minor: i64,
    pub tendered_minor: Option<i64>,
    pub change_minor: Option<i64>,
    pub refunded_minor: i64,
    pub card_approval_code: Option<String>,
    pub card_last4: Option<String>,
    pub card_brand: Option<String>,
    pub gateway_order_id: Option<String>,
    pub gateway_transaction_id: Option<String>,
    pub qr_string: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub shift_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub surplus: bool,
}

pub(crate) const COLUMNS: &str = "id, client_payment_id, order_id, outlet_id, method, status, amount_minor, \
    rounding_minor, tendered_minor, change_minor, refunded_minor, card_approval_code, card_last4, card_brand, \
    gateway_order_id, gateway_transaction_id, qr_string, expires_at, shift_id, created_at, paid_at, surplus";

impl TryFrom<PaymentRow> for Payment {
    type Error = Error;

    fn try_from(r: PaymentRow) -> Result<Payment> {
        let status = PaymentStatus::try_from(r.status.as_str()).map_err(anyhow::Error::from)?;
        let card = match r.card_approval_code {
            Some(approval_code) => Some(CardDetails {
                approval_code,
                last4: r.card_last4,
                brand: r.card_brand.as_deref().map(CardBrand::try_from).transpose().map_err(anyhow::Error::from)?,
            }),
            None => None,
        };
        Ok(Payment {
            id: r.id,
            client_payment_id: r.client_payment_id,
            order_id: r.order_id,
            outlet_id: r.outlet_id,
            method: PaymentMethod::try_from(r.method.as_str()).map_err(anyhow::Error::from)?,
            status,
            amount_minor: r.amount_minor,
            rounding_minor: r.rounding_minor,
            tendered_minor: r.tendered_minor,
            change_minor: r.change_minor,
            refunded_minor: r.refunded_minor,
            card,
            // The QR is only worth drawing while it can be paid.
            qr_string: r.qr_string.filter(|_| status == PaymentStatus::Pending),
            expires_at: r.expires_at,
            gateway_ref: r.gateway_transaction_id,
            shift_id: r.shift_id,
            created_at: r.created_at,
            paid_at: r.paid_at,
            surplus: r.surplus,
        })
    }
}

/// One payment, its row locked for the rest of the transaction.
pub(crate) async fn lock(tx: &ScopedTx, id: Uuid) -> Result<PaymentRow> {
    tx.query_one(&format!("SELECT {COLUMNS} FROM payments WHERE id = $1 FOR UPDATE"), [id.into()])
        .await?
        .ok_or(Error::NotFound)
}

/// The payments of `order_ids`, oldest first, by order.
pub async fn of_orders(tx: &ScopedTx, order_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Payment>>> {
    let mut by_order: HashMap<Uuid, Vec<Payment>> = HashMap::new();
    if order_ids.is_empty() {
        return Ok(by_order);
    }
    let rows: Vec<PaymentRow> = tx
        .query_all(
            &format!("SELECT {COLUMNS} FROM payments WHERE order_id = ANY($1) ORDER BY created_at, id"),
            [order_ids.to_vec().into()],
        )
        .await?;
    for row in rows {
        by_order.entry(row.order_id).or_default().push(Payment::try_from(row)?);
    }
    Ok(by_order)
}

/// Fills each order's `payments`.
pub async fn attach(tx: &ScopedTx, orders: &mut [Order]) -> Result<()> {
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let mut by_order = of_orders(tx, &ids).await?;
    for order in orders {
        order.payments = by_order.remove(&order.id).unwrap_or_default();
    }
    Ok(())
}

/// Puts a payment's creation or change into the audit log: by `actor`, or
/// by the system (the gateway's word, the reconciliation job).
pub(crate) async fn audit(
    tx: &ScopedTx,
    actor: Option<&crate::auth::Actor>,
    action: &str,
    payment: &Payment,
) -> Result<()> {
    use crate::tenancy::audit;
    let after = Some(serde_json::to_value(payment).map_err(anyhow::Error::from)?);
    let (entity, id, outlet) = ("payment", Some(payment.id), Some(payment.outlet_id));
    match actor {
        Some(actor) => audit::record(tx, actor, action, entity, id, outlet, None, after).await,
        None => audit::record_as(tx, "system", None, None, action, entity, id, outlet, None, after).await,
    }
}
