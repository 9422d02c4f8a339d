//! `POST /api/v1/payments/{id}/refunds`.

use actix_web::{HttpResponse, web};
use pos_wire::{CreateRefund, Refund};
use uuid::Uuid;

use super::{GatewayAnswer, Started, ask_gateway, finish_gateway_refund, start_refund};
use crate::{
    auth::principal::Scoped,
    db::{OutletScope, PrincipalId},
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
    let started = start_refund(&s.tx, &state.limiter, &s.actor, *id, &body.into_inner()).await?;
    s.tx.commit().await?;
    match started {
        Started::Done { refund, created } => Ok(answer(refund, created)),
        Started::Refused => Err(Error::conflict(Code::RefundRefusedByGateway)),
        Started::AtGateway(call) => {
            let said = ask_gateway(state.gateway.as_deref(), &call).await;
            // The gateway's answer is recorded by the system: the refund was already authorised.
            let tx = state.db.begin_scoped(s.actor.tenant_id, OutletScope::All, PrincipalId::System).await?;
            let refund = finish_gateway_refund(&tx, &call, &said).await?;
            tx.commit().await?;
            match said {
                GatewayAnswer::Unavailable(why) => {
                    tracing::warn!(refund_id = %call.refund_id, %why, "QRIS refund left pending");
                    Err(Error::Unavailable(Code::RefundGatewayUnavailable))
                }
                GatewayAnswer::Refused(why) => {
                    tracing::warn!(refund_id = %call.refund_id, %why, "QRIS refund refused by the gateway");
                    Err(Error::conflict(Code::RefundRefusedByGateway))
                }
                GatewayAnswer::Succeeded | GatewayAnswer::Pending => Ok(answer(refund, call.created)),
            }
        }
    }
}

fn answer(refund: Refund, created: bool) -> HttpResponse {
    if created { HttpResponse::Created().json(refund) } else { HttpResponse::Ok().json(refund) }
}
