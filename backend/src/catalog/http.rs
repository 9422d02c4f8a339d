//! Catalogue endpoints: thin handlers over the catalogue domain functions.

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, ETag, EntityTag, IfNoneMatch},
    web,
};
use pos_wire::{
    Category, CreateCategory, CreateMenuItem, ItemOverride, MenuItem, OutletMenu, Page, PageQuery, PullResponse,
    UpdateCategory, UpdateMenuItem, UpdateOutletItem, UploadedImage,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{categories, images, items, menu, menu_stamps, overrides, pull};
use crate::{
    auth::principal::{Authenticated, Scoped},
    error::Result,
    http::{body::read_upload, json::Json},
    state::AppState,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/categories").route(web::get().to(list_categories)).route(web::post().to(create_category)),
    )
    .service(
        web::resource("/categories/{id}")
            .route(web::get().to(get_category))
            .route(web::patch().to(update_category))
            .route(web::delete().to(delete_category)),
    )
    .service(web::resource("/menu-items").route(web::get().to(list_items)).route(web::post().to(create_item)))
    .service(
        web::resource("/menu-items/{id}")
            .route(web::get().to(get_item))
            .route(web::patch().to(update_item))
            .route(web::delete().to(delete_item)),
    )
    .service(web::resource("/outlets/{id}/menu").route(web::get().to(outlet_menu)))
    .service(web::resource("/outlets/{id}/menu-items/{item_id}").route(web::patch().to(update_outlet_item)))
    .service(web::resource("/sync/pull").route(web::get().to(sync_pull)))
    .service(web::resource("/images").route(web::post().to(upload_image)));
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "catalogue",
    responses((status = 200, body = Vec<Category>)), security(("bearer" = [])))]
pub async fn list_categories(s: Scoped) -> Result<web::Json<Vec<Category>>> {
    let list = categories::list(&s.tx).await?;
    s.tx.commit().await?;
    Ok(web::Json(list))
}

#[utoipa::path(post, path = "/api/v1/categories", tag = "catalogue", request_body = CreateCategory,
    responses((status = 201, body = Category), (status = 403), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn create_category(s: Scoped, body: Json<CreateCategory>) -> Result<HttpResponse> {
    let c = categories::create(&s.tx, &s.actor, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(c))
}

#[utoipa::path(get, path = "/api/v1/categories/{id}",
    params(("id" = Uuid, Path, description = "The category")), tag = "catalogue",
    responses((status = 200, body = Category), (status = 404)), security(("bearer" = [])))]
pub async fn get_category(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Category>> {
    let c = categories::get(&s.tx, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(c))
}

#[utoipa::path(patch, path = "/api/v1/categories/{id}",
    params(("id" = Uuid, Path, description = "The category")), tag = "catalogue", request_body = UpdateCategory,
    responses((status = 200, body = Category), (status = 404), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn update_category(
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<UpdateCategory>,
) -> Result<web::Json<Category>> {
    let c = categories::update(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(c))
}

#[utoipa::path(delete, path = "/api/v1/categories/{id}",
    params(("id" = Uuid, Path, description = "The category")), tag = "catalogue",
    responses((status = 204), (status = 404), (status = 409, description = "the category still has items")), security(("bearer" = [])))]
pub async fn delete_category(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    categories::delete(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemQuery {
    pub category_id: Option<Uuid>,
    /// Items per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before.
    #[param(pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")]
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/menu-items", tag = "catalogue", params(ItemQuery),
    responses((status = 200, body = Page<MenuItem>)), security(("bearer" = [])))]
pub async fn list_items(s: Scoped, q: web::Query<ItemQuery>) -> Result<web::Json<Page<MenuItem>>> {
    let q = q.into_inner();
    let page = items::list(&s.tx, q.category_id, &PageQuery { limit: q.limit, cursor: q.cursor }).await?;
    s.tx.commit().await?;
    Ok(web::Json(page))
}

#[utoipa::path(post, path = "/api/v1/menu-items", tag = "catalogue", request_body = CreateMenuItem,
    responses((status = 201, body = MenuItem), (status = 403), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn create_item(s: Scoped, body: Json<CreateMenuItem>) -> Result<HttpResponse> {
    let item = items::create(&s.tx, &s.actor, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(item))
}

#[utoipa::path(get, path = "/api/v1/menu-items/{id}",
    params(("id" = Uuid, Path, description = "The menu item")), tag = "catalogue",
    responses((status = 200, body = MenuItem), (status = 404)), security(("bearer" = [])))]
pub async fn get_item(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<MenuItem>> {
    let item = items::get(&s.tx, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(item))
}

#[utoipa::path(patch, path = "/api/v1/menu-items/{id}",
    params(("id" = Uuid, Path, description = "The menu item")), tag = "catalogue", request_body = UpdateMenuItem,
    responses((status = 200, body = MenuItem), (status = 404), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn update_item(s: Scoped, id: web::Path<Uuid>, body: Json<UpdateMenuItem>) -> Result<web::Json<MenuItem>> {
    let item = items::update(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(item))
}

#[utoipa::path(delete, path = "/api/v1/menu-items/{id}",
    params(("id" = Uuid, Path, description = "The menu item")), tag = "catalogue",
    responses((status = 204), (status = 404)), security(("bearer" = [])))]
pub async fn delete_item(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    items::delete(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The outlet's effective menu. Answers 304 when `If-None-Match` holds the current `ETag`.
#[utoipa::path(get, path = "/api/v1/outlets/{id}/menu",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "catalogue",
    responses((status = 200, body = OutletMenu), (status = 304), (status = 404)), security(("bearer" = [])))]
pub async fn outlet_menu(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let (stamp, read) = menu_stamps::current_stamp(&state, who, *id).await?;
    let etag = stamp.etag();
    let tag = EntityTag::new_strong(etag.trim_matches('"').to_string());
    let cache = (header::CACHE_CONTROL, "private, no-cache");
    if let Ok(IfNoneMatch::Items(tags)) = <IfNoneMatch as header::Header>::parse(&req)
        && tags.iter().any(|t| t.weak_eq(&tag))
    {
        read.finish().await?;
        return Ok(HttpResponse::NotModified().insert_header(ETag(tag)).insert_header(cache).finish());
    }
    let body = match state.menu_cache.get(*id, &etag) {
        Some(body) => {
            read.finish().await?;
            body
        }
        None => {
            let s = read.scoped(&state).await?;
            let menu = menu::outlet_menu_routed(&state.db, s.tx, *id, &stamp).await?;
            let body = bytes::Bytes::from(serde_json::to_vec(&menu).map_err(anyhow::Error::from)?);
            state.menu_cache.put(*id, &etag, body.clone());
            body
        }
    };
    Ok(HttpResponse::Ok().insert_header(ETag(tag)).insert_header(cache).content_type("application/json").body(body))
}

/// 86 an item at one outlet (until turned back on, a time, or the end of the day), or set the outlet's price.
#[utoipa::path(patch, path = "/api/v1/outlets/{id}/menu-items/{item_id}",
    params(("id" = Uuid, Path, description = "The outlet"), ("item_id" = Uuid, Path, description = "The menu item")), tag = "catalogue", request_body = UpdateOutletItem,
    responses((status = 200, body = ItemOverride), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn update_outlet_item(
    s: Scoped,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<UpdateOutletItem>,
) -> Result<web::Json<ItemOverride>> {
    let (outlet, item) = path.into_inner();
    let o = overrides::set(&s.tx, &s.actor, outlet, item, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(o))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    pub outlet_id: Uuid,
    /// A cursor from an earlier pull; omitted for a full snapshot.
    #[param(pattern = "^(v[0-9]{1,18})?$")]
    pub since: Option<String>,
    /// Changes per page (default 500).
    #[param(minimum = 1, maximum = 2000)]
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", params(PullQuery),
    responses((status = 200, body = PullResponse), (status = 404), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn sync_pull(
    state: web::Data<AppState>,
    s: Scoped,
    q: web::Query<PullQuery>,
) -> Result<web::Json<PullResponse>> {
    let since = pull::parse_cursor(q.since.as_deref())?;
    let limit = q.limit.unwrap_or(pull::DEFAULT_LIMIT);
    Ok(web::Json(pull::pull_routed(&state.db, s.tx, q.outlet_id, since, limit).await?))
}

/// Upload an item image as the raw body (`Content-Type: image/jpeg|png|webp`, at most 2 MiB).
#[utoipa::path(post, path = "/api/v1/images", tag = "catalogue",
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, body = UploadedImage), (status = 413), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn upload_image(state: web::Data<AppState>, s: Scoped, mut payload: web::Payload) -> Result<HttpResponse> {
    // Who may upload is settled, and the connection given back, before a
    // byte of the body is read: the body may take a while to arrive.
    images::may_upload(&s.actor)?;
    s.tx.commit().await?;
    let body = read_upload(&mut payload, images::MAX_BYTES).await?;
    let uploaded = images::store(&state.settings.media_dir, &s.actor, &body).await?;
    Ok(HttpResponse::Created().json(uploaded))
}
