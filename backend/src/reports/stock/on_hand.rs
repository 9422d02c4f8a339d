//! Stock on hand at the end of a date, valued at cost.

use pos_wire::{StockOnHandReport, StockOnHandRow};
use sea_orm::FromQueryResult;

use super::{WINDOWS, window_values};
use crate::{db::ScopedTx, error::Result, reports::ReportRange};

#[derive(FromQueryResult)]
struct Row {
    outlet_id: uuid::Uuid,
    outlet_name: String,
    ingredient_id: uuid::Uuid,
    name: String,
    unit: String,
    on_hand: i64,
    unit_cost_minor: i64,
}

/// Each ingredient that ever moved at the outlets, by outlet and name.
pub async fn on_hand(tx: &ScopedTx, range: &ReportRange) -> Result<StockOnHandReport> {
    let sql = format!(
        "WITH {WINDOWS} \
         SELECT w.outlet_id, w.outlet_name, i.id AS ingredient_id, i.name, i.unit, \
                sum(m.qty)::int8 AS on_hand, \
                (array_agg(m.unit_cost_minor ORDER BY m.created_at DESC, m.id DESC))[1] AS unit_cost_minor \
           FROM win w \
           JOIN stock_movements m ON m.outlet_id = w.outlet_id AND m.created_at < w.e \
           JOIN ingredients i ON i.tenant_id = m.tenant_id AND i.id = m.ingredient_id \
          GROUP BY w.outlet_id, w.outlet_name, i.id, i.name, i.unit \
          ORDER BY w.outlet_name, w.outlet_id, lower(i.name), i.id"
    );
    let rows: Vec<Row> = tx.query_all(&sql, window_values(range)).await?;
    let rows: Vec<StockOnHandRow> = rows
        .into_iter()
        .map(|r| StockOnHandRow {
            value_minor: r.on_hand.saturating_mul(r.unit_cost_minor),
            outlet_id: r.outlet_id,
            outlet_name: r.outlet_name,
            ingredient_id: r.ingredient_id,
            name: r.name,
            unit: r.unit,
            on_hand: r.on_hand,
            unit_cost_minor: r.unit_cost_minor,
        })
        .collect();
    let total_value_minor = rows.iter().map(|r| r.value_minor).fold(0i64, i64::saturating_add);
    Ok(StockOnHandReport { outlet_id: range.outlet_id, to: range.to, rows, total_value_minor })
}
