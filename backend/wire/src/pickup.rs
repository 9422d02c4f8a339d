//! The pickup board's view of orders: numbers and states, nothing else
//! (no names, lines, notes, tables or totals).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::OrderStatus;

/// One order as the pickup board sees it: `GET /api/v1/outlets/{id}/pickup`
/// lists them, and the board's event stream carries each change as a
/// `pickup.updated` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickupEntry {
    pub order_id: Uuid,
    pub number: String,
    pub status: OrderStatus,
    pub updated_at: DateTime<Utc>,
}
