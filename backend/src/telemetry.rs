//! Structured logs. Every line logged while serving a request carries the
//! request's span (request id, route, and tenant once known).

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::StatusCode,
};
use tracing::{Level, Span};
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Installs the global subscriber once (later calls, e.g. from tests, are ignored).
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("POS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,actix_server=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if json {
        registry.with(fmt::layer().json().with_current_span(true).with_span_list(false).flatten_event(true)).try_init()
    } else {
        registry.with(fmt::layer().compact()).try_init()
    };
}

/// The root span of every request: tracing-actix-web's fields (request id,
/// method, route, status) plus the tenant, filled in once the token is read.
pub struct PosRootSpan;

impl RootSpanBuilder for PosRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing_actix_web::root_span!(request, tenant_id = tracing::field::Empty)
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let failure = match outcome {
            Ok(response) => response.response().error().map(|e| (response.status(), e.to_string())),
            Err(e) => Some((e.as_response_error().status_code(), e.to_string())),
        };
        if let Some((status, error)) = failure {
            span.in_scope(|| log_failure(status, &error));
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// How loudly a request that ended in an error is logged: ERROR only for
/// faults of ours (5xx); a dependency being down (503) is a WARN (the
/// outage itself is logged once, where it is noticed); a client's mistake
/// (4xx: no token, a missing page, an invalid form) is INFO; anything else
/// an error value carried, such as the admin's redirect to its sign-in
/// page, is routine and DEBUG.
pub fn failure_level(status: StatusCode) -> Level {
    match status.as_u16() {
        503 => Level::WARN,
        500..=599 => Level::ERROR,
        400..=499 => Level::INFO,
        _ => Level::DEBUG,
    }
}

fn log_failure(status: StatusCode, error: &str) {
    let level = failure_level(status);
    let status = status.as_u16();
    match level {
        Level::ERROR => tracing::error!(status, error, "request failed"),
        Level::WARN => tracing::warn!(status, error, "request failed: dependency unavailable"),
        Level::INFO => tracing::info!(status, error, "request refused"),
        _ => tracing::debug!(status, error, "request answered by an error value"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_faults_are_errors() {
        assert_eq!(failure_level(StatusCode::INTERNAL_SERVER_ERROR), Level::ERROR);
        assert_eq!(failure_level(StatusCode::SERVICE_UNAVAILABLE), Level::WARN);
        for client in [401, 403, 404, 409, 413, 422, 429] {
            assert_eq!(failure_level(StatusCode::from_u16(client).unwrap()), Level::INFO, "{client}");
        }
        assert_eq!(failure_level(StatusCode::SEE_OTHER), Level::DEBUG, "the admin's sign-in redirect");
        assert_eq!(failure_level(StatusCode::OK), Level::DEBUG, "htmx's HX-Redirect to sign in");
    }
}
