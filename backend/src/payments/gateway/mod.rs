//! A payment gateway behind one trait. The first implementation speaks
//! Midtrans' Core API (`midtrans.rs`, to be written); tests and the demo
//! point it at `pos-gateway-standin`, which speaks the same protocol.
//!
//! Amounts are integer minor units of the outlet's currency; QRIS is Rupiah,
//! which has no minor digits, so the gateway's `gross_amount` is the same
//! number.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What the gateway says of a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeState {
    Pending,
    /// `settlement` or `capture`: the customer paid.
    Paid,
    /// `deny`.
    Failed,
    Expired,
    Cancelled,
    /// Anything this code does not act on (e.g. `refund`, `authorize`).
    Other,
}

/// A new QR charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCharge {
    /// The gateway's transaction id.
    pub transaction_id: String,
    /// The QR code's content, to draw.
    pub qr_string: String,
    pub expires_at: DateTime<Utc>,
}

/// A charge as the gateway reports it (status call or notification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeStatus {
    /// The id we gave the gateway.
    pub gateway_order_id: String,
    pub transaction_id: Option<String>,
    pub state: ChargeState,
    /// In minor units, as the gateway reports it.
    pub gross_amount_minor: i64,
}

/// How a refund at the gateway went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundState {
    Succeeded,
    /// Accepted, not settled yet.
    Pending,
    Refused,
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Not reachable, timed out, or answered 5xx: worth retrying later.
    #[error("payment gateway unavailable: {0}")]
    Unavailable(String),
    /// The gateway refused the request (4xx or a refusing status code).
    #[error("payment gateway refused: {0}")]
    Refused(String),
}

#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// The name stored with each payment (`midtrans`).
    fn name(&self) -> &'static str;

    /// Creates a QRIS charge of `amount_minor` under our `gateway_order_id`.
    async fn charge_qris(&self, gateway_order_id: &str, amount_minor: i64) -> Result<QrCharge, GatewayError>;

    /// Asks what became of a charge.
    async fn status(&self, gateway_order_id: &str) -> Result<ChargeStatus, GatewayError>;

    /// Cancels (or expires) a charge nobody paid.
    async fn cancel(&self, gateway_order_id: &str) -> Result<ChargeStatus, GatewayError>;

    /// Refunds part or all of a paid charge; `refund_key` makes it idempotent.
    async fn refund(
        &self,
        gateway_order_id: &str,
        refund_key: &str,
        amount_minor: i64,
        reason: &str,
    ) -> Result<RefundState, GatewayError>;

    /// Checks a notification's signature and reads it; `None` when the
    /// signature is wrong (the caller answers 401 and changes nothing).
    fn verify_notification(&self, body: &serde_json::Value) -> Option<ChargeStatus>;
}
pub mod midtrans;
