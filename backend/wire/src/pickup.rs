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

impl PickupEntry {
    /// What the board may see of `order`.
    pub fn of(order: &crate::Order) -> PickupEntry {
        PickupEntry {
            order_id: order.id,
            number: order.number.clone(),
            status: order.status,
            updated_at: order.updated_at,
        }
    }
}
