//! What an outlet has on hand (every live ingredient of the brand, 0 where
//! nothing was ever recorded), the transfers waiting to be received there,
//! and the outlet's own alert levels.

use chrono::{DateTime, Utc};
use pos_wire::{IncomingTransfer, OutletStock, PutThreshold, StockLevel, StockUnit};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{ingredients::threshold, live_outlet, may_manage, may_read};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Error, FieldErrors, Result},
};

#[derive(Debug, FromQueryResult)]
struct LevelRow {
    ingredient_id: Uuid,
    name: String,
    unit: String,
    on_hand: i64,
    low_stock_threshold: Option<i64>,
    cost_per_unit_minor: i64,
}

impl TryFrom<LevelRow> for StockLevel {
    type Error = Error;

    fn try_from(r: LevelRow) -> Result<StockLevel> {
        Ok(StockLevel {
            ingredient_id: r.ingredient_id,
            name: r.name,
            unit: StockUnit::try_from(r.unit.as_str()).map_err(anyhow::Error::from)?,
            on_hand: r.on_hand,
            low_stock_threshold: r.low_stock_threshold,
            low: r.low_stock_threshold.is_some_and(|t| r.on_hand <= t),
            cost_per_unit_minor: r.cost_per_unit_minor,
        })
    }
}

#[derive(Debug, FromQueryResult)]
struct TransferRow {
    id: Uuid,
    from_outlet_id: Uuid,
    ingredient_id: Uuid,
    qty: i64,
    sent_at: DateTime<Utc>,
}

/// `$1` outlet; `$2` one ingredient, or NULL for all.
const LEVELS: &str = "SELECT i.id AS ingredient_id, i.name, i.unit, coalesce(b.on_hand, 0)::int8 AS on_hand, \
            coalesce(t.threshold, i.low_stock_threshold) AS low_stock_threshold, i.cost_per_unit_minor \
       FROM ingredients i \
       LEFT JOIN stock_balances b ON b.tenant_id = i.tenant_id AND b.outlet_id = $1 AND b.ingredient_id = i.id \
       LEFT JOIN ingredient_thresholds t ON t.tenant_id = i.tenant_id AND t.outlet_id = $1 AND t.ingredient_id = i.id \
      WHERE i.deleted_at IS NULL AND ($2::uuid IS NULL OR i.id = $2) \
      ORDER BY lower(i.name), i.id";

/// On hand at the outlet. Staff of the outlet (devices read nothing here).
pub async fn outlet_stock(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid) -> Result<OutletStock> {
    may_read(actor)?;
    live_outlet(tx, outlet_id).await?;
    let rows: Vec<LevelRow> = tx.query_all(LEVELS, [outlet_id.into(), Option::<Uuid>::None.into()]).await?;
    let items = rows.into_iter().map(StockLevel::try_from).collect::<Result<Vec<_>>>()?;
    let transfers: Vec<TransferRow> = tx
        .query_all(
            "SELECT id, from_outlet_id, ingredient_id, qty_sent AS qty, sent_at FROM stock_transfers \
              WHERE to_outlet_id = $1 AND status = 'pending' ORDER BY sent_at, id",
            [outlet_id.into()],
        )
        .await?;
    let incoming_transfers = transfers
        .into_iter()
        .map(|t| IncomingTransfer {
            id: t.id,
            from_outlet_id: t.from_outlet_id,
            ingredient_id: t.ingredient_id,
            qty: t.qty,
            sent_at: t.sent_at,
        })
        .collect();
    Ok(OutletStock { outlet_id, items, incoming_transfers })
}

/// Sets (or with `null` clears) the outlet's own alert level for an
/// ingredient. Owners and managers of the outlet.
pub async fn put_threshold(
    tx: &ScopedTx,
    actor: &Actor,
    outlet_id: Uuid,
    ingredient_id: Uuid,
    req: PutThreshold,
) -> Result<StockLevel> {
    may_manage(actor)?;
    live_outlet(tx, outlet_id).await?;
    super::ingredients::get(tx, ingredient_id).await?;
    let mut errors = FieldErrors::new();
    let level = req.low_stock_threshold.and_then(|t| errors.take("low_stock_threshold", threshold(t)));
    errors.finish()?;
    match level {
        Some(level) => {
            tx.execute(
                "INSERT INTO ingredient_thresholds (tenant_id, outlet_id, ingredient_id, threshold) \
                 VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (tenant_id, outlet_id, ingredient_id) DO UPDATE SET threshold = $4, updated_at = now()",
                [tx.tenant_id().into(), outlet_id.into(), ingredient_id.into(), level.into()],
            )
            .await?;
        }
        None => {
            tx.execute(
                "DELETE FROM ingredient_thresholds WHERE outlet_id = $1 AND ingredient_id = $2",
                [outlet_id.into(), ingredient_id.into()],
            )
            .await?;
        }
    }
    crate::tenancy::audit::record(
        tx,
        actor,
        "stock.threshold",
        "ingredient",
        Some(ingredient_id),
        Some(outlet_id),
        None,
        Some(serde_json::json!({ "low_stock_threshold": level })),
    )
    .await?;
    let row: LevelRow =
        tx.query_one(LEVELS, [outlet_id.into(), Some(ingredient_id).into()]).await?.ok_or(Error::NotFound)?;
    StockLevel::try_from(row)
}
