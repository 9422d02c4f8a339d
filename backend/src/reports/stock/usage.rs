//! Theoretical against counted usage per ingredient and outlet.

use chrono::{DateTime, Utc};
use pos_wire::{StockUsageReport, StockUsageRow};
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
    opening: i64,
    received: i64,
    transferred_in: i64,
    transferred_out: i64,
    wasted: i64,
    theoretical: i64,
    theoretical_value_minor: i64,
    closing_count: Option<i64>,
    counted_at: Option<DateTime<Utc>>,
    closing_cost_minor: Option<i64>,
}

/// `closing`: the last count of each ingredient in the range; a movement
/// is in the window when it is in the range and not after that count.
const USAGE: &str = "closing AS (\
        SELECT DISTINCT ON (m.outlet_id, m.ingredient_id) m.outlet_id, m.ingredient_id, m.id, m.created_at, \
               m.counted, m.unit_cost_minor \
          FROM win w JOIN stock_movements m ON m.outlet_id = w.outlet_id AND m.kind = 'count' \
                                          AND m.created_at >= w.s AND m.created_at < w.e \
         ORDER BY m.outlet_id, m.ingredient_id, m.created_at DESC, m.id DESC), \
     moved AS (\
        SELECT w.outlet_id, w.outlet_name, m.ingredient_id, m.kind, m.qty, m.unit_cost_minor, \
               m.created_at < w.s AS before, \
               m.created_at >= w.s AND (c.id IS NULL OR (m.created_at, m.id) < (c.created_at, c.id)) AS inside \
          FROM win w JOIN stock_movements m ON m.outlet_id = w.outlet_id AND m.created_at < w.e \
          LEFT JOIN closing c ON c.outlet_id = m.outlet_id AND c.ingredient_id = m.ingredient_id) \
     SELECT d.outlet_id, d.outlet_name, d.ingredient_id, i.name, i.unit, \
            coalesce(sum(d.qty) FILTER (WHERE d.before), 0)::int8 AS opening, \
            coalesce(sum(d.qty) FILTER (WHERE d.inside AND d.kind = 'receive'), 0)::int8 AS received, \
            coalesce(sum(d.qty) FILTER (WHERE d.inside AND d.kind = 'transfer_in'), 0)::int8 AS transferred_in, \
            coalesce(-sum(d.qty) FILTER (WHERE d.inside AND d.kind = 'transfer_out'), 0)::int8 AS transferred_out, \
            coalesce(-sum(d.qty) FILTER (WHERE d.inside AND d.kind = 'waste'), 0)::int8 AS wasted, \
            coalesce(-sum(d.qty) FILTER (WHERE d.inside AND d.kind IN ('sale', 'cancel', 'refund')), 0)::int8 \
              AS theoretical, \
            coalesce(-sum(d.qty * d.unit_cost_minor) FILTER (WHERE d.inside AND d.kind IN ('sale', 'cancel', 'refund')), \
                     0)::int8 AS theoretical_value_minor, \
            c.counted AS closing_count, c.created_at AS counted_at, c.unit_cost_minor AS closing_cost_minor \
       FROM moved d \
       JOIN ingredients i ON i.id = d.ingredient_id \
       LEFT JOIN closing c ON c.outlet_id = d.outlet_id AND c.ingredient_id = d.ingredient_id \
      GROUP BY d.outlet_id, d.outlet_name, d.ingredient_id, i.name, i.unit, c.counted, c.created_at, c.unit_cost_minor \
      ORDER BY d.outlet_name, d.outlet_id, lower(i.name), d.ingredient_id";

/// Every ingredient that moved at the outlets up to the end of the range.
pub async fn usage(tx: &ScopedTx, range: &ReportRange) -> Result<StockUsageReport> {
    let sql = format!("WITH {WINDOWS}, {USAGE}");
    let rows: Vec<Row> = tx.query_all(&sql, window_values(range)).await?;
    let rows = rows.into_iter().map(row_of).collect();
    Ok(StockUsageReport { outlet_id: range.outlet_id, from: range.from, to: range.to, rows })
}

fn row_of(r: Row) -> StockUsageRow {
    let counted_usage =
        r.closing_count.map(|closing| r.opening + r.received + r.transferred_in - r.transferred_out - closing);
    let variance = counted_usage.map(|used| used - r.theoretical);
    let variance_value_minor = variance.zip(r.closing_cost_minor).map(|(v, cost)| v.saturating_mul(cost));
    StockUsageRow {
        outlet_id: r.outlet_id,
        outlet_name: r.outlet_name,
        ingredient_id: r.ingredient_id,
        name: r.name,
        unit: r.unit,
        opening: r.opening,
        received: r.received,
        transferred_in: r.transferred_in,
        transferred_out: r.transferred_out,
        wasted: r.wasted,
        theoretical: r.theoretical,
        theoretical_value_minor: r.theoretical_value_minor,
        closing_count: r.closing_count,
        counted_at: r.counted_at,
        counted_usage,
        variance,
        variance_value_minor,
    }
}
