//! Per-tenant epochs in Redis: what lets every server process keep short
//! in-process caches (principals, menu stamps) without ever serving an
//! answer that a committed change has made stale.
//!
//! A commit that may end or narrow a principal, or change an outlet's
//! menu, replaces the tenant's epoch with a fresh token, after the
//! database commit and before the changing request answers (see
//! [`super::ScopedTx::commit`]). A request reads its tenant's epochs (one
//! `MGET`) *before* it reads the database, and a cache entry is only used
//! while the epoch it was filled under is still the current one. So an
//! entry filled from a read that missed a change always carries an epoch
//! older than that change's.
//!
//! Epochs are fresh UUIDs rather than counters: a Redis that lost its data
//! (restarted without persistence, restored from an older snapshot) can
//! never hand back a value an old entry was filled under. A missing key is
//! never trusted: it is started (`SET NX`) and the request takes the
//! database path. Without Redis, or while it errs or is slow, no epoch is
//! confirmed and every request takes the database path.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use deadpool_redis::{
    Pool,
    redis::{self, aio::MultiplexedConnection},
};
use uuid::Uuid;

/// A Redis that takes longer than this is treated as away (database path).
const READ_WAIT: Duration = Duration::from_millis(250);
/// After a failed read Redis is left alone this long: requests take the
/// database path at once rather than each waiting out [`READ_WAIT`].
const READ_BACK_OFF: Duration = Duration::from_secs(1);
/// How long one attempt to replace an epoch may take.
const BUMP_WAIT: Duration = Duration::from_millis(500);
/// A bump that failed in the request is retried in the background this
/// long; caches trust an entry no longer than this anyway.
const BUMP_RETRY_FOR: Duration = Duration::from_secs(60);

/// What a tenant's epoch guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Epoch {
    /// Devices, staff, sessions, roles, memberships (see `auth::principal_cache`).
    Auth,
    /// Categories, items, outlet overrides, outlets (see `catalog::menu_stamps`).
    Menu,
}

impl Epoch {
    fn key(self, tenant_id: Uuid) -> String {
        match self {
            Epoch::Auth => format!("pos:epoch:auth:{tenant_id}"),
            Epoch::Menu => format!("pos:epoch:menu:{tenant_id}"),
        }
    }
}

/// A tenant's epochs, as confirmed by Redis at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantEpochs {
    pub auth: String,
    pub menu: String,
}

/// The epochs of every tenant, in Redis when it is configured.
pub struct Epochs {
    /// For bumps (rare).
    redis: Option<Pool>,
    /// For the read every request makes: one multiplexed connection, as a
    /// pooled one would cost a second round trip (its recycling `PING`).
    reader: Option<Reader>,
    /// Reads are not tried before this many milliseconds after `origin`.
    away_until_ms: AtomicU64,
    origin: Instant,
}

struct Reader {
    client: redis::Client,
    conn: std::sync::Mutex<Option<MultiplexedConnection>>,
}

impl Reader {
    async fn connection(&self) -> redis::RedisResult<MultiplexedConnection> {
        if let Some(conn) = self.conn.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(conn);
        }
        let conn = self.client.get_multiplexed_async_connection().await?;
        *self.conn.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn.clone());
        Ok(conn)
    }

    /// After an error: the next read connects afresh.
    fn reset(&self) {
        *self.conn.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl Default for Epochs {
    fn default() -> Self {
        Epochs { redis: None, reader: None, away_until_ms: AtomicU64::new(0), origin: Instant::now() }
    }
}

impl Epochs {
    /// Epochs in the Redis at `url`; bumps go through `pool` (to the same Redis).
    pub fn new(pool: Pool, url: &str) -> anyhow::Result<Epochs> {
        let reader = Reader { client: redis::Client::open(url)?, conn: Default::default() };
        Ok(Epochs { redis: Some(pool), reader: Some(reader), ..Epochs::default() })
    }

    fn now_ms(&self) -> u64 {
        self.origin.elapsed().as_millis() as u64
    }

    /// The tenant's current epochs, or `None` when they cannot be
    /// confirmed (no Redis, an error, too slow, not started yet): then the
    /// caller must not use any cache entry.
    pub async fn read(&self, tenant_id: Uuid) -> Option<TenantEpochs> {
        let reader = self.reader.as_ref()?;
        if self.now_ms() < self.away_until_ms.load(Ordering::Relaxed) {
            metrics::counter!("epoch_read_skipped_total").increment(1);
            return None;
        }
        let (auth_key, menu_key) = (Epoch::Auth.key(tenant_id), Epoch::Menu.key(tenant_id));
        let answer = tokio::time::timeout(READ_WAIT, async {
            let mut conn = reader.connection().await?;
            let (auth, menu): (Option<String>, Option<String>) =
                redis::cmd("MGET").arg(&auth_key).arg(&menu_key).query_async(&mut conn).await?;
            if let (Some(auth), Some(menu)) = (auth, menu) {
                return anyhow::Ok(Some(TenantEpochs { auth, menu }));
            }
            // Started by whoever comes first; this request reads the database.
            let mut pipe = redis::pipe();
            for key in [&auth_key, &menu_key] {
                pipe.cmd("SET").arg(key).arg(fresh()).arg("NX").ignore();
            }
            pipe.query_async::<()>(&mut conn).await?;
            Ok(None)
        })
        .await;
        let failure = match answer {
            Ok(Ok(epochs)) => return epochs,
            Ok(Err(e)) => e.to_string(),
            Err(_) => "Redis did not answer in time".to_string(),
        };
        reader.reset();
        metrics::counter!("epoch_read_failures_total").increment(1);
        tracing::warn!(error = %failure, "epochs: Redis unavailable, reading the database for a while");
        self.away_until_ms.store(self.now_ms() + READ_BACK_OFF.as_millis() as u64, Ordering::Relaxed);
        None
    }

    /// Replaces the tenant's `which` epochs with fresh ones: every cache
    /// entry filled under the old ones is refused from now on, in every
    /// process. Called after the commit, before the response.
    pub async fn bump(&self, tenant_id: Uuid, which: &[Epoch]) {
        let Some(pool) = &self.redis else { return };
        if which.is_empty() {
            return;
        }
        let keys: Vec<String> = which.iter().map(|e| e.key(tenant_id)).collect();
        for attempt in 0..2 {
            match replace(pool, &keys).await {
                Ok(()) => return,
                Err(e) => tracing::warn!(error = %e, attempt, %tenant_id, "epochs: bump failed"),
            }
        }
        // Until it lands, other processes may keep a stale entry for at
        // most their caches' lifetime.
        metrics::counter!("epoch_bump_failures_total").increment(1);
        tracing::error!(%tenant_id, "epochs: bump failed; retrying in the background");
        let pool = pool.clone();
        tokio::spawn(async move {
            let started = tokio::time::Instant::now();
            while started.elapsed() < BUMP_RETRY_FOR {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if replace(&pool, &keys).await.is_ok() {
                    return;
                }
            }
        });
    }
}

async fn replace(pool: &Pool, keys: &[String]) -> anyhow::Result<()> {
    tokio::time::timeout(BUMP_WAIT, async {
        let mut conn = pool.get().await?;
        let mut pipe = redis::pipe();
        for key in keys {
            pipe.cmd("SET").arg(key).arg(fresh()).ignore();
        }
        pipe.query_async::<()>(&mut *conn).await?;
        anyhow::Ok(())
    })
    .await
    .unwrap_or_else(|_| Err(anyhow::anyhow!("Redis did not answer in time")))
}

/// A value no epoch has had before.
fn fresh() -> String {
    Uuid::now_v7().simple().to_string()
}
