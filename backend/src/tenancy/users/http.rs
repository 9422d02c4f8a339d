//! `/api/v1/users`: thin handlers over the staff domain functions.

use actix_web::{HttpResponse, web};
use pos_wire::{CreateUser, Page, PageQuery, UpdateUser, User};
use uuid::Uuid;

use crate::{auth::principal::Scoped, error::Result, http::json::Json, state::AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/users").route(web::get().to(list_users)).route(web::post().to(create_user))).service(
        web::resource("/users/{id}")
            .route(web::get().to(get_user))
            .route(web::patch().to(update_user))
            .route(web::delete().to(delete_user)),
    );
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(PageQuery),
    responses((status = 200, body = Page<User>), (status = 403)), security(("bearer" = [])))]
pub async fn list_users(s: Scoped, q: web::Query<PageQuery>) -> Result<web::Json<Page<User>>> {
    let page = super::list(&s.tx, &s.actor, &q).await?;
    s.tx.commit().await?;
    Ok(web::Json(page))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = User), (status = 403), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_user(state: web::Data<AppState>, s: Scoped, body: Json<CreateUser>) -> Result<HttpResponse> {
    let url = super::PublicUrl(&state.settings.public_url);
    let user = super::create(&s.tx, &s.actor, state.salt_key(), url, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(user))
}

#[utoipa::path(get, path = "/api/v1/users/{id}",
    params(("id" = Uuid, Path, description = "The user")), tag = "users",
    responses((status = 200, body = User), (status = 404)), security(("bearer" = [])))]
pub async fn get_user(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<User>> {
    let user = super::get(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(user))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}",
    params(("id" = Uuid, Path, description = "The user")), tag = "users", request_body = UpdateUser,
    responses((status = 200, body = User), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn update_user(
    state: web::Data<AppState>,
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<UpdateUser>,
) -> Result<web::Json<User>> {
    let user = super::update(&s.tx, &s.actor, state.salt_key(), *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(user))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}",
    params(("id" = Uuid, Path, description = "The user")), tag = "users",
    responses((status = 204), (status = 403), (status = 404), (status = 409)), security(("bearer" = [])))]
pub async fn delete_user(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    super::delete(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
