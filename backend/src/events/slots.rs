//! How many live event streams one principal (a device, a staff member) may
//! hold open at once. With Redis the count is shared by every server
//! process: each open stream holds a lease in a sorted set per principal,
//! renewed while it lives and removed when it ends, so a crashed process's
//! streams free their slots within [`LEASE`]. Without Redis, or while it
//! does not answer, each process counts its own streams. One task per
//! process renews all of its leases together (one round trip per tick
//! however many streams are open), not one task per stream.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, Once, Weak},
    time::Duration,
};

use deadpool_redis::{Pool, redis};
use uuid::Uuid;

use crate::error::{Code, Error, Result};

/// How long a stream's lease lasts in Redis without being renewed.
pub const LEASE: Duration = Duration::from_secs(30);
/// What a refused client is told to wait before trying again.
pub const RETRY_AFTER_SECS: u64 = 10;
/// A Redis that takes longer than this to answer is treated as away.
const REDIS_WAIT: Duration = Duration::from_millis(500);
/// How long one round of renewals may take (thousands of leases).
const RENEW_WAIT: Duration = Duration::from_secs(5);
/// Leases of one key renewed by one script call.
const RENEW_BATCH: usize = 1_000;

/// Drops expired leases, then takes one if fewer than the cap are held.
/// Times come from the Redis server, so every process agrees on them.
const ACQUIRE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
";

/// Pushes the expiry of leases (ARGV[2..]) forward, those still held.
const RENEW: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until_, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
";

/// The stream slots of every principal; shared by the whole process.
pub struct StreamSlots {
    redis: Option<Pool>,
    local: Mutex<HashMap<String, usize>>,
    /// This process's leases in Redis (members by key), renewed together.
    leases: Mutex<HashMap<String, HashSet<String>>>,
    renewer: Once,
}

/// One open stream's slot, given back when dropped (the stream ended, or
/// its client went away).
pub struct Slot {
    slots: Arc<StreamSlots>,
    key: String,
    held: Held,
}

enum Held {
    Local,
    Lease { member: String },
}

impl StreamSlots {
    pub fn new(redis: Option<Pool>) -> Arc<StreamSlots> {
        Arc::new(StreamSlots {
            redis,
            local: Mutex::new(HashMap::new()),
            leases: Mutex::new(HashMap::new()),
            renewer: Once::new(),
        })
    }

    /// A slot for one more stream of `principal` (`device:<id>`,
    /// `user:<id>`), or 429 when it already holds `cap`.
    pub async fn acquire(self: &Arc<Self>, principal: &str, cap: usize) -> Result<Slot> {
        let key = format!("pos:streams:{principal}");
        if let Some(pool) = &self.redis {
            let member = Uuid::now_v7().simple().to_string();
            match tokio::time::timeout(REDIS_WAIT, lease(pool, &key, &member, cap)).await {
                Ok(Ok(true)) => {
                    let mut leases = self.leases.lock().unwrap_or_else(|p| p.into_inner());
                    leases.entry(key.clone()).or_default().insert(member.clone());
                    drop(leases);
                    self.renewer.call_once(|| {
                        tokio::spawn(renew_while_held(Arc::downgrade(self), pool.clone()));
                    });
                    return Ok(Slot { slots: self.clone(), key, held: Held::Lease { member } });
                }
                Ok(Ok(false)) => return Err(refused()),
                Ok(Err(e)) => tracing::warn!(error = %e, "stream slots: Redis unavailable, counting in this process"),
                Err(_) => tracing::warn!("stream slots: Redis too slow, counting in this process"),
            }
        }
        let mut local = self.local.lock().unwrap_or_else(|p| p.into_inner());
        let held = local.entry(key.clone()).or_insert(0);
        if *held >= cap {
            return Err(refused());
        }
        *held += 1;
        Ok(Slot { slots: self.clone(), key, held: Held::Local })
    }

    /// Streams `principal` holds in this process (those counted without Redis).
    pub fn held_here(&self, principal: &str) -> usize {
        let local = self.local.lock().unwrap_or_else(|p| p.into_inner());
        local.get(&format!("pos:streams:{principal}")).copied().unwrap_or(0)
    }
}

fn refused() -> Error {
    metrics::counter!("sse_streams_refused_total").increment(1);
    Error::RateLimited { code: Code::TooManyStreams, retry_after_secs: RETRY_AFTER_SECS }
}

async fn lease(pool: &Pool, key: &str, member: &str, cap: usize) -> anyhow::Result<bool> {
    let mut conn = pool.get().await?;
    let taken: i64 = redis::cmd("EVAL")
        .arg(ACQUIRE)
        .arg(1)
        .arg(key)
        .arg(cap)
        .arg(LEASE.as_millis() as u64)
        .arg(member)
        .query_async(&mut *conn)
        .await?;
    Ok(taken == 1)
}

/// Every third of [`LEASE`], renews every lease this process holds, in
/// one pipeline; ends with the process's [`StreamSlots`].
async fn renew_while_held(slots: Weak<StreamSlots>, pool: Pool) {
    let mut tick = tokio::time::interval(LEASE / 3);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(slots) = slots.upgrade() else { return };
        let held: Vec<(String, Vec<String>)> = {
            let leases = slots.leases.lock().unwrap_or_else(|p| p.into_inner());
            leases.iter().map(|(key, members)| (key.clone(), members.iter().cloned().collect())).collect()
        };
        drop(slots);
        if held.is_empty() {
            continue;
        }
        let mut pipe = redis::pipe();
        for (key, members) in &held {
            for batch in members.chunks(RENEW_BATCH) {
                pipe.cmd("EVAL").arg(RENEW).arg(1).arg(key).arg(LEASE.as_millis() as u64).arg(batch).ignore();
            }
        }
        let renewed = async {
            let mut conn = pool.get().await?;
            pipe.query_async::<()>(&mut *conn).await?;
            Ok::<_, anyhow::Error>(())
        };
        if let Err(e) = tokio::time::timeout(RENEW_WAIT, renewed).await.unwrap_or_else(|e| Err(e.into())) {
            tracing::warn!(error = %e, leases = held.iter().map(|(_, m)| m.len()).sum::<usize>(), "stream leases not renewed");
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        match &self.held {
            Held::Local => {
                let mut local = self.slots.local.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(held) = local.get_mut(&self.key) {
                    *held = held.saturating_sub(1);
                    if *held == 0 {
                        local.remove(&self.key);
                    }
                }
            }
            Held::Lease { member } => {
                let mut leases = self.slots.leases.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(members) = leases.get_mut(&self.key) {
                    members.remove(member);
                    if members.is_empty() {
                        leases.remove(&self.key);
                    }
                }
                drop(leases);
                let (Some(pool), Ok(runtime)) = (self.slots.redis.clone(), tokio::runtime::Handle::try_current())
                else {
                    return;
                };
                let (key, member) = (self.key.clone(), member.clone());
                runtime.spawn(async move {
                    let released = async {
                        let mut conn = pool.get().await?;
                        redis::cmd("ZREM").arg(&key).arg(&member).query_async::<i64>(&mut *conn).await?;
                        Ok::<_, anyhow::Error>(())
                    };
                    // Unreleased, the lease simply runs out.
                    if let Err(e) = released.await {
                        tracing::debug!(error = %e, "stream lease not released");
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_redis_slots_are_counted_and_given_back() {
        let slots = StreamSlots::new(None);
        let a = slots.acquire("device:1", 2).await.unwrap();
        let _b = slots.acquire("device:1", 2).await.unwrap();
        assert!(matches!(slots.acquire("device:1", 2).await, Err(Error::RateLimited { .. })));
        let _other = slots.acquire("device:2", 2).await.unwrap();
        drop(a);
        assert_eq!(slots.held_here("device:1"), 1);
        let _c = slots.acquire("device:1", 2).await.unwrap();
    }
}
