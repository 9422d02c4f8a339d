//! Request bodies, read before any handler runs: [`read_body_first`].
//!
//! A handler's extractors run together, so a handler taking both the scoped
//! transaction and a JSON body would hold a pooled connection (and an open
//! transaction) for as long as the client takes to send its body, and a few
//! dozen clients trickling bodies would starve every tenant. So this
//! middleware, in front of every route, reads each body whole, at most
//! [`BodyRules::limit`] bytes and within [`BodyRules::deadline`] (413 and
//! 408 otherwise), and hands the handler the bytes in memory. Nothing can
//! open a transaction before that: [`crate::auth::principal::Scoped`]
//! refuses to without the [`BodyState`] this middleware leaves behind.
//!
//! Uploads (item images) are the exception: they are too large to buffer for
//! anyone who asks, so their handlers check who is asking first, release
//! the transaction, and only then read the body, which this middleware
//! wraps in the upload limit and deadline ([`BodyRules::upload_limit`],
//! [`BodyRules::upload_deadline`]) instead of buffering it.

use std::{
    future::Future,
    io,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use actix_web::{
    HttpMessage, HttpRequest, HttpResponse, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{Payload, ResourceDef, ServiceRequest, ServiceResponse},
    error::PayloadError,
    http::{ConnectionType, StatusCode, header},
    middleware::Next,
    web::{self, Bytes, BytesMut},
};
use futures_util::{Stream, StreamExt};
use tokio::time::Sleep;

use crate::error::{Code, Error};

/// How bodies are read; set once as app data (see `startup::server`).
#[derive(Debug, Clone)]
pub struct BodyRules {
    /// The largest body read into memory before the handler runs.
    pub limit: usize,
    /// How long a client may take to send that body.
    pub deadline: Duration,
    /// The largest upload.
    pub upload_limit: usize,
    /// How long a client may take to send an upload.
    pub upload_deadline: Duration,
    /// `POST` routes whose handlers authorise first and then read the body
    /// themselves (never while holding a transaction).
    uploads: Vec<ResourceDef>,
}

impl BodyRules {
    pub fn new(limit: usize, deadline: Duration, upload_limit: usize, upload_deadline: Duration) -> BodyRules {
        BodyRules { limit, deadline, upload_limit, upload_deadline, uploads: Vec::new() }
    }

    /// Adds upload routes (path patterns such as `/admin/menu/items/{id}`).
    pub fn with_uploads(mut self, patterns: &[&str]) -> BodyRules {
        self.uploads.extend(patterns.iter().map(|p| ResourceDef::new(*p)));
        self
    }

    fn is_upload(&self, req: &ServiceRequest) -> bool {
        req.method() == actix_web::http::Method::POST && self.uploads.iter().any(|r| r.is_match(req.path()))
    }
}

/// What [`read_body_first`] did with the request's body. Its presence in the
/// request's extensions is what lets a transaction be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyState {
    /// Read whole: the handler gets it from memory.
    Buffered,
    /// An upload, bounded but not read: the handler must not hold a
    /// transaction while it reads.
    Streamed,
}

/// Why a body was refused before the handler ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not all of it arrived before the deadline (408).
    TooSlow,
    /// Larger than the limit (413).
    TooLarge { limit: usize },
    /// The connection broke, or the framing was wrong (400).
    Broken,
}

impl Refusal {
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::TooSlow => StatusCode::REQUEST_TIMEOUT,
            Refusal::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Broken => StatusCode::BAD_REQUEST,
        }
    }

    pub fn into_error(self) -> Error {
        match self {
            Refusal::TooSlow => Error::RequestTimeout,
            Refusal::TooLarge { limit } => Error::PayloadTooLarge { limit },
            Refusal::Broken => Error::BadRequest(Code::BodyUnreadable.into()),
        }
    }

    /// The refusal a streamed upload's read error stands for.
    pub fn of_payload_error(e: &PayloadError, limit: usize) -> Refusal {
        match e {
            PayloadError::Io(io) if io.kind() == io::ErrorKind::TimedOut => Refusal::TooSlow,
            PayloadError::Overflow => Refusal::TooLarge { limit },
            _ => Refusal::Broken,
        }
    }
}

/// How pages outside the API show a refused body (the admin registers one
/// as app data); without it they get a line of plain text.
#[derive(Clone, Copy)]
pub struct RefusalPage(pub fn(&HttpRequest, Refusal) -> HttpResponse);

/// The middleware: see the module documentation.
pub async fn read_body_first(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(rules) = req.app_data::<web::Data<BodyRules>>().cloned() else {
        return Err(Error::internal("no body rules").into());
    };
    if rules.is_upload(&req) {
        let bounded = Bounded::new(req.take_payload(), rules.upload_limit, rules.upload_deadline);
        req.set_payload(Payload::from(Box::pin(bounded) as Pin<Box<dyn Stream<Item = _>>>));
        req.extensions_mut().insert(BodyState::Streamed);
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    let read = if declared.is_some_and(|n| n > rules.limit) {
        Err(Refusal::TooLarge { limit: rules.limit })
    } else {
        let payload = req.take_payload();
        match tokio::time::timeout(rules.deadline, read_whole(payload, rules.limit)).await {
            Ok(result) => result,
            Err(_) => Err(Refusal::TooSlow),
        }
    };
    match read {
        Ok(bytes) => {
            req.set_payload(Payload::from(bytes));
            req.extensions_mut().insert(BodyState::Buffered);
            next.call(req).await.map(ServiceResponse::map_into_left_body)
        }
        Err(refusal) => {
            metrics::counter!("http_bodies_refused_total", "status" => refusal.status().as_str().to_string())
                .increment(1);
            tracing::info!(?refusal, path = req.path(), "request body refused");
            let mut res = refusal_response(req.request(), refusal);
            // The rest of the body never comes off the wire: this connection is done.
            res.head_mut().set_connection_type(ConnectionType::Close);
            Ok(req.into_response(res).map_into_right_body())
        }
    }
}

async fn read_whole(mut payload: Payload, limit: usize) -> Result<Bytes, Refusal> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Refusal::Broken)?;
        if body.len() + chunk.len() > limit {
            return Err(Refusal::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn refusal_response(req: &HttpRequest, refusal: Refusal) -> HttpResponse {
    if req.path().starts_with("/api/") {
        return refusal.into_error().error_response();
    }
    match req.app_data::<RefusalPage>() {
        Some(page) => (page.0)(req, refusal),
        None => HttpResponse::build(refusal.status())
            .content_type("text/plain; charset=utf-8")
            .body(refusal.status().canonical_reason().unwrap_or("Bad request")),
    }
}

/// An upload's body: ends in an error once `limit` bytes are passed or the
/// deadline is reached, whoever reads it.
struct Bounded {
    inner: Payload,
    left: usize,
    deadline: Pin<Box<Sleep>>,
    done: bool,
}

impl Bounded {
    fn new(inner: Payload, limit: usize, deadline: Duration) -> Bounded {
        Bounded { inner, left: limit, deadline: Box::pin(tokio::time::sleep(deadline)), done: false }
    }
}

impl Stream for Bounded {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.done = true;
            let late = io::Error::new(io::ErrorKind::TimedOut, "the upload did not arrive in time");
            return Poll::Ready(Some(Err(PayloadError::Io(late))));
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) if chunk.len() > self.left => {
                self.done = true;
                Poll::Ready(Some(Err(PayloadError::Overflow)))
            }
            Poll::Ready(Some(Ok(chunk))) => {
                self.left -= chunk.len();
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            other => other,
        }
    }
}

/// Reads a streamed upload whole, at most `limit` bytes (the caller holds
/// no transaction).
pub async fn read_upload(payload: &mut web::Payload, limit: usize) -> Result<Bytes, Error> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| Refusal::of_payload_error(&e, limit).into_error())?;
        if body.len() + chunk.len() > limit {
            return Err(Error::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    fn payload_of(chunks: Vec<&'static [u8]>) -> Payload {
        let s = stream::iter(chunks.into_iter().map(|c| Ok::<_, PayloadError>(Bytes::from_static(c))));
        Payload::from(Box::pin(s) as Pin<Box<dyn Stream<Item = _>>>)
    }

    #[tokio::test]
    async fn an_upload_past_its_limit_ends_in_overflow() {
        let mut b = Bounded::new(payload_of(vec![b"abc", b"def"]), 4, Duration::from_secs(5));
        assert_eq!(b.next().await.unwrap().unwrap(), Bytes::from_static(b"abc"));
        assert!(matches!(b.next().await, Some(Err(PayloadError::Overflow))));
        assert!(b.next().await.is_none());
    }

    #[tokio::test]
    async fn an_upload_that_stalls_times_out() {
        let stalled = Payload::from(Box::pin(stream::pending()) as Pin<Box<dyn Stream<Item = _>>>);
        let mut b = Bounded::new(stalled, 4, Duration::from_millis(20));
        let err = b.next().await.unwrap().unwrap_err();
        assert_eq!(Refusal::of_payload_error(&err, 4), Refusal::TooSlow);
    }

    #[tokio::test]
    async fn whole_bodies_are_bounded() {
        assert_eq!(read_whole(payload_of(vec![b"ab", b"cd"]), 4).await.unwrap(), Bytes::from_static(b"abcd"));
        assert_eq!(read_whole(payload_of(vec![b"ab", b"cde"]), 4).await, Err(Refusal::TooLarge { limit: 4 }));
    }
}
