//! The pickup board's read model: the numbers of an outlet's orders in
//! progress or ready, and their states; nothing else about them. The board
//! loads it once, then follows `pickup.updated` events (see
//! `events::audience`).

pub mod http;

use chrono::{DateTime, Utc};
use pos_wire::{DeviceKind, OrderStatus, PickupEntry};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, Error, Result},
};

/// Orders older than this are not on the board (a forgotten one from yesterday).
const LOOKBACK_HOURS: i32 = 12;
/// More than a screen can show.
const MAX_ENTRIES: i64 = 500;

#[derive(FromQueryResult)]
struct Row {
    order_id: Uuid,
    number: String,
    status: String,
    updated_at: DateTime<Utc>,
}

/// The outlet's orders placed, accepted, preparing or ready in the last
/// hours, by number. Not for kiosks (they follow their own orders only).
pub async fn board(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid) -> Result<Vec<PickupEntry>> {
    if let ActorKind::Device { kind: DeviceKind::Kiosk, .. } = actor.kind {
        return Err(Error::Forbidden(Code::KiosksDoNotShowPickup));
    }
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let rows: Vec<Row> = tx
        .query_all(
            "SELECT id AS order_id, number, status, updated_at FROM orders \
              WHERE outlet_id = $1 AND status IN ('placed', 'accepted', 'preparing', 'ready') \
                AND created_at > now() - make_interval(hours => $2) \
              ORDER BY number LIMIT $3",
            [outlet_id.into(), LOOKBACK_HOURS.into(), MAX_ENTRIES.into()],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let status = OrderStatus::parse(&r.status).ok_or_else(|| Error::internal("unknown order status"))?;
            Ok(PickupEntry { order_id: r.order_id, number: r.number, status, updated_at: r.updated_at })
        })
        .collect()
}
