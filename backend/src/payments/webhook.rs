//! `POST /payments/webhooks/midtrans`: the gateway's HTTP notification.
//!
//! The signature is checked first (401, nothing changed, only the claim
//! logged; an address sending more than [`BAD_SIGNATURES_PER_MINUTE`] bad
//! ones gets 429 and nothing logged, so nobody can fill the log); then the payment is found through the one cross-tenant lookup
//! by the id we gave the gateway (404 when unknown); then, in that tenant's
//! scope, the amount is checked against the charge (422, nothing changed)
//! and the reported state applied under the row locks ([`charge_state`]),
//! which makes replays and out-of-order notifications harmless. Every
//! notification is logged with what became of it.
//!
//! The gateway's word is trusted because it is signed with our server key
//! and names a charge we stored with the same amount (Midtrans' advice:
//! confirm by a status call *or* the stored charge).

use serde_json::{Value, json};

use super::charge_state::{self, Applied, Report};
use crate::{
    db::{OutletScope, PrincipalId},
    error::{Code, Error, Result},
    http::client_ip::ClientIp,
    state::AppState,
};

/// Bad signatures taken from one address per minute before 429.
pub const BAD_SIGNATURES_PER_MINUTE: u32 = 30;

/// What a bad notification may leave in the log: its claims, not its body.
fn claims(body: &Value) -> Value {
    let keep = ["order_id", "transaction_status", "status_code", "gross_amount", "transaction_id"];
    let picked = keep.iter().filter_map(|k| body.get(*k).filter(|v| v.is_string()).map(|v| (k.to_string(), v.clone())));
    Value::Object(picked.collect())
}

/// Applies one notification; see the module docs for the refusals.
pub async fn receive_midtrans(state: &AppState, client: &ClientIp, body: Value) -> Result<Applied> {
    let gateway = state.gateway.as_ref().ok_or(Error::Unavailable(Code::PaymentGatewayUnavailable))?;
    let xt = state.db.cross_tenant();
    let order_id = body.get("order_id").and_then(Value::as_str).map(|s| s.chars().take(100).collect::<String>());
    let Some(status) = gateway.verify_notification(&body) else {
        // Only failures count: the gateway's own notifications are never held up.
        let key = format!("webhook-bad-signature:{}", client.bucket());
        state.limiter.check_and_hit(&key, BAD_SIGNATURES_PER_MINUTE, std::time::Duration::from_secs(60)).await?;
        tracing::warn!(?order_id, "payment notification with a bad signature");
        metrics::counter!("payment_notifications_total", "outcome" => "bad_signature").increment(1);
        xt.log_gateway_notification(gateway.name(), order_id.as_deref(), None, &claims(&body), false, "bad_signature")
            .await?;
        return Err(Error::Unauthorized(Code::NotificationSignatureInvalid));
    };
    let Some(found) = xt.payment_by_gateway_order(&status.gateway_order_id).await? else {
        metrics::counter!("payment_notifications_total", "outcome" => "unknown_order").increment(1);
        xt.log_gateway_notification(gateway.name(), order_id.as_deref(), None, &claims(&body), true, "unknown_order")
            .await?;
        return Err(Error::NotFound);
    };
    let tx =
        state.db.begin_scoped(found.tenant_id, OutletScope::Only(vec![found.outlet_id]), PrincipalId::System).await?;
    let report = Report {
        state: status.state,
        gross_amount_minor: status.gross_amount_minor,
        transaction_id: status.transaction_id.clone(),
    };
    let applied = charge_state::apply(&tx, found.order_id, found.payment_id, &report).await?;
    tx.execute(
        "SELECT app.log_gateway_notification($1, $2, $3, $4, true, $5)",
        [
            gateway.name().into(),
            status.gateway_order_id.clone().into(),
            found.tenant_id.into(),
            body.into(),
            applied.as_str().into(),
        ],
    )
    .await?;
    tx.commit().await?;
    metrics::counter!("payment_notifications_total", "outcome" => applied.as_str()).increment(1);
    tracing::info!(gateway_order_id = %status.gateway_order_id, outcome = applied.as_str(), "payment notification");
    if applied == Applied::AmountMismatch {
        return Err(Error::field("gross_amount", Code::NotificationAmountMismatch));
    }
    Ok(applied)
}

/// The answer the gateway gets for an accepted notification.
pub fn accepted(applied: Applied) -> Value {
    json!({"status": "ok", "outcome": applied.as_str()})
}
