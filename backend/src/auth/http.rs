//! `/api/v1/auth/*`: thin handlers over [`super::sessions`].

use actix_web::{HttpRequest, HttpResponse, web};
use pos_wire::{LoginRequest, LogoutRequest, RefreshRequest, SignupRequest, SignupResponse, TokenPair};

use super::{jwt::TokenType, sessions};
use crate::{
    error::{Code, Error, Result},
    http::{
        client_ip::client_ip,
        json::{Json, OptionalJson},
    },
    state::AppState,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/auth")
            .service(web::resource("/signup").route(web::post().to(signup)))
            .service(web::resource("/login").route(web::post().to(login)))
            .service(web::resource("/refresh").route(web::post().to(refresh)))
            .service(web::resource("/logout").route(web::post().to(logout)))
            .service(web::resource("/password-reset").route(web::post().to(request_password_reset)))
            .service(web::resource("/password").route(web::post().to(set_password)))
            .service(web::resource("/verify-email").route(web::post().to(verify_email)))
            .service(web::resource("/verify-email/resend").route(web::post().to(resend_verification))),
    );
}

/// Self-serve sign-up: creates a tenant (brand) and its owner.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    responses((status = 201, body = SignupResponse), (status = 422, body = pos_wire::Problem), (status = 429)))]
pub async fn signup(state: web::Data<AppState>, req: HttpRequest, body: Json<SignupRequest>) -> Result<HttpResponse> {
    let s = &state.settings;
    let client = client_ip(&req, &s.trusted_proxies);
    state
        .limiter
        .check_and_hit(&format!("signup:ip:{}", client.bucket()), s.login_limit_per_ip, s.login_limit_window)
        .await?;
    let created = sessions::sign_up(&state, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = pos_wire::Problem),
              (status = 409, description = "the email opens several brands: send tenant_id"),
              (status = 429, description = "too many attempts; see Retry-After")))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<web::Json<TokenPair>> {
    let client = client_ip(&req, &state.settings.trusted_proxies);
    Ok(web::Json(sessions::log_in(&state, body.into_inner(), client).await?))
}

/// Rotates a refresh token. A reused token ends its whole session family.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = pos_wire::Problem)))]
pub async fn refresh(state: web::Data<AppState>, body: Json<RefreshRequest>) -> Result<web::Json<TokenPair>> {
    Ok(web::Json(sessions::refresh_session(&state, &body.0.refresh_token).await?))
}

/// Ends the session of `refresh_token`, or with only a bearer token every
/// session of the caller.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body(content = Option<LogoutRequest>, description = "optional"),
    responses((status = 204), (status = 401, body = pos_wire::Problem)))]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalJson<LogoutRequest>,
) -> Result<HttpResponse> {
    let staff = match super::principal::bearer_token(&req) {
        Some(token) => {
            let claims = state.keyring.verify(&token)?;
            if claims.typ != TokenType::Staff {
                return Err(Error::Forbidden(Code::DevicesDoNotLogOut));
            }
            // A token whose session already ended ends no others.
            drop(super::principal::open_for(&state, &claims).await?);
            Some((claims.tid, claims.sub))
        }
        None => None,
    };
    let refresh_token = body.0.and_then(|b| b.refresh_token);
    sessions::log_out(&state, staff, refresh_token.as_deref()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails a link to choose a new password to every account under `email`.
/// The answer is 202 whether or not there is one (and past the per-address
/// limit too, when nothing more is sent).
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = pos_wire::PasswordResetRequest,
    responses((status = 202, description = "a link is on its way if the address has an account"),
              (status = 422, body = pos_wire::Problem), (status = 429, body = pos_wire::Problem)))]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<pos_wire::PasswordResetRequest>,
) -> Result<HttpResponse> {
    let client = client_ip(&req, &state.settings.trusted_proxies);
    super::account_links::request_reset(&state, &body.0.email, &client).await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}

/// Sets the password a mailed link (reset or invitation) allows, once, and
/// ends every session of the account.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = pos_wire::SetPasswordRequest,
    responses((status = 204), (status = 422, body = pos_wire::Problem, description = "bad password, or the link is unknown, used or expired")))]
pub async fn set_password(
    state: web::Data<AppState>,
    body: Json<pos_wire::SetPasswordRequest>,
) -> Result<HttpResponse> {
    super::account_links::set_password(&state, &body.0.token, &body.0.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Verifies the email a sign-up's verification link was sent to, once.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = pos_wire::VerifyEmailRequest,
    responses((status = 204), (status = 422, body = pos_wire::Problem, description = "the link is unknown, used or expired")))]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: Json<pos_wire::VerifyEmailRequest>,
) -> Result<HttpResponse> {
    super::account_links::verify_email(&state, &body.0.token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails the signed-in account a new verification link (nothing when its
/// email is verified already). At most three an hour.
#[utoipa::path(post, path = "/api/v1/auth/verify-email/resend", tag = "auth",
    responses((status = 202), (status = 401), (status = 403), (status = 429, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn resend_verification(
    state: web::Data<AppState>,
    s: crate::auth::principal::Scoped,
) -> Result<HttpResponse> {
    let user_id = s.actor.user_id().ok_or(Error::Forbidden(Code::VerificationStaffOnly))?;
    super::account_links::resend_verification(&state, &s.tx, user_id).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}
