//! Live event streams end within seconds of their credential: a revoked or
//! expired token, a device revoked, a user signed out, deactivated,
//! deleted, with a new password, or taken off the outlet.
//!
//! A stream is checked when it opens like any request, but then stays open
//! for hours. So each process keeps a registry of its open streams (tenant,
//! outlet, and the credential each was opened with) and every few seconds
//! (`POS_STREAM_RECHECK_MS`) asks the database about all of them in one
//! statement ([`crate::db::cross_tenant::CrossTenant::ended_streams`]);
//! expiry is checked in memory on the same tick. A stream whose credential
//! no longer holds has its [`StreamLease`] ended, and the stream closes. The
//! database is the one source of truth, so this works the same on every
//! server process, with or without Redis, and costs one query per process
//! per tick however many streams are open.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use actix_web::{HttpMessage, HttpRequest};
use chrono::{DateTime, Utc};
use tokio_util::sync::{CancellationToken, WaitForCancellationFuture};
use tracing_actix_web::RequestId;
use uuid::Uuid;

use super::{
    Actor, ActorKind, admin_session,
    principal::{Scoped, bearer_token, open_for},
    query_token::QueryToken,
};
use crate::{
    db::{Db, cross_tenant::StreamCheck},
    error::{Code, Error, Result},
    state::AppState,
};

/// Most streams asked about in one statement.
const CHECK_BATCH: usize = 5_000;

/// What a stream was opened with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A staff access token of a session (its refresh token).
    Staff {
        user_id: Uuid,
        session_id: Uuid,
    },
    /// The admin session cookie (the admin's live board).
    Admin {
        user_id: Uuid,
        session_id: Uuid,
    },
    Device {
        device_id: Uuid,
    },
}

impl Credential {
    fn check(&self, tenant_id: Uuid, outlet_id: Uuid) -> StreamCheck {
        let (kind, principal, session) = match *self {
            Credential::Staff { user_id, session_id } => ("staff", user_id, Some(session_id)),
            Credential::Admin { user_id, session_id } => ("admin", user_id, Some(session_id)),
            Credential::Device { device_id } => ("device", device_id, None),
        };
        StreamCheck { tenant_id, outlet_id, kind, principal, session }
    }
}

struct Watched {
    check: StreamCheck,
    ends_at: Option<DateTime<Utc>>,
    ended: CancellationToken,
}

/// The open streams of this process.
#[derive(Default)]
pub struct StreamGuard {
    streams: Mutex<HashMap<u64, Watched>>,
    next_id: AtomicU64,
}

/// A stream's hold on the registry; dropping it forgets the stream.
pub struct StreamLease {
    guard: Arc<StreamGuard>,
    id: u64,
    ended: CancellationToken,
}

impl StreamLease {
    /// Resolves once the stream must end: its credential no longer holds.
    /// Cheap to call again on every turn of a `select!` loop.
    pub fn ended(&self) -> WaitForCancellationFuture<'_> {
        self.ended.cancelled()
    }

    pub fn is_ended(&self) -> bool {
        self.ended.is_cancelled()
    }
}

impl Drop for StreamLease {
    fn drop(&mut self) {
        self.guard.streams.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.id);
    }
}

impl StreamGuard {
    /// Registers a stream of `outlet_id` opened with `credential`, valid at
    /// most until `ends_at`.
    pub fn watch(
        self: &Arc<Self>,
        tenant_id: Uuid,
        outlet_id: Uuid,
        credential: Credential,
        ends_at: Option<DateTime<Utc>>,
    ) -> StreamLease {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let ended = CancellationToken::new();
        let watched = Watched { check: credential.check(tenant_id, outlet_id), ends_at, ended: ended.clone() };
        self.streams.lock().unwrap_or_else(|p| p.into_inner()).insert(id, watched);
        StreamLease { guard: self.clone(), id, ended }
    }

    /// How many streams are registered.
    pub fn open_count(&self) -> usize {
        self.streams.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// One pass: ends the streams whose credential expired or no longer
    /// holds in the database; returns how many it ended.
    pub async fn recheck(&self, db: &Db) -> Result<usize> {
        let now = Utc::now();
        let mut ended = 0;
        let live: Vec<(StreamCheck, CancellationToken)> = {
            let streams = self.streams.lock().unwrap_or_else(|p| p.into_inner());
            let mut live = Vec::with_capacity(streams.len());
            for w in streams.values().filter(|w| !w.ended.is_cancelled()) {
                if w.ends_at.is_some_and(|at| at <= now) {
                    w.ended.cancel();
                    ended += 1;
                } else {
                    live.push((w.check.clone(), w.ended.clone()));
                }
            }
            live
        };
        for batch in live.chunks(CHECK_BATCH) {
            let checks: Vec<StreamCheck> = batch.iter().map(|(c, _)| c.clone()).collect();
            for i in db.cross_tenant().ended_streams(&checks).await? {
                if let Some((_, token)) = batch.get(i) {
                    token.cancel();
                    ended += 1;
                }
            }
        }
        if ended > 0 {
            metrics::counter!("sse_streams_ended_credential_total").increment(ended as u64);
            tracing::info!(ended, "event streams ended: their credential expired or was revoked");
        }
        Ok(ended)
    }

    /// Runs [`StreamGuard::recheck`] every `every` until `shutdown`.
    pub fn spawn(self: &Arc<Self>, db: Db, every: Duration, shutdown: CancellationToken) {
        let guard = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tick.tick() => {
                        if let Err(e) = guard.recheck(&db).await {
                            // Streams stay open meanwhile: a database outage
                            // should not drop every screen at once.
                            tracing::warn!(error = %e, "event stream credential check failed");
                        }
                    }
                }
            }
        });
    }
}

/// Authenticates a request for `outlet_id`'s event stream: a bearer token
/// (the `Authorization` header, or `?access_token=`, as EventSource cannot
/// set headers), or else the admin session cookie (the admin's live board;
/// the stream changes nothing, so it needs no CSRF token, and no other API
/// endpoint takes the cookie). Returns the scoped transaction and the
/// stream's lease.
pub async fn open_stream(req: &HttpRequest, state: &AppState, outlet_id: Uuid) -> Result<(Scoped, StreamLease)> {
    let token = bearer_token(req).or_else(|| req.extensions().get::<QueryToken>().map(|t| t.0.clone()));
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let (scoped, credential, ends_at) = match token {
        Some(token) => {
            let claims = state.keyring.verify(&token)?;
            let (tx, kind) = open_for(state, &claims).await?;
            let credential = match kind {
                ActorKind::Staff { user_id, .. } => Credential::Staff {
                    user_id,
                    session_id: claims.sid.ok_or(Error::Unauthorized(Code::TokenWithoutSession))?,
                },
                ActorKind::Device { device_id, .. } => Credential::Device { device_id },
            };
            let actor = Actor { tenant_id: claims.tid, kind, request_id };
            (Scoped { tx, actor }, credential, DateTime::from_timestamp(claims.exp, 0))
        }
        None => {
            let cookie = req.cookie(admin_session::COOKIE);
            let session = admin_session::open(state, cookie.as_ref().map(|c| c.value()), request_id).await?;
            let user_id = session.actor.user_id().ok_or_else(|| Error::internal("admin session without a user"))?;
            let credential = Credential::Admin { user_id, session_id: session.session_id };
            (Scoped { tx: session.tx, actor: session.actor }, credential, Some(session.ends_at))
        }
    };
    tracing::Span::current().record("tenant_id", tracing::field::display(scoped.actor.tenant_id));
    tracing::debug!(%outlet_id, ?credential, "event stream opened");
    let lease = state.stream_guard.watch(scoped.actor.tenant_id, outlet_id, credential, ends_at);
    Ok((scoped, lease))
}
