//! Stock-driven 86s, through the catalogue's own outlet overrides (so
//! menus, the change feed and `menu.availability_changed` carry them like
//! any 86): an item goes sold out at an outlet when an ingredient of its
//! own recipe no longer covers one portion, and comes back by itself once
//! every ingredient covers a portion again. Only items stock took off come
//! back this way: an 86 made by hand stays until it is turned back on.

use pos_wire::{ItemOverride, LiveEvent};
use uuid::Uuid;

use crate::{
    catalog::{
        next_version,
        overrides::{COLUMNS, OverrideRow, columns_of},
    },
    db::ScopedTx,
    error::Result,
};

/// Items whose own recipe an outlet's stock no longer covers, among those
/// using `ingredients`: `$1` tenant, `$2` outlet, `$3` ingredients.
const UNCOVERED: &str = "SELECT DISTINCT r.menu_item_id FROM recipe_lines r \
      JOIN menu_items i ON i.tenant_id = r.tenant_id AND i.id = r.menu_item_id AND i.deleted_at IS NULL \
      LEFT JOIN stock_balances b ON b.tenant_id = r.tenant_id AND b.outlet_id = $2 AND b.ingredient_id = r.ingredient_id \
     WHERE r.tenant_id = $1 AND r.option_id = '00000000-0000-0000-0000-000000000000' \
       AND r.ingredient_id = ANY($3) AND coalesce(b.on_hand, 0) < r.qty";

/// Takes off the outlet's menu the available items `ingredients` can no
/// longer cover; returns their overrides as announced.
pub async fn sell_out(tx: &ScopedTx, outlet_id: Uuid, ingredients: &[Uuid]) -> Result<Vec<ItemOverride>> {
    let version = next_version(tx).await?;
    let rows: Vec<OverrideRow> = tx
        .query_all(
            &format!(
                "WITH short AS ({UNCOVERED}) \
                 INSERT INTO outlet_item_overrides AS o (tenant_id, outlet_id, item_id, available, sold_out_by_stock, version) \
                 SELECT $1, $2, s.menu_item_id, false, true, $4 FROM short s ORDER BY s.menu_item_id \
                 ON CONFLICT (tenant_id, outlet_id, item_id) DO UPDATE \
                    SET available = false, sold_out_by_stock = true, unavailable_until = NULL, version = EXCLUDED.version, \
                        price_minor = CASE WHEN o.deleted_at IS NULL THEN o.price_minor END, \
                        updated_at = now(), deleted_at = NULL \
                  WHERE o.available OR o.deleted_at IS NOT NULL OR o.unavailable_until <= now() \
                 RETURNING {COLUMNS}"
            ),
            [tx.tenant_id().into(), outlet_id.into(), ingredients.to_vec().into(), version.into()],
        )
        .await?;
    announce(tx, outlet_id, rows).await
}

/// Puts back on the outlet's menu the items stock took off that every
/// ingredient covers again (among those using `ingredients`).
pub async fn bring_back(tx: &ScopedTx, outlet_id: Uuid, ingredients: &[Uuid]) -> Result<Vec<ItemOverride>> {
    let version = next_version(tx).await?;
    let rows: Vec<OverrideRow> = tx
        .query_all(
            &format!(
                "UPDATE outlet_item_overrides o SET available = true, sold_out_by_stock = false, version = $4, \
                        updated_at = now() \
                  WHERE o.tenant_id = $1 AND o.outlet_id = $2 AND o.sold_out_by_stock AND NOT o.available \
                    AND o.deleted_at IS NULL \
                    AND EXISTS (SELECT 1 FROM recipe_lines r WHERE r.tenant_id = $1 AND r.menu_item_id = o.item_id \
                                   AND r.ingredient_id = ANY($3)) \
                    AND NOT EXISTS (SELECT 1 FROM recipe_lines r \
                                      LEFT JOIN stock_balances b ON b.tenant_id = r.tenant_id AND b.outlet_id = $2 \
                                                                AND b.ingredient_id = r.ingredient_id \
                                     WHERE r.tenant_id = $1 AND r.menu_item_id = o.item_id \
                                       AND r.option_id = '00000000-0000-0000-0000-000000000000' \
                                       AND coalesce(b.on_hand, 0) < r.qty) \
                 RETURNING {}",
                columns_of("o")
            ),
            [tx.tenant_id().into(), outlet_id.into(), ingredients.to_vec().into(), version.into()],
        )
        .await?;
    announce(tx, outlet_id, rows).await
}

async fn announce(tx: &ScopedTx, outlet_id: Uuid, rows: Vec<OverrideRow>) -> Result<Vec<ItemOverride>> {
    let changed: Vec<ItemOverride> = rows.into_iter().map(ItemOverride::from).collect();
    let events = changed.iter().cloned().map(LiveEvent::MenuAvailabilityChanged).collect();
    tx.append_events(outlet_id, events).await?;
    for c in &changed {
        tracing::info!(%outlet_id, item_id = %c.item_id, available = c.available, "availability by stock");
    }
    Ok(changed)
}
