//! `/api/v1/orders`: thin handlers over intake, lifecycle and queries.

use actix_web::{HttpResponse, web};
use pos_wire::{ChangeOrderStatus, CreateOrder, Order, Page};
use uuid::Uuid;

use super::{
    OrderQuery,
    intake::{Intake, IntakePolicy, Placed, place_order, reused_key},
};
use crate::{auth::principal::Scoped, error::Result, http::json::Json, state::AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders").route(web::get().to(list_orders)).route(web::post().to(create_order)))
        .service(web::resource("/orders/{id}").route(web::get().to(get_order)))
        .service(web::resource("/orders/{id}/status").route(web::post().to(change_order_status)))
        .service(web::resource("/orders/{id}/void").route(web::post().to(void_order)));
}

/// 201 with a new order; 200 with the same order for a replay of the same
/// `client_order_id` and content; 409 for the same key with other content;
/// 422 when anything cannot be sold now as sent (sold out, gone, another
/// price than `shown_unit_price_minor`).
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = CreateOrder,
    responses((status = 201, body = Order), (status = 200, body = Order, description = "replay"),
              (status = 409, body = pos_wire::Problem,
               description = "`client_order_id` reused for other content, or `shift_not_open`: a cashier signed in on a till without an open shift"),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_order(state: web::Data<AppState>, s: Scoped, body: Json<CreateOrder>) -> Result<HttpResponse> {
    let policy = IntakePolicy::from_settings(&state.settings);
    match place_order(&s.tx, &s.actor, body.into_inner(), Intake::Online, &policy).await? {
        Placed::Created(order) => {
            s.tx.commit().await?;
            Ok(HttpResponse::Created().json(order))
        }
        Placed::Duplicate(order) => {
            s.tx.commit().await?;
            Ok(HttpResponse::Ok().json(order))
        }
        Placed::Conflict(_) => Err(reused_key()),
    }
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderQuery),
    responses((status = 200, body = Page<Order>)), security(("bearer" = [])))]
pub async fn list_orders(s: Scoped, q: web::Query<OrderQuery>) -> Result<web::Json<Page<Order>>> {
    let page = super::list(&s.tx, &s.actor, &q).await?;
    s.tx.commit().await?;
    Ok(web::Json(page))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}",
    params(("id" = Uuid, Path, description = "The order")), tag = "orders",
    responses((status = 200, body = Order), (status = 404)), security(("bearer" = [])))]
pub async fn get_order(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Order>> {
    let order = super::read(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}

/// Lifecycle: placed → accepted → preparing → ready → completed; cancelled
/// (with a reason) before completed. Any other move is 409.
#[utoipa::path(post, path = "/api/v1/orders/{id}/status",
    params(("id" = Uuid, Path, description = "The order")), tag = "orders", request_body = ChangeOrderStatus,
    responses((status = 200, body = Order), (status = 403), (status = 404), (status = 409), (status = 422)),
    security(("bearer" = [])))]
pub async fn change_order_status(
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<ChangeOrderStatus>,
) -> Result<web::Json<Order>> {
    let order = super::status::change_status(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}

/// Voids an order nothing was paid on (cancels it; payment status `void`).
/// Owners and managers directly; a cashier with a manager's `approval`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/void",
    params(("id" = Uuid, Path, description = "The order")), tag = "orders", request_body = pos_wire::VoidOrder,
    responses((status = 200, body = Order),
              (status = 403, body = pos_wire::Problem, description = "not allowed, approval required or refused"),
              (status = 409, body = pos_wire::Problem, description = "paid, pending payment, or already closed"),
              (status = 422, body = pos_wire::Problem), (status = 429, body = pos_wire::Problem, description = "too many wrong PINs")),
    security(("bearer" = [])))]
pub async fn void_order(
    state: web::Data<AppState>,
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<pos_wire::VoidOrder>,
) -> Result<web::Json<Order>> {
    let order = super::void::void_order(&s.tx, &state.limiter, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}
