//! `/api/v1/outlets`: thin handlers over the outlet domain functions.

use actix_web::{HttpResponse, web};
use pos_wire::{CreateOutlet, Outlet, Page, PageQuery, UpdateOutlet};
use uuid::Uuid;

use crate::{auth::principal::Scoped, error::Result, http::json::Json};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/outlets").route(web::get().to(list_outlets)).route(web::post().to(create_outlet)))
        .service(
            web::resource("/outlets/{id}")
                .route(web::get().to(get_outlet))
                .route(web::patch().to(update_outlet))
                .route(web::delete().to(archive_outlet)),
        );
}

#[utoipa::path(get, path = "/api/v1/outlets", tag = "outlets", params(PageQuery),
    responses((status = 200, body = Page<Outlet>)), security(("bearer" = [])))]
pub async fn list_outlets(s: Scoped, q: web::Query<PageQuery>) -> Result<web::Json<Page<Outlet>>> {
    let page = super::list(&s.tx, &q).await?;
    s.tx.commit().await?;
    Ok(web::Json(page))
}

#[utoipa::path(post, path = "/api/v1/outlets", tag = "outlets", request_body = CreateOutlet,
    responses((status = 201, body = Outlet), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn create_outlet(s: Scoped, body: Json<CreateOutlet>) -> Result<HttpResponse> {
    let outlet = super::create(&s.tx, &s.actor, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(outlet))
}

#[utoipa::path(get, path = "/api/v1/outlets/{id}",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "outlets",
    responses((status = 200, body = Outlet), (status = 404, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn get_outlet(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Outlet>> {
    let outlet = super::get(&s.tx, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(outlet))
}

#[utoipa::path(patch, path = "/api/v1/outlets/{id}",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "outlets", request_body = UpdateOutlet,
    responses((status = 200, body = Outlet), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn update_outlet(s: Scoped, id: web::Path<Uuid>, body: Json<UpdateOutlet>) -> Result<web::Json<Outlet>> {
    let outlet = super::update(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(outlet))
}

/// Archives the outlet and revokes its devices.
#[utoipa::path(delete, path = "/api/v1/outlets/{id}",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "outlets",
    responses((status = 204), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn archive_outlet(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    super::archive(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
