//! Structured logs. Every line logged while serving a request carries the
//! request's span (request id, route, and tenant once known).

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
};
use tracing::Span;
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
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
