//! `GET /api/v1/outlets/{id}/stock-movements`: an outlet's stock ledger,
//! newest first, with what a person reading it needs besides the movement
//! (the ingredient's name and unit, who recorded it, the other outlet of a
//! transfer).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{StockMovement, StockUnit};

/// The query of the ledger listing; every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StockMovementQuery {
    #[serde(default)]
    pub ingredient_id: Option<Uuid>,
    /// One kind (`sale`, `refund`, `cancel`, `receive`, `waste`, `count`,
    /// `transfer_out`, `transfer_in`); anything else is 422 `stock_movement_kind_invalid`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<crate::StockMovementKind>))]
    pub kind: Option<String>,
    /// Recorded at or after (RFC 3339).
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Recorded before (RFC 3339).
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
    /// Movements per page (default 50).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")
    )]
    pub cursor: Option<String>,
}

/// One movement of the ledger as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockLedgerEntry {
    #[serde(flatten)]
    pub movement: StockMovement,
    pub ingredient_name: String,
    pub unit: StockUnit,
    /// Who recorded it (`null` for a sale made by a device, or a deleted account).
    pub user_name: Option<String>,
    /// The device that took the order of a sale (a kiosk, a till).
    pub device_name: Option<String>,
    /// A transfer's other outlet: where it went (`transfer_out`) or came from (`transfer_in`).
    pub other_outlet_id: Option<Uuid>,
    /// Its name, when the caller may see that outlet.
    pub other_outlet_name: Option<String>,
    /// The pickup number of the order of a `sale`, `refund` or `cancel`.
    pub order_number: Option<String>,
}
