//! `GET /api/v1/outlets/{id}/pickup`: what the pickup board shows.

use actix_web::web;
use pos_wire::PickupEntry;
use uuid::Uuid;

use crate::{auth::principal::Scoped, error::Result};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/outlets/{id}/pickup").route(web::get().to(pickup_board)));
}

/// The outlet's orders in progress or ready: numbers and states only.
#[utoipa::path(get, path = "/api/v1/outlets/{id}/pickup",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "orders",
    responses((status = 200, body = Vec<PickupEntry>), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn pickup_board(s: Scoped, outlet: web::Path<Uuid>) -> Result<web::Json<Vec<PickupEntry>>> {
    let entries = super::board(&s.tx, &s.actor, *outlet).await?;
    s.tx.commit().await?;
    Ok(web::Json(entries))
}
