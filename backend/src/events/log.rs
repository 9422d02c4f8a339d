//! The outlet event log as stored: kind and payload in separate columns.
//! Rows become [`OutletEvent`]s here (and in the Redis fan-out), decoded
//! once for every stream that shows them.

use chrono::{DateTime, Utc};
use pos_wire::LiveEvent;
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::OutletEvent;
use crate::{db::ScopedTx, error::Result};

/// One row of `outlet_events`, as read from the log and sent between server
/// processes (a newer process may send a kind this one does not know).
#[derive(Debug, Clone, PartialEq, FromQueryResult, Serialize, Deserialize)]
pub struct StoredEvent {
    pub seq: i64,
    pub outlet_id: Uuid,
    /// Named `type` between processes, as before this type existed (a
    /// rolling upgrade mixes versions).
    #[serde(rename = "type")]
    pub kind: String,
    pub data: serde_json::Value,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_device_id: Option<Uuid>,
}

impl From<StoredEvent> for OutletEvent {
    fn from(r: StoredEvent) -> OutletEvent {
        let event = match LiveEvent::decode(&r.kind, r.data) {
            Ok(Some(event)) => Some(event),
            Ok(None) => {
                tracing::debug!(kind = %r.kind, seq = r.seq, "an event kind this server does not know; shown to no one");
                None
            }
            Err(e) => {
                tracing::warn!(kind = %r.kind, seq = r.seq, error = %e, "an event whose payload does not decode; shown to no one");
                None
            }
        };
        OutletEvent { seq: r.seq, outlet_id: r.outlet_id, at: r.at, order_device_id: r.order_device_id, event }
    }
}

impl StoredEvent {
    /// The stored form of `event`; `None` for an event this server could
    /// not decode (it has nothing to send on for it).
    pub fn of(event: &OutletEvent) -> Option<StoredEvent> {
        let live = event.event.as_ref()?;
        let data = live.payload().map_err(|e| tracing::error!(error = %e, "event serialisation")).ok()?;
        Some(StoredEvent {
            seq: event.seq,
            outlet_id: event.outlet_id,
            kind: live.kind().to_string(),
            data,
            at: event.at,
            order_device_id: event.order_device_id,
        })
    }
}

/// Events of `outlet_id` with `after < seq <= upto`, in order, at most `limit`.
pub async fn events_between(
    tx: &ScopedTx,
    outlet_id: Uuid,
    after: i64,
    upto: Option<i64>,
    limit: i64,
) -> Result<Vec<OutletEvent>> {
    let rows: Vec<StoredEvent> = tx
        .query_all(
            "SELECT seq, outlet_id, kind, data, at, order_device_id FROM outlet_events \
              WHERE outlet_id = $1 AND seq > $2 AND ($3::bigint IS NULL OR seq <= $3) ORDER BY seq LIMIT $4",
            [outlet_id.into(), after.into(), upto.into(), limit.into()],
        )
        .await?;
    Ok(rows.into_iter().map(OutletEvent::from).collect())
}

/// (oldest kept, newest) sequence numbers of the outlet's log; (0, 0) when empty.
pub async fn bounds(tx: &ScopedTx, outlet_id: Uuid) -> Result<(i64, i64)> {
    let rows = tx
        .query_raw(
            "SELECT coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM outlet_events WHERE outlet_id = $1",
            [outlet_id.into()],
        )
        .await?;
    Ok((crate::db::opt_row(&rows, "lo")?.unwrap_or(0), crate::db::opt_row(&rows, "hi")?.unwrap_or(0)))
}
