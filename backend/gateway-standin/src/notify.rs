//! HTTP notifications (webhooks) as Midtrans sends them: a JSON POST per
//! status change to the charge's notification URLs, signed with
//! SHA-512(order_id + status_code + gross_amount + server key), retried with
//! backoff until the merchant answers 2xx.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

use crate::{
    State,
    charges::{Charge, Status, amount_string, wib},
};

/// `signature_key` of a notification.
pub fn signature(order_id: &str, status_code: &str, gross_amount: &str, server_key: &str) -> String {
    let mut h = Sha512::new();
    h.update(order_id.as_bytes());
    h.update(status_code.as_bytes());
    h.update(gross_amount.as_bytes());
    h.update(server_key.as_bytes());
    hex::encode(h.finalize())
}

/// The notification body for `charge` reporting `status` (normally the
/// charge's own status; the control API can send an older one to test
/// out-of-order delivery).
pub fn body(charge: &Charge, status: Status, merchant_id: &str, server_key: &str) -> Value {
    let gross = amount_string(charge.gross_amount);
    let code = status.status_code();
    let mut body = json!({
        "transaction_type": "on-us",
        "transaction_time": wib(charge.created_at),
        "transaction_status": status.as_str(),
        "transaction_id": charge.transaction_id,
        "status_message": "midtrans payment notification",
        "status_code": code,
        "signature_key": signature(&charge.order_id, code, &gross, server_key),
        "payment_type": "qris",
        "order_id": charge.order_id,
        "merchant_id": merchant_id,
        "issuer": charge.acquirer,
        "acquirer": charge.acquirer,
        "gross_amount": gross,
        "fraud_status": "accept",
        "currency": "IDR",
        "expiry_time": wib(charge.expires_at),
    });
    if let (Some(at), Status::Settlement | Status::Refund | Status::PartialRefund) = (charge.settled_at, status) {
        body["settlement_time"] = json!(wib(at));
    }
    if matches!(status, Status::Refund | Status::PartialRefund) {
        body["refund_amount"] = json!(amount_string(charge.refunded()));
        body["refunds"] = json!(
            charge
                .refunds
                .iter()
                .map(|r| json!({
                    "refund_chargeback_id": r.refund_chargeback_id,
                    "refund_amount": amount_string(r.amount),
                    "created_at": wib(r.at),
                    "reason": r.reason,
                    "refund_key": r.refund_key,
                }))
                .collect::<Vec<_>>()
        );
    }
    body
}

/// One delivery attempt, for the log the control API shows.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub order_id: String,
    pub transaction_status: String,
    pub url: String,
    pub attempt: u32,
    /// The merchant's HTTP status, or none when the request failed.
    pub http_status: Option<u16>,
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// Sends `body` to every URL in the background, each retried with backoff
/// (base × 2ⁿ, at most `max_attempts` tries) until it answers 2xx.
pub fn send(state: Arc<State>, urls: Vec<String>, body: Value) {
    for url in urls {
        let state = state.clone();
        let body = body.clone();
        tokio::spawn(async move {
            let mut delay = state.config.retry_base;
            for attempt in 1..=state.config.max_attempts {
                let outcome = state.http.post(&url).json(&body).send().await;
                let (http_status, error) = match &outcome {
                    Ok(r) => (Some(r.status().as_u16()), None),
                    Err(e) => (None, Some(e.to_string())),
                };
                let delivered = http_status.is_some_and(|s| (200..300).contains(&s));
                state.deliveries.lock().expect("deliveries lock").push(Delivery {
                    order_id: body["order_id"].as_str().unwrap_or_default().to_string(),
                    transaction_status: body["transaction_status"].as_str().unwrap_or_default().to_string(),
                    url: url.clone(),
                    attempt,
                    http_status,
                    error,
                    at: Utc::now(),
                });
                if delivered {
                    return;
                }
                tracing::info!(%url, attempt, ?http_status, "notification not accepted; will retry");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(60));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_sha512_of_the_concatenation() {
        // sha512("order-1" "200" "10000.00" "key"), computed independently.
        let expected = hex::encode(Sha512::digest(b"order-120010000.00key"));
        assert_eq!(signature("order-1", "200", "10000.00", "key"), expected);
        assert_eq!(expected.len(), 128);
    }
}
