//! The one mapping from errors to problem+json: status, code and
//! parameters, the English `detail`, and per field both the English
//! `errors` (read by clients that predate codes) and the `error_codes`.

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use pos_wire::{Locale, Problem, describe};

use crate::error::{Code, CodedError, Error, FieldErrors};

/// The problem document of `status` saying `why`, with `fields` at fault.
pub fn problem_document(status: StatusCode, why: &CodedError, fields: &FieldErrors) -> Problem {
    Problem {
        kind: format!("https://pos.example/problems/{}", status.as_u16()),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: Some(describe(why, Locale::En)),
        errors: fields.messages(),
        code: Some(why.code),
        params: why.params.clone(),
        error_codes: fields.0.clone(),
    }
}

/// An RFC 9457 response with `application/problem+json`.
pub fn problem_response(status: StatusCode, why: &CodedError, fields: &FieldErrors) -> HttpResponse {
    HttpResponse::build(status).content_type("application/problem+json").json(problem_document(status, why, fields))
}

/// The code of an error the framework raised by itself (no route, wrong
/// method, ...), from its status alone.
pub fn code_of_status(status: StatusCode) -> CodedError {
    match status {
        StatusCode::BAD_REQUEST => Code::BadRequest.into(),
        StatusCode::UNAUTHORIZED => Code::Unauthorized.into(),
        StatusCode::FORBIDDEN => Code::Forbidden.into(),
        StatusCode::NOT_FOUND => Code::NotFound.into(),
        StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed.into(),
        StatusCode::REQUEST_TIMEOUT => Code::RequestTimeout.into(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType.into(),
        StatusCode::INTERNAL_SERVER_ERROR => Code::Internal.into(),
        other => CodedError::http_error(other.as_u16()),
    }
}

/// Why `e` happened, as the top-level code of its problem document.
fn why(e: &Error, status: StatusCode) -> CodedError {
    match e {
        Error::Validation(_) => Code::ValidationFailed.into(),
        Error::BadRequest(why) | Error::Conflict(why) => why.clone(),
        Error::Unauthorized(code) | Error::Forbidden(code) | Error::Unavailable(code) => (*code).into(),
        Error::NotFound => Code::NotFound.into(),
        Error::RequestTimeout => Code::RequestTimeout.into(),
        Error::PayloadTooLarge { limit } => CodedError::payload_too_large(*limit),
        Error::UnsupportedMediaType => Code::UnsupportedMediaType.into(),
        Error::RateLimited { code, retry_after_secs } => CodedError::retry_after(*code, *retry_after_secs),
        Error::Db(_) | Error::Internal(_) if status == StatusCode::SERVICE_UNAVAILABLE => {
            Code::DatabaseUnavailable.into()
        }
        Error::Db(_) | Error::Internal(_) => Code::Internal.into(),
    }
}

/// The problem document of `e` (nothing internal: causes go to the log).
pub fn problem_of(e: &Error) -> Problem {
    let status = e.status_code();
    let no_fields = FieldErrors::new();
    let fields = match e {
        Error::Validation(fields) => fields,
        _ => &no_fields,
    };
    problem_document(status, &why(e, status), fields)
}

/// The problem document of one refusal among many (a `sync/push` result):
/// its `detail` names every field at fault, so a staff list reads on its own.
pub fn itemised_problem_of(e: &Error) -> Problem {
    let mut problem = problem_of(e);
    if let Error::Validation(fields) = e {
        let why: Vec<String> =
            fields.messages().iter().map(|(field, messages)| format!("{field}: {}", messages.join("; "))).collect();
        problem.detail = Some(format!("Not accepted: {}", why.join(". ")));
    }
    problem
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Error::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Db(e) if is_connection_error(e) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Db(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if matches!(self, Error::Db(_) | Error::Internal(_)) {
            // The cause chain goes to the log, never to the client.
            tracing::error!(error = ?self, "request failed");
        }
        let mut response = HttpResponse::build(status).content_type("application/problem+json").json(problem_of(self));
        let retry_after = match self {
            Error::RateLimited { retry_after_secs, .. } => Some(*retry_after_secs),
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some(5),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, secs.max(1).into());
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

fn is_connection_error(e: &sea_orm::DbErr) -> bool {
    crate::db::availability::is_connection_loss(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_its_code_and_english() {
        let p = problem_of(&Error::Unavailable(Code::DatabaseUnavailable));
        assert_eq!((p.status, p.code), (503, Some(Code::DatabaseUnavailable)));
        assert_eq!(p.detail.as_deref(), Some("The database is unavailable; try again shortly."));
        let p = problem_of(&Error::internal("secret table name"));
        assert_eq!((p.status, p.code), (500, Some(Code::Internal)));
        assert!(!format!("{p:?}").contains("secret"), "nothing internal reaches the client");
        let p = problem_of(&Error::RateLimited { code: Code::TooManyStreams, retry_after_secs: 7 });
        assert_eq!(p.coded(), Some(CodedError::retry_after(Code::TooManyStreams, 7)));
        assert_eq!(problem_of(&Error::Forbidden(Code::BoardReadOnly)).code, Some(Code::BoardReadOnly));
        assert_eq!(code_of_status(StatusCode::IM_A_TEAPOT), CodedError::http_error(418));
    }

    #[test]
    fn field_errors_keep_the_english_next_to_the_codes() {
        let mut fields = FieldErrors::new();
        fields.add("name", Code::Required);
        fields.add("name", CodedError::too_long(60));
        fields.add("items[0].qty", CodedError::qty_out_of_range(1, 99));
        let e = Error::Validation(fields.clone());
        let p = problem_of(&e);
        assert_eq!((p.status, p.code), (422, Some(Code::ValidationFailed)));
        assert_eq!(p.errors["name"], ["is required", "must be at most 60 characters"]);
        assert_eq!(p.error_codes, fields.0);
        assert_eq!(p.detail.as_deref(), Some("Some fields are not valid."));
        let listed = itemised_problem_of(&e);
        assert_eq!(
            listed.detail.as_deref(),
            Some(
                "Not accepted: items[0].qty: must be between 1 and 99. name: is required; must be at most 60 characters"
            )
        );
        assert_eq!(listed.error_codes, p.error_codes);
    }
}
