//! `GET /till/staff`, `POST /till/sign-in` (the till's device token) and
//! `POST /till/sign-out` (the cashier's till token); `GET /till/approval-key`
//! (a till's tokens).

use actix_web::{HttpResponse, web};
use pos_wire::{ApprovalKey, TillSession, TillSignIn, TillStaff};

use crate::{
    auth::principal::{BearerClaims, Scoped},
    error::{Code, Error, Result},
    http::json::Json,
    state::AppState,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/till/staff").route(web::get().to(till_staff)))
        .service(web::resource("/till/sign-in").route(web::post().to(till_sign_in)))
        .service(web::resource("/till/sign-out").route(web::post().to(till_sign_out)))
        .service(web::resource("/till/approval-key").route(web::get().to(approval_key)));
}

/// The server's public key a till seals a manager's PIN to while offline
/// (see `pos_wire::SealedApproval`); for a till's device token or a cashier
/// signed in on a till.
#[utoipa::path(get, path = "/api/v1/till/approval-key", tag = "till",
    responses((status = 200, body = ApprovalKey), (status = 403, description = "not a till's token")),
    security(("bearer" = [])))]
pub async fn approval_key(state: web::Data<AppState>, s: Scoped) -> Result<web::Json<ApprovalKey>> {
    if super::sign_in::calling_till(&s.actor).is_err() && s.actor.till().is_none() {
        return Err(Error::Forbidden(Code::TillTokenRequired));
    }
    s.tx.commit().await?;
    Ok(web::Json(state.approval_keys.public().clone()))
}

/// Who may sign in on the calling till: `[{id, name, role}]`.
#[utoipa::path(get, path = "/api/v1/till/staff", tag = "till",
    responses((status = 200, body = Vec<TillStaff>), (status = 403, description = "not a till's device token")),
    security(("bearer" = [])))]
pub async fn till_staff(s: Scoped) -> Result<web::Json<Vec<TillStaff>>> {
    let staff = super::sign_in::staff(&s.tx, &s.actor).await?;
    s.tx.commit().await?;
    Ok(web::Json(staff))
}

/// A cashier's PIN to a staff token bound to the calling till.
#[utoipa::path(post, path = "/api/v1/till/sign-in", tag = "till", request_body = TillSignIn,
    responses((status = 200, body = TillSession),
              (status = 401, description = "unknown person or wrong PIN (one answer for both)"),
              (status = 403, description = "not a till's device token"), (status = 429)),
    security(("bearer" = [])))]
pub async fn till_sign_in(
    state: web::Data<AppState>,
    s: Scoped,
    body: Json<TillSignIn>,
) -> Result<web::Json<TillSession>> {
    let session = super::sign_in::sign_in(&state, &s.tx, &s.actor, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(session))
}

/// Ends the calling cashier's session on this till.
#[utoipa::path(post, path = "/api/v1/till/sign-out", tag = "till",
    responses((status = 204), (status = 403, description = "not a cashier's till token")),
    security(("bearer" = [])))]
pub async fn till_sign_out(s: Scoped, claims: BearerClaims) -> Result<HttpResponse> {
    let session_id = claims.0.sid.ok_or(Error::Forbidden(Code::TillTokenRequired))?;
    super::sign_in::sign_out(&s.tx, &s.actor, session_id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}
