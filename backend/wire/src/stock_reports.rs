//! Stock reports: on hand (valued), movements by ingredient and kind,
//! theoretical against counted usage, and the cost of goods sold with the
//! food cost % per menu item. Every one takes the sales reports' query
//! (`outlet_id`, `from`, `to` in the outlets' local dates) and answers JSON,
//! or CSV with `?format=csv` or `Accept: text/csv`.
//!
//! Ingredients are valued at their cost when they moved: each movement
//! keeps the ingredient's cost per unit of that moment, and a sale keeps it
//! per order line (`stock_sale_lines`), so changing a cost never rewrites
//! what was already sold or counted.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::StockMovementKind;

/// One ingredient at one outlet at the end of the report's last date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockOnHandRow {
    pub outlet_id: Uuid,
    pub outlet_name: String,
    pub ingredient_id: Uuid,
    pub name: String,
    pub unit: String,
    /// Base units (g, ml, pcs); negative when offline sales took more than there was.
    pub on_hand: i64,
    /// The cost per unit on the ingredient's last movement by then.
    pub unit_cost_minor: i64,
    /// `on_hand × unit_cost_minor`.
    pub value_minor: i64,
}

/// `GET /api/v1/reports/stock-on-hand`: on hand at the end of `to` (the
/// ledger summed to then; `from` is not used).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockOnHandReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_id: Option<Uuid>,
    pub to: NaiveDate,
    pub rows: Vec<StockOnHandRow>,
    pub total_value_minor: i64,
}

/// The movements of one ingredient and kind in the range (summed over the
/// outlets when the report covers several).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockMovementsRow {
    pub ingredient_id: Uuid,
    pub name: String,
    pub unit: String,
    pub kind: StockMovementKind,
    pub movements: i64,
    /// Signed change to on hand (sales, waste, transfers out negative; a count its variance).
    pub qty: i64,
    /// Σ qty × the cost per unit on each movement.
    pub value_minor: i64,
}

/// `GET /api/v1/reports/stock-movements`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockMovementsReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<StockMovementsRow>,
}

/// Theoretical against counted usage of one ingredient at one outlet.
///
/// The window runs from the first instant of `from` to the last count of
/// the ingredient in the range (included), or to the end of the range when
/// it was not counted (then the counted columns are absent).
/// `theoretical` is what sales took net of what cancellations and refunds
/// put back; `counted_usage` = `opening + received + transferred_in −
/// transferred_out − closing_count`; `variance` = `counted_usage −
/// theoretical` (positive: more went than the recipes explain; recorded
/// waste is part of it and shown in `wasted`), valued at the closing
/// count's cost per unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockUsageRow {
    pub outlet_id: Uuid,
    pub outlet_name: String,
    pub ingredient_id: Uuid,
    pub name: String,
    pub unit: String,
    /// On hand at the first instant of `from`.
    pub opening: i64,
    pub received: i64,
    pub transferred_in: i64,
    pub transferred_out: i64,
    pub wasted: i64,
    pub theoretical: i64,
    /// Σ of the sale, cancel and refund movements' qty × cost, as a usage.
    pub theoretical_value_minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_usage: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variance_value_minor: Option<i64>,
}

/// `GET /api/v1/reports/stock-usage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockUsageReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<StockUsageRow>,
}

/// The cost of goods sold of one menu item over the orders made in the
/// range (by the order's local date, like the sales reports).
///
/// `cogs_minor` is what the item's lines actually took (its recipe and its
/// chosen options' recipes) at the ingredients' cost when sold, less what
/// cancellations and refunds with `restock` put back. `net_sales_minor` is
/// the item's sales in the sales report (with modifiers, less line
/// discounts; refunds are not split by item). `food_cost_bp` =
/// `cogs / net sales` in basis points (3250 = 32.50 %), rounded half up;
/// absent without net sales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoodCostRow {
    pub menu_item_id: Uuid,
    pub name: String,
    pub qty_sold: i64,
    pub net_sales_minor: i64,
    pub cogs_minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub food_cost_bp: Option<i64>,
}

/// The whole range: every item's sales and costs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoodCostTotals {
    pub net_sales_minor: i64,
    pub cogs_minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub food_cost_bp: Option<i64>,
}

/// `GET /api/v1/reports/food-cost`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoodCostReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<FoodCostRow>,
    pub totals: FoodCostTotals,
}

/// `part / whole` in basis points, rounded half up; `None` unless `whole > 0`.
pub fn basis_points(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    let bp = (i128::from(part) * 20_000 + i128::from(whole)) / (2 * i128::from(whole));
    Some(bp.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

#[cfg(test)]
mod tests {
    use super::basis_points;

    #[test]
    fn basis_points_round_half_up() {
        assert_eq!(basis_points(1, 3), Some(3333));
        assert_eq!(basis_points(2, 3), Some(6667));
        assert_eq!(basis_points(1, 8), Some(1250));
        assert_eq!(basis_points(1, 20_000), Some(1), "0.5 bp rounds up");
        assert_eq!(basis_points(5, 0), None);
    }
}
