//! Cost of goods sold and food cost % per menu item.

use pos_wire::{FoodCostReport, FoodCostRow, FoodCostTotals, basis_points};
use sea_orm::{FromQueryResult, Value};

use super::{WINDOWS, window_values};
use crate::{db::ScopedTx, error::Result, reports::ReportRange};

#[derive(FromQueryResult)]
struct Row {
    menu_item_id: uuid::Uuid,
    name: String,
    qty_sold: i64,
    net_sales_minor: i64,
    cogs_minor: i64,
}

/// `sold`: the items' sales from the rollups (`$4`, `$5` the local dates);
/// `lines`: what the range's orders took per line, `back` what was put
/// back per order and ingredient (a cancellation or a refund puts back all
/// an order still owes, so each line's share is its part of the order's).
const FOOD_COST: &str = "sold AS (\
        SELECT r.ref_id AS menu_item_id, (array_agg(r.name ORDER BY r.local_date DESC, r.id DESC))[1] AS name, \
               sum(r.qty)::int8 AS qty, sum(r.gross_minor - r.discount_minor)::int8 AS net \
          FROM win w JOIN item_rollup r ON r.outlet_id = w.outlet_id \
         WHERE r.kind = 'item' AND r.local_date >= $4 AND r.local_date <= $5 \
         GROUP BY r.ref_id), \
     lines AS (\
        SELECT l.order_id, l.menu_item_id, l.ingredient_id, l.qty, l.unit_cost_minor \
          FROM win w JOIN stock_sale_lines l ON l.outlet_id = w.outlet_id AND l.created_at >= w.s AND l.created_at < w.e), \
     taken AS (SELECT order_id, ingredient_id, sum(qty) AS taken FROM lines GROUP BY order_id, ingredient_id), \
     back AS (\
        SELECT m.order_id, m.ingredient_id, sum(m.qty) AS back FROM stock_movements m \
         WHERE m.order_id IN (SELECT t.order_id FROM taken t) AND m.kind IN ('cancel', 'refund') \
         GROUP BY m.order_id, m.ingredient_id), \
     cost AS (\
        SELECT l.menu_item_id, \
               round(sum(l.qty * l.unit_cost_minor * greatest(t.taken - coalesce(b.back, 0), 0)::numeric / t.taken))::int8 \
                 AS cogs \
          FROM lines l JOIN taken t USING (order_id, ingredient_id) LEFT JOIN back b USING (order_id, ingredient_id) \
         GROUP BY l.menu_item_id) \
     SELECT coalesce(s.menu_item_id, c.menu_item_id) AS menu_item_id, \
            coalesce(s.name, (SELECT mi.name FROM menu_items mi WHERE mi.id = c.menu_item_id), '') AS name, \
            coalesce(s.qty, 0)::int8 AS qty_sold, coalesce(s.net, 0)::int8 AS net_sales_minor, \
            coalesce(c.cogs, 0)::int8 AS cogs_minor \
       FROM sold s FULL JOIN cost c ON c.menu_item_id = s.menu_item_id \
      ORDER BY cogs_minor DESC, net_sales_minor DESC, name, menu_item_id";

/// Items with sales or costs in the range, the costliest first.
pub async fn food_cost(tx: &ScopedTx, range: &ReportRange) -> Result<FoodCostReport> {
    let sql = format!("WITH {WINDOWS}, {FOOD_COST}");
    let mut values = window_values(range);
    values.extend([Value::from(range.from), Value::from(range.to)]);
    let rows: Vec<Row> = tx.query_all(&sql, values).await?;
    let rows: Vec<FoodCostRow> = rows
        .into_iter()
        .map(|r| FoodCostRow {
            food_cost_bp: basis_points(r.cogs_minor, r.net_sales_minor),
            menu_item_id: r.menu_item_id,
            name: r.name,
            qty_sold: r.qty_sold,
            net_sales_minor: r.net_sales_minor,
            cogs_minor: r.cogs_minor,
        })
        .collect();
    let net_sales_minor = rows.iter().map(|r| r.net_sales_minor).sum();
    let cogs_minor = rows.iter().map(|r| r.cogs_minor).sum();
    let totals =
        FoodCostTotals { net_sales_minor, cogs_minor, food_cost_bp: basis_points(cogs_minor, net_sales_minor) };
    Ok(FoodCostReport { outlet_id: range.outlet_id, from: range.from, to: range.to, rows, totals })
}
