//! `POST /sync/push`: a kiosk's queued orders in one batch. Each order runs
//! in its own transaction, so one bad order never blocks the rest, and the
//! whole batch is safe to resend after a timeout (replays are `duplicate`).
//!
//! Only a kiosk's own token may push, and only under its own `device_id`:
//! this is the lenient path for orders really taken offline (see
//! `orders::intake`); staff place orders with `POST /orders`.

use actix_web::{ResponseError, web};
use pos_wire::{CreateOrder, DeviceKind, Problem, PushOutcome, PushResult, SyncPush, SyncPushResponse};
use uuid::Uuid;

use crate::{
    auth::{ActorKind, principal::Scoped},
    db::PrincipalId,
    error::{Error, Result},
    http::json::{Json, parse_json},
    orders::intake::{Intake, IntakePolicy, Placed, place_order},
    state::AppState,
};

pub const MAX_BATCH: usize = 500;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sync/push").route(web::post().to(sync_push)));
}

fn problem_of(e: &Error) -> Problem {
    let status = e.status_code();
    let (detail, errors) = match e {
        Error::Validation(f) => {
            let why: Vec<String> = f.0.iter().map(|(field, msgs)| format!("{field}: {}", msgs.join("; "))).collect();
            (Some(format!("Not accepted: {}", why.join(". "))), f.0.clone())
        }
        Error::Db(_) | Error::Internal(_) => (Some("Something went wrong on our side.".into()), Default::default()),
        other => (Some(other.to_string()), Default::default()),
    };
    Problem {
        kind: format!("https://pos.example/problems/{}", status.as_u16()),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail,
        errors,
    }
}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", request_body = SyncPush,
    responses((status = 200, body = SyncPushResponse), (status = 403, description = "not a kiosk token, or another device's id"),
              (status = 422)), security(("bearer" = [])))]
pub async fn sync_push(
    state: web::Data<AppState>,
    s: Scoped,
    body: Json<SyncPush>,
) -> Result<web::Json<SyncPushResponse>> {
    let push = body.into_inner();
    let device_id = match s.actor.kind {
        ActorKind::Device { device_id, kind: DeviceKind::Kiosk, .. } => device_id,
        ActorKind::Device { .. } => return Err(Error::Forbidden("only kiosks push orders")),
        ActorKind::Staff { .. } => {
            return Err(Error::Forbidden("sync/push takes device tokens only; staff place orders with POST /orders"));
        }
    };
    if device_id != push.device_id {
        return Err(Error::Forbidden("a kiosk pushes only its own orders"));
    }
    let principal = PrincipalId::Device(device_id);
    let policy = IntakePolicy::from_settings(&state.settings);
    if push.orders.len() > MAX_BATCH {
        return Err(Error::field("orders", format!("send at most {MAX_BATCH} orders per batch")));
    }
    let (tenant_id, outlets, actor) = (s.tx.tenant_id(), s.tx.outlets().clone(), s.actor.clone());
    s.tx.commit().await?;

    let mut results = Vec::with_capacity(push.orders.len());
    for raw in push.orders {
        let client_order_id = raw.get("client_order_id").and_then(|v| v.as_str()).and_then(|v| Uuid::parse_str(v).ok());
        let order: CreateOrder = match serde_json::to_vec(&raw)
            .map_err(anyhow::Error::from)
            .map_err(Error::from)
            .and_then(|b| parse_json(&b))
        {
            Ok(o) => o,
            Err(e) => {
                results.push(PushResult {
                    client_order_id,
                    outcome: PushOutcome::Rejected,
                    order: None,
                    error: Some(problem_of(&e)),
                });
                continue;
            }
        };
        let tx = state.db.begin_scoped(tenant_id, outlets.clone(), principal).await?;
        let result = match place_order(&tx, &actor, order, Intake::Offline, &policy).await {
            Ok(Placed::Created(o)) => {
                tx.commit().await?;
                PushResult { client_order_id, outcome: PushOutcome::Created, order: Some(o), error: None }
            }
            Ok(Placed::Duplicate(o)) => {
                tx.commit().await?;
                PushResult { client_order_id, outcome: PushOutcome::Duplicate, order: Some(o), error: None }
            }
            Ok(Placed::Conflict(o)) => PushResult {
                client_order_id,
                outcome: PushOutcome::Conflict,
                order: Some(o),
                error: Some(problem_of(&Error::Conflict(
                    "this client_order_id was already used for an order with different content".into(),
                ))),
            },
            // The database itself failing is not the order's fault: fail the batch, the device retries.
            Err(e @ (Error::Db(_) | Error::Internal(_))) => return Err(e),
            Err(e) => {
                tracing::info!(?client_order_id, error = ?e, "pushed order rejected");
                PushResult { client_order_id, outcome: PushOutcome::Rejected, order: None, error: Some(problem_of(&e)) }
            }
        };
        results.push(result);
    }
    Ok(web::Json(SyncPushResponse { results }))
}
