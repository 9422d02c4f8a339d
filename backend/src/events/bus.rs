//! The per-process hub: one broadcast channel per outlet with subscribers.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{OutletEvent, frames::Shared, log};
use crate::db::{Db, OutletScope, PrincipalId};

/// How many events a subscriber may fall behind before it is dropped (it
/// then reconnects and replays from the log, without stalling anyone).
pub const CHANNEL_CAPACITY: usize = 1024;

struct OutletHub {
    tenant_id: Uuid,
    sender: broadcast::Sender<Arc<Shared>>,
    /// The newest sequence number handed to the channel.
    newest: i64,
}

/// A cache that events make stale. It is told of every event before any
/// stream of this process shows it, so a client that refetches on an event
/// never gets the answer from before it.
pub trait DeliveryWatcher: Send + Sync {
    /// `events` of `tenant_id` are about to reach this process's streams.
    fn before_delivery(&self, tenant_id: Uuid, events: &[OutletEvent]);
    /// Events of other processes may have been missed (the fan-out lost its
    /// connection, or just got it back).
    fn fanout_interrupted(&self);
}

pub struct EventBus {
    hubs: Mutex<HashMap<Uuid, OutletHub>>,
    watchers: Mutex<Vec<Arc<dyn DeliveryWatcher>>>,
    /// True while the Redis subscriber is connected: only then does this
    /// process hear of every other process's events.
    fanout_connected: AtomicBool,
    /// Set when Redis fans events out to the other processes.
    pub(super) redis: Mutex<Option<super::redis_fanout::Publisher>>,
    /// This process, so it can skip its own messages coming back from Redis.
    pub process_id: Uuid,
    pub shutdown: CancellationToken,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            hubs: Mutex::new(HashMap::new()),
            watchers: Mutex::new(Vec::new()),
            fanout_connected: AtomicBool::new(false),
            redis: Mutex::new(None),
            process_id: Uuid::now_v7(),
            shutdown: CancellationToken::new(),
        }
    }
}

impl EventBus {
    /// A receiver of every event of the outlet delivered from now on.
    pub fn subscribe(&self, tenant_id: Uuid, outlet_id: Uuid) -> broadcast::Receiver<Arc<Shared>> {
        let mut hubs = self.hubs.lock().unwrap_or_else(|p| p.into_inner());
        let hub = hubs.entry(outlet_id).or_insert_with(|| OutletHub {
            tenant_id,
            sender: broadcast::channel(CHANNEL_CAPACITY).0,
            newest: 0,
        });
        hub.sender.subscribe()
    }

    /// Tells `watcher` of every event from now on, before streams see it.
    pub fn watch(&self, watcher: Arc<dyn DeliveryWatcher>) {
        self.watchers.lock().unwrap_or_else(|p| p.into_inner()).push(watcher);
    }

    /// True while events of every server process reach this one at once:
    /// Redis fans them out and this process's subscriber is connected.
    pub fn fanout_healthy(&self) -> bool {
        self.fanout_connected.load(Ordering::Acquire)
    }

    /// Records the subscriber's connection; either way events may have been
    /// missed, which the watchers are told.
    pub(super) fn set_fanout_connected(&self, connected: bool) {
        self.fanout_connected.store(connected, Ordering::Release);
        for watcher in self.watchers.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            watcher.fanout_interrupted();
        }
    }

    /// Hands events to this process's subscribers (watchers first).
    /// Duplicates and reordering are fine: every stream delivers by sequence
    /// and fills gaps from the log.
    pub fn deliver_local(&self, tenant_id: Uuid, events: &[OutletEvent]) {
        for watcher in self.watchers.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            watcher.before_delivery(tenant_id, events);
        }
        let mut hubs = self.hubs.lock().unwrap_or_else(|p| p.into_inner());
        for event in events {
            if let Some(hub) = hubs.get_mut(&event.outlet_id) {
                hub.newest = hub.newest.max(event.seq);
                // Written as frames once, by the first stream that shows it.
                let _ = hub.sender.send(Arc::new(Shared::new(event.clone())));
            }
        }
    }

    /// After a commit: to local subscribers now, to other processes via Redis.
    pub fn publish(&self, tenant_id: Uuid, events: Vec<OutletEvent>) {
        if events.is_empty() {
            return;
        }
        self.deliver_local(tenant_id, &events);
        let publisher = self.redis.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some(publisher) = publisher {
            publisher.publish(self.process_id, tenant_id, events);
        }
    }

    /// Outlets with subscribers, with their tenant and newest delivered sequence;
    /// forgets outlets nobody listens to any more.
    fn active(&self) -> Vec<(Uuid, Uuid, i64)> {
        let mut hubs = self.hubs.lock().unwrap_or_else(|p| p.into_inner());
        hubs.retain(|_, h| h.sender.receiver_count() > 0);
        hubs.iter().map(|(outlet, h)| (h.tenant_id, *outlet, h.newest)).collect()
    }

    /// Reads the log of every outlet with subscribers and delivers what this
    /// process has not seen (lost publishes, Redis outages).
    pub async fn sweep(&self, db: &Db) {
        for (tenant_id, outlet_id, newest) in self.active() {
            let result = async {
                let tx = db.begin_scoped(tenant_id, OutletScope::Only(vec![outlet_id]), PrincipalId::System).await?;
                let (_, hi) = log::bounds(&tx, outlet_id).await?;
                // A hub that never saw an event starts from the log's head.
                let missing = if newest == 0 || hi <= newest {
                    Vec::new()
                } else {
                    log::events_between(&tx, outlet_id, newest, None, 1000).await?
                };
                tx.commit().await?;
                Ok::<_, crate::Error>((hi, missing))
            }
            .await;
            match result {
                Ok((hi, missing)) => {
                    if !missing.is_empty() {
                        tracing::info!(%outlet_id, count = missing.len(), "sweep delivered events a publish missed");
                        self.deliver_local(tenant_id, &missing);
                    } else if newest == 0 && hi > 0 {
                        self.mark_seen(outlet_id, hi);
                    }
                }
                Err(e) => tracing::warn!(error = %e, %outlet_id, "event sweep failed"),
            }
        }
    }

    fn mark_seen(&self, outlet_id: Uuid, seq: i64) {
        let mut hubs = self.hubs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hub) = hubs.get_mut(&outlet_id) {
            hub.newest = hub.newest.max(seq);
        }
    }

    /// Runs [`EventBus::sweep`] every `every` until shutdown.
    pub fn spawn_sweeper(self: &Arc<Self>, db: Db, every: Duration) {
        let bus = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = bus.shutdown.cancelled() => break,
                    _ = tick.tick() => bus.sweep(&db).await,
                }
            }
        });
    }
}
