//! Offline sync: `POST /sync/push`, a kiosk's queued orders in one batch
//! (see [`push`]). Pulling the menu is the catalogue's (`catalog::pull`).

pub mod push;

use actix_web::web;
use pos_wire::{DiscountPushResult, PaymentPushResult, PushOutcome, PushResult, SyncPush, SyncPushResponse};

use crate::{
    auth::principal::Scoped,
    error::{Code, Error, Result},
    http::{json::Json, problem::itemised_problem_of as problem_of},
    orders::intake::{IntakePolicy, Placed, reused_key},
    payments::take::Taken,
    state::AppState,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sync/push").route(web::post().to(sync_push)));
}

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", request_body = SyncPush,
    responses((status = 200, body = SyncPushResponse), (status = 403, description = "not a kiosk token or a till's cashier, or another device's id"),
              (status = 422)), security(("bearer" = [])))]
pub async fn sync_push(
    state: web::Data<AppState>,
    s: Scoped,
    body: Json<SyncPush>,
) -> Result<web::Json<SyncPushResponse>> {
    let push = body.into_inner();
    push::pusher(&s.actor, &push)?;
    let scope = push::PushScope::of(&s.tx, &s.actor);
    s.tx.commit().await?;
    let policy = IntakePolicy::from_settings(&state.settings);
    let pushed = push::push_orders(&state, &scope, &s.actor, push.orders, &policy).await?;
    Ok(web::Json(SyncPushResponse { results: pushed.into_iter().map(result_of).collect() }))
}

fn result_of(pushed: push::Pushed) -> PushResult {
    let (outcome, order, error) = match pushed.outcome {
        Ok(Placed::Created(order)) => (PushOutcome::Created, Some(order), None),
        Ok(Placed::Duplicate(order)) => (PushOutcome::Duplicate, Some(order), None),
        Ok(Placed::Conflict(order)) => (PushOutcome::Conflict, Some(order), Some(problem_of(&reused_key()))),
        Err(e) => (PushOutcome::Rejected, None, Some(problem_of(&e))),
    };
    let payments = pushed.payments.into_iter().map(payment_result_of).collect();
    let discounts = pushed.discounts.into_iter().map(discount_result_of).collect();
    PushResult { client_order_id: pushed.client_order_id, outcome, order, error, payments, discounts }
}

fn discount_result_of(pushed: push::PushedDiscount) -> DiscountPushResult {
    let (outcome, discount, error) = match pushed.outcome {
        Ok((true, discount)) => (PushOutcome::Created, discount, None),
        Ok((false, discount)) => (PushOutcome::Duplicate, discount, None),
        Err(e @ Error::Conflict(_)) if matches!(&e, Error::Conflict(why) if why.code == Code::ClientDiscountIdReused) => {
            (PushOutcome::Conflict, None, Some(problem_of(&e)))
        }
        Err(e) => (PushOutcome::Rejected, None, Some(problem_of(&e))),
    };
    DiscountPushResult { client_discount_id: pushed.client_discount_id, outcome, discount, error }
}

fn payment_result_of(pushed: push::PushedPayment) -> PaymentPushResult {
    let (outcome, payment, error) = match pushed.outcome {
        Ok(Taken::Created(p)) => (PushOutcome::Created, Some(p), None),
        Ok(Taken::Duplicate(p)) => (PushOutcome::Duplicate, Some(p), None),
        Err(e @ Error::Conflict(_)) if matches!(&e, Error::Conflict(why) if why.code == Code::ClientPaymentIdReused) => {
            (PushOutcome::Conflict, None, Some(problem_of(&e)))
        }
        Err(e) => (PushOutcome::Rejected, None, Some(problem_of(&e))),
    };
    PaymentPushResult { client_payment_id: pushed.client_payment_id, outcome, payment, error }
}
