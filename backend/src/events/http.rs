//! `GET /api/v1/outlets/{id}/events`: the outlet's live events over SSE.
//!
//! `id:` is the outlet's event sequence. A client reconnecting with
//! `Last-Event-ID` first gets every event after it from the log, then the
//! live feed; if that point is no longer in the log it gets `event: reset`
//! and reloads. Each stream delivers strictly in sequence: duplicates are
//! skipped and gaps are filled from the log. A subscriber too slow to keep
//! up is dropped (it reconnects and replays) rather than holding others up.
//! Every 15 s (POS_SSE_HEARTBEAT_MS) the stream carries a comment (keep-alive) and an `event: ping`
//! with `{at, seq}` that pages can observe.
//!
//! Bounded: one principal holds at most a few streams at once (429 beyond,
//! see [`super::slots`]); a replay is read from the log a page at a time,
//! as fast as the client takes it; and what each stream shows depends on
//! who is listening (see [`super::audience`]): `seq` and `id:` count every
//! event of the outlet, shown or not.

use std::{sync::Arc, time::Duration};

use actix_web::{HttpRequest, HttpResponse, web};
use bytes::{Bytes, BytesMut};
use pos_wire::{Heartbeat, LiveEvent, StreamReset};
use tokio::sync::{broadcast, mpsc};
use utoipa::Modify;
use uuid::Uuid;

use super::{
    OutletEvent,
    audience::{Audience, revoked_device},
    frames::{self, EventBody, Shared, SharedFrames},
    log,
    slots::Slot,
};
use crate::{
    auth::{Actor, ActorKind, stream_guard::StreamLease},
    db::{Db, OutletScope, PrincipalId},
    error::{Code, Error, Result},
    state::AppState,
};

/// Most events replayed on reconnect; older clients get `reset`.
pub const MAX_REPLAY: i64 = 5_000;
/// Events read from the log at a time, for a replay or to fill a gap.
pub const PAGE: i64 = 200;
/// Events buffered per client before it counts as too slow.
pub const CLIENT_BUFFER: usize = 256;
/// How long a replay waits for the client to take the next event.
const REPLAY_WAIT: Duration = Duration::from_secs(30);

const EVENTS_PATH: &str = "/api/v1/outlets/{id}/events";

/// Lists every event kind with what it means in the events operation's
/// description of the OpenAPI document, from [`LiveEvent`] itself so the
/// two cannot drift apart.
pub struct EventKindsDoc;

impl Modify for EventKindsDoc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(operation) = openapi.paths.paths.get_mut(EVENTS_PATH).and_then(|item| item.get.as_mut()) else {
            return;
        };
        let kinds: Vec<String> =
            LiveEvent::KIND_DOCS.iter().map(|(kind, doc)| format!("- `{kind}`: {}", doc.trim())).collect();
        let intro = operation.description.take().unwrap_or_default();
        operation.description = Some(format!(
            "{intro}\n\nEvent kinds (`event:`; the `data:` of each is the matching `LiveEvent` variant's `data`). \
             Clients ignore kinds they do not know: new ones are added over time.\n\n{}",
            kinds.join("\n")
        ));
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/outlets/{id}/events").route(web::get().to(outlet_events)));
}

fn last_event_id(req: &HttpRequest) -> Result<Option<i64>> {
    // Both ways of saying it are checked, so a bad one is never ignored in silence.
    let header = req.headers().get("last-event-id").map(|v| v.to_str().unwrap_or("?").to_string());
    let query = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("last_event_id").cloned());
    // Present but empty is refused too: EventSource leaves the header out
    // when it has no id, and our clients leave the parameter out.
    let parse = |v: Option<String>| match v {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| Error::BadRequest(Code::LastEventIdInvalid.into())),
    };
    let (header, query) = (parse(header)?, parse(query)?);
    Ok(header.or(query))
}

/// The principal a stream counts against, and how many it may hold.
fn principal(actor: &Actor, state: &AppState) -> (String, usize) {
    match actor.kind {
        ActorKind::Device { device_id, .. } => (format!("device:{device_id}"), state.settings.sse_streams_per_device),
        ActorKind::Staff { user_id, .. } => (format!("user:{user_id}"), state.settings.sse_streams_per_user),
    }
}

/// Live events of one outlet (`text/event-stream`).
#[utoipa::path(get, path = EVENTS_PATH, tag = "events",
    params(("id" = Uuid, Path, description = "The outlet"), ("Last-Event-ID" = Option<i64>, Header, nullable = false, minimum = 0, description = "resume after this event"),
        ("last_event_id" = Option<i64>, Query, nullable = false, minimum = 0, description = "as Last-Event-ID, for clients that cannot set headers"),
        ("access_token" = Option<String>, Query, nullable = false, description = "a device or staff token, for clients that cannot set headers")),
    // The events' shapes are the `LiveEvent` schema (in the components): an
    // SSE frame is `event:`/`data:`/`id:` lines, not that JSON object, so it
    // is described here rather than declared as the response body.
    responses((status = 200, content_type = "text/event-stream",
               description = "the outlet's events: each has `event:` = its `kind`, `data:` = its `data` (JSON, \
                              see the `LiveEvent` schema), and `id:` = the outlet's event sequence (not on `ping`)"),
              (status = 400, description = "Last-Event-ID is not a number"), (status = 404),
              (status = 429, description = "the token holds as many streams as it may; see Retry-After")),
    security(("bearer" = [])))]
pub async fn outlet_events(
    req: HttpRequest,
    state: web::Data<AppState>,
    outlet: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let outlet_id = *outlet;
    let (s, lease) = crate::auth::stream_guard::open_stream(&req, &state, outlet_id).await?;
    let resume = last_event_id(&req)?;
    crate::tenancy::outlets::get(&s.tx, outlet_id).await?;
    let tenant_id = s.tx.tenant_id();
    let bus = state.events.clone();
    // Subscribe before reading the log, so nothing falls between the two.
    let live = bus.subscribe(tenant_id, outlet_id);
    let (lo, hi) = log::bounds(&s.tx, outlet_id).await?;
    let (reset, start) = match resume {
        None => (false, hi),
        Some(after) if after > hi || (lo > 0 && after < lo - 1) || hi - after > MAX_REPLAY => (true, hi),
        Some(after) => (false, after),
    };
    s.tx.commit().await?;
    let (who, cap) = principal(&s.actor, &state);
    let slot = state.stream_slots.acquire(&who, cap).await?;
    // A cashier's stream at a till ends with the till, like the till's own.
    let device = match s.actor.kind {
        ActorKind::Device { device_id, .. } => Some(device_id),
        ActorKind::Staff { .. } => s.actor.till_device_id(),
    };

    let (sender, receiver) = mpsc::channel(CLIENT_BUFFER);
    let heartbeat = state.settings.sse_heartbeat;
    let stream = Stream {
        db: state.db.clone(),
        tenant_id,
        outlet_id,
        sender,
        last_sent: start,
        device,
        audience: Audience::of(&s.actor),
        heartbeat,
        _slot: slot,
    };
    metrics::gauge!("sse_streams_open").increment(1.0);
    tokio::spawn(stream.run(reset, hi, live, bus, lease));
    Ok(EventBody::response(receiver, Duration::from_secs(2)))
}

struct Stream {
    db: Db,
    tenant_id: Uuid,
    outlet_id: Uuid,
    /// Frames to the response body; bounded, so a client that stops
    /// reading costs at most this much.
    sender: mpsc::Sender<Bytes>,
    /// The newest sequence dealt with: sent, or withheld from this audience.
    last_sent: i64,
    /// The device on the other end (or the till a cashier signed in on),
    /// if any: its revocation ends the stream.
    device: Option<Uuid>,
    audience: Audience,
    heartbeat: Duration,
    /// Given back when the stream ends, however it ends.
    _slot: Slot,
}

enum Next {
    Continue,
    Stop,
}

impl Stream {
    async fn run(
        mut self,
        reset: bool,
        replay_to: i64,
        mut live: broadcast::Receiver<Arc<Shared>>,
        bus: Arc<super::EventBus>,
        lease: StreamLease,
    ) {
        let outcome = async {
            if reset {
                let reason = "the events you missed are no longer kept; reload".to_string();
                let reset = LiveEvent::Reset(StreamReset { reason, seq: self.last_sent });
                self.send(frames::frame(&reset, Some(self.last_sent))?)?;
            }
            tokio::select! {
                _ = bus.shutdown.cancelled() => return Ok(()),
                replayed = self.replay(replay_to) => replayed?,
            }
            let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + self.heartbeat, self.heartbeat);
            heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = bus.shutdown.cancelled() => break,
                    // Its token expired or was revoked, its user signed out...
                    _ = lease.ended() => break,
                    _ = heartbeat.tick() => self.send(self.ping()?)?,
                    received = live.recv() => match received {
                        Ok(shared) => {
                            if let Next::Stop = self.deliver(&shared.event, &shared.frames).await? {
                                break;
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            metrics::counter!("sse_streams_dropped_slow_total").increment(1);
                            break;
                        }
                        Err(broadcast::error::RecvError::Closed) => break,
                    },
                    _ = self.sender.closed() => break,
                }
            }
            Ok::<_, ()>(())
        }
        .await;
        let _ = outcome;
        metrics::gauge!("sse_streams_open").decrement(1.0);
        crate::ops::memory::stream_closed();
    }

    /// Sends what the log holds up to `upto`, a page at a time, each page
    /// read only once the client has taken the one before.
    async fn replay(&mut self, upto: i64) -> std::result::Result<(), ()> {
        while self.last_sent < upto {
            // Boxed: the database's futures are large, and most streams
            // never replay; they should not carry that size while they wait.
            let page = Box::pin(self.page(upto)).await.map_err(|e| tracing::warn!(error = %e, "replay failed"))?;
            let before = self.last_sent;
            for event in &page {
                self.send_one(event, None, Pace::Wait).await?;
            }
            if self.last_sent == before {
                // Nothing follows on from what was sent (not visible yet):
                // never out of order; the live feed or the sweep brings it.
                return Ok(());
            }
        }
        Ok(())
    }

    /// The keep-alive comment, then a named heartbeat pages can see
    /// (comments are invisible to EventSource): the server's time and the
    /// last sequence sent, so a client can tell it is current. No `id:`, so
    /// it moves no resume point.
    fn ping(&self) -> std::result::Result<Bytes, ()> {
        let ping = LiveEvent::Ping(Heartbeat { at: chrono::Utc::now(), seq: self.last_sent });
        let ping = frames::frame(&ping, None)?;
        let mut both = BytesMut::with_capacity(frames::KEEP_ALIVE.len() + ping.len());
        both.extend_from_slice(frames::KEEP_ALIVE);
        both.extend_from_slice(&ping);
        Ok(both.freeze())
    }

    fn send(&self, event: Bytes) -> std::result::Result<(), ()> {
        // A full buffer means the client is not reading: drop it, it will replay.
        self.sender.try_send(event).map_err(|e| {
            if matches!(e, mpsc::error::TrySendError::Full(_)) {
                metrics::counter!("sse_streams_dropped_slow_total").increment(1);
            }
        })
    }

    /// Sends `event` in sequence: skips what was sent, fills a gap from the log.
    async fn deliver(&mut self, event: &OutletEvent, shared: &SharedFrames) -> std::result::Result<Next, ()> {
        if event.seq <= self.last_sent {
            return Ok(Next::Continue);
        }
        if event.seq > self.last_sent + 1 {
            // Up to the event before this one, a page at a time.
            Box::pin(self.replay(event.seq - 1)).await.map_err(|_| tracing::warn!("gap fill failed"))?;
            if self.last_sent + 1 < event.seq {
                // Not committed yet as far as we can see; the event itself will
                // come again from the sweep. Never send out of order.
                return Ok(Next::Continue);
            }
        }
        self.send_one(event, Some(shared), Pace::Live).await?;
        let revoked = self.device.is_some_and(|d| revoked_device(event) == Some(d));
        Ok(if revoked { Next::Stop } else { Next::Continue })
    }

    /// Sends `event` if it is the next in sequence and this audience may
    /// see it; its frame from `shared` when it came live (made once for
    /// every stream), made here when replayed from the log.
    async fn send_one(
        &mut self,
        event: &OutletEvent,
        shared: Option<&SharedFrames>,
        pace: Pace,
    ) -> std::result::Result<(), ()> {
        if event.seq != self.last_sent + 1 {
            return Ok(());
        }
        if let Some(shown) = self.audience.show(event) {
            let sse = match shared {
                Some(frames) => frames.get(event, shown)?,
                None => frames::frame(&shown, Some(event.seq))?,
            };
            match pace {
                Pace::Live => self.send(sse)?,
                Pace::Wait => match tokio::time::timeout(REPLAY_WAIT, self.sender.send(sse)).await {
                    Ok(Ok(())) => {}
                    _ => return Err(()),
                },
            }
        }
        self.last_sent = event.seq;
        Ok(())
    }

    /// The next page of the log after what was sent, up to `upto`.
    async fn page(&self, upto: i64) -> Result<Vec<OutletEvent>> {
        let tx =
            self.db.begin_scoped(self.tenant_id, OutletScope::Only(vec![self.outlet_id]), PrincipalId::System).await?;
        let events = log::events_between(&tx, self.outlet_id, self.last_sent, Some(upto), PAGE).await?;
        tx.commit().await?;
        Ok(events)
    }
}

/// How an event goes to the client: live events must fit its buffer at
/// once (a client that is not reading is dropped); replayed ones wait,
/// within limits, for it to take them.
#[derive(Clone, Copy)]
enum Pace {
    Live,
    Wait,
}

#[cfg(test)]
mod tests {
    use utoipa::OpenApi;

    use super::*;

    #[test]
    fn the_api_document_lists_every_event_kind_and_its_payload() {
        let doc = serde_json::to_value(crate::ops::openapi::ApiDoc::openapi()).unwrap();
        let operation = &doc["paths"][EVENTS_PATH]["get"];
        let description = operation["description"].as_str().unwrap();
        let schema = &doc["components"]["schemas"]["LiveEvent"];
        let variants = schema["oneOf"].as_array().unwrap_or_else(|| panic!("LiveEvent is one of its kinds: {schema}"));
        for kind in LiveEvent::KINDS {
            assert!(description.contains(&format!("- `{kind}`: ")), "{kind} is described: {description}");
            let documented = variants.iter().any(|v| v["properties"]["kind"]["enum"][0] == *kind);
            assert!(documented, "{kind} has a payload schema: {schema}");
        }
        // Frames are `event:`/`data:`/`id:` lines, described, not a JSON body.
        let ok = &operation["responses"]["200"];
        assert!(ok["content"]["text/event-stream"].is_object(), "{ok}");
        assert!(ok["description"].as_str().unwrap().contains("`LiveEvent` schema"), "{ok}");
    }
}
