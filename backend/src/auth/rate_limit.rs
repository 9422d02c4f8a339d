//! Fixed-window counters for login and pairing attempts: in Redis when it is
//! configured (shared by every server process), in process memory otherwise
//! or while Redis is unreachable.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use deadpool_redis::{Pool, redis};

use crate::error::{Error, Result};

/// The longest a count may wait for Redis before it is kept in memory instead.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

pub struct RateLimiter {
    redis: Option<Pool>,
    memory: Mutex<HashMap<String, (u32, Instant)>>,
}

/// The count in the current window and the seconds until it resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub count: u32,
    pub resets_in_secs: u64,
}

impl RateLimiter {
    pub fn new(redis: Option<Pool>) -> Self {
        RateLimiter { redis, memory: Mutex::new(HashMap::new()) }
    }

    /// Counts one hit on `key` and returns the window after it.
    pub async fn hit(&self, key: &str, window: Duration) -> Window {
        self.bump(key, window, 1).await
    }

    /// The current window of `key`, without counting.
    pub async fn peek(&self, key: &str, window: Duration) -> Window {
        self.bump(key, window, 0).await
    }

    /// 429 when `key` has reached `limit` in its window; counts the hit otherwise.
    pub async fn check_and_hit(&self, key: &str, limit: u32, window: Duration) -> Result<()> {
        let w = self.hit(key, window).await;
        if w.count > limit {
            return Err(Error::RateLimited { retry_after_secs: w.resets_in_secs.max(1) });
        }
        Ok(())
    }

    /// 429 when `key` has already reached `limit`; does not count.
    pub async fn check(&self, key: &str, limit: u32, window: Duration) -> Result<()> {
        let w = self.peek(key, window).await;
        if w.count >= limit {
            return Err(Error::RateLimited { retry_after_secs: w.resets_in_secs.max(1) });
        }
        Ok(())
    }

    async fn bump(&self, key: &str, window: Duration, by: u32) -> Window {
        if let Some(pool) = &self.redis {
            // A Redis that hangs (rather than refusing) must not hold sign-in up.
            match tokio::time::timeout(REDIS_TIMEOUT, bump_redis(pool, key, window, by)).await {
                Ok(Ok(w)) => return w,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "rate limiter: Redis unavailable, counting in memory")
                }
                Err(_) => tracing::warn!("rate limiter: Redis did not answer in time, counting in memory"),
            }
        }
        self.bump_memory(key, window, by)
    }

    fn bump_memory(&self, key: &str, window: Duration, by: u32) -> Window {
        let now = Instant::now();
        let mut map = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, start)| now.duration_since(*start) < window);
        }
        let entry = map.entry(key.to_string()).or_insert((0, now));
        if now.duration_since(entry.1) >= window {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(by);
        let elapsed = now.duration_since(entry.1);
        Window { count: entry.0, resets_in_secs: window.saturating_sub(elapsed).as_secs().max(1) }
    }
}

async fn bump_redis(pool: &Pool, key: &str, window: Duration, by: u32) -> anyhow::Result<Window> {
    let mut conn = pool.get().await?;
    let key = format!("pos:rl:{key}");
    let (count, ttl): (u32, i64) = redis::pipe()
        .atomic()
        .cmd("INCRBY")
        .arg(&key)
        .arg(by)
        .ignore()
        .cmd("EXPIRE")
        .arg(&key)
        .arg(window.as_secs().max(1))
        .arg("NX")
        .ignore()
        .cmd("GET")
        .arg(&key)
        .cmd("TTL")
        .arg(&key)
        .query_async(&mut *conn)
        .await?;
    Ok(Window { count, resets_in_secs: ttl.max(1) as u64 })
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
        assert!(rl.check("other", 3, w).await.is_ok());
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(rl.check_and_hit("k", 3, w).await.is_ok());
    }
}
