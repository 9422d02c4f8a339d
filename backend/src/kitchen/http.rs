//! Kitchen display endpoints: the outlet's tickets, bump and recall.

use actix_web::web;
use pos_wire::Ticket;
use uuid::Uuid;

use super::TicketQuery;
use crate::{auth::principal::Scoped, error::Result};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/outlets/{id}/tickets").route(web::get().to(list_tickets)))
        .service(web::resource("/tickets/{id}/bump").route(web::post().to(bump_ticket)))
        .service(web::resource("/tickets/{id}/recall").route(web::post().to(recall_ticket)));
}

#[utoipa::path(get, path = "/api/v1/outlets/{id}/tickets", tag = "kitchen", params(("id" = Uuid, Path, description = "The outlet"), TicketQuery),
    responses((status = 200, body = Vec<Ticket>), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn list_tickets(
    s: Scoped,
    outlet: web::Path<Uuid>,
    q: web::Query<TicketQuery>,
) -> Result<web::Json<Vec<Ticket>>> {
    let tickets = super::list(&s.tx, &s.actor, *outlet, &q).await?;
    s.tx.commit().await?;
    Ok(web::Json(tickets))
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}/bump",
    params(("id" = Uuid, Path, description = "The ticket")), tag = "kitchen",
    responses((status = 200, body = Ticket), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn bump_ticket(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Ticket>> {
    let ticket = super::bump(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(ticket))
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}/recall",
    params(("id" = Uuid, Path, description = "The ticket")), tag = "kitchen",
    responses((status = 200, body = Ticket), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn recall_ticket(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Ticket>> {
    let ticket = super::recall(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(ticket))
}
