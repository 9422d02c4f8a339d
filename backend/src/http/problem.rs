use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use pos_wire::Problem;

use crate::error::{Error, FieldErrors};

/// An RFC 9457 response with `application/problem+json`.
pub fn problem_response(status: StatusCode, detail: Option<String>, errors: FieldErrors) -> HttpResponse {
    respond(problem(status, detail, errors))
}

fn problem(status: StatusCode, detail: Option<String>, errors: FieldErrors) -> Problem {
    Problem {
        kind: format!("https://pos.example/problems/{}", status.as_u16()),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        errors: errors.0,
    }
}

fn respond(problem: Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).content_type("application/problem+json").json(problem)
}

/// What a client is told of `error`: the one mapping from domain errors to
/// problem documents, for error responses and for each refused order of a
/// `sync/push` batch. Unexpected errors keep their cause in the log only.
pub fn problem_of(error: &Error) -> Problem {
    let status = error.status_code();
    let (detail, errors) = match error {
        Error::Validation(errors) => (Some(format!("Some fields are not valid: {}.", summary(errors))), errors.clone()),
        Error::BadRequest(msg) | Error::Conflict(msg) => (Some(msg.clone()), FieldErrors::new()),
        Error::Unauthorized(msg) | Error::Forbidden(msg) | Error::Unavailable(msg) => {
            (Some(msg.to_string()), FieldErrors::new())
        }
        Error::NotFound => (Some("No such resource.".into()), FieldErrors::new()),
        Error::RequestTimeout => (Some("The request body did not arrive in time.".into()), FieldErrors::new()),
        Error::PayloadTooLarge { limit } => {
            (Some(format!("The request body is larger than {limit} bytes.")), FieldErrors::new())
        }
        Error::UnsupportedMediaType => (Some("Send the body as application/json.".into()), FieldErrors::new()),
        Error::RateLimited { retry_after_secs } => {
            (Some(format!("Too many attempts; try again in {retry_after_secs} s.")), FieldErrors::new())
        }
        Error::Db(_) | Error::Internal(_) => {
            tracing::error!(error = ?error, "request failed");
            if status == StatusCode::SERVICE_UNAVAILABLE {
                (Some("The database is unavailable; try again shortly.".into()), FieldErrors::new())
            } else {
                (Some("Something went wrong on our side.".into()), FieldErrors::new())
            }
        }
    };
    problem(status, detail, errors)
}

/// `field: message; message. field: message`, for readers of `detail` only.
fn summary(errors: &FieldErrors) -> String {
    let fields: Vec<String> = errors.0.iter().map(|(field, msgs)| format!("{field}: {}", msgs.join("; "))).collect();
    fields.join(". ")
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
        let mut response = respond(problem_of(self));
        let retry_after = match self {
            Error::RateLimited { retry_after_secs } => Some(*retry_after_secs),
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
