//! The pickup board is read-only: of the whole API it may use only what
//! shows numbers and states. Everything else refuses it (403), whatever
//! the endpoint would otherwise allow a device: deny by default, so a new
//! endpoint stays closed to it until it is added here.
//!
//! Checked twice: by [`refuse_elsewhere`] in front of the API, from the
//! token alone, so the answer is 403 before any body or database is looked
//! at; and when the request's transaction is opened, from the device's row.

use actix_web::{
    FromRequest,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
};
use pos_wire::DeviceKind;

use crate::{
    auth::principal::BearerClaims,
    error::{Code, Error, Result},
};

/// (method, route pattern) pairs a pickup board may call.
const ROUTES: &[(&str, &str)] =
    &[("GET", "/api/v1/outlets/{id}/pickup"), ("GET", "/api/v1/outlets/{id}/events"), ("GET", "/api/v1/devices/me")];

/// 403 unless a pickup board may call `method` on the matched `route`.
pub fn may_use(method: &Method, route: Option<&str>) -> Result<()> {
    let allowed = route.is_some_and(|route| ROUTES.iter().any(|(m, r)| method.as_str() == *m && route == *r));
    if allowed { Ok(()) } else { Err(Error::Forbidden(Code::BoardReadOnly)) }
}

/// Middleware on the API: a pickup board's token on any other route gets 403.
pub async fn refuse_elsewhere(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> std::result::Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Ok(BearerClaims(claims)) = BearerClaims::extract(req.request()).await
        && claims.kind == Some(DeviceKind::Board)
        && let Err(e) = may_use(req.method(), req.match_pattern().as_deref())
    {
        return Ok(req.error_response(e).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_board_reads_are_open() {
        assert!(may_use(&Method::GET, Some("/api/v1/outlets/{id}/pickup")).is_ok());
        assert!(may_use(&Method::POST, Some("/api/v1/outlets/{id}/pickup")).is_err());
        assert!(may_use(&Method::GET, Some("/api/v1/orders")).is_err());
        assert!(may_use(&Method::POST, Some("/api/v1/tickets/{id}/bump")).is_err());
        assert!(may_use(&Method::GET, None).is_err());
    }
}
