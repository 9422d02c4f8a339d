//! Voiding an order nothing was paid on: it is cancelled as a cancellation
//! through its lifecycle is (tickets cancelled, `order.status_changed`), and
//! its payment status becomes `void`. Owners and managers void directly; a
//! cashier only with a manager's approval. An order with a payment (paid,
//! or a QR code still pending) is not voided: its payments are refunded
//! (or the QR cancelled) instead.

use pos_wire::{Order, OrderPaymentStatus, OrderStatus, Role, VoidOrder};
use uuid::Uuid;

use super::{COLUMNS, OrderRow, lifecycle::Move, status::set_status};
use crate::{
    approvals::{self, ApprovalFor},
    auth::{Actor, rate_limit::RateLimiter},
    db::ScopedTx,
    error::{Code, CodedError, Error, Result},
    tenancy::audit,
};

const REASON_MAX: usize = 200;

pub async fn void_order(
    tx: &ScopedTx,
    limiter: &RateLimiter,
    actor: &Actor,
    id: Uuid,
    req: VoidOrder,
) -> Result<Order> {
    actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier])?;
    let reason = req.reason.trim().to_string();
    if reason.is_empty() {
        return Err(Error::field("reason", Code::ReasonRequired));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(Error::field("reason", CodedError::too_long(REASON_MAX)));
    }
    let order = super::get(tx, actor, id).await?;
    let authorised = approvals::authorise(
        tx,
        limiter,
        actor,
        req.approval.as_ref(),
        ApprovalFor { action: "order.void", entity: "order", entity_id: order.id, outlet_id: order.outlet_id },
    )
    .await?;

    let current: OrderRow = tx
        .query_one(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1 FOR UPDATE"), [id.into()])
        .await?
        .ok_or(Error::NotFound)?;
    let before = Order::try_from(current)?;
    // A new payment's foreign key takes a key-share lock on the order, which waits for this one.
    let rows = tx
        .query_raw(
            "SELECT count(*) AS n FROM payments WHERE order_id = $1 AND status IN ('paid', 'pending')",
            [id.into()],
        )
        .await?;
    let payments: i64 = crate::db::opt_row(&rows, "n")?.unwrap_or(0);
    if payments > 0 || before.paid_minor > 0 || before.payment_status != OrderPaymentStatus::Unpaid {
        return Err(Error::conflict(Code::OrderHasPayments));
    }
    if !Move::Lifecycle.allows(before.status, OrderStatus::Cancelled) {
        return Err(Error::Conflict(CodedError::status_transition(before.status.as_str(), "cancelled")));
    }
    tx.execute("UPDATE orders SET payment_status = 'void' WHERE id = $1", [id.into()]).await?;
    let mut voided = before.clone();
    voided.payment_status = OrderPaymentStatus::Void;
    let after = set_status(tx, voided, OrderStatus::Cancelled, Some(reason.clone()), Move::Lifecycle).await?;
    let record = serde_json::json!({
        "status": after.status, "payment_status": after.payment_status, "reason": reason,
        "approved_by": authorised.approved_by,
    });
    let was = serde_json::json!({"status": before.status, "payment_status": before.payment_status});
    audit::record(tx, actor, "order.void", "order", Some(id), Some(after.outlet_id), Some(was), Some(record)).await?;
    super::with_payments(tx, after).await
}
