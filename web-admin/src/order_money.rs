//! The payments and refunds of one order, read in the admin's scoped
//! transaction (RLS decides what it sees). The admin's own reads until the
//! domain offers them: payments map to `pos_wire::Payment`, so the order's
//! embedded `payments` can replace them without touching the page.

use chrono::{DateTime, Utc};
use pos_backend::{Error, db::ScopedTx};
use pos_wire::{CardBrand, CardDetails, Payment, PaymentMethod, PaymentStatus, RefundStatus};
use sea_orm::FromQueryResult;
use uuid::Uuid;

#[derive(Debug, FromQueryResult)]
struct PaymentRow {
    id: Uuid,
    client_payment_id: Uuid,
    order_id: Uuid,
    outlet_id: Uuid,
    method: String,
    status: String,
    amount_minor: i64,
    rounding_minor: i64,
    tendered_minor: Option<i64>,
    change_minor: Option<i64>,
    refunded_minor: i64,
    card_approval_code: Option<String>,
    card_last4: Option<String>,
    card_brand: Option<String>,
    qr_string: Option<String>,
    expires_at: Option<DateTime<Utc>>,
    gateway_ref: Option<String>,
    shift_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    paid_at: Option<DateTime<Utc>>,
}

fn unknown(what: &str, value: &str) -> Error {
    Error::internal(format!("a stored {what} the admin does not know: {value}"))
}

impl TryFrom<PaymentRow> for Payment {
    type Error = Error;

    fn try_from(r: PaymentRow) -> Result<Payment, Error> {
        let method = PaymentMethod::try_from(r.method.as_str()).map_err(|_| unknown("payment method", &r.method))?;
        let status = PaymentStatus::try_from(r.status.as_str()).map_err(|_| unknown("payment status", &r.status))?;
        let brand = match r.card_brand.as_deref() {
            Some(b) => Some(CardBrand::try_from(b).map_err(|_| unknown("card brand", b))?),
            None => None,
        };
        let card = r.card_approval_code.map(|approval_code| CardDetails { approval_code, last4: r.card_last4, brand });
        Ok(Payment {
            id: r.id,
            client_payment_id: r.client_payment_id,
            order_id: r.order_id,
            outlet_id: r.outlet_id,
            method,
            status,
            amount_minor: r.amount_minor,
            rounding_minor: r.rounding_minor,
            tendered_minor: r.tendered_minor,
            change_minor: r.change_minor,
            refunded_minor: r.refunded_minor,
            card,
            qr_string: r.qr_string,
            expires_at: r.expires_at,
            gateway_ref: r.gateway_ref,
            shift_id: r.shift_id,
            created_at: r.created_at,
            paid_at: r.paid_at,
        })
    }
}

/// The order's payments, oldest first.
pub async fn payments_of(tx: &ScopedTx, order_id: Uuid) -> pos_backend::Result<Vec<Payment>> {
    let rows: Vec<PaymentRow> = tx
        .query_all(
            "SELECT id, client_payment_id, order_id, outlet_id, method, status, amount_minor, rounding_minor, \
                    tendered_minor, change_minor, refunded_minor, card_approval_code, card_last4, card_brand, \
                    qr_string, expires_at, coalesce(gateway_transaction_id, gateway_order_id) AS gateway_ref, \
                    shift_id, created_at, paid_at \
               FROM payments WHERE order_id = $1 ORDER BY created_at, id",
            [order_id.into()],
        )
        .await?;
    rows.into_iter().map(Payment::try_from).collect()
}

/// A refund as the order page lists it: who made it and who approved it.
#[derive(Debug, Clone)]
pub struct RefundEntry {
    pub id: Uuid,
    pub payment_id: Uuid,
    pub amount_minor: i64,
    pub reason: String,
    pub status: RefundStatus,
    pub user_name: Option<String>,
    pub approver_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, FromQueryResult)]
struct RefundRow {
    id: Uuid,
    payment_id: Uuid,
    amount_minor: i64,
    reason: String,
    status: String,
    user_name: Option<String>,
    approver_name: Option<String>,
    created_at: DateTime<Utc>,
}

/// The order's refunds, oldest first.
pub async fn refunds_of(tx: &ScopedTx, order_id: Uuid) -> pos_backend::Result<Vec<RefundEntry>> {
    let rows: Vec<RefundRow> = tx
        .query_all(
            "SELECT r.id, r.payment_id, r.amount_minor, r.reason, r.status, u.name AS user_name, \
                    a.name AS approver_name, r.created_at \
               FROM refunds r \
               LEFT JOIN users u ON u.tenant_id = r.tenant_id AND u.id = r.user_id \
               LEFT JOIN users a ON a.tenant_id = r.tenant_id AND a.id = r.approved_by \
              WHERE r.order_id = $1 ORDER BY r.created_at, r.id",
            [order_id.into()],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RefundEntry {
                status: RefundStatus::try_from(r.status.as_str()).map_err(|_| unknown("refund status", &r.status))?,
                id: r.id,
                payment_id: r.payment_id,
                amount_minor: r.amount_minor,
                reason: r.reason,
                user_name: r.user_name,
                approver_name: r.approver_name,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// The order a payment belongs to, when the caller may see it.
pub async fn order_of_payment(tx: &ScopedTx, payment_id: Uuid) -> pos_backend::Result<Option<Uuid>> {
    #[derive(FromQueryResult)]
    struct Owner {
        order_id: Uuid,
    }
    let owner: Option<Owner> = tx.query_one("SELECT order_id FROM payments WHERE id = $1", [payment_id.into()]).await?;
    Ok(owner.map(|o| o.order_id))
}
