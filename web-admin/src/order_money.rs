//! The refunds of one order with the names of who made and approved them,
//! and the order a payment belongs to: the admin's own reads (the domain
//! has none that return names), in its scoped transaction, so RLS decides
//! what it sees. Payments themselves come embedded in the order.

use chrono::{DateTime, Utc};
use pos_backend::{Error, db::ScopedTx};
use pos_wire::RefundStatus;
use sea_orm::FromQueryResult;
use uuid::Uuid;

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
                status: RefundStatus::try_from(r.status.as_str()).map_err(|_| {
                    Error::internal(format!("a stored refund status the admin does not know: {}", r.status))
                })?,
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

/// A discount as the order page lists it: what it took off, why, who gave
/// and who approved it, and whether it was removed since.
#[derive(Debug, Clone, FromQueryResult)]
pub struct DiscountEntry {
    pub line_id: Option<Uuid>,
    pub kind: String,
    pub value: i64,
    pub amount_minor: i64,
    pub reason: String,
    pub user_name: Option<String>,
    pub approver_name: Option<String>,
    pub removed: bool,
    pub created_at: DateTime<Utc>,
}

/// The order's discounts, removed ones included, oldest first.
pub async fn discounts_of(tx: &ScopedTx, order_id: Uuid) -> pos_backend::Result<Vec<DiscountEntry>> {
    tx.query_all(
        "SELECT d.line_id, d.kind, d.value, d.amount_minor, d.reason, u.name AS user_name, \
                a.name AS approver_name, d.removed_at IS NOT NULL AS removed, d.created_at \
           FROM order_discounts d \
           LEFT JOIN users u ON u.tenant_id = d.tenant_id AND u.id = d.user_id \
           LEFT JOIN users a ON a.tenant_id = d.tenant_id AND a.id = d.approved_by \
          WHERE d.order_id = $1 ORDER BY d.created_at, d.id",
        [order_id.into()],
    )
    .await
}
