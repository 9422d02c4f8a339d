//! Inventory (issue 14): ingredients, recipes, stock movements and what an
//! outlet has on hand. Quantities are whole base units of the ingredient
//! (grams, millilitres or pieces).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{catalog::double_option, orders::UnknownName};

/// The base unit an ingredient is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StockUnit {
    G,
    Ml,
    Pcs,
}

impl StockUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            StockUnit::G => "g",
            StockUnit::Ml => "ml",
            StockUnit::Pcs => "pcs",
        }
    }
}

impl TryFrom<&str> for StockUnit {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<StockUnit, UnknownName> {
        match s {
            "g" => Ok(StockUnit::G),
            "ml" => Ok(StockUnit::Ml),
            "pcs" => Ok(StockUnit::Pcs),
            other => Err(UnknownName(other.to_string())),
        }
    }
}

/// `POST /api/v1/ingredients`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateIngredient {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
    pub unit: StockUnit,
    /// What one unit (one g, one ml, one piece) costs, in minor units.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub cost_per_unit_minor: i64,
    /// The brand's default low-stock alert level (an outlet may set its own).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub low_stock_threshold: Option<i64>,
}

/// `PATCH /api/v1/ingredients/{id}`. The unit never changes (the ledger is
/// counted in it); make a new ingredient instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateIngredient {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub cost_per_unit_minor: Option<i64>,
    /// `null` clears the brand's default threshold.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub low_stock_threshold: Option<Option<i64>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ingredient {
    pub id: Uuid,
    pub name: String,
    pub unit: StockUnit,
    pub cost_per_unit_minor: i64,
    pub low_stock_threshold: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// One ingredient of a recipe, for one portion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecipeLine {
    pub ingredient_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000_000))]
    pub qty: i64,
}

/// `PUT /api/v1/menu-items/{id}/recipe` (and per modifier option): the
/// whole recipe; an empty list clears it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutRecipe {
    pub lines: Vec<RecipeLine>,
}

/// The recipe of one option of the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionRecipe {
    pub option_id: Uuid,
    pub lines: Vec<RecipeLine>,
}

/// An item's recipe and those of its options that have one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recipe {
    pub menu_item_id: Uuid,
    pub lines: Vec<RecipeLine>,
    pub options: Vec<OptionRecipe>,
}

/// What a stock movement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StockMovementKind {
    /// An order took it (made by the server).
    Sale,
    /// A refund with `restock` put an order's ingredients back (server).
    Refund,
    /// An order cancelled before it was made put them back (server).
    Cancel,
    Receive,
    Waste,
    /// A stock count: `qty` is the counted quantity.
    Count,
    /// Sent to another outlet of the brand (`to_outlet_id`).
    TransferOut,
    /// A pending transfer (`transfer_id`) received here.
    TransferIn,
}

impl StockMovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StockMovementKind::Sale => "sale",
            StockMovementKind::Refund => "refund",
            StockMovementKind::Cancel => "cancel",
            StockMovementKind::Receive => "receive",
            StockMovementKind::Waste => "waste",
            StockMovementKind::Count => "count",
            StockMovementKind::TransferOut => "transfer_out",
            StockMovementKind::TransferIn => "transfer_in",
        }
    }
}

impl TryFrom<&str> for StockMovementKind {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<StockMovementKind, UnknownName> {
        Ok(match s {
            "sale" => StockMovementKind::Sale,
            "refund" => StockMovementKind::Refund,
            "cancel" => StockMovementKind::Cancel,
            "receive" => StockMovementKind::Receive,
            "waste" => StockMovementKind::Waste,
            "count" => StockMovementKind::Count,
            "transfer_out" => StockMovementKind::TransferOut,
            "transfer_in" => StockMovementKind::TransferIn,
            other => return Err(UnknownName(other.to_string())),
        })
    }
}

/// `POST /api/v1/outlets/{id}/stock-movements`. `qty` is a positive amount
/// (received, wasted, sent, received from a transfer), or for a count the
/// quantity counted (0 or more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateStockMovement {
    /// Makes the movement exactly-once per outlet.
    pub client_movement_id: Uuid,
    pub ingredient_id: Uuid,
    /// `receive`, `waste`, `count`, `transfer_out` or `transfer_in`.
    pub kind: StockMovementKind,
    /// Omitted on a `transfer_in`: all that was sent.
    #[serde(default)]
    pub qty: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: Option<String>,
    /// For `transfer_out`: another outlet of the brand.
    #[serde(default)]
    pub to_outlet_id: Option<Uuid>,
    /// For `transfer_in`: the pending transfer received.
    #[serde(default)]
    pub transfer_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockMovement {
    pub id: Uuid,
    pub client_movement_id: Option<Uuid>,
    pub outlet_id: Uuid,
    pub ingredient_id: Uuid,
    pub kind: StockMovementKind,
    /// The signed change to on hand (for a count: the variance).
    pub qty: i64,
    pub on_hand_after: i64,
    /// A count's counted quantity.
    pub counted: Option<i64>,
    /// A count's variance: counted minus what the ledger expected.
    pub variance: Option<i64>,
    pub unit_cost_minor: i64,
    pub order_id: Option<Uuid>,
    pub transfer_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One ingredient at an outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockLevel {
    pub ingredient_id: Uuid,
    pub name: String,
    pub unit: StockUnit,
    /// Negative when offline sales took more than was recorded.
    pub on_hand: i64,
    /// The outlet's alert level, else the brand's.
    pub low_stock_threshold: Option<i64>,
    /// At or below the threshold.
    pub low: bool,
    pub cost_per_unit_minor: i64,
}

/// A transfer sent to this outlet, waiting to be received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncomingTransfer {
    pub id: Uuid,
    pub from_outlet_id: Uuid,
    pub ingredient_id: Uuid,
    pub qty: i64,
    pub sent_at: DateTime<Utc>,
}

/// `GET /api/v1/outlets/{id}/stock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletStock {
    pub outlet_id: Uuid,
    pub items: Vec<StockLevel>,
    pub incoming_transfers: Vec<IncomingTransfer>,
}

/// `PUT /api/v1/outlets/{id}/stock/{ingredient_id}/threshold`: the outlet's
/// own alert level; `null` falls back to the brand's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PutThreshold {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1_000_000_000))]
    pub low_stock_threshold: Option<i64>,
}
