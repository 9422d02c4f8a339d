//! What the admin shows when a request cannot be served: the login page for
//! a missing session, a clear 403 for a missing CSRF token, and a friendly
//! page (never a raw 500 or a JSON problem) for everything else.
//!
//! Handlers use `?` on domain errors ([`From<Error>`](AdminError)); the page
//! is written in the request's language, which the session (or the sign-in
//! form) puts in the request's extensions as a [`Tr`], by
//! [`in_request_language`] once the handler has run.

use std::{error::Error as _, fmt};

use actix_web::{
    HttpMessage, HttpResponse, ResponseError,
    body::{BoxBody, EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::StatusCode,
    middleware::Next,
};
use askama::Template;
use pos_backend::Error;

use crate::{
    htmx,
    i18n::Tr,
    problem_text::{self, Refusal},
};

/// A failed admin request.
#[derive(Debug)]
pub enum AdminError {
    /// Not signed in, or the session ended: to the login page, then back.
    SignIn { htmx: bool, next: String },
    /// A state-changing request without the session's CSRF token.
    Csrf,
    /// A page in the user's language.
    Page {
        status: StatusCode,
        /// An i18n key.
        message: &'static str,
        /// The domain's own explanation, when it helps (conflicts).
        detail: Option<Refusal>,
    },
    /// A fault of ours: a page says so, the log gets the cause chain.
    Internal(Error),
}

impl AdminError {
    pub fn page(status: StatusCode, message: &'static str) -> AdminError {
        AdminError::Page { status, message, detail: None }
    }

    pub fn not_found() -> AdminError {
        AdminError::page(StatusCode::NOT_FOUND, "error.not_found")
    }

    pub fn forbidden() -> AdminError {
        AdminError::page(StatusCode::FORBIDDEN, "error.forbidden")
    }

    pub fn bad_request() -> AdminError {
        AdminError::page(StatusCode::BAD_REQUEST, "error.bad_request")
    }

    pub fn internal(message: impl Into<String>) -> AdminError {
        AdminError::Internal(Error::internal(message))
    }

    /// The page, written in `tr`'s language.
    fn render(&self, tr: Tr) -> HttpResponse {
        let (title, message, detail) = match self {
            AdminError::SignIn { htmx, next } => {
                let location = crate::login::login_url(next);
                return if *htmx {
                    HttpResponse::Ok().insert_header(("HX-Redirect", location)).finish()
                } else {
                    htmx::see_other(&location)
                };
            }
            AdminError::Csrf => ("error.csrf_title", "error.csrf", None),
            AdminError::Page { message, detail, .. } => {
                ("error.title", *message, detail.as_ref().map(|d| problem_text::refusal_message(tr, d)))
            }
            AdminError::Internal(_) => ("error.title", "error.internal", None),
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

/// Domain errors as the admin shows them when no form field can.
impl From<Error> for AdminError {
    fn from(e: Error) -> AdminError {
        let page = AdminError::page;
        match e {
            Error::NotFound => AdminError::not_found(),
            Error::Forbidden(_) => AdminError::forbidden(),
            Error::Unauthorized(_) => page(StatusCode::UNAUTHORIZED, "error.signed_out"),
            Error::Conflict(detail) => {
                AdminError::Page { status: StatusCode::CONFLICT, message: "error.conflict", detail: Some(detail) }
            }
            Error::Validation(_) | Error::BadRequest(_) | Error::UnsupportedMediaType => AdminError::bad_request(),
            Error::PayloadTooLarge { .. } => page(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"),
            Error::RequestTimeout => page(StatusCode::REQUEST_TIMEOUT, "error.too_slow"),
            Error::RateLimited { .. } => page(StatusCode::TOO_MANY_REQUESTS, "error.rate_limited"),
            Error::Unavailable(_) => page(StatusCode::SERVICE_UNAVAILABLE, "error.unavailable"),
            e @ (Error::Db(_) | Error::Internal(_)) => AdminError::Internal(e),
        }
    }
}

/// The field errors of a refused write, for the form to show; any other
/// refusal is a page.
pub fn field_errors(e: Error) -> Result<pos_backend::error::FieldErrors, AdminError> {
    match e {
        Error::Validation(fields) => Ok(fields),
        e => Err(e.into()),
    }
}

/// The page for a body refused before any handler ran (too slow, too large).
pub fn refused_body(_: &actix_web::HttpRequest, refusal: pos_backend::http::body::Refusal) -> HttpResponse {
    AdminError::from(refusal.into_error()).error_response()
}

/// The fallback route: a 404 page, in the user's language when signed in
/// (the session, opened for that, is left uncommitted).
pub async fn no_such_page(_signed_in: Option<crate::session::Admin>) -> Result<HttpResponse, AdminError> {
    Err(AdminError::not_found())
}

/// An id from the path; anything else is a page that does not exist.
pub fn parse_id(raw: &str) -> Result<uuid::Uuid, AdminError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AdminError::not_found())
}

/// `error: cause: cause...`, so a log line says why, not only what.
struct Chain<'a>(&'a Error);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

/// What the request log says (see `pos_backend::telemetry`).
impl fmt::Display for AdminError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdminError::SignIn { .. } => f.write_str("sign-in required"),
            AdminError::Csrf => f.write_str("missing or wrong CSRF token"),
            AdminError::Page { status, message, .. } => write!(f, "{status}: {message}"),
            AdminError::Internal(e) => write!(f, "admin request failed: {}", Chain(e)),
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
            AdminError::Csrf => StatusCode::FORBIDDEN,
            AdminError::Page { status, .. } => *status,
            AdminError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// In the default language: [`in_request_language`] writes it again
    /// when the request has another.
    fn error_response(&self) -> HttpResponse {
        self.render(Tr::default())
    }
}

/// Middleware around the admin: an error page, once the handler has run,
/// in the language of the request's [`Tr`] extension (the error itself
/// stays on the response, for the request log).
pub async fn in_request_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    let res = next.call(req).await?;
    let tr = res.request().extensions().get::<Tr>().copied().filter(|tr| *tr != Tr::default());
    let page = tr.and_then(|tr| {
        let error = res.response().error()?.as_error::<AdminError>()?;
        Some(error.render(tr))
    });
    Ok(match page {
        Some(page) => res.map_body(|_, _| EitherBody::right(page.into_body())),
        None => res.map_into_left_body(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unexpected_errors_keep_their_cause_chain() {
        let root = std::io::Error::other("connection reset");
        let e = AdminError::from(Error::Internal(anyhow::Error::new(root).context("loading the menu")));
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.to_string(), "admin request failed: loading the menu: connection reset");
    }

    #[test]
    fn domain_errors_become_pages_with_their_status() {
        let cases = [
            (Error::NotFound, StatusCode::NOT_FOUND),
            (Error::Validation(pos_backend::error::FieldErrors::new()), StatusCode::BAD_REQUEST),
            (Error::RequestTimeout, StatusCode::REQUEST_TIMEOUT),
            (Error::PayloadTooLarge { limit: 1 }, StatusCode::PAYLOAD_TOO_LARGE),
            (Error::UnsupportedMediaType, StatusCode::BAD_REQUEST),
        ];
        for (e, status) in cases {
            assert_eq!(AdminError::from(e).status_code(), status);
        }
    }
}
