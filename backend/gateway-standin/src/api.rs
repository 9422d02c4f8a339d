//! The Core API endpoints the merchant's server calls: charge, status,
//! cancel, expire and refund, authenticated with the server key as the HTTP
//! basic-auth user. Answers carry Midtrans' `status_code` and
//! `status_message` in the body; errors also use that code as HTTP status.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    State,
    charges::{Charge, Refusal, Status, amount_string, expiry, wib},
    notify, qris,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/v2/charge", web::post().to(charge))
        .route("/v2/{id}/status", web::get().to(status))
        .route("/v2/{id}/cancel", web::post().to(cancel))
        .route("/v2/{id}/expire", web::post().to(expire))
        .route("/v2/{id}/refund", web::post().to(refund));
}

pub fn error(code: u16, message: &str) -> HttpResponse {
    HttpResponse::build(StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST))
        .json(json!({"status_code": code.to_string(), "status_message": message}))
}

fn refused(r: Refusal) -> HttpResponse {
    match r {
        Refusal::NotFound => error(404, "Transaction doesn't exist."),
        Refusal::CannotModify => error(412, "Merchant cannot modify the status of the transaction"),
        Refusal::Duplicate => error(
            406,
            "The request could not be completed due to a conflict with the state of the target resource, please try again",
        ),
        Refusal::Invalid(msg) => error(400, &msg),
    }
}

/// `Authorization: Basic base64(server_key + ":")`.
fn authorised(req: &HttpRequest, server_key: &str) -> bool {
    let Some(value) = req.headers().get("authorization").and_then(|v| v.to_str().ok()) else { return false };
    let Some(encoded) = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")) else { return false };
    let Ok(decoded) = STANDARD.decode(encoded.trim()) else { return false };
    decoded == format!("{server_key}:").as_bytes()
}

macro_rules! require_key {
    ($req:expr, $state:expr) => {
        if !authorised(&$req, &$state.config.server_key) {
            return error(401, "Access denied due to unauthorized transaction, please check client key or server key");
        }
    };
}

/// The status answer (and the base of the other answers) for one charge.
pub fn describe(charge: &Charge, merchant_id: &str) -> Value {
    let mut v = json!({
        "status_code": charge.status.status_code(),
        "status_message": "Success, transaction is found",
        "transaction_id": charge.transaction_id,
        "order_id": charge.order_id,
        "merchant_id": merchant_id,
        "gross_amount": amount_string(charge.gross_amount),
        "currency": "IDR",
        "payment_type": "qris",
        "transaction_time": wib(charge.created_at),
        "transaction_status": charge.status.as_str(),
        "fraud_status": "accept",
        "acquirer": charge.acquirer,
        "issuer": charge.acquirer,
        "expiry_time": wib(charge.expires_at),
    });
    if let Some(at) = charge.settled_at {
        v["settlement_time"] = json!(wib(at));
    }
    if !charge.refunds.is_empty() {
        v["refund_amount"] = json!(amount_string(charge.refunded()));
        v["refunds"] = json!(
            charge
                .refunds
                .iter()
                .map(
                    |r| json!({"refund_chargeback_id": r.refund_chargeback_id, "refund_amount": amount_string(r.amount),
                                 "created_at": wib(r.at), "reason": r.reason, "refund_key": r.refund_key})
                )
                .collect::<Vec<_>>()
        );
    }
    v
}

#[derive(Deserialize)]
struct TransactionDetails {
    order_id: String,
    gross_amount: serde_json::Number,
}

#[derive(Deserialize, Default)]
struct QrisOptions {
    acquirer: Option<String>,
}

#[derive(Deserialize)]
struct CustomExpiry {
    expiry_duration: Option<i64>,
    unit: Option<String>,
}

#[derive(Deserialize)]
struct ChargeRequest {
    payment_type: String,
    transaction_details: TransactionDetails,
    #[serde(default)]
    qris: Option<QrisOptions>,
    #[serde(default)]
    custom_expiry: Option<CustomExpiry>,
}

/// `X-Override-Notification`: up to three comma-separated URLs.
fn override_urls(req: &HttpRequest) -> Option<Vec<String>> {
    let value = req.headers().get("x-override-notification")?.to_str().ok()?;
    let urls: Vec<String> =
        value.split(',').map(str::trim).filter(|u| !u.is_empty()).take(3).map(str::to_string).collect();
    (!urls.is_empty()).then_some(urls)
}

async fn charge(req: HttpRequest, state: web::Data<Arc<State>>, body: web::Bytes) -> HttpResponse {
    require_key!(req, state);
    let parsed: ChargeRequest = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return error(400, &format!("The request cannot be processed: {e}")),
    };
    if parsed.payment_type != "qris" {
        return error(402, "Merchant doesn't have access for this payment type");
    }
    let order_id = parsed.transaction_details.order_id.trim().to_string();
    if order_id.is_empty() || order_id.len() > 50 {
        return error(400, "transaction_details.order_id is required and at most 50 characters");
    }
    // IDR has no decimals: a whole, positive number of rupiah.
    let Some(amount) = parsed.transaction_details.gross_amount.as_i64().filter(|a| *a > 0) else {
        return error(400, "transaction_details.gross_amount must be a positive whole number");
    };
    let lifetime = match parsed.custom_expiry.as_ref() {
        Some(c) => expiry(c.expiry_duration, c.unit.as_deref(), state.config.qr_lifetime),
        None => Ok(state.config.qr_lifetime),
    };
    let lifetime = match lifetime {
        Ok(l) => l,
        Err(r) => return refused(r),
    };
    let transaction_id = Uuid::new_v4().to_string();
    let now = Utc::now();
    let acquirer = parsed.qris.and_then(|q| q.acquirer).unwrap_or_else(|| "gopay".into());
    let charge = Charge {
        qr_string: qris::payload(&state.config.merchant_name, &state.config.merchant_id, &transaction_id, amount),
        transaction_id,
        order_id,
        gross_amount: amount,
        acquirer,
        status: Status::Pending,
        created_at: now,
        expires_at: now + lifetime,
        settled_at: None,
        refunds: Vec::new(),
        notify_urls: override_urls(&req).unwrap_or_else(|| state.config.notification_url.iter().cloned().collect()),
    };
    let stored = state.charges.lock().expect("charges lock").insert(charge);
    let charge = match stored {
        Ok(c) => c,
        Err(r) => return refused(r),
    };
    let mut answer = describe(&charge, &state.config.merchant_id);
    answer["status_message"] = json!("QRIS transaction is created");
    answer["qr_string"] = json!(charge.qr_string);
    answer["actions"] = json!([{
        "name": "generate-qr-code",
        "method": "GET",
        "url": format!("{}/v2/qris/{}/qr-code", state.config.public_url, charge.transaction_id),
    }]);
    tracing::info!(order_id = %charge.order_id, amount, "QRIS charge created");
    HttpResponse::Ok().json(answer)
}

async fn status(req: HttpRequest, state: web::Data<Arc<State>>, id: web::Path<String>) -> HttpResponse {
    require_key!(req, state);
    let charges = state.charges.lock().expect("charges lock");
    match charges.get(&id) {
        Some(c) => HttpResponse::Ok().json(describe(c, &state.config.merchant_id)),
        None => refused(Refusal::NotFound),
    }
}

/// Moves a pending charge to `to`, notifies, and answers like Midtrans.
pub fn finish(state: &Arc<State>, id: &str, to: Status, notify: bool) -> Result<Charge, Refusal> {
    let charge = state.charges.lock().expect("charges lock").finish(id, to, Utc::now())?;
    if notify {
        notify::send(
            state.clone(),
            charge.notify_urls.clone(),
            notify::body(&charge, to, &state.config.merchant_id, &state.config.server_key),
        );
    }
    Ok(charge)
}

async fn cancel(req: HttpRequest, state: web::Data<Arc<State>>, id: web::Path<String>) -> HttpResponse {
    require_key!(req, state);
    match finish(&state, &id, Status::Cancel, true) {
        Ok(c) => {
            let mut v = describe(&c, &state.config.merchant_id);
            v["status_code"] = json!("200");
            v["status_message"] = json!("Success, transaction is canceled");
            HttpResponse::Ok().json(v)
        }
        Err(r) => refused(r),
    }
}

async fn expire(req: HttpRequest, state: web::Data<Arc<State>>, id: web::Path<String>) -> HttpResponse {
    require_key!(req, state);
    match finish(&state, &id, Status::Expire, true) {
        Ok(c) => {
            let mut v = describe(&c, &state.config.merchant_id);
            v["status_code"] = json!("407");
            v["status_message"] = json!("Success, transaction has expired");
            HttpResponse::Ok().json(v)
        }
        Err(r) => refused(r),
    }
}

#[derive(Deserialize)]
struct RefundRequest {
    refund_key: Option<String>,
    amount: Option<serde_json::Number>,
    reason: Option<String>,
}

async fn refund(
    req: HttpRequest,
    state: web::Data<Arc<State>>,
    id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    require_key!(req, state);
    let parsed: RefundRequest = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return error(400, &format!("The request cannot be processed: {e}")),
    };
    let remaining = match state.charges.lock().expect("charges lock").get(&id) {
        Some(c) => c.gross_amount - c.refunded(),
        None => return refused(Refusal::NotFound),
    };
    // Without an amount Midtrans refunds what is left.
    let amount = match parsed.amount {
        None => remaining,
        Some(n) => match n.as_i64() {
            Some(a) => a,
            None => return error(400, "amount must be a whole number"),
        },
    };
    let key = parsed.refund_key.unwrap_or_else(|| Uuid::new_v4().to_string());
    let reason = parsed.reason.unwrap_or_default();
    let outcome = state.charges.lock().expect("charges lock").refund(&id, &key, amount, &reason, Utc::now());
    match outcome {
        Ok((charge, done)) => {
            notify::send(
                state.get_ref().clone(),
                charge.notify_urls.clone(),
                notify::body(&charge, charge.status, &state.config.merchant_id, &state.config.server_key),
            );
            let mut v = describe(&charge, &state.config.merchant_id);
            v["status_code"] = json!("200");
            v["status_message"] = json!("Success, refund request is approved");
            v["refund_chargeback_id"] = json!(done.refund_chargeback_id);
            v["refund_amount"] = json!(amount_string(done.amount));
            v["refund_key"] = json!(done.refund_key);
            HttpResponse::Ok().json(v)
        }
        Err(r) => refused(r),
    }
}
