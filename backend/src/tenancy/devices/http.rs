//! Device endpoints: create (with a pairing code), list, revoke, pair.

use actix_web::{HttpRequest, HttpResponse, web};
use pos_wire::{CreateDevice, Device, DevicePairingCode, PairDevice, PairedDevice};
use uuid::Uuid;

use crate::{
    auth::principal::Scoped,
    error::Result,
    http::{client_ip::client_ip, json::Json},
    state::AppState,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/outlets/{id}/devices").route(web::get().to(list_devices)).route(web::post().to(create_device)),
    )
    .service(web::resource("/devices/pair").route(web::post().to(pair_device)))
    .service(web::resource("/devices/me").route(web::get().to(device_me)))
    .service(web::resource("/devices/{id}").route(web::delete().to(revoke_device)));
}

#[utoipa::path(post, path = "/api/v1/outlets/{id}/devices",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "devices", request_body = CreateDevice,
    responses((status = 201, body = DevicePairingCode), (status = 403), (status = 404), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn create_device(
    state: web::Data<AppState>,
    s: Scoped,
    outlet_id: web::Path<Uuid>,
    body: Json<CreateDevice>,
) -> Result<HttpResponse> {
    let settings = &state.settings;
    let code = super::create(
        &s.tx,
        &s.actor,
        settings.token_secret.expose(),
        settings.pairing_code_ttl.as_secs(),
        *outlet_id,
        body.into_inner(),
    )
    .await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Created().json(code))
}

#[utoipa::path(get, path = "/api/v1/outlets/{id}/devices",
    params(("id" = Uuid, Path, description = "The outlet")), tag = "devices",
    responses((status = 200, body = Vec<Device>), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn list_devices(s: Scoped, outlet_id: web::Path<Uuid>) -> Result<web::Json<Vec<Device>>> {
    let devices = super::list_for_outlet(&s.tx, &s.actor, *outlet_id).await?;
    s.tx.commit().await?;
    Ok(web::Json(devices))
}

/// Revokes a device; its next request gets 401.
#[utoipa::path(delete, path = "/api/v1/devices/{id}",
    params(("id" = Uuid, Path, description = "The device")), tag = "devices",
    responses((status = 204), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn revoke_device(s: Scoped, id: web::Path<Uuid>) -> Result<HttpResponse> {
    super::revoke(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Trades a single-use pairing code for a device token bound to one outlet.
#[utoipa::path(post, path = "/api/v1/devices/pair", tag = "devices", request_body = PairDevice,
    responses((status = 200, body = PairedDevice), (status = 422, body = pos_wire::Problem), (status = 429)))]
pub async fn pair_device(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<PairDevice>,
) -> Result<web::Json<PairedDevice>> {
    let client = client_ip(&req, &state.settings.trusted_proxies);
    Ok(web::Json(super::pair(&state, &body.0.pairing_code, client).await?))
}

/// The calling device's own record (devices use it to check they are still paired).
#[utoipa::path(get, path = "/api/v1/devices/me", tag = "devices",
    responses((status = 200, body = Device), (status = 401)), security(("bearer" = [])))]
pub async fn device_me(s: Scoped) -> Result<web::Json<Device>> {
    let device = super::me(&s.tx, &s.actor).await?;
    s.tx.commit().await?;
    Ok(web::Json(device))
}
