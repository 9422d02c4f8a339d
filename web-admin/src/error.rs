//! What the admin shows when a request cannot be served: the login page for
//! a missing session, a clear 403 for a missing CSRF token, and a friendly
//! page (never a raw 500 or a JSON problem) for everything else.

use std::fmt;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use askama::Template;
use pos_backend::Error;

use crate::{htmx, i18n::Tr};

/// A failed admin request.
#[derive(Debug)]
pub enum AdminError {
    /// Not signed in, or the session ended: to the login page, then back.
    SignIn { htmx: bool, next: String },
    /// A state-changing request without the session's CSRF token.
    Csrf { tr: Tr },
    /// Anything else, as a page in the user's language.
    Page {
        tr: Tr,
        status: StatusCode,
        /// An i18n key.
        message: &'static str,
        /// The domain's own explanation, when it helps (conflicts).
        detail: Option<String>,
    },
}

impl AdminError {
    pub fn page(tr: Tr, status: StatusCode, message: &'static str) -> AdminError {
        AdminError::Page { tr, status, message, detail: None }
    }

    pub fn not_found(tr: Tr) -> AdminError {
        AdminError::page(tr, StatusCode::NOT_FOUND, "error.not_found")
    }

    pub fn forbidden(tr: Tr) -> AdminError {
        AdminError::page(tr, StatusCode::FORBIDDEN, "error.forbidden")
    }

    /// A domain error that no form field can show.
    pub fn domain(e: Error, tr: Tr) -> AdminError {
        let page = |status, message| AdminError::page(tr, status, message);
        match e {
            Error::NotFound => AdminError::not_found(tr),
            Error::Forbidden(_) => AdminError::forbidden(tr),
            Error::Unauthorized(_) => page(StatusCode::UNAUTHORIZED, "error.signed_out"),
            Error::Conflict(detail) => AdminError::Page {
                tr,
                status: StatusCode::CONFLICT,
                message: "error.conflict",
                detail: Some(detail.to_string()),
            },
            Error::Validation(_) | Error::BadRequest(_) | Error::UnsupportedMediaType => {
                page(StatusCode::BAD_REQUEST, "error.bad_request")
            }
            Error::PayloadTooLarge { .. } => page(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"),
            Error::RequestTimeout => page(StatusCode::REQUEST_TIMEOUT, "error.too_slow"),
            Error::RateLimited { .. } => page(StatusCode::TOO_MANY_REQUESTS, "error.rate_limited"),
            Error::Unavailable(_) => page(StatusCode::SERVICE_UNAVAILABLE, "error.unavailable"),
            e @ (Error::Db(_) | Error::Internal(_)) => {
                // The cause goes to the log (with the request id), not the page.
                tracing::error!(error = ?e, "admin request failed");
                page(StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
            }
        }
    }
}

/// The page for a body refused before any handler ran (too slow, too large).
pub fn refused_body(_: &actix_web::HttpRequest, refusal: pos_backend::http::body::Refusal) -> HttpResponse {
    AdminError::domain(refusal.into_error(), Tr::default()).error_response()
}

/// An id from the path; anything else is a page that does not exist.
pub fn parse_id(raw: &str, tr: Tr) -> Result<uuid::Uuid, AdminError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AdminError::not_found(tr))
}

/// `result.or_page(tr)?` in handlers: domain errors become admin pages.
pub trait OrPage<T> {
    fn or_page(self, tr: Tr) -> Result<T, AdminError>;
}

impl<T> OrPage<T> for pos_backend::Result<T> {
    fn or_page(self, tr: Tr) -> Result<T, AdminError> {
        self.map_err(|e| AdminError::domain(e, tr))
    }
}

impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminError::SignIn { .. } => f.write_str("sign-in required"),
            AdminError::Csrf { .. } => f.write_str("missing or wrong CSRF token"),
            AdminError::Page { status, message, .. } => write!(f, "{status}: {message}"),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage {
    tr: Tr,
    status: u16,
    title: &'static str,
    message: &'static str,
    detail: Option<String>,
    sign_in: bool,
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        match self {
            AdminError::SignIn { htmx: true, .. } => StatusCode::OK,
            AdminError::SignIn { .. } => StatusCode::SEE_OTHER,
            AdminError::Csrf { .. } => StatusCode::FORBIDDEN,
            AdminError::Page { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (tr, title, message, detail) = match self {
            AdminError::SignIn { htmx, next } => {
                let location = crate::login::login_url(next);
                return if *htmx {
                    HttpResponse::Ok().insert_header(("HX-Redirect", location)).finish()
                } else {
                    htmx::see_other(&location)
                };
            }
            AdminError::Csrf { tr } => (*tr, "error.csrf_title", "error.csrf", None),
            AdminError::Page { tr, message, detail, .. } => (*tr, "error.title", *message, detail.clone()),
        };
        let status = self.status_code();
        let page = ErrorPage {
            tr,
            status: status.as_u16(),
            title: tr.t(title),
            message: tr.t(message),
            detail,
            sign_in: status == StatusCode::UNAUTHORIZED,
        };
        match page.render() {
            Ok(html) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html),
            Err(e) => {
                tracing::error!(error = %e, "rendering the error page failed");
                HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(tr.t(message))
            }
        }
    }
}
