//! A QRIS charge's state as the gateway reports it (a notification, or the
//! reconciliation job's status call), applied to our payment under the
//! order's and the payment's row locks: `pending → paid | failed | expired |
//! cancelled`, once. Anything else (a replay, a late `pending` after
//! `settlement`, a second `expire`) changes nothing, with one exception:
//! the customer paid a QR code we had already given up on (expired or
//! cancelled here while they were paying). That money is real, so the
//! payment becomes `paid`: counted on the order if the order still needs
//! it, else kept as a `surplus` that the order flags `refund_due` for staff.

use pos_wire::{OrderPaymentStatus, OrderStatus, Payment, PaymentStatus};
use uuid::Uuid;

use super::{
    PaymentRow,
    gateway::ChargeState,
    lock,
    settle::{self, apply_paid, balance, lock_order},
};
use crate::{db::ScopedTx, error::Result};

/// What a reported state did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The payment moved to this status.
    Moved(PaymentStatus),
    /// Nothing to do: not pending any more, or still pending.
    Unchanged,
    /// The report's amount is not the charge's: nothing changed.
    AmountMismatch,
}

impl Applied {
    /// For logs and the notification log.
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Moved(PaymentStatus::Paid) => "paid",
            Applied::Moved(PaymentStatus::Failed) => "failed",
            Applied::Moved(PaymentStatus::Expired) => "expired",
            Applied::Moved(PaymentStatus::Cancelled) => "cancelled",
            Applied::Moved(PaymentStatus::Pending) | Applied::Unchanged => "unchanged",
            Applied::AmountMismatch => "amount_mismatch",
        }
    }
}

/// What the gateway said of a charge, as this module needs it.
#[derive(Debug, Clone)]
pub struct Report {
    pub state: ChargeState,
    pub gross_amount_minor: i64,
    pub transaction_id: Option<String>,
}

/// Applies `report` to the payment `payment_id` of order `order_id`.
pub async fn apply(tx: &ScopedTx, order_id: Uuid, payment_id: Uuid, report: &Report) -> Result<Applied> {
    let order = lock_order(tx, order_id).await?;
    let row = lock(tx, payment_id).await?;
    if report.gross_amount_minor != row.amount_minor {
        return Ok(Applied::AmountMismatch);
    }
    let given_up = [PaymentStatus::Expired.as_str(), PaymentStatus::Cancelled.as_str()].contains(&row.status.as_str());
    let paid_late = given_up && report.state == ChargeState::Paid;
    if row.status != PaymentStatus::Pending.as_str() && !paid_late {
        return Ok(Applied::Unchanged);
    }
    if paid_late {
        tracing::warn!(%order_id, %payment_id, was = %row.status, "a QR code we had given up on was paid");
    }
    let to = match report.state {
        ChargeState::Paid => PaymentStatus::Paid,
        ChargeState::Failed => PaymentStatus::Failed,
        ChargeState::Expired => PaymentStatus::Expired,
        // Ended past its time: the gateway's "cancel" (for a charge the
        // reconciliation job ended, whose webhook may arrive before the
        // job records it) is the expiry.
        ChargeState::Cancelled if row.expires_at.is_some_and(|at| at <= chrono::Utc::now()) => PaymentStatus::Expired,
        ChargeState::Cancelled => PaymentStatus::Cancelled,
        ChargeState::Pending | ChargeState::Other => return Ok(Applied::Unchanged),
    };
    let payment = set_status(tx, &row, to, report.transaction_id.as_deref()).await?;
    super::audit(tx, None, &format!("payment.{}", to.as_str()), &payment).await?;
    metrics::counter!("payments_total", "method" => payment.method.as_str(), "outcome" => to.as_str()).increment(1);
    let payable = order.status != OrderStatus::Cancelled
        && matches!(order.payment_status, OrderPaymentStatus::Unpaid | OrderPaymentStatus::PartiallyPaid)
        && payment.amount_minor <= balance(&order);
    if to == PaymentStatus::Paid && payable {
        apply_paid(tx, &order, &payment).await?;
    } else if to == PaymentStatus::Paid {
        // The customer paid a charge the order no longer needs (cancelled,
        // or paid otherwise meanwhile): the money is in, staff refund it.
        tracing::warn!(%order_id, %payment_id, "a QRIS charge settled on an order that does not need it; refund it");
        let (order, payment) = settle::mark_surplus(tx, &order, &payment).await?;
        super::audit(tx, None, "payment.surplus", &payment).await?;
        settle::announce(tx, &order, &payment).await?;
    } else {
        settle::announce(tx, &order, &payment).await?;
    }
    Ok(Applied::Moved(to))
}

/// Moves a locked pending payment to `to`.
pub(crate) async fn set_status(
    tx: &ScopedTx,
    row: &PaymentRow,
    to: PaymentStatus,
    transaction_id: Option<&str>,
) -> Result<Payment> {
    let updated: PaymentRow = tx
        .query_one(
            &format!(
                "UPDATE payments SET status = $2, gateway_transaction_id = coalesce(gateway_transaction_id, $3), \
                        paid_at = CASE WHEN $2 = 'paid' THEN now() ELSE paid_at END, updated_at = now() \
                  WHERE id = $1 RETURNING {}",
                super::COLUMNS
            ),
            [row.id.into(), to.as_str().into(), transaction_id.map(str::to_string).into()],
        )
        .await?
        .ok_or(crate::error::Error::NotFound)?;
    Payment::try_from(updated)
}
