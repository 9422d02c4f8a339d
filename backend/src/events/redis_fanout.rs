//! Fan-out across server processes through Redis pub/sub: publishing goes
//! through the deadpool pool; each process keeps one dedicated subscriber
//! connection that reconnects by itself. Messages lost while Redis is away
//! are recovered by the bus's sweep and by clients' `Last-Event-ID` replay.

use std::{sync::Arc, time::Duration};

use deadpool_redis::{Pool, redis};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{EventBus, OutletEvent, StoredEvent};

pub const CHANNEL: &str = "pos:outlet-events";

#[derive(Serialize, Deserialize)]
struct Message {
    origin: Uuid,
    tenant_id: Uuid,
    events: Vec<StoredEvent>,
}

#[derive(Clone)]
pub struct Publisher {
    pool: Pool,
}

impl Publisher {
    /// Publishes in the background: a slow or absent Redis never delays a request.
    pub fn publish(&self, origin: Uuid, tenant_id: Uuid, events: Vec<OutletEvent>) {
        let pool = self.pool.clone();
        let events: Vec<StoredEvent> = events.iter().filter_map(StoredEvent::of).collect();
        tokio::spawn(async move {
            let payload = match serde_json::to_string(&Message { origin, tenant_id, events }) {
                Ok(p) => p,
                Err(e) => return tracing::error!(error = %e, "event serialisation"),
            };
            let result = async {
                let mut conn = pool.get().await?;
                redis::cmd("PUBLISH").arg(CHANNEL).arg(payload).query_async::<i64>(&mut *conn).await?;
                Ok::<_, anyhow::Error>(())
            }
            .await;
            if let Err(e) = result {
                metrics::counter!("events_redis_publish_failures_total").increment(1);
                tracing::warn!(error = %e, "Redis publish failed; the sweep will deliver");
            }
        });
    }
}

/// Starts fan-out: publishing through `pool`, and one subscriber task on a
/// dedicated connection to `url` that feeds `bus`.
pub fn start(bus: &Arc<EventBus>, pool: Pool, url: String) {
    *bus.redis.lock().unwrap_or_else(|p| p.into_inner()) = Some(Publisher { pool });
    let bus = bus.clone();
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(200);
        loop {
            let run = subscribe_once(&bus, &url);
            tokio::select! {
                _ = bus.shutdown.cancelled() => break,
                result = run => {
                    if let Err(e) = result {
                        tracing::warn!(error = %e, "Redis subscriber lost; reconnecting");
                    }
                }
            }
            tokio::select! {
                _ = bus.shutdown.cancelled() => break,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    });
}

async fn subscribe_once(bus: &EventBus, url: &str) -> anyhow::Result<()> {
    let client = redis::Client::open(url)?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(CHANNEL).await?;
    tracing::info!("Redis subscriber connected");
    metrics::gauge!("events_redis_subscriber_connected").set(1.0);
    bus.set_fanout_connected(true);
    let _disconnected = Disconnected(bus);
    let mut messages = pubsub.into_on_message();
    while let Some(msg) = messages.next().await {
        let Ok(message) = serde_json::from_slice::<Message>(msg.get_payload_bytes()) else {
            tracing::warn!("ignoring a malformed event message");
            continue;
        };
        if message.origin != bus.process_id {
            let events: Vec<OutletEvent> = message.events.into_iter().map(OutletEvent::from).collect();
            bus.deliver_local(message.tenant_id, &events);
        }
    }
    anyhow::bail!("Redis closed the subscription")
}

/// Marks the fan-out down when the subscription ends, however it ends.
struct Disconnected<'a>(&'a EventBus);

impl Drop for Disconnected<'_> {
    fn drop(&mut self) {
        metrics::gauge!("events_redis_subscriber_connected").set(0.0);
        self.0.set_fanout_connected(false);
    }
}
