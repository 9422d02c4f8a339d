//! Midtrans' Core API over HTTP (reqwest): QRIS charges, status, cancel and
//! refund with the server key as the basic-auth user, and the check of the
//! signed HTTP notifications. Pointed at `pos-gateway-standin` in the demo
//! and the tests.
//!
//! Midtrans answers some refusals with HTTP 200 and a refusing
//! `status_code` in the body, others with the HTTP status itself; both are
//! read here. 5xx, time-outs and broken connections are `Unavailable`
//! (worth retrying); everything else the gateway refuses is `Refused`.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

use super::{ChargeState, ChargeStatus, GatewayError, PaymentGateway, QrCharge, RefundState};
use crate::config::Secret;

/// How long a QR code lives when the gateway does not say.
const DEFAULT_QR_LIFETIME: chrono::Duration = chrono::Duration::minutes(15);

pub struct Midtrans {
    http: reqwest::Client,
    base_url: String,
    server_key: Secret<String>,
    notification_url: Option<String>,
}

impl Midtrans {
    pub fn new(
        base_url: &str,
        server_key: Secret<String>,
        notification_url: Option<String>,
    ) -> anyhow::Result<Midtrans> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Midtrans { http, base_url: base_url.trim_end_matches('/').to_string(), server_key, notification_url })
    }

    /// Sends one Core API request and returns its body when the gateway
    /// accepted it (`status_code` 2xx, or 407 for an expiry).
    async fn call(&self, op: &'static str, req: reqwest::RequestBuilder) -> Result<Value, GatewayError> {
        let started = Instant::now();
        let outcome = self.send(req).await;
        let label = match &outcome {
            Ok(_) => "ok",
            Err(GatewayError::Unavailable(_)) => "unavailable",
            Err(GatewayError::Refused(_)) => "refused",
        };
        metrics::histogram!("payment_gateway_request_duration_seconds", "op" => op, "outcome" => label)
            .record(started.elapsed().as_secs_f64());
        if let Err(e) = &outcome {
            tracing::warn!(op, error = %e, "payment gateway call failed");
        }
        outcome
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value, GatewayError> {
        let res = req
            .basic_auth(self.server_key.expose(), Some(""))
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        let http_status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        if http_status.is_server_error() {
            return Err(GatewayError::Unavailable(format!("HTTP {http_status}")));
        }
        let code = body.get("status_code").and_then(Value::as_str).and_then(|c| c.parse::<u16>().ok());
        let message = body.get("status_message").and_then(Value::as_str).unwrap_or_default().to_string();
        match code {
            _ if !http_status.is_success() => Err(GatewayError::Refused(format!("HTTP {http_status}: {message}"))),
            Some(200..=299 | 407) => Ok(body),
            Some(500..) => Err(GatewayError::Unavailable(format!("status {}: {message}", code.unwrap_or(0)))),
            Some(c) => Err(GatewayError::Refused(format!("status {c}: {message}"))),
            None => Err(GatewayError::Unavailable("an answer without status_code".into())),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Order ids are ours and URL-safe (`pay-<uuid>`), but never trust that.
    fn order_path(gateway_order_id: &str, action: &str) -> String {
        let safe: String =
            gateway_order_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        format!("/v2/{safe}/{action}")
    }
}

/// `transaction_status` as this code acts on it.
pub fn charge_state(transaction_status: &str) -> ChargeState {
    match transaction_status {
        "pending" => ChargeState::Pending,
        "settlement" | "capture" => ChargeState::Paid,
        "deny" => ChargeState::Failed,
        "expire" => ChargeState::Expired,
        "cancel" => ChargeState::Cancelled,
        _ => ChargeState::Other,
    }
}

/// `"41958.00"` as whole rupiah; `None` for anything else (a fraction of a
/// rupiah, not a number).
pub fn parse_amount(gross_amount: &str) -> Option<i64> {
    let (whole, fraction) = gross_amount.split_once('.').unwrap_or((gross_amount, ""));
    if !fraction.chars().all(|c| c == '0') || whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    whole.parse().ok()
}

/// Midtrans writes times in Jakarta time (UTC+7) without an offset.
fn parse_wib(s: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()?;
    let wib = FixedOffset::east_opt(7 * 3600)?;
    Some(naive.and_local_timezone(wib).single()?.with_timezone(&Utc))
}

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A status answer or a notification as a [`ChargeStatus`]. An amount that
/// cannot be read is reported as -1, which matches no charge.
fn status_of(body: &Value) -> Result<ChargeStatus, GatewayError> {
    let order_id = text(body, "order_id").ok_or_else(|| GatewayError::Refused("an answer without order_id".into()))?;
    Ok(ChargeStatus {
        gateway_order_id: order_id,
        transaction_id: text(body, "transaction_id"),
        state: charge_state(body.get("transaction_status").and_then(Value::as_str).unwrap_or_default()),
        gross_amount_minor: text(body, "gross_amount").as_deref().and_then(parse_amount).unwrap_or(-1),
    })
}

/// SHA-512 of `order_id + status_code + gross_amount + server_key`, in hex.
pub fn signature(order_id: &str, status_code: &str, gross_amount: &str, server_key: &str) -> String {
    let mut h = Sha512::new();
    for part in [order_id, status_code, gross_amount, server_key] {
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

#[async_trait]
impl PaymentGateway for Midtrans {
    fn name(&self) -> &'static str {
        "midtrans"
    }

    async fn charge_qris(&self, gateway_order_id: &str, amount_minor: i64) -> Result<QrCharge, GatewayError> {
        let body = json!({
            "payment_type": "qris",
            "transaction_details": {"order_id": gateway_order_id, "gross_amount": amount_minor},
            "qris": {"acquirer": "gopay"},
        });
        let mut req = self.http.post(self.url("/v2/charge")).json(&body);
        if let Some(url) = &self.notification_url {
            req = req.header("X-Override-Notification", url);
        }
        let answer = self.call("charge", req).await?;
        let qr_string = text(&answer, "qr_string").ok_or_else(|| GatewayError::Refused("no qr_string".into()))?;
        let transaction_id =
            text(&answer, "transaction_id").ok_or_else(|| GatewayError::Refused("no transaction_id".into()))?;
        let expires_at = text(&answer, "expiry_time")
            .as_deref()
            .and_then(parse_wib)
            .unwrap_or_else(|| Utc::now() + DEFAULT_QR_LIFETIME);
        Ok(QrCharge { transaction_id, qr_string, expires_at })
    }

    async fn status(&self, gateway_order_id: &str) -> Result<ChargeStatus, GatewayError> {
        let req = self.http.get(self.url(&Self::order_path(gateway_order_id, "status")));
        status_of(&self.call("status", req).await?)
    }

    async fn cancel(&self, gateway_order_id: &str) -> Result<ChargeStatus, GatewayError> {
        let req = self.http.post(self.url(&Self::order_path(gateway_order_id, "cancel")));
        status_of(&self.call("cancel", req).await?)
    }

    async fn refund(
        &self,
        gateway_order_id: &str,
        refund_key: &str,
        amount_minor: i64,
        reason: &str,
    ) -> Result<RefundState, GatewayError> {
        let body = json!({"refund_key": refund_key, "amount": amount_minor, "reason": reason});
        let req = self.http.post(self.url(&Self::order_path(gateway_order_id, "refund"))).json(&body);
        match self.call("refund", req).await {
            Ok(answer) if answer.get("status_code").and_then(Value::as_str) == Some("200") => {
                Ok(RefundState::Succeeded)
            }
            Ok(_) => Ok(RefundState::Pending),
            Err(GatewayError::Refused(why)) => {
                tracing::info!(%why, "refund refused by the gateway");
                Ok(RefundState::Refused)
            }
            Err(e) => Err(e),
        }
    }

    fn verify_notification(&self, body: &Value) -> Option<ChargeStatus> {
        let field = |k: &str| body.get(k).and_then(Value::as_str);
        let (order_id, code, gross, given) =
            (field("order_id")?, field("status_code")?, field("gross_amount")?, field("signature_key")?);
        let expected = signature(order_id, code, gross, self.server_key.expose());
        let same: bool = expected.as_bytes().ct_eq(given.to_ascii_lowercase().as_bytes()).into();
        if !same {
            return None;
        }
        status_of(body).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway() -> Midtrans {
        Midtrans::new("http://127.0.0.1:1", Secret::new("key".into()), None).unwrap()
    }

    fn notification(status: &str, code: &str, gross: &str, key: &str) -> Value {
        json!({"order_id": "pay-1", "status_code": code, "gross_amount": gross, "transaction_status": status,
               "transaction_id": "t-1", "signature_key": signature("pay-1", code, gross, key)})
    }

    #[test]
    fn a_notification_is_read_only_with_the_right_signature() {
        let g = gateway();
        let read = g.verify_notification(&notification("settlement", "200", "41958.00", "key")).unwrap();
        assert_eq!(read.state, ChargeState::Paid);
        assert_eq!(read.gross_amount_minor, 41958);
        assert_eq!(read.transaction_id.as_deref(), Some("t-1"));
        assert!(g.verify_notification(&notification("settlement", "200", "41958.00", "other key")).is_none());
        let mut tampered = notification("settlement", "200", "41958.00", "key");
        tampered["gross_amount"] = json!("1.00");
        assert!(g.verify_notification(&tampered).is_none(), "the amount is signed");
        assert!(g.verify_notification(&json!({"order_id": "pay-1"})).is_none());
    }

    #[test]
    fn amounts_are_whole_rupiah() {
        assert_eq!(parse_amount("41958.00"), Some(41958));
        assert_eq!(parse_amount("41958"), Some(41958));
        assert_eq!(parse_amount("41958.50"), None);
        assert_eq!(parse_amount("-5.00"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn states_and_times() {
        assert_eq!(charge_state("capture"), ChargeState::Paid);
        assert_eq!(charge_state("expire"), ChargeState::Expired);
        assert_eq!(charge_state("partial_refund"), ChargeState::Other);
        let t = parse_wib("2026-12-03 12:15:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-03T05:15:00+00:00");
        assert_eq!(Midtrans::order_path("pay-1/../x", "status"), "/v2/pay-1x/status");
    }
}
