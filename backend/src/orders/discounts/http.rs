//! `/api/v1/orders/{id}/discounts`.

use actix_web::{HttpResponse, web};
use pos_wire::{CreateDiscount, Order};
use uuid::Uuid;

use super::{Discounted, add_discount, remove_discount};
use crate::{auth::principal::Scoped, error::Result, http::json::Json, state::AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders/{id}/discounts").route(web::post().to(create_discount)))
        .service(web::resource("/orders/{id}/discounts/{discount_id}").route(web::delete().to(delete_discount)));
}

/// Discounts the order (`line_id`) or one of its lines: 201 with the order
/// recomputed; 200 with the order as it is for a replay of the same
/// `client_discount_id`. Above the outlet's `discount_limit_bp` a cashier
/// needs a manager's `approval`.
#[utoipa::path(post, path = "/api/v1/orders/{id}/discounts",
    params(("id" = Uuid, Path, description = "The order")), tag = "orders", request_body = CreateDiscount,
    responses((status = 201, body = Order), (status = 200, body = Order, description = "replay"),
              (status = 403, body = pos_wire::Problem, description = "not allowed, above the limit without approval, approval refused"),
              (status = 404), (status = 409, body = pos_wire::Problem, description = "paid, being paid, cancelled or void; id reused"),
              (status = 422, body = pos_wire::Problem), (status = 429, body = pos_wire::Problem, description = "too many wrong PINs")),
    security(("bearer" = [])))]
pub async fn create_discount(
    state: web::Data<AppState>,
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<CreateDiscount>,
) -> Result<HttpResponse> {
    let done = add_discount(&s.tx, &state.limiter, &s.actor, *id, &body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(match done {
        Discounted::Created(order) => HttpResponse::Created().json(order),
        Discounted::Replayed(order) => HttpResponse::Ok().json(order),
    })
}

/// Removes a discount before payment: 200 with the order recomputed.
#[utoipa::path(delete, path = "/api/v1/orders/{id}/discounts/{discount_id}",
    params(("id" = Uuid, Path, description = "The order"), ("discount_id" = Uuid, Path, description = "The discount")),
    tag = "orders",
    responses((status = 200, body = Order), (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "paid, being paid, cancelled or void")),
    security(("bearer" = [])))]
pub async fn delete_discount(s: Scoped, path: web::Path<(Uuid, Uuid)>) -> Result<web::Json<Order>> {
    let (order_id, discount_id) = path.into_inner();
    let order = remove_discount(&s.tx, &s.actor, order_id, discount_id).await?;
    s.tx.commit().await?;
    Ok(web::Json(order))
}
