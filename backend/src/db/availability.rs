//! Whether PostgreSQL answers, and failing fast while it does not.
//!
//! The pool alone handles an outage badly: asked for a connection while the
//! server is down, it retries the refused connect until its acquire timeout,
//! so every request waits those seconds before its 503, and a burst of them
//! all hang together. So a watcher keeps one connection of its own and pings
//! it every half second (and at once whenever a request reports a lost
//! connection). When the ping fails and a fresh connection is refused, it
//! closes a gate: new work gets 503 at once, and work waiting for a pooled
//! connection is released with 503 too. It then tries to connect every
//! 200 ms and opens the gate as soon as PostgreSQL accepts one; connections
//! the pool still holds from before are replaced by the pool itself
//! (`test_before_acquire` pings each one it hands out).

use std::{
    future::Future,
    sync::{Arc, Weak},
    time::{Duration, Instant},
};

use sea_orm::{
    DbErr, RuntimeErr,
    sqlx::{self, ConnectOptions, Connection, postgres::PgConnectOptions},
};
use tokio::sync::{Notify, watch};

use crate::error::{Code, Error};

/// Between pings of the watcher's connection while the database answers.
const HEARTBEAT: Duration = Duration::from_millis(500);
/// A ping slower than this counts as lost.
const PING_TIMEOUT: Duration = Duration::from_secs(1);
/// A connection attempt slower than this counts as refused.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Between connection attempts while the database is down.
const RETRY: Duration = Duration::from_millis(200);

/// Which database a gate watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watched {
    /// The primary: requests get 503 while it is away.
    Primary,
    /// The read replica: reads go to the primary while it is away.
    Replica,
}

/// The availability gate of one pool.
pub struct Availability {
    /// True while PostgreSQL answers.
    up: watch::Sender<bool>,
    /// Asks the watcher to ping now.
    suspect: Notify,
    watched: Watched,
}

impl Availability {
    /// Starts watching the primary at `url` (which was just reached, so the
    /// gate starts open).
    pub fn watch(url: &str) -> Result<Arc<Availability>, DbErr> {
        Self::watch_as(url, Watched::Primary)
    }

    /// Starts watching the database at `url`. A replica's gate starts
    /// closed and opens once the watcher has reached it.
    pub fn watch_as(url: &str, watched: Watched) -> Result<Arc<Availability>, DbErr> {
        let options: PgConnectOptions =
            url.parse::<PgConnectOptions>().map_err(|e| DbErr::Custom(e.to_string()))?.application_name("pos-db-watch");
        let up = watched == Watched::Primary;
        let this = Arc::new(Availability { up: watch::Sender::new(up), suspect: Notify::new(), watched });
        tokio::spawn(watch_database(Arc::downgrade(&this), options));
        Ok(this)
    }

    fn gauge(&self) -> &'static str {
        match self.watched {
            Watched::Primary => "db_available",
            Watched::Replica => "db_replica_available",
        }
    }

    /// True while the database is known to be unreachable.
    pub fn is_down(&self) -> bool {
        !*self.up.borrow()
    }

    /// `Err(503)` at once while the database is known to be unreachable.
    pub fn check(&self) -> Result<(), Error> {
        if self.is_down() { Err(Error::Unavailable(Code::DatabaseUnavailable)) } else { Ok(()) }
    }

    /// Runs `acquire` (work that needs a pooled connection) unless the gate
    /// is closed, and gives up with 503 if it closes meanwhile.
    pub async fn guard<T>(&self, acquire: impl Future<Output = Result<T, DbErr>>) -> Result<T, Error> {
        self.check()?;
        let mut up = self.up.subscribe();
        tokio::select! {
            result = acquire => self.observe(result),
            _ = up.wait_for(|up| !*up) => Err(Error::Unavailable(Code::DatabaseUnavailable)),
        }
    }

    /// Passes `result` through; a lost connection makes the watcher check now.
    pub fn observe<T>(&self, result: Result<T, DbErr>) -> Result<T, Error> {
        result.map_err(|e| {
            if is_connection_loss(&e) {
                self.suspect.notify_one();
            }
            Error::Db(e)
        })
    }

    /// For readiness: false at once while the gate is closed, else whether a
    /// pooled connection answers within `timeout`.
    pub async fn ping(&self, conn: &sea_orm::DatabaseConnection, timeout: Duration) -> bool {
        if self.is_down() {
            return false;
        }
        match tokio::time::timeout(timeout, self.guard(conn.ping())).await {
            Ok(result) => result.is_ok(),
            Err(_) => {
                self.suspect.notify_one();
                false
            }
        }
    }

    fn set_up(&self, up: bool, down_since: &mut Option<Instant>) {
        let changed = self.up.send_if_modified(|current| std::mem::replace(current, up) != up);
        if !changed {
            return;
        }
        metrics::gauge!(self.gauge()).set(if up { 1.0 } else { 0.0 });
        match (up, self.watched) {
            (true, Watched::Primary) => {
                let down_ms = down_since.take().map(|t| t.elapsed().as_millis() as u64).unwrap_or_default();
                tracing::info!(down_ms, "PostgreSQL answers again");
            }
            (true, Watched::Replica) => {
                *down_since = None;
                tracing::info!("the read replica answers; lag-tolerant reads may use it");
            }
            (false, Watched::Primary) => {
                *down_since = Some(Instant::now());
                tracing::warn!("PostgreSQL is unreachable; answering 503 until it is back");
            }
            (false, Watched::Replica) => {
                *down_since = Some(Instant::now());
                tracing::warn!("the read replica is unreachable; every read goes to the primary");
            }
        }
    }
}

/// The watcher: holds one connection, pings it, and decides up or down by
/// whether a fresh connection can be made once the old one fails.
async fn watch_database(this: Weak<Availability>, options: PgConnectOptions) {
    let mut down_since = None;
    loop {
        let connected = tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await;
        let Some(availability) = this.upgrade() else { return };
        let Ok(Ok(mut conn)) = connected else {
            availability.set_up(false, &mut down_since);
            drop(availability);
            tokio::time::sleep(RETRY).await;
            continue;
        };
        availability.set_up(true, &mut down_since);
        drop(availability);
        loop {
            let Some(availability) = this.upgrade() else { return };
            tokio::select! {
                _ = tokio::time::sleep(HEARTBEAT) => {}
                _ = availability.suspect.notified() => {}
            }
            let gauge = availability.gauge();
            drop(availability);
            if !matches!(tokio::time::timeout(PING_TIMEOUT, conn.ping()).await, Ok(Ok(()))) {
                // Down only if a fresh connection fails too (next round):
                // one killed backend is not an outage.
                break;
            }
            metrics::gauge!(gauge).set(1.0);
        }
    }
}

/// True when `e` means the connection to PostgreSQL is gone or cannot be
/// made (as opposed to a statement the database refused).
pub fn is_connection_loss(e: &DbErr) -> bool {
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // Class 08 (connection exception), and the server shutting down
            // or not yet accepting connections.
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|code| code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")),
            _ => false,
        },
        _ => false,
    }
}
