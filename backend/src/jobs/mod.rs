//! Scheduled jobs that run on one server at a time, however many run.
//!
//! Leadership is a PostgreSQL session advisory lock held on a connection of
//! its own: the process holding it runs the jobs; when it dies (or its
//! connection does) the lock goes with it and another process takes it on
//! its next tick. Each tick re-checks that the lock is still held.
//!
//! Add a job by implementing [`Job`] and listing it in [`jobs`]. A job runs
//! on every tick, or at most once per [`Job::every`].

mod timed_86s;
mod trim_events;

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use tokio_util::sync::CancellationToken;

use crate::{error::Result, state::AppState};

/// The advisory lock's two keys: the application's, and leadership's.
const LOCK_CLASS: i32 = 0x0050_4F53; // "POS"
const LOCK_LEADER: i32 = 1;

#[async_trait]
pub trait Job: Send + Sync {
    fn name(&self) -> &'static str;
    /// The least time between two runs; `None`: every tick.
    fn every(&self, _settings: &crate::config::Settings) -> Option<Duration> {
        None
    }
    async fn run(&self, state: &AppState) -> Result<()>;
}

pub use timed_86s::{EndTimed86s, end_timed_86s_once};
pub use trim_events::TrimEventLog;

/// Every job, run by the leader.
pub fn jobs() -> Vec<Box<dyn Job>> {
    vec![
        Box::new(crate::payments::reconcile::ReconcilePayments),
        Box::new(EndTimed86s),
        Box::new(TrimEventLog),
        Box::new(crate::email::daily_summary::DailySummaries),
        Box::new(crate::reports::compact::CompactRollups),
    ]
}

/// One process's claim to leadership.
pub struct Leader {
    conn: DatabaseConnection,
}

impl Leader {
    /// Opens the leader's own connection (never shared with requests).
    pub async fn connect(url: &str) -> Result<Leader> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(1).min_connections(1).connect_timeout(Duration::from_secs(5)).sqlx_logging(false);
        Ok(Leader { conn: Database::connect(opts).await? })
    }

    /// True when this process holds leadership (taking it if it is free).
    pub async fn is_leader(&self) -> bool {
        let sql = "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
                       AND pid = pg_backend_pid() AND granted AND classid = $1::int::oid AND objid = $2::int::oid \
                       AND objsubid = 2) THEN true ELSE pg_try_advisory_lock($1, $2) END AS leader";
        let stmt = Statement::from_sql_and_values(DbBackend::Postgres, sql, [LOCK_CLASS.into(), LOCK_LEADER.into()]);
        match self.conn.query_one_raw(stmt).await {
            Ok(Some(row)) => row.try_get::<bool>("", "leader").unwrap_or(false),
            Ok(None) => false,
            Err(e) => {
                tracing::warn!(error = %e, "leadership check failed");
                false
            }
        }
    }
}

/// Runs the jobs every `every` while this process leads, until `stop`.
pub fn spawn(state: Arc<AppState>, every: Duration, stop: CancellationToken) {
    tokio::spawn(async move {
        let leader = match Leader::connect(state.settings.database_url.expose()).await {
            Ok(l) => l,
            Err(e) => {
                tracing::error!(error = %e, "the job runner cannot connect; scheduled jobs do not run here");
                return;
            }
        };
        let jobs = jobs();
        let mut last_run: Vec<Option<tokio::time::Instant>> = vec![None; jobs.len()];
        // The first run waits one interval: a server starting up has enough to do.
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tick.tick() => {}
            }
            if !leader.is_leader().await {
                continue;
            }
            for (job, last) in jobs.iter().zip(last_run.iter_mut()) {
                let now = tokio::time::Instant::now();
                let due = match (job.every(&state.settings), *last) {
                    (Some(every), Some(at)) => now.duration_since(at) >= every,
                    _ => true,
                };
                if !due {
                    continue;
                }
                *last = Some(now);
                if let Err(e) = job.run(&state).await {
                    tracing::warn!(job = job.name(), error = %e, "job failed");
                }
            }
        }
    });
}
