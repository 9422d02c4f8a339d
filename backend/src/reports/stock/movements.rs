//! The range's movements summed per ingredient and kind.

use pos_wire::{StockMovementKind, StockMovementsReport, StockMovementsRow};
use sea_orm::FromQueryResult;

use super::{WINDOWS, window_values};
use crate::{
    db::ScopedTx,
    error::{Error, Result},
    reports::ReportRange,
};

#[derive(FromQueryResult)]
struct Row {
    ingredient_id: uuid::Uuid,
    name: String,
    unit: String,
    kind: String,
    movements: i64,
    qty: i64,
    value_minor: i64,
}

/// By ingredient name, then kind.
pub async fn movements(tx: &ScopedTx, range: &ReportRange) -> Result<StockMovementsReport> {
    let sql = format!(
        "WITH {WINDOWS} \
         SELECT i.id AS ingredient_id, i.name, i.unit, m.kind, count(*)::int8 AS movements, \
                sum(m.qty)::int8 AS qty, sum(m.qty * m.unit_cost_minor)::int8 AS value_minor \
           FROM win w \
           JOIN stock_movements m ON m.outlet_id = w.outlet_id AND m.created_at >= w.s AND m.created_at < w.e \
           JOIN ingredients i ON i.tenant_id = m.tenant_id AND i.id = m.ingredient_id \
          GROUP BY i.id, i.name, i.unit, m.kind \
          ORDER BY lower(i.name), i.id, m.kind"
    );
    let rows: Vec<Row> = tx.query_all(&sql, window_values(range)).await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let kind = StockMovementKind::try_from(r.kind.as_str()).map_err(|e| Error::internal(e.to_string()))?;
            Ok(StockMovementsRow {
                ingredient_id: r.ingredient_id,
                name: r.name,
                unit: r.unit,
                kind,
                movements: r.movements,
                qty: r.qty,
                value_minor: r.value_minor,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(StockMovementsReport { outlet_id: range.outlet_id, from: range.from, to: range.to, rows })
}
