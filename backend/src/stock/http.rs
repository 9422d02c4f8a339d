//! Stock over HTTP: thin handlers over the domain functions.

use actix_web::{HttpResponse, web};
use pos_wire::{
    CreateIngredient, CreateStockMovement, Ingredient, OutletStock, PutRecipe, PutThreshold, Recipe, StockLevel,
    StockMovement, UpdateIngredient,
};
use uuid::Uuid;

use super::{
    availability, ingredients, levels,
    movements::{Recorded, record_movement},
    recipes,
};
use crate::{auth::principal::Scoped, error::Result, http::json::Json};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/ingredients").route(web::get().to(list_ingredients)).route(web::post().to(create_ingredient)),
    )
    .service(
        web::resource("/ingredients/{id}")
            .route(web::get().to(get_ingredient))
            .route(web::patch().to(update_ingredient))
            .route(web::delete().to(delete_ingredient)),
    )
    .service(web::resource("/menu-items/{id}/recipe").route(web::get().to(get_recipe)).route(web::put().to(put_recipe)))
    .service(web::resource("/menu-items/{id}/options/{option_id}/recipe").route(web::put().to(put_option_recipe)))
    .service(web::resource("/outlets/{id}/stock").route(web::get().to(outlet_stock)))
    .service(
        web::resource("/outlets/{id}/stock-movements")
            .route(web::get().to(super::listing::http::list_movements))
            .route(web::post().to(create_movement)),
    )
    .service(web::resource("/outlets/{id}/stock/{ingredient_id}/threshold").route(web::put().to(put_threshold)));
}

/// The brand's live ingredients, by name (staff only).
#[utoipa::path(get, path = "/api/v1/ingredients", tag = "stock",
    responses((status = 200, body = Vec<Ingredient>)), security(("bearer" = [])))]
pub async fn list_ingredients(s: Scoped) -> Result<web::Json<Vec<Ingredient>>> {
    let list = ingredients::list(&s.tx, &s.actor).await?;
    s.tx.commit().await?;
    Ok(web::Json(list))
}

/// A new ingredient (owners and managers).
#[utoipa::path(post, path = "/api/v1/ingredients", tag = "stock", request_body = CreateIngredient,
    responses((status = 201, body = Ingredient), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn create_ingredient(s: Scoped, body: Json<CreateIngredient>) -> Result<HttpResponse> {
    let created = ingredients::create(&s.tx, &s.actor, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(get, path = "/api/v1/ingredients/{id}", tag = "stock",
    params(("id" = Uuid, Path, description = "The ingredient")),
    responses((status = 200, body = Ingredient)), security(("bearer" = [])))]
pub async fn get_ingredient(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Ingredient>> {
    super::may_read(&s.actor)?;
    let found = ingredients::get(&s.tx, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(found))
}

/// Renames it, or sets its cost or default alert level (never its unit).
#[utoipa::path(patch, path = "/api/v1/ingredients/{id}", tag = "stock", request_body = UpdateIngredient,
    params(("id" = Uuid, Path, description = "The ingredient")),
    responses((status = 200, body = Ingredient), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn update_ingredient(
    s: Scoped,
    id: web::Path<Uuid>,
    body: Json<UpdateIngredient>,
) -> Result<web::Json<Ingredient>> {
    let updated = ingredients::update(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(updated))
}

/// Deletes an ingredient no recipe uses; 409 `ingredient_in_recipes` otherwise.
#[utoipa::path(delete, path = "/api/v1/ingredients/{id}", tag = "stock",
    params(("id" = Uuid, Path, description = "The ingredient")),
    responses((status = 204), (status = 409, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn delete_ingredient(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    ingredients::delete(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The item's recipe and its options' recipes.
#[utoipa::path(get, path = "/api/v1/menu-items/{id}/recipe", tag = "stock",
    params(("id" = Uuid, Path, description = "The menu item")),
    responses((status = 200, body = Recipe)), security(("bearer" = [])))]
pub async fn get_recipe(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Recipe>> {
    let recipe = recipes::get(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(recipe))
}

/// Replaces what one portion of the item takes (owners and managers); the
/// item goes sold out (or comes back) at once wherever stock says so.
#[utoipa::path(put, path = "/api/v1/menu-items/{id}/recipe", tag = "stock", request_body = PutRecipe,
    params(("id" = Uuid, Path, description = "The menu item")),
    responses((status = 200, body = Recipe), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn put_recipe(mut s: Scoped, id: web::Path<Uuid>, body: Json<PutRecipe>) -> Result<web::Json<Recipe>> {
    let recipe = recipes::put(&s.tx, &s.actor, *id, None, body.into_inner()).await?;
    availability::recheck_item(&mut s.tx, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(recipe))
}

/// Replaces what choosing one modifier option of the item adds.
#[utoipa::path(put, path = "/api/v1/menu-items/{id}/options/{option_id}/recipe", tag = "stock", request_body = PutRecipe,
    params(("id" = Uuid, Path, description = "The menu item"), ("option_id" = Uuid, Path, description = "One of its modifier options")),
    responses((status = 200, body = Recipe), (status = 422, body = pos_wire::Problem)), security(("bearer" = [])))]
pub async fn put_option_recipe(
    mut s: Scoped,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<PutRecipe>,
) -> Result<web::Json<Recipe>> {
    let (item, option) = path.into_inner();
    let recipe = recipes::put(&s.tx, &s.actor, item, Some(option), body.into_inner()).await?;
    availability::recheck_item(&mut s.tx, item).await?;
    s.tx.commit().await?;
    Ok(web::Json(recipe))
}

/// On hand per ingredient at the outlet, and transfers waiting to be received.
#[utoipa::path(get, path = "/api/v1/outlets/{id}/stock", tag = "stock",
    params(("id" = Uuid, Path, description = "The outlet")),
    responses((status = 200, body = OutletStock)), security(("bearer" = [])))]
pub async fn outlet_stock(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<OutletStock>> {
    let stock = levels::outlet_stock(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(stock))
}

/// Records a delivery, waste, a count or a transfer: 201; 200 for a replay
/// of its `client_movement_id`; 409 when that id was used with other content.
#[utoipa::path(post, path = "/api/v1/outlets/{id}/stock-movements", tag = "stock", request_body = CreateStockMovement,
    params(("id" = Uuid, Path, description = "The outlet")),
    responses((status = 201, body = StockMovement), (status = 200, body = StockMovement, description = "replay"),
              (status = 409, body = pos_wire::Problem), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_movement(s: Scoped, id: web::Path<Uuid>, body: Json<CreateStockMovement>) -> Result<HttpResponse> {
    let recorded = record_movement(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(match recorded {
        Recorded::Created(m) => HttpResponse::Created().json(m),
        Recorded::Duplicate(m) => HttpResponse::Ok().json(m),
    })
}

/// The outlet's own low-stock level for an ingredient (`null`: the brand's).
#[utoipa::path(put, path = "/api/v1/outlets/{id}/stock/{ingredient_id}/threshold", tag = "stock", request_body = PutThreshold,
    params(("id" = Uuid, Path, description = "The outlet"), ("ingredient_id" = Uuid, Path, description = "The ingredient")),
    responses((status = 200, body = StockLevel)), security(("bearer" = [])))]
pub async fn put_threshold(
    s: Scoped,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<PutThreshold>,
) -> Result<web::Json<StockLevel>> {
    let (outlet, ingredient) = path.into_inner();
    let level = levels::put_threshold(&s.tx, &s.actor, outlet, ingredient, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(level))
}
