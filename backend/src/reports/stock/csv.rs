//! The stock reports' rows as CSV records.

use pos_wire::{FoodCostRow, StockMovementsRow, StockOnHandRow, StockUsageRow};

use crate::reports::csv::CsvRecord;

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl CsvRecord for StockOnHandRow {
    const HEADER: &'static [&'static str] =
        &["outlet_id", "outlet", "ingredient_id", "ingredient", "unit", "on_hand", "unit_cost_minor", "value_minor"];
    fn record(&self) -> Vec<String> {
        vec![
            self.outlet_id.to_string(),
            self.outlet_name.clone(),
            self.ingredient_id.to_string(),
            self.name.clone(),
            self.unit.clone(),
            self.on_hand.to_string(),
            self.unit_cost_minor.to_string(),
            self.value_minor.to_string(),
        ]
    }
}

impl CsvRecord for StockMovementsRow {
    const HEADER: &'static [&'static str] =
        &["ingredient_id", "ingredient", "unit", "kind", "movements", "qty", "value_minor"];
    fn record(&self) -> Vec<String> {
        vec![
            self.ingredient_id.to_string(),
            self.name.clone(),
            self.unit.clone(),
            self.kind.as_str().to_owned(),
            self.movements.to_string(),
            self.qty.to_string(),
            self.value_minor.to_string(),
        ]
    }
}

impl CsvRecord for StockUsageRow {
    const HEADER: &'static [&'static str] = &[
        "outlet_id",
        "outlet",
        "ingredient_id",
        "ingredient",
        "unit",
        "opening",
        "received",
        "transferred_in",
        "transferred_out",
        "wasted",
        "theoretical",
        "theoretical_value_minor",
        "closing_count",
        "counted_at",
        "counted_usage",
        "variance",
        "variance_value_minor",
    ];
    fn record(&self) -> Vec<String> {
        vec![
            self.outlet_id.to_string(),
            self.outlet_name.clone(),
            self.ingredient_id.to_string(),
            self.name.clone(),
            self.unit.clone(),
            self.opening.to_string(),
            self.received.to_string(),
            self.transferred_in.to_string(),
            self.transferred_out.to_string(),
            self.wasted.to_string(),
            self.theoretical.to_string(),
            self.theoretical_value_minor.to_string(),
            opt(self.closing_count),
            self.counted_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default(),
            opt(self.counted_usage),
            opt(self.variance),
            opt(self.variance_value_minor),
        ]
    }
}

impl CsvRecord for FoodCostRow {
    const HEADER: &'static [&'static str] =
        &["menu_item_id", "item", "qty_sold", "net_sales_minor", "cogs_minor", "food_cost_bp"];
    fn record(&self) -> Vec<String> {
        vec![
            self.menu_item_id.to_string(),
            self.name.clone(),
            self.qty_sold.to_string(),
            self.net_sales_minor.to_string(),
            self.cogs_minor.to_string(),
            opt(self.food_cost_bp),
        ]
    }
}
