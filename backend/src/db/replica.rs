//! The read replica: a PostgreSQL streaming hot standby
//! (`POS_REPLICA_DATABASE_URL`) that lag-tolerant reads may run on: the
//! outlet menu and `sync/pull` today, reports when they come.
//!
//! The rules of the primary hold there too: the read is a [`ScopedTx`] of
//! the app role whose first statement sets the tenant, outlet and principal
//! scope, row-level security applies (the standby replays the same
//! policies), and the transaction is read-only (so even a replica URL that
//! points at a primary by mistake takes no write this way).
//!
//! **Nobody sees a write disappear.** A routed read names the commit-ordered
//! version its answer depends on (the brand's catalogue version for a pull,
//! the outlet's menu stamp for a menu), reads that version on the primary in
//! the request's own transaction, and runs on the replica only if the
//! replica has replayed at least that version. Every write whose answer the
//! caller has seen (its own, an admin's) committed before that primary read,
//! so a replica answer is never older than the primary's would have been.
//! When the replica is behind, down, or fails mid-read (a recovery conflict,
//! a lost connection), the read runs on the primary instead. The principal
//! is always checked on the primary first (a revoked device is refused on
//! its next request, however far behind the replica is).

use std::{sync::Arc, time::Duration};

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use super::{
    Db, Scope, ScopedTx,
    availability::{Availability, Watched},
    open_scoped,
};
use crate::error::{Error, Result};

/// The replica's pool and its availability gate.
pub struct Replica {
    conn: DatabaseConnection,
    availability: Arc<Availability>,
}

impl Replica {
    /// A lazily connecting pool: the replica need not answer when the server
    /// starts (its gate opens once the watcher reaches it).
    pub(super) async fn connect(url: &str, max_connections: u32) -> Result<Replica, DbErr> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(max_connections)
            .min_connections(0)
            .connect_timeout(Duration::from_secs(2))
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy(true)
            .sqlx_logging(false);
        let conn = Database::connect(opts).await?;
        Ok(Replica { availability: Availability::watch_as(url, Watched::Replica)?, conn })
    }

    /// True while the replica answers (as far as its watcher knows).
    pub fn is_up(&self) -> bool {
        !self.availability.is_down()
    }

    /// A read-only transaction on the replica with `like`'s scope and principal.
    async fn begin_like(&self, like: &ScopedTx) -> Result<ScopedTx> {
        let scope = Scope {
            tenant_id: like.tenant_id,
            outlets: like.outlets.clone(),
            principal: like.principal,
            read_only: true,
        };
        open_scoped(&self.conn, &self.availability, None, scope).await
    }
}

/// Where a routed read ran, and why (labels of `db_routed_reads_total`).
fn count(path: &'static str, served_by: &'static str, reason: &'static str) {
    metrics::counter!("db_routed_reads_total", "path" => path, "served_by" => served_by, "reason" => reason)
        .increment(1);
}

/// Runs `read` for the request whose transaction is `primary` (principal
/// already checked): on the replica when one is configured and answers and
/// `fresh` accepts the `version` it reads there, else on the primary. Either
/// way the transaction it ran in is committed (`primary` is consumed).
///
/// `fresh` compares the replica's version with what the caller read on the
/// primary in `primary` (see the module documentation); `path` names the
/// read in the metrics.
pub async fn read_routed<V, T>(
    db: &Db,
    primary: ScopedTx,
    path: &'static str,
    version: impl AsyncFn(&ScopedTx) -> Result<V>,
    fresh: impl Fn(&V) -> bool,
    read: impl AsyncFn(&ScopedTx) -> Result<T>,
) -> Result<T> {
    let Some(replica) = db.replica() else {
        return on_primary(primary, path, "no_replica", &read).await;
    };
    if !replica.is_up() {
        return on_primary(primary, path, "replica_down", &read).await;
    }
    let candidate = match replica.begin_like(&primary).await {
        Ok(tx) => tx,
        Err(error) => {
            tracing::warn!(?error, path, "the read replica refused a transaction; reading from the primary");
            return on_primary(primary, path, "replica_error", &read).await;
        }
    };
    match version(&candidate).await {
        Ok(v) if fresh(&v) => {}
        Ok(_) => return on_primary(primary, path, "replica_behind", &read).await,
        Err(error) => {
            tracing::warn!(?error, path, "the read replica failed a version check; reading from the primary");
            return on_primary(primary, path, "replica_error", &read).await;
        }
    }
    // The primary's connection goes back before the replica does the work.
    let fallback = Scope {
        tenant_id: primary.tenant_id,
        outlets: primary.outlets.clone(),
        principal: primary.principal,
        read_only: false,
    };
    primary.commit().await?;
    match read(&candidate).await {
        Ok(answer) => {
            // Read-only: nothing to lose if the commit itself fails.
            if let Err(error) = candidate.commit().await {
                tracing::debug!(?error, path, "ending a replica read");
            }
            count(path, "replica", "fresh");
            Ok(answer)
        }
        // The replica failed under the read (a query cancelled by a
        // recovery conflict, a lost connection): the primary answers.
        Err(Error::Db(error)) => {
            tracing::warn!(?error, path, "a replica read failed; reading from the primary");
            drop(candidate);
            let tx = db.begin_scoped(fallback.tenant_id, fallback.outlets, fallback.principal).await?;
            on_primary(tx, path, "replica_error", &read).await
        }
        // Refusals (404, 422) are the primary's too: the data is the same.
        Err(other) => {
            count(path, "replica", "fresh");
            Err(other)
        }
    }
}

async fn on_primary<T>(
    tx: ScopedTx,
    path: &'static str,
    reason: &'static str,
    read: &impl AsyncFn(&ScopedTx) -> Result<T>,
) -> Result<T> {
    let answer = read(&tx).await?;
    tx.commit().await?;
    count(path, "primary", reason);
    Ok(answer)
}
