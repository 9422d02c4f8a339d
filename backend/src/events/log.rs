//! Reading the outlet event log.

use chrono::{DateTime, Utc};
use pos_wire::OutletEvent;
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{db::ScopedTx, error::Result};

#[derive(FromQueryResult)]
struct EventRow {
    seq: i64,
    outlet_id: Uuid,
    kind: String,
    data: serde_json::Value,
    at: DateTime<Utc>,
    order_device_id: Option<Uuid>,
}

impl From<EventRow> for OutletEvent {
    fn from(r: EventRow) -> OutletEvent {
        OutletEvent {
            seq: r.seq,
            outlet_id: r.outlet_id,
            kind: r.kind,
            data: r.data,
            at: r.at,
            order_device_id: r.order_device_id,
        }
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
    let rows: Vec<EventRow> = tx
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
