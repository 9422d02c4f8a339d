//! Fixed-window counters for sign-up, sign-in and pairing attempts: in
//! Redis when it is configured (shared by every server process), in process
//! memory otherwise or while Redis is unreachable.
//!
//! Guessing limits work with slots: [`RateLimiter::acquire`] takes one of
//! the window's `limit` slots before the guess is checked, in one atomic
//! step (a Redis script, a mutex in memory), so any number of concurrent
//! guesses cannot get past the limit together. A guess that turns out right
//! gives its slot back ([`RateLimiter::release`]): only failures count.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use deadpool_redis::{Pool, redis};

use crate::error::{Code, Error, Result};

pub struct RateLimiter {
    redis: Option<Pool>,
    memory: Mutex<HashMap<String, (u32, Instant)>>,
}

/// A slot taken from `key`'s window; counted unless released.
#[derive(Debug)]
#[must_use = "a slot is counted as a failure unless released"]
pub struct Slot {
    key: String,
}

/// Takes a slot: INCR, start the window on the first hit, and give the slot
/// back at once when there was none left. Returns {granted, ms left}.
const ACQUIRE: &str = r"
local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return {0, ttl}
end
return {1, ttl}
";

/// Gives a slot back, never below zero (the window may have ended meanwhile).
const RELEASE: &str = r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0
";

/// A Redis that hangs (rather than refusing) must not hold sign-in up.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

fn redis_key(key: &str) -> String {
    format!("pos:rl:{key}")
}

impl RateLimiter {
    pub fn new(redis: Option<Pool>) -> Self {
        RateLimiter { redis, memory: Mutex::new(HashMap::new()) }
    }

    /// Takes one of `limit` slots of `key` in its window; 429 (with the
    /// seconds until the window ends) when none is left.
    pub async fn acquire(&self, key: &str, limit: u32, window: Duration) -> Result<Slot> {
        let (granted, resets_in) = match self.acquire_redis(key, limit, window).await {
            Some(answer) => answer,
            None => self.acquire_memory(key, limit, window),
        };
        if !granted {
            return Err(Error::RateLimited { code: Code::RateLimited, retry_after_secs: resets_in.as_secs().max(1) });
        }
        Ok(Slot { key: key.to_string() })
    }

    /// Gives `slot` back: the attempt it guarded does not count.
    pub async fn release(&self, slot: Slot) {
        if let Some(pool) = &self.redis {
            let done = tokio::time::timeout(REDIS_TIMEOUT, async {
                let mut conn = pool.get().await?;
                redis::cmd("EVAL").arg(RELEASE).arg(1).arg(redis_key(&slot.key)).query_async::<i64>(&mut *conn).await?;
                anyhow::Ok(())
            })
            .await;
            match done {
                Ok(Ok(())) => return,
                Ok(Err(e)) => tracing::warn!(error = %e, "rate limiter: Redis unavailable, counting in memory"),
                Err(_) => tracing::warn!("rate limiter: Redis did not answer in time, counting in memory"),
            }
        }
        let mut map = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = map.get_mut(&slot.key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    /// Counts every attempt on `key` (successful ones too); 429 past `limit`.
    pub async fn check_and_hit(&self, key: &str, limit: u32, window: Duration) -> Result<()> {
        // A slot never given back is a counted hit.
        let _counted = self.acquire(key, limit, window).await?;
        Ok(())
    }

    async fn acquire_redis(&self, key: &str, limit: u32, window: Duration) -> Option<(bool, Duration)> {
        let pool = self.redis.as_ref()?;
        let answer = tokio::time::timeout(REDIS_TIMEOUT, async {
            let mut conn = pool.get().await?;
            anyhow::Ok(
                redis::cmd("EVAL")
                    .arg(ACQUIRE)
                    .arg(1)
                    .arg(redis_key(key))
                    .arg(limit)
                    .arg(window.as_millis().max(1) as u64)
                    .query_async::<(i64, i64)>(&mut *conn)
                    .await?,
            )
        })
        .await;
        match answer {
            Ok(Ok((granted, ttl_ms))) => Some((granted == 1, Duration::from_millis(ttl_ms.max(0) as u64))),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "rate limiter: Redis unavailable, counting in memory");
                None
            }
            Err(_) => {
                tracing::warn!("rate limiter: Redis did not answer in time, counting in memory");
                None
            }
        }
    }

    fn acquire_memory(&self, key: &str, limit: u32, window: Duration) -> (bool, Duration) {
        let now = Instant::now();
        let mut map = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, start)| now.duration_since(*start) < window);
        }
        let entry = map.entry(key.to_string()).or_insert((0, now));
        if now.duration_since(entry.1) >= window {
            *entry = (0, now);
        }
        let resets_in = window.saturating_sub(now.duration_since(entry.1));
        if entry.0 >= limit {
            return (false, resets_in);
        }
        entry.0 += 1;
        (true, resets_in)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_window_limits_and_resets() {
        let rl = RateLimiter::new(None);
        let w = Duration::from_millis(200);
        for _ in 0..3 {
            rl.check_and_hit("k", 3, w).await.unwrap();
        }
        assert!(matches!(rl.check_and_hit("k", 3, w).await, Err(Error::RateLimited { .. })));
        assert!(rl.check_and_hit("other", 3, w).await.is_ok());
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(rl.check_and_hit("k", 3, w).await.is_ok());
    }

    #[tokio::test]
    async fn released_slots_do_not_count() {
        let rl = RateLimiter::new(None);
        let w = Duration::from_secs(60);
        for _ in 0..10 {
            let slot = rl.acquire("ok", 2, w).await.unwrap();
            rl.release(slot).await;
        }
        let _kept = rl.acquire("ok", 2, w).await.unwrap();
        let _kept2 = rl.acquire("ok", 2, w).await.unwrap();
        let refused = rl.acquire("ok", 2, w).await.unwrap_err();
        assert!(matches!(refused, Error::RateLimited { retry_after_secs, .. } if retry_after_secs > 0));
    }

    #[tokio::test]
    async fn concurrent_acquires_never_exceed_the_limit() {
        let rl = std::sync::Arc::new(RateLimiter::new(None));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let rl = rl.clone();
                tokio::spawn(async move { rl.acquire("race", 7, Duration::from_secs(60)).await.is_ok() })
            })
            .collect();
        let mut granted = 0;
        for t in tasks {
            granted += usize::from(t.await.unwrap());
        }
        assert_eq!(granted, 7);
    }
}
