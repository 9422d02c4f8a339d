//! Refunds of a payment, all or part, with a reason: never more than that
//! payment's amount minus its refunds (checked under a row lock on the
//! payment, so concurrent refunds cannot together exceed it), exactly once
//! per `client_refund_id`. Owners and managers refund directly; a cashier
//! only with a manager's approval (see [`crate::approvals`]).
//!
//! Cash and card refunds are recorded (the money leaves the drawer or the
//! bank's terminal) and succeed at once. A QRIS refund goes through the
//! gateway in two steps, so that no database connection waits on the
//! network: the refund is stored `pending` (its amount reserved on the
//! payment) and committed; the gateway is asked with the refund's
//! `client_refund_id` as its idempotency key; a second transaction records
//! the answer. A refund the gateway could not be asked about (or that it
//! answered "pending") stays pending and is asked again when the same
//! request is sent again, and by the reconciliation job
//! ([`crate::payments::reconcile`]).

pub mod http;

use chrono::{DateTime, Utc};
use pos_wire::{
    CreateRefund, LiveEvent, OrderPaymentStatus, PaymentMethod, PaymentStatus, Refund, RefundStatus, RefundUpdated,
};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    approvals::{self, ApprovalFor},
    auth::{Actor, rate_limit::RateLimiter},
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Code, CodedError, Error, FieldErrors, Result},
    payments::{
        COLUMNS as PAYMENT_COLUMNS, PaymentRow,
        gateway::{GatewayError, PaymentGateway, RefundState},
    },
    state::AppState,
    tenancy::audit,
};

/// The longest reason kept.
const REASON_MAX: usize = 200;

#[derive(Debug, Clone, FromQueryResult)]
struct RefundRow {
    id: Uuid,
    client_refund_id: Uuid,
    payment_id: Uuid,
    order_id: Uuid,
    outlet_id: Uuid,
    payload_hash: Vec<u8>,
    amount_minor: i64,
    reason: String,
    status: String,
    user_id: Option<Uuid>,
    approved_by: Option<Uuid>,
    created_at: DateTime<Utc>,
}

const REFUND_COLUMNS: &str = "id, client_refund_id, payment_id, order_id, outlet_id, payload_hash, amount_minor, \
                              reason, status, user_id, approved_by, created_at";

impl TryFrom<RefundRow> for Refund {
    type Error = Error;

    fn try_from(r: RefundRow) -> Result<Refund> {
        Ok(Refund {
            id: r.id,
            client_refund_id: r.client_refund_id,
            payment_id: r.payment_id,
            order_id: r.order_id,
            amount_minor: r.amount_minor,
            reason: r.reason,
            status: RefundStatus::try_from(r.status.as_str()).map_err(anyhow::Error::from)?,
            user_id: r.user_id,
            approved_by: r.approved_by,
            created_at: r.created_at,
        })
    }
}

/// A refund request that passed its field checks.
struct RefundRequest {
    client_refund_id: Uuid,
    amount_minor: i64,
    reason: String,
    restock: bool,
}

impl RefundRequest {
    fn parse(req: &CreateRefund) -> Result<RefundRequest> {
        let mut errors = FieldErrors::new();
        if req.amount_minor < 1 {
            errors.add("amount_minor", CodedError::too_small(1));
        }
        let reason = errors.take("reason", crate::tenancy::names::reason(&req.reason, REASON_MAX));
        errors.finish()?;
        Ok(RefundRequest {
            client_refund_id: req.client_refund_id,
            amount_minor: req.amount_minor,
            reason: reason.unwrap_or_default(),
            restock: req.restock,
        })
    }

    /// What makes a replay the same request (never the approval's PIN).
    fn payload_hash(&self, payment_id: Uuid) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(payment_id.as_bytes());
        h.update(self.amount_minor.to_be_bytes());
        h.update(self.reason.as_bytes());
        // Only when asked, so refunds stored before `restock` replay the same.
        if self.restock {
            h.update(b"\0restock");
        }
        h.finalize().to_vec()
    }
}

/// What the first step left to do.
pub enum Started {
    /// Stored and final (or a replay of a final refund); `created` is false for a replay.
    Done { refund: Refund, created: bool },
    /// Stored `pending`: the gateway must be asked (again).
    AtGateway(GatewayRefund),
    /// A replay of a refund the gateway refused.
    Refused,
}

/// A QRIS refund to send to the gateway.
#[derive(Debug, Clone)]
pub struct GatewayRefund {
    pub refund_id: Uuid,
    pub gateway_order_id: String,
    pub refund_key: String,
    pub amount_minor: i64,
    pub reason: String,
    /// False when this is a replay of a refund stored earlier.
    pub created: bool,
}

/// Step one: checks who asks and how much, and stores the refund under a
/// lock on the payment. Cash and card refunds are final here.
pub async fn start_refund(
    tx: &ScopedTx,
    limiter: &RateLimiter,
    actor: &Actor,
    payment_id: Uuid,
    req: &CreateRefund,
) -> Result<Started> {
    actor.require_role(&[pos_wire::Role::Owner, pos_wire::Role::Manager, pos_wire::Role::Cashier])?;
    let request = RefundRequest::parse(req)?;
    let hash = request.payload_hash(payment_id);
    let payment = payment(tx, payment_id, false).await?;
    if let Some(existing) = refund_by_client_id(tx, request.client_refund_id).await? {
        return replay(existing, &hash, &payment);
    }
    let authorised = approvals::authorise(
        tx,
        limiter,
        actor,
        req.approval.as_ref(),
        ApprovalFor { action: "refund", entity: "payment", entity_id: payment.id, outlet_id: payment.outlet_id },
    )
    .await?;

    // Everything below holds the order's and the payment's row locks until
    // commit, taken in the order every payment path takes them (order, then
    // payment), so a refund and a settlement of the same order cannot deadlock.
    crate::payments::settle::lock_order(tx, payment.order_id).await?;
    let payment = self::payment(tx, payment_id, true).await?;
    if payment.status != PaymentStatus::Paid.as_str() {
        return Err(Error::conflict(Code::PaymentNotRefundable));
    }
    let refundable = payment.amount_minor - payment.refunded_minor;
    if request.amount_minor > refundable {
        return Err(Error::field(
            "amount_minor",
            CodedError::new(Code::RefundExceedsPayment).with("max", refundable.max(0)),
        ));
    }
    let method = PaymentMethod::try_from(payment.method.as_str()).map_err(anyhow::Error::from)?;
    let at_gateway = method == PaymentMethod::Qris;
    let status = if at_gateway { RefundStatus::Pending } else { RefundStatus::Succeeded };
    // Money back out of the drawer it went into, while that shift is open.
    let shift_id = crate::shifts::drawer::refund_shift(tx, payment.shift_id).await?;
    let inserted: Option<RefundRow> = tx
        .query_one(
            &format!(
                "INSERT INTO refunds (tenant_id, id, outlet_id, order_id, payment_id, client_refund_id, payload_hash, \
                                      amount_minor, reason, status, gateway_refund_key, user_id, approved_by, \
                                      shift_id, restock) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                 ON CONFLICT (tenant_id, client_refund_id) DO NOTHING RETURNING {REFUND_COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                Uuid::now_v7().into(),
                payment.outlet_id.into(),
                payment.order_id.into(),
                payment.id.into(),
                request.client_refund_id.into(),
                hash.clone().into(),
                request.amount_minor.into(),
                request.reason.clone().into(),
                status.as_str().into(),
                at_gateway.then(|| request.client_refund_id.to_string()).into(),
                actor.user_id().into(),
                authorised.approved_by.into(),
                shift_id.into(),
                request.restock.into(),
            ],
        )
        .await?;
    let Some(row) = inserted else {
        // Another payment's refund took this id meanwhile.
        let existing = refund_by_client_id(tx, request.client_refund_id).await?.ok_or(Error::NotFound)?;
        return replay(existing, &hash, &payment);
    };
    tx.execute(
        "UPDATE payments SET refunded_minor = refunded_minor + $2, updated_at = now() WHERE id = $1",
        [payment.id.into(), request.amount_minor.into()],
    )
    .await?;
    let refund = Refund::try_from(row)?;
    audit::record(
        tx,
        actor,
        "refund.create",
        "refund",
        Some(refund.id),
        Some(payment.outlet_id),
        None,
        audit::snapshot(&refund),
    )
    .await?;
    if at_gateway {
        return Ok(Started::AtGateway(GatewayRefund {
            refund_id: refund.id,
            gateway_order_id: payment
                .gateway_order_id
                .ok_or_else(|| Error::internal("QRIS payment without gateway id"))?,
            refund_key: request.client_refund_id.to_string(),
            amount_minor: refund.amount_minor,
            reason: refund.reason.clone(),
            created: true,
        }));
    }
    let refund = settle_on_order(tx, refund, payment.outlet_id).await?;
    Ok(Started::Done { refund, created: true })
}

/// A refund that succeeded with `restock` puts back what its order took
/// from stock (nothing when an earlier refund or a cancellation already did).
async fn restock_if_asked(tx: &ScopedTx, refund: &Refund) -> Result<()> {
    let rows = tx.query_raw("SELECT restock FROM refunds WHERE id = $1", [refund.id.into()]).await?;
    if crate::db::opt_row::<bool>(&rows, "restock")?.unwrap_or(false) {
        let kind = pos_wire::StockMovementKind::Refund;
        crate::stock::sales::restore_for_order(tx, refund.order_id, kind, refund.user_id, Some(refund.reason.clone()))
            .await?;
    }
    Ok(())
}

/// The same `client_refund_id` again: the stored refund when the request is
/// the same, 409 when it is not.
fn replay(existing: RefundRow, hash: &[u8], payment: &PaymentRow) -> Result<Started> {
    if existing.payload_hash != hash || existing.payment_id != payment.id {
        return Err(Error::conflict(Code::ClientRefundIdReused));
    }
    let refund = Refund::try_from(existing)?;
    Ok(match refund.status {
        RefundStatus::Succeeded => Started::Done { refund, created: false },
        RefundStatus::Failed => Started::Refused,
        RefundStatus::Pending => Started::AtGateway(GatewayRefund {
            refund_id: refund.id,
            gateway_order_id: payment
                .gateway_order_id
                .clone()
                .ok_or_else(|| Error::internal("pending refund without gateway"))?,
            refund_key: refund.client_refund_id.to_string(),
            amount_minor: refund.amount_minor,
            reason: refund.reason,
            created: false,
        }),
    })
}

async fn payment(tx: &ScopedTx, id: Uuid, lock: bool) -> Result<PaymentRow> {
    if lock {
        return super::lock(tx, id).await;
    }
    tx.query_one(&format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1"), [id.into()])
        .await?
        .ok_or(Error::NotFound)
}

async fn refund_by_client_id(tx: &ScopedTx, client_refund_id: Uuid) -> Result<Option<RefundRow>> {
    tx.query_one(
        &format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE client_refund_id = $1"),
        [client_refund_id.into()],
    )
    .await
}

/// A refund succeeded: counts it on its order, whose payment status becomes
/// `refunded` once everything paid was given back, else
/// `partially_refunded`, and tells the outlet's staff. A surplus payment
/// was never counted on the order: its refund only clears the order's
/// `refund_due` flag once no surplus is left to give back.
async fn settle_on_order(tx: &ScopedTx, refund: Refund, outlet_id: Uuid) -> Result<Refund> {
    restock_if_asked(tx, &refund).await?;
    #[derive(FromQueryResult)]
    struct OrderMoney {
        payment_status: String,
        refunded_minor: i64,
    }
    #[derive(FromQueryResult)]
    struct Surplus {
        surplus: bool,
    }
    let of_surplus = tx
        .query_one::<Surplus>("SELECT surplus FROM payments WHERE id = $1", [refund.payment_id.into()])
        .await?
        .is_some_and(|p| p.surplus);
    let statement = if of_surplus {
        "UPDATE orders SET flags = CASE WHEN EXISTS (SELECT 1 FROM payments p WHERE p.order_id = orders.id \
                                                        AND p.surplus AND p.refunded_minor < p.amount_minor) \
                                        THEN flags ELSE array_remove(flags, 'refund_due') END, \
                updated_at = clock_timestamp() \
          WHERE id = $1 AND $2 > 0 RETURNING payment_status, refunded_minor"
    } else {
        "UPDATE orders SET refunded_minor = refunded_minor + $2, \
                payment_status = CASE WHEN refunded_minor + $2 >= paid_minor THEN 'refunded' \
                                      ELSE 'partially_refunded' END, \
                updated_at = clock_timestamp() \
          WHERE id = $1 RETURNING payment_status, refunded_minor"
    };
    let order: OrderMoney =
        tx.query_one(statement, [refund.order_id.into(), refund.amount_minor.into()]).await?.ok_or(Error::NotFound)?;
    let payment_status = OrderPaymentStatus::try_from(order.payment_status.as_str()).map_err(anyhow::Error::from)?;
    tx.append_event(
        outlet_id,
        LiveEvent::RefundUpdated(RefundUpdated {
            order_id: refund.order_id,
            refund: refund.clone(),
            payment_status,
            refunded_minor: order.refunded_minor,
        }),
    )
    .await?;
    Ok(refund)
}

/// What a refund request came to, everything recorded.
pub enum Outcome {
    /// Final here (cash, card), or a replay of a final refund.
    Done { refund: Refund, created: bool },
    /// A replay of a refund the gateway refused.
    Refused,
    /// A QRIS refund the gateway was asked about; its answer is recorded.
    AskedGateway { refund: Refund, created: bool, answer: GatewayAnswer },
}

/// The whole refund, for the API and the admin alike: step one in `tx`
/// (committed here), then for QRIS the gateway asked with no transaction
/// open and its answer recorded by the system (the refund was already
/// authorised).
pub async fn refund_payment(
    state: &AppState,
    tx: ScopedTx,
    actor: &Actor,
    payment_id: Uuid,
    req: &CreateRefund,
) -> Result<Outcome> {
    let started = start_refund(&tx, &state.limiter, actor, payment_id, req).await?;
    tx.commit().await?;
    let call = match started {
        Started::Done { refund, created } => return Ok(Outcome::Done { refund, created }),
        Started::Refused => return Ok(Outcome::Refused),
        Started::AtGateway(call) => call,
    };
    let answer = ask_gateway(state.gateway.as_deref(), &call).await;
    let system = state.db.begin_scoped(actor.tenant_id, OutletScope::All, PrincipalId::System).await?;
    let refund = finish_gateway_refund(&system, &call, &answer).await?;
    system.commit().await?;
    if let GatewayAnswer::Unavailable(why) | GatewayAnswer::Refused(why) = &answer {
        tracing::warn!(refund_id = %call.refund_id, %why, "QRIS refund not completed by the gateway");
    }
    Ok(Outcome::AskedGateway { refund, created: call.created, answer })
}

/// What the gateway said of a QRIS refund.
#[derive(Debug)]
pub enum GatewayAnswer {
    Succeeded,
    /// Accepted, not settled yet; stays pending.
    Pending,
    Refused(String),
    /// Not asked, or no answer: stays pending, to be asked again.
    Unavailable(String),
}

/// Step two: asks the gateway (outside any transaction).
pub async fn ask_gateway(gateway: Option<&dyn PaymentGateway>, refund: &GatewayRefund) -> GatewayAnswer {
    let Some(gateway) = gateway else {
        return GatewayAnswer::Unavailable("no payment gateway configured".into());
    };
    match gateway.refund(&refund.gateway_order_id, &refund.refund_key, refund.amount_minor, &refund.reason).await {
        Ok(RefundState::Succeeded) => GatewayAnswer::Succeeded,
        Ok(RefundState::Pending) => GatewayAnswer::Pending,
        Ok(RefundState::Refused) => GatewayAnswer::Refused("refused".into()),
        Err(GatewayError::Refused(why)) => GatewayAnswer::Refused(why),
        Err(GatewayError::Unavailable(why)) => GatewayAnswer::Unavailable(why),
    }
}

/// Step three: records the gateway's answer, once (a refund already moved
/// on by a concurrent request is left as it is). Succeeded counts on the
/// order; refused gives the reserved amount back to the payment.
pub async fn finish_gateway_refund(tx: &ScopedTx, refund: &GatewayRefund, answer: &GatewayAnswer) -> Result<Refund> {
    let to = match answer {
        GatewayAnswer::Succeeded => RefundStatus::Succeeded,
        GatewayAnswer::Refused(_) => RefundStatus::Failed,
        GatewayAnswer::Pending | GatewayAnswer::Unavailable(_) => RefundStatus::Pending,
    };
    let moved: Option<RefundRow> = tx
        .query_one(
            &format!(
                "UPDATE refunds SET status = $2, updated_at = now() WHERE id = $1 AND status = 'pending' AND $2 <> 'pending' \
                 RETURNING {REFUND_COLUMNS}"
            ),
            [refund.refund_id.into(), to.as_str().into()],
        )
        .await?;
    let Some(row) = moved else {
        let row: RefundRow = tx
            .query_one(&format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE id = $1"), [refund.refund_id.into()])
            .await?
            .ok_or(Error::NotFound)?;
        return Refund::try_from(row);
    };
    let outlet_id = row.outlet_id;
    let payment_id = row.payment_id;
    let done = Refund::try_from(row)?;
    let after = serde_json::json!({"status": done.status, "gateway": format!("{answer:?}")});
    audit::record_as(
        tx,
        "system",
        None,
        None,
        "refund.gateway",
        "refund",
        Some(done.id),
        Some(outlet_id),
        None,
        Some(after),
    )
    .await?;
    match done.status {
        RefundStatus::Succeeded => settle_on_order(tx, done, outlet_id).await,
        RefundStatus::Failed => {
            tx.execute(
                "UPDATE payments SET refunded_minor = refunded_minor - $2, updated_at = now() WHERE id = $1",
                [payment_id.into(), done.amount_minor.into()],
            )
            .await?;
            Ok(done)
        }
        RefundStatus::Pending => Ok(done),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(amount: i64, reason: &str) -> CreateRefund {
        CreateRefund {
            client_refund_id: Uuid::nil(),
            amount_minor: amount,
            reason: reason.into(),
            approval: None,
            restock: false,
        }
    }

    #[test]
    fn fields_are_checked() {
        assert!(RefundRequest::parse(&body(1, " wrong order ")).is_ok());
        for (amount, reason) in [(0, "x"), (-5, "x"), (10, ""), (10, "   "), (10, &"x".repeat(201)), (10, "a\u{7}b")] {
            assert!(
                matches!(RefundRequest::parse(&body(amount, reason)), Err(Error::Validation(_))),
                "{amount} {reason:?}"
            );
        }
    }

    #[test]
    fn the_same_request_hashes_the_same_and_the_pin_is_not_part_of_it() {
        let p = Uuid::now_v7();
        let a = RefundRequest::parse(&body(500, "cold")).unwrap();
        let mut with_approval = body(500, " cold");
        with_approval.approval = Some(pos_wire::Approval { approver_id: Uuid::nil(), pin: "1234".into() });
        let b = RefundRequest::parse(&with_approval).unwrap();
        assert_eq!(a.payload_hash(p), b.payload_hash(p));
        assert_ne!(a.payload_hash(p), RefundRequest::parse(&body(501, "cold")).unwrap().payload_hash(p));
        assert_ne!(a.payload_hash(p), a.payload_hash(Uuid::now_v7()));
    }
}
