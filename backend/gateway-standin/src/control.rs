//! What stands for the customer's phone and the gateway's operators: a page
//! listing the charges with "customer paid", "expire" and "decline" buttons,
//! and the same as a small JSON API the tests drive (including sending a
//! stale notification on purpose, or settling without notifying, as when a
//! webhook is lost). Not part of Midtrans' protocol; loopback only.

use std::{fmt::Write, sync::Arc};

use actix_web::{HttpResponse, http::header, web};
use qrcode::{QrCode, render::svg};
use serde::Deserialize;
use serde_json::json;

use crate::{
    State,
    api::{describe, error, finish},
    charges::{Refusal, Status, amount_string, wib},
    notify,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(page))
        .route("/v2/qris/{transaction_id}/qr-code", web::get().to(qr_image))
        .route("/_standin/charges", web::get().to(list))
        .route("/_standin/charges/{id}/{action}", web::post().to(act))
        .route("/_standin/notifications", web::get().to(deliveries));
}

#[derive(Deserialize, Default)]
struct ActOptions {
    /// `false`: change the state without notifying (a lost webhook).
    notify: Option<bool>,
    /// For `notify`: the status to report (default: the charge's own).
    transaction_status: Option<String>,
    /// `html`: answer with a redirect to the page (its buttons are forms).
    from: Option<String>,
}

async fn act(
    state: web::Data<Arc<State>>,
    path: web::Path<(String, String)>,
    query: web::Query<ActOptions>,
) -> HttpResponse {
    let (id, action) = path.into_inner();
    let send = query.notify.unwrap_or(true);
    let outcome = match action.as_str() {
        "pay" | "settle" => finish(&state, &id, Status::Settlement, send),
        "expire" => finish(&state, &id, Status::Expire, send),
        "deny" => finish(&state, &id, Status::Deny, send),
        "pay-late" => settle_late(&state, &id, send),
        "notify" => renotify(&state, &id, query.transaction_status.as_deref()),
        _ => return error(404, "unknown action"),
    };
    if query.from.as_deref() == Some("html") {
        return HttpResponse::SeeOther().insert_header((header::LOCATION, "/")).finish();
    }
    match outcome {
        Ok(c) => HttpResponse::Ok().json(describe(&c, &state.config.merchant_id)),
        Err(Refusal::NotFound) => error(404, "Transaction doesn't exist."),
        Err(Refusal::Invalid(m)) => error(400, &m),
        Err(_) => error(412, "Merchant cannot modify the status of the transaction"),
    }
}

/// Settles a cancelled or expired charge (see [`crate::charges::Charges::settle_late`]).
fn settle_late(state: &Arc<State>, id: &str, send: bool) -> Result<crate::charges::Charge, Refusal> {
    let charge = state.charges.lock().expect("charges lock").settle_late(id, chrono::Utc::now())?;
    if send {
        notify::send(
            state.clone(),
            charge.notify_urls.clone(),
            notify::body(&charge, Status::Settlement, &state.config.merchant_id, &state.config.server_key),
        );
    }
    Ok(charge)
}

/// Sends a notification again, as the gateway does on its retries; with
/// `status` it reports that status instead (an out-of-order delivery).
fn renotify(state: &Arc<State>, id: &str, status: Option<&str>) -> Result<crate::charges::Charge, Refusal> {
    let charge = state.charges.lock().expect("charges lock").get(id).cloned().ok_or(Refusal::NotFound)?;
    let status = match status {
        Some(s) => Status::parse(s).ok_or_else(|| Refusal::Invalid(format!("unknown transaction_status {s:?}")))?,
        None => charge.status,
    };
    notify::send(
        state.clone(),
        charge.notify_urls.clone(),
        notify::body(&charge, status, &state.config.merchant_id, &state.config.server_key),
    );
    Ok(charge)
}

async fn list(state: web::Data<Arc<State>>) -> HttpResponse {
    let charges = state.charges.lock().expect("charges lock");
    let all: Vec<_> = charges.all().map(|c| describe(c, &state.config.merchant_id)).collect();
    HttpResponse::Ok().json(json!({ "charges": all }))
}

async fn deliveries(state: web::Data<Arc<State>>) -> HttpResponse {
    let log = state.deliveries.lock().expect("deliveries lock").clone();
    HttpResponse::Ok().json(json!({ "deliveries": log }))
}

fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
}

async fn qr_image(state: web::Data<Arc<State>>, id: web::Path<String>) -> HttpResponse {
    let qr = state.charges.lock().expect("charges lock").get(&id).map(|c| c.qr_string.clone());
    match qr.and_then(|q| qr_svg(&q)) {
        Some(svg) => HttpResponse::Ok().content_type("image/svg+xml").body(svg),
        None => error(404, "Transaction doesn't exist."),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn page(state: web::Data<Arc<State>>) -> HttpResponse {
    let mut charges: Vec<_> = state.charges.lock().expect("charges lock").all().cloned().collect();
    charges.sort_by_key(|c| std::cmp::Reverse(c.created_at));
    let mut rows = String::new();
    for c in &charges {
        let id = escape(&c.order_id);
        let buttons = if c.status == Status::Pending {
            format!(
                "<form method=post action=\"/_standin/charges/{id}/pay?from=html\"><button class=pay>Customer paid</button></form>\
                 <form method=post action=\"/_standin/charges/{id}/expire?from=html\"><button>Expire</button></form>\
                 <form method=post action=\"/_standin/charges/{id}/deny?from=html\"><button>Decline</button></form>"
            )
        } else {
            String::new()
        };
        let qr = if c.status == Status::Pending { qr_svg(&c.qr_string).unwrap_or_default() } else { String::new() };
        let _ = write!(
            rows,
            "<tr data-order-id=\"{id}\"><td><code>{id}</code><br><small>{tx}</small></td><td class=amount>Rp {amount}</td>\
             <td class=\"status {status}\">{status}</td><td>{created}<br><small>expires {expires}</small></td>\
             <td class=qr>{qr}</td><td class=actions>{buttons}</td></tr>",
            tx = escape(&c.transaction_id),
            amount = amount_string(c.gross_amount),
            status = c.status.as_str(),
            created = wib(c.created_at),
            expires = wib(c.expires_at),
        );
    }
    if charges.is_empty() {
        rows.push_str("<tr><td colspan=6>No charges yet. Choose QRIS at a kiosk or till.</td></tr>");
    }
    let html = format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <meta http-equiv=refresh content=5><title>Payment gateway stand-in</title><style>\
         body{{font:16px system-ui,sans-serif;margin:1.5rem;color:#222}}table{{border-collapse:collapse;width:100%}}\
         td,th{{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}}\
         .qr svg{{width:120px;height:120px}}button{{font-size:1rem;padding:.5rem 1rem;margin:.1rem}}\
         button.pay{{background:#0a7d32;color:#fff;border:0}}.status.settlement{{color:#0a7d32}}.status.pending{{color:#b36b00}}\
         </style></head><body><h1>Payment gateway stand-in</h1>\
         <p>A local stand-in for Midtrans' Core API. QRIS charges the POS created are listed here; press \
         <b>Customer paid</b> to play the customer paying with their wallet app. Notifications go to <code>{url}</code>.</p>\
         <table><thead><tr><th>Order</th><th>Amount</th><th>Status</th><th>Created (WIB)</th><th>QR</th><th></th></tr></thead>\
         <tbody>{rows}</tbody></table></body></html>",
        url = escape(state.config.notification_url.as_deref().unwrap_or("(set per charge)")),
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}
