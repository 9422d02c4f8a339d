//! The dining room: areas and tables of an outlet, and the checks seated at
//! them (an order of channel `table`): rounds, moves, merges and splits.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::orders::OrderLineRequest;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Area {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub name: String,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/outlets/{id}/areas`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateArea {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: String,
    #[serde(default)]
    pub position: Option<i32>,
}

/// `PATCH /api/v1/areas/{id}`: absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateArea {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: Option<String>,
    pub position: Option<i32>,
}

/// A table, with the check open at it (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiningTable {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub area_id: Uuid,
    pub label: String,
    pub seats: i32,
    pub position: i32,
    /// The open check seated here.
    #[serde(default)]
    pub open_check_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/outlets/{id}/tables`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateTable {
    pub area_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub label: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub seats: Option<i32>,
    #[serde(default)]
    pub position: Option<i32>,
}

/// `PATCH /api/v1/tables/{id}`: absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateTable {
    pub area_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub label: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub seats: Option<i32>,
    pub position: Option<i32>,
}

/// `POST /api/v1/orders/{id}/rounds`: more for the table, priced by the
/// server as `POST /orders` prices, sent to the kitchen as one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddRound {
    pub client_round_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub lines: Vec<OrderLineRequest>,
}

/// `POST /api/v1/orders/{id}/move`: seat the check at another, free table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveCheck {
    pub table_id: Uuid,
}

/// `PUT /api/v1/orders/{id}/guests`: how many guests sit at the check now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetGuests {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 999))]
    pub guest_count: i32,
}

/// `POST /api/v1/orders/{id}/merge`: the other check's lines join this one;
/// the other check is closed (cancelled, reason `merged`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeChecks {
    pub from_order_id: Uuid,
}

/// One line (or some of its quantity) to split off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitLine {
    pub line_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub qty: i32,
}

/// `POST /api/v1/orders/{id}/split`: the chosen lines (or quantities) go to
/// a new order, `client_order_id` making it exactly once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitCheck {
    pub client_order_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub lines: Vec<SplitLine>,
    /// A free table to seat the new check at; none: it is paid apart.
    #[serde(default)]
    pub table_id: Option<Uuid>,
}

/// `POST /api/v1/orders/{id}/split` answers both orders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitResult {
    pub order: crate::Order,
    pub new_order: crate::Order,
}

/// `POST /api/v1/orders/{id}/split-evenly`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitEvenly {
    #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 50))]
    pub ways: i32,
}

/// The amounts of an even split: each a payment to take, together exactly
/// the balance (the first ones carry the remainder, one minor unit each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvenSplit {
    pub order_id: Uuid,
    pub balance_minor: i64,
    pub amounts_minor: Vec<i64>,
}

/// One round of a check (`GET /api/v1/orders/{id}/rounds`, oldest first):
/// the ids of its lines still on the check. Lines in no round came with
/// the check when it was opened, or with a check merged into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckRound {
    pub client_round_id: Uuid,
    pub line_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// `balance` in `ways` parts that differ by at most one minor unit and sum
/// exactly to it (larger parts first).
pub fn split_evenly(balance: i64, ways: i64) -> Vec<i64> {
    if ways <= 0 {
        return Vec::new();
    }
    let (base, rem) = (balance.div_euclid(ways), balance.rem_euclid(ways));
    (0..ways).map(|i| base + i64::from(i < rem)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_splits_sum_to_the_balance() {
        assert_eq!(split_evenly(100_000, 3), [33_334, 33_333, 33_333]);
        assert_eq!(split_evenly(10, 5), [2, 2, 2, 2, 2]);
        assert_eq!(split_evenly(1, 2), [1, 0]);
        for (balance, ways) in [(137_501, 7), (2, 50), (999_999_999, 13)] {
            let parts = split_evenly(balance, ways);
            assert_eq!(parts.iter().sum::<i64>(), balance);
            assert!(parts.iter().max().unwrap() - parts.iter().min().unwrap() <= 1);
        }
    }
}
