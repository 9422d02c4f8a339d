//! `/api/v1/outlets/{id}/areas`, `/api/v1/areas/{id}`,
//! `/api/v1/outlets/{id}/tables`, `/api/v1/tables/{id}`: thin handlers.

use actix_web::{HttpResponse, web};
use pos_wire::{Area, CreateArea, CreateTable, DiningTable, UpdateArea, UpdateTable};
use uuid::Uuid;

use crate::{auth::principal::Scoped, error::Result, http::json::Json};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/outlets/{id}/areas").route(web::get().to(list_areas)).route(web::post().to(create_area)),
    )
    .service(web::resource("/areas/{id}").route(web::patch().to(update_area)).route(web::delete().to(archive_area)))
    .service(
        web::resource("/outlets/{id}/tables").route(web::get().to(list_tables)).route(web::post().to(create_table)),
    )
    .service(
        web::resource("/tables/{id}")
            .route(web::get().to(get_table))
            .route(web::patch().to(update_table))
            .route(web::delete().to(archive_table)),
    );
}

#[utoipa::path(get, path = "/api/v1/outlets/{id}/areas", params(("id" = Uuid, Path, description = "The outlet")),
    tag = "tables", responses((status = 200, body = Vec<Area>), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn list_areas(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Vec<Area>>> {
    let areas = super::list_areas(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(areas))
}

#[utoipa::path(post, path = "/api/v1/outlets/{id}/areas", params(("id" = Uuid, Path, description = "The outlet")),
    tag = "tables", request_body = CreateArea,
    responses((status = 201, body = Area), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_area(s: Scoped, id: web::Path<Uuid>, body: Json<CreateArea>) -> Result<HttpResponse> {
    let area = super::create_area(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(area))
}

#[utoipa::path(patch, path = "/api/v1/areas/{id}", params(("id" = Uuid, Path, description = "The area")),
    tag = "tables", request_body = UpdateArea,
    responses((status = 200, body = Area), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn update_area(s: Scoped, id: web::Path<Uuid>, body: Json<UpdateArea>) -> Result<web::Json<Area>> {
    let area = super::update_area(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(area))
}

/// Archives an area without tables.
#[utoipa::path(delete, path = "/api/v1/areas/{id}", params(("id" = Uuid, Path, description = "The area")),
    tag = "tables", responses((status = 204), (status = 403), (status = 404), (status = 409, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn archive_area(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    super::archive_area(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The outlet's tables, each with its open check (if any).
#[utoipa::path(get, path = "/api/v1/outlets/{id}/tables", params(("id" = Uuid, Path, description = "The outlet")),
    tag = "tables", responses((status = 200, body = Vec<DiningTable>), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn list_tables(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Vec<DiningTable>>> {
    let tables = super::list_tables(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(tables))
}

#[utoipa::path(post, path = "/api/v1/outlets/{id}/tables", params(("id" = Uuid, Path, description = "The outlet")),
    tag = "tables", request_body = CreateTable,
    responses((status = 201, body = DiningTable), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_table(s: Scoped, id: web::Path<Uuid>, body: Json<CreateTable>) -> Result<HttpResponse> {
    let table = super::create_table(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(table))
}

#[utoipa::path(get, path = "/api/v1/tables/{id}", params(("id" = Uuid, Path, description = "The table")),
    tag = "tables", responses((status = 200, body = DiningTable), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn get_table(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<DiningTable>> {
    let table = super::read_table(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(table))
}

#[utoipa::path(patch, path = "/api/v1/tables/{id}", params(("id" = Uuid, Path, description = "The table")),
    tag = "tables", request_body = UpdateTable,
    responses((status = 200, body = DiningTable), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn update_table(s: Scoped, id: web::Path<Uuid>, body: Json<UpdateTable>) -> Result<web::Json<DiningTable>> {
    let table = super::update_table(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(table))
}

/// Archives a table without an open check.
#[utoipa::path(delete, path = "/api/v1/tables/{id}", params(("id" = Uuid, Path, description = "The table")),
    tag = "tables", responses((status = 204), (status = 403), (status = 404), (status = 409, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn archive_table(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    super::archive_table(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
