//! The event-log trim: every outlet's live-event log keeps the events of
//! the last days and its newest events (settings, with floors the database
//! enforces); a device resuming from before that gets `reset` and reloads.

use std::time::Duration;

use async_trait::async_trait;

use super::Job;
use crate::{error::Result, state::AppState};

pub struct TrimEventLog;

#[async_trait]
impl Job for TrimEventLog {
    fn name(&self) -> &'static str {
        "trim_event_log"
    }

    fn every(&self, _settings: &crate::config::Settings) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, state: &AppState) -> Result<()> {
        let s = &state.settings;
        let gone = state.db.cross_tenant().trim_outlet_events(s.event_keep_days, s.event_keep_last).await?;
        if gone > 0 {
            tracing::info!(gone, "event log trimmed");
        }
        metrics::counter!("events_trimmed_total").increment(gone.max(0) as u64);
        Ok(())
    }
}
