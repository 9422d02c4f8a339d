//! `POST /api/v1/payments/{id}/refunds`.

use actix_web::{HttpResponse, web};
use pos_wire::{CreateRefund, Refund};
use uuid::Uuid;

use super::{GatewayAnswer, Outcome, refund_payment};
use crate::{
    auth::principal::Scoped,
    error::{Code, Error, Result},
    http::json::Json,
    state::AppState,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payments/{id}/refunds").route(web::post().to(create_refund)));
}

/// Refunds all or part of a payment: 201 with the refund; 200 with the same
/// refund for a replay of its `client_refund_id`. Cash and card refunds are
/// recorded; a QRIS refund goes through the gateway (503 while it cannot be
/// reached: the refund stays pending and the same request asks again).
#[utoipa::path(post, path = "/api/v1/payments/{id}/refunds",
    params(("id" = Uuid, Path, description = "The payment")), tag = "payments", request_body = CreateRefund,
    responses((status = 201, body = Refund), (status = 200, body = Refund, description = "replay"),
              (status = 403, body = pos_wire::Problem, description = "not allowed, approval required or refused"),
              (status = 409, body = pos_wire::Problem, description = "not refundable, id reused, refused by the gateway"),
              (status = 422, body = pos_wire::Problem), (status = 429, body = pos_wire::Problem, description = "too many wrong PINs"),
              (status = 503, body = pos_wire::Problem, description = "the gateway cannot be reached")),
    security(("bearer" = [])))]
pub async fn create_refund(
    state: web::Data<AppState>,
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<CreateRefund>,
) -> Result<HttpResponse> {
    match refund_payment(&state, s.tx, &s.actor, *id, &body.into_inner()).await? {
        Outcome::Done { refund, created } => Ok(answer(refund, created)),
        Outcome::Refused | Outcome::AskedGateway { answer: GatewayAnswer::Refused(_), .. } => {
            Err(Error::conflict(Code::RefundRefusedByGateway))
        }
        Outcome::AskedGateway { answer: GatewayAnswer::Unavailable(_), .. } => {
            Err(Error::Unavailable(Code::RefundGatewayUnavailable))
        }
        Outcome::AskedGateway { refund, created, answer: GatewayAnswer::Succeeded | GatewayAnswer::Pending } => {
            Ok(answer(refund, created))
        }
    }
}

fn answer(refund: Refund, created: bool) -> HttpResponse {
    if created { HttpResponse::Created().json(refund) } else { HttpResponse::Ok().json(refund) }
}
