//! Payments over HTTP: thin handlers over [`super::take`],
//! [`super::cancel`] and [`super::webhook`].

use actix_web::{HttpResponse, web};
use pos_wire::{CreatePayment, Payment};
use uuid::Uuid;

use super::{
    cancel::cancel_payment,
    take::{Taken, take_payment},
    webhook::{accepted, receive_midtrans},
};
use crate::{auth::principal::Scoped, error::Result, http::json::Json, orders::intake::Intake, state::AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders/{id}/payments").route(web::post().to(create_payment)))
        .service(web::resource("/payments/webhooks/midtrans").route(web::post().to(midtrans_notification)))
        .service(web::resource("/payments/{id}/cancel").route(web::post().to(cancel)));
}

/// 201 with a new payment (cash and card `paid`; QRIS `pending` with its
/// `qr_string`); 200 with the same payment for a replay of the same
/// `client_payment_id` and content; 409 for the key with other content, a
/// paid or cancelled order; 422 for amounts above the balance (cash may
/// exceed it) or too little cash; 503 when QRIS is asked for and the
/// gateway is not there. A pending QRIS of the order is cancelled first.
#[utoipa::path(post, path = "/api/v1/orders/{id}/payments", tag = "payments", request_body = CreatePayment,
    params(("id" = Uuid, Path, description = "The order")),
    responses((status = 201, body = Payment), (status = 200, body = Payment, description = "replay"),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 409, body = pos_wire::Problem,
               description = "already paid, not payable, or `shift_not_open`: a cashier signed in on a till without an open shift"),
              (status = 422, body = pos_wire::Problem), (status = 503, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_payment(
    state: web::Data<AppState>,
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<CreatePayment>,
) -> Result<HttpResponse> {
    Ok(match take_payment(&state, s.tx, &s.actor, *id, body.into_inner(), Intake::Online).await? {
        Taken::Created(payment) => HttpResponse::Created().json(payment),
        Taken::Duplicate(payment) => HttpResponse::Ok().json(payment),
    })
}

/// Cancels a pending QRIS payment (at the gateway first); 409 when it is
/// not pending any more (it may have been paid: read the order).
#[utoipa::path(post, path = "/api/v1/payments/{id}/cancel", tag = "payments",
    params(("id" = Uuid, Path, description = "The payment")),
    responses((status = 200, body = Payment), (status = 403, body = pos_wire::Problem),
              (status = 404, body = pos_wire::Problem), (status = 409, body = pos_wire::Problem),
              (status = 503, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn cancel(state: web::Data<AppState>, s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Payment>> {
    Ok(web::Json(cancel_payment(&state, s.tx, &s.actor, *id).await?))
}

/// The gateway's notification (Midtrans HTTP notification format). 200 when
/// taken (also for replays and stale states, which change nothing); 401 for
/// a bad signature, 404 for an unknown charge, 422 for another amount than
/// the charge's: nothing changes in those cases.
#[utoipa::path(post, path = "/api/v1/payments/webhooks/midtrans", tag = "payments",
    request_body(content = Object, description = "Midtrans HTTP notification"),
    responses((status = 200, description = "taken"), (status = 401, body = pos_wire::Problem),
              (status = 404, body = pos_wire::Problem), (status = 422, body = pos_wire::Problem),
              (status = 429, body = pos_wire::Problem, description = "too many bad signatures from this address"),
              (status = 503, body = pos_wire::Problem)))]
pub async fn midtrans_notification(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    body: Json<serde_json::Value>,
) -> Result<web::Json<serde_json::Value>> {
    let client = crate::http::client_ip::client_ip(&req, &state.settings.trusted_proxies);
    let applied = receive_midtrans(&state, &client, body.into_inner()).await?;
    Ok(web::Json(accepted(applied)))
}
