//! `POST /sync/push`: a device's queued orders in one batch. Each order runs
//! in its own transaction, so one bad order never blocks the rest, and the
//! whole batch is safe to resend after a timeout (replays are `duplicate`).

use actix_web::{ResponseError, web};
use pos_wire::{CreateOrder, Problem, PushOutcome, PushResult, SyncPush, SyncPushResponse};
use uuid::Uuid;

use crate::{
    auth::{ActorKind, principal::Scoped},
    db::PrincipalId,
    error::{Error, Result},
    http::json::{Json, parse_json},
    orders::intake::{Intake, Placed, place_order},
    state::AppState,
};

pub const MAX_BATCH: usize = 500;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/sync/push", web::post().to(sync_push));
}

fn problem_of(e: &Error) -> Problem {
    let status = e.status_code();
    let (detail, errors) = match e {
        Error::Validation(f) => (Some("Some fields are not valid.".to_string()), f.0.clone()),
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
    responses((status = 200, body = SyncPushResponse), (status = 403), (status = 422)), security(("bearer" = [])))]
pub async fn sync_push(
    state: web::Data<AppState>,
    s: Scoped,
    body: Json<SyncPush>,
) -> Result<web::Json<SyncPushResponse>> {
    let push = body.into_inner();
    let (device_id, principal) = match s.actor.kind {
        ActorKind::Device { device_id, .. } => (device_id, PrincipalId::Device(device_id)),
        ActorKind::Staff { user_id, .. } => (push.device_id, PrincipalId::User(user_id)),
    };
    if device_id != push.device_id {
        return Err(Error::field("device_id", "is not the device making this request"));
    }
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
        let result = match place_order(&tx, &actor, order, Intake::Offline).await {
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
                PushResult { client_order_id, outcome: PushOutcome::Rejected, order: None, error: Some(problem_of(&e)) }
            }
        };
        results.push(result);
    }
    Ok(web::Json(SyncPushResponse { results }))
}
