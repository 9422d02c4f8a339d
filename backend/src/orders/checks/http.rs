//! `/api/v1/orders/{id}/rounds` (add, list), `/move`, `/merge`, `/split`, `/split-evenly`.

use actix_web::{HttpResponse, web};
use pos_wire::{
    AddRound, CheckRound, EvenSplit, MergeChecks, MoveCheck, Order, SetGuests, SplitCheck, SplitEvenly, SplitResult,
};
use uuid::Uuid;

use super::{
    rounds::{Round, add_round, list_rounds},
    split::{Split, split_check, split_order_evenly},
};
use crate::{auth::principal::Scoped, error::Result, http::json::Json};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders/{id}/rounds").route(web::post().to(create_round)).route(web::get().to(rounds)))
        .service(web::resource("/orders/{id}/move").route(web::post().to(move_check)))
        .service(web::resource("/orders/{id}/guests").route(web::put().to(set_guests)))
        .service(web::resource("/orders/{id}/merge").route(web::post().to(merge_checks)))
        .service(web::resource("/orders/{id}/split").route(web::post().to(split)))
        .service(web::resource("/orders/{id}/split-evenly").route(web::post().to(split_evenly)));
}

/// Adds a round to a check: lines priced by the server, fired to the
/// kitchen as tickets of their own. 201 with the check; 200 with the check
/// as it is for a replay of the same `client_round_id`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/rounds", params(("id" = Uuid, Path, description = "The check")),
    tag = "tables", request_body = AddRound,
    responses((status = 201, body = Order), (status = 200, body = Order, description = "replay"), (status = 403),
              (status = 404), (status = 409, body = pos_wire::Problem, description = "not an open check; id reused"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_round(s: Scoped, id: web::Path<Uuid>, body: Json<AddRound>) -> Result<HttpResponse> {
    let round = add_round(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(match round {
        Round::Added(order) => HttpResponse::Created().json(order),
        Round::Replayed(order) => HttpResponse::Ok().json(order),
    })
}

/// The check's rounds, oldest first, each with its lines still on the check.
#[utoipa::path(get, path = "/api/v1/orders/{id}/rounds", params(("id" = Uuid, Path, description = "The check")),
    tag = "tables",
    responses((status = 200, body = Vec<CheckRound>), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn rounds(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Vec<CheckRound>>> {
    let rounds = list_rounds(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(rounds))
}

/// Seats the check at another, free table of its outlet.
#[utoipa::path(post, path = "/api/v1/orders/{id}/move", params(("id" = Uuid, Path, description = "The check")),
    tag = "tables", request_body = MoveCheck,
    responses((status = 200, body = Order), (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "not an open check; the table is taken"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn move_check(s: Scoped, id: web::Path<Uuid>, body: Json<MoveCheck>) -> Result<web::Json<Order>> {
    let order = super::move_check(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}

/// Sets how many guests sit at the check.
#[utoipa::path(put, path = "/api/v1/orders/{id}/guests", params(("id" = Uuid, Path, description = "The check")),
    tag = "tables", request_body = SetGuests,
    responses((status = 200, body = Order), (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "not an open check"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn set_guests(s: Scoped, id: web::Path<Uuid>, body: Json<SetGuests>) -> Result<web::Json<Order>> {
    let order = super::set_guests(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}

/// Merges check `from_order_id` into this one (same outlet, no discounts);
/// the other check is closed.
#[utoipa::path(post, path = "/api/v1/orders/{id}/merge", params(("id" = Uuid, Path, description = "The check kept")),
    tag = "tables", request_body = MergeChecks,
    responses((status = 200, body = Order), (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "not open checks; discounts"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn merge_checks(s: Scoped, id: web::Path<Uuid>, body: Json<MergeChecks>) -> Result<web::Json<Order>> {
    let order = super::merge_checks(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}

/// Splits chosen lines (or quantities) of a check off to a new order: 201
/// with both; 200 with both for a replay of the same `client_order_id`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/split", params(("id" = Uuid, Path, description = "The check")),
    tag = "tables", request_body = SplitCheck,
    responses((status = 201, body = SplitResult), (status = 200, body = SplitResult, description = "replay"),
              (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "not an open check; discounts; id reused"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn split(s: Scoped, id: web::Path<Uuid>, body: Json<SplitCheck>) -> Result<HttpResponse> {
    let done = split_check(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(match done {
        Split::Created(both) => HttpResponse::Created().json(both),
        Split::Replayed(both) => HttpResponse::Ok().json(both),
    })
}

/// The order's balance in `ways` amounts that sum exactly to it, to be
/// taken as payments (nothing is stored).
#[utoipa::path(post, path = "/api/v1/orders/{id}/split-evenly", params(("id" = Uuid, Path, description = "The order")),
    tag = "tables", request_body = SplitEvenly,
    responses((status = 200, body = EvenSplit), (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "nothing left to pay"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn split_evenly(s: Scoped, id: web::Path<Uuid>, body: Json<SplitEvenly>) -> Result<web::Json<EvenSplit>> {
    let split = split_order_evenly(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(split))
}
