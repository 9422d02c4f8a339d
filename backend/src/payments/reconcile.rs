//! The reconciliation job: a webhook can be lost, so QRIS charges still
//! pending after a while are asked about at the gateway and moved to what
//! it says; a charge past its expiry is ended at the gateway and expired
//! here. Runs on one server at a time (see [`crate::jobs`]); a webhook
//! racing it meets the same row locks and state machine
//! ([`super::charge_state`]), so exactly one of them moves the payment.
//!
//! QRIS refunds the gateway has not confirmed (it could not be reached, or
//! answered "pending") are sent again with the same idempotency key until
//! it says succeeded or refused.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{
    charge_state::{self, Applied, Report},
    gateway::{ChargeState, GatewayError},
    refunds::{GatewayAnswer, GatewayRefund, ask_gateway, finish_gateway_refund},
    take::{PendingCharge, Scope, cancel_charge},
};
use crate::{
    db::cross_tenant::{PendingGatewayPayment, PendingGatewayRefund},
    error::Result,
    jobs::Job,
    state::AppState,
};

/// Charges looked at per run.
const BATCH: i32 = 200;

/// What the job did in one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub checked: usize,
    pub moved: usize,
    /// Pending refunds asked about again, and how many of them ended.
    pub refunds_checked: usize,
    pub refunds_ended: usize,
}

pub struct ReconcilePayments;

#[async_trait]
impl Job for ReconcilePayments {
    fn name(&self) -> &'static str {
        "reconcile_payments"
    }

    async fn run(&self, state: &AppState) -> Result<()> {
        let done = reconcile_once(state).await?;
        if done.checked + done.refunds_checked > 0 {
            tracing::info!(
                checked = done.checked,
                moved = done.moved,
                refunds_checked = done.refunds_checked,
                refunds_ended = done.refunds_ended,
                "payments reconciled"
            );
        }
        Ok(())
    }
}

/// One pass over the charges pending longer than the setting.
pub async fn reconcile_once(state: &AppState) -> Result<Reconciled> {
    reconcile_once_for(state, None).await
}

/// [`reconcile_once`], limited to one tenant's charges and refunds when
/// `only` is given (tests share one database between several gateways).
pub async fn reconcile_once_for(state: &AppState, only: Option<Uuid>) -> Result<Reconciled> {
    let ours = |tenant_id: Uuid| only.is_none_or(|t| t == tenant_id);
    let mut done = Reconciled::default();
    if state.gateway.is_none() {
        return Ok(done);
    }
    let pending =
        state.db.cross_tenant().pending_gateway_payments(state.settings.payment_pending_check_after, BATCH).await?;
    for p in pending.into_iter().filter(|p| ours(p.tenant_id)) {
        done.checked += 1;
        match reconcile_one(state, &p).await {
            Ok(Applied::Moved(_)) => done.moved += 1,
            Ok(_) => {}
            Err(e) => tracing::warn!(payment_id = %p.payment_id, error = %e, "reconciling a payment failed"),
        }
    }
    let refunds =
        state.db.cross_tenant().pending_gateway_refunds(state.settings.payment_pending_check_after, BATCH).await?;
    for r in refunds.into_iter().filter(|r| ours(r.tenant_id)) {
        done.refunds_checked += 1;
        match retry_refund(state, &r).await {
            Ok(true) => done.refunds_ended += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(refund_id = %r.refund_id, error = %e, "retrying a refund failed"),
        }
    }
    Ok(done)
}

/// Sends a pending refund to the gateway again; true when it ended
/// (succeeded or refused).
async fn retry_refund(state: &AppState, r: &PendingGatewayRefund) -> Result<bool> {
    let refund = GatewayRefund {
        refund_id: r.refund_id,
        gateway_order_id: r.gateway_order_id.clone(),
        refund_key: r.refund_key.clone(),
        amount_minor: r.amount_minor,
        reason: r.reason.clone(),
        created: false,
    };
    let answer = ask_gateway(state.gateway.as_deref(), &refund).await;
    if let GatewayAnswer::Unavailable(why) = &answer {
        tracing::info!(refund_id = %r.refund_id, %why, "the gateway is still unavailable for a refund");
        return Ok(false);
    }
    let tx = Scope::system(r.tenant_id, r.outlet_id).begin(state).await?;
    let refund = finish_gateway_refund(&tx, &refund, &answer).await?;
    tx.commit().await?;
    Ok(refund.status != pos_wire::RefundStatus::Pending)
}

#[derive(Debug, FromQueryResult)]
struct Charge {
    amount_minor: i64,
    expires_at: Option<DateTime<Utc>>,
}

async fn reconcile_one(state: &AppState, p: &PendingGatewayPayment) -> Result<Applied> {
    let gateway =
        state.gateway.as_ref().ok_or(crate::Error::Unavailable(crate::error::Code::PaymentGatewayUnavailable))?;
    let scope = Scope::system(p.tenant_id, p.outlet_id);
    let tx = scope.begin(state).await?;
    let charge: Option<Charge> =
        tx.query_one("SELECT amount_minor, expires_at FROM payments WHERE id = $1", [p.payment_id.into()]).await?;
    tx.commit().await?;
    let Some(charge) = charge else { return Ok(Applied::Unchanged) };
    let past_expiry = charge.expires_at.is_none_or(|at| at <= Utc::now());
    let report = match gateway.status(&p.gateway_order_id).await {
        Ok(s) => Report { state: s.state, gross_amount_minor: s.gross_amount_minor, transaction_id: s.transaction_id },
        // Never made at the gateway (we failed between storing and charging):
        // nobody can pay it once its time is up.
        Err(GatewayError::Refused(_)) if past_expiry => {
            Report { state: ChargeState::Expired, gross_amount_minor: charge.amount_minor, transaction_id: None }
        }
        Err(GatewayError::Refused(_)) => return Ok(Applied::Unchanged),
        Err(e @ GatewayError::Unavailable(_)) => return Err(anyhow::Error::from(e).into()),
    };
    if report.state == ChargeState::Pending && past_expiry {
        let pending = PendingCharge {
            id: p.payment_id,
            gateway_order_id: p.gateway_order_id.clone(),
            amount_minor: charge.amount_minor,
        };
        return cancel_charge(state, &scope, p.order_id, &pending, ChargeState::Expired).await;
    }
    let tx = scope.begin(state).await?;
    let applied = charge_state::apply(&tx, p.order_id, p.payment_id, &report).await?;
    tx.commit().await?;
    Ok(applied)
}
