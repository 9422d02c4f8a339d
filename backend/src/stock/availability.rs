//! Stock-driven 86s, through the catalogue's own outlet overrides (so
//! menus, the change feed and `menu.availability_changed` carry them like
//! any 86): an item goes sold out at an outlet when an ingredient of its
//! own recipe no longer covers one portion, and comes back by itself once
//! every ingredient covers a portion again. Only items stock took off come
//! back this way: an 86 made by hand stays until it is turned back on.
//!
//! Each check reads first and takes the brand's catalogue version (one row
//! per brand) only when an item actually changes, so sales near a
//! stock-out queue on nothing but their own ingredient balances.

use pos_wire::{ItemOverride, LiveEvent};
use sea_orm::Value;
use uuid::Uuid;

use crate::{
    catalog::{
        next_version,
        overrides::{COLUMNS, OverrideRow, columns_of},
    },
    db::{OutletScope, ScopedTx},
    error::Result,
};

/// Which items a check looks at: those using some of the ingredients (after
/// a movement), or given items whatever they use (after a recipe change).
#[derive(Debug, Clone, Copy)]
pub enum Among<'a> {
    Using(&'a [Uuid]),
    Items(&'a [Uuid]),
}

impl Among<'_> {
    /// `$1` tenant, `$2` outlet, `$3` ingredients, `$4` items (one is NULL).
    fn values(self, tx: &ScopedTx, outlet_id: Uuid) -> Vec<Value> {
        let (ingredients, items) = match self {
            Among::Using(i) => (Some(i.to_vec()), None),
            Among::Items(i) => (None, Some(i.to_vec())),
        };
        vec![tx.tenant_id().into(), outlet_id.into(), ingredients.into(), items.into()]
    }
}

/// Items whose own recipe an outlet's stock no longer covers (see [`Among::values`]).
const UNCOVERED: &str = "SELECT DISTINCT r.menu_item_id FROM recipe_lines r \
      JOIN menu_items i ON i.tenant_id = r.tenant_id AND i.id = r.menu_item_id AND i.deleted_at IS NULL \
      LEFT JOIN stock_balances b ON b.tenant_id = r.tenant_id AND b.outlet_id = $2 AND b.ingredient_id = r.ingredient_id \
     WHERE r.tenant_id = $1 AND r.option_id = '00000000-0000-0000-0000-000000000000' \
       AND ($3::uuid[] IS NULL OR r.ingredient_id = ANY($3)) AND ($4::uuid[] IS NULL OR r.menu_item_id = ANY($4)) \
       AND coalesce(b.on_hand, 0) < r.qty";

/// Overrides `o` that stock took off and that every ingredient covers again.
const COVERED_AGAIN: &str = "o.tenant_id = $1 AND o.outlet_id = $2 AND o.sold_out_by_stock AND NOT o.available \
       AND o.deleted_at IS NULL \
       AND ($4::uuid[] IS NULL OR o.item_id = ANY($4)) \
       AND ($3::uuid[] IS NULL OR EXISTS (SELECT 1 FROM recipe_lines r WHERE r.tenant_id = $1 \
                                             AND r.menu_item_id = o.item_id AND r.ingredient_id = ANY($3))) \
       AND NOT EXISTS (SELECT 1 FROM recipe_lines r \
                         LEFT JOIN stock_balances b ON b.tenant_id = r.tenant_id AND b.outlet_id = $2 \
                                                   AND b.ingredient_id = r.ingredient_id \
                        WHERE r.tenant_id = $1 AND r.menu_item_id = o.item_id \
                          AND r.option_id = '00000000-0000-0000-0000-000000000000' \
                          AND coalesce(b.on_hand, 0) < r.qty)";

/// Takes off the outlet's menu the available items stock can no longer
/// cover; returns their overrides as announced.
pub async fn sell_out(tx: &ScopedTx, outlet_id: Uuid, among: Among<'_>) -> Result<Vec<ItemOverride>> {
    let going = format!(
        "WITH short AS ({UNCOVERED}) SELECT s.menu_item_id AS id FROM short s \
           LEFT JOIN outlet_item_overrides o ON o.tenant_id = $1 AND o.outlet_id = $2 AND o.item_id = s.menu_item_id \
          WHERE o.item_id IS NULL OR o.available OR o.deleted_at IS NOT NULL OR o.unavailable_until <= now() LIMIT 1"
    );
    if tx.query_raw(&going, among.values(tx, outlet_id)).await?.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = among.values(tx, outlet_id);
    values.push(next_version(tx).await?.into());
    let rows: Vec<OverrideRow> = tx
        .query_all(
            &format!(
                "WITH short AS ({UNCOVERED}) \
                 INSERT INTO outlet_item_overrides AS o (tenant_id, outlet_id, item_id, available, sold_out_by_stock, version) \
                 SELECT $1, $2, s.menu_item_id, false, true, $5 FROM short s ORDER BY s.menu_item_id \
                 ON CONFLICT (tenant_id, outlet_id, item_id) DO UPDATE \
                    SET available = false, sold_out_by_stock = true, unavailable_until = NULL, version = EXCLUDED.version, \
                        price_minor = CASE WHEN o.deleted_at IS NULL THEN o.price_minor END, \
                        updated_at = now(), deleted_at = NULL \
                  WHERE o.available OR o.deleted_at IS NOT NULL OR o.unavailable_until <= now() \
                 RETURNING {COLUMNS}"
            ),
            values,
        )
        .await?;
    announce(tx, outlet_id, rows).await
}

/// Puts back on the outlet's menu the items stock took off that every
/// ingredient covers again.
pub async fn bring_back(tx: &ScopedTx, outlet_id: Uuid, among: Among<'_>) -> Result<Vec<ItemOverride>> {
    let coming = format!("SELECT o.item_id AS id FROM outlet_item_overrides o WHERE {COVERED_AGAIN} LIMIT 1");
    if tx.query_raw(&coming, among.values(tx, outlet_id)).await?.is_empty() {
        return Ok(Vec::new());
    }
    let mut values = among.values(tx, outlet_id);
    values.push(next_version(tx).await?.into());
    let rows: Vec<OverrideRow> = tx
        .query_all(
            &format!(
                "UPDATE outlet_item_overrides o SET available = true, sold_out_by_stock = false, version = $5, \
                        updated_at = now() \
                  WHERE {COVERED_AGAIN} \
                 RETURNING {}",
                columns_of("o")
            ),
            values,
        )
        .await?;
    announce(tx, outlet_id, rows).await
}

/// After the item's recipe (or an option's) changed: at every live outlet
/// of the brand, it goes sold out where stock cannot cover its own recipe
/// now, and comes back where stock had taken it off and covers it now. The
/// recipe is the brand's, so this reaches outlets the editor does not work
/// at: the transaction's scope is the brand's for these statements only.
pub async fn recheck_item(tx: &mut ScopedTx, item_id: Uuid) -> Result<()> {
    let scope = tx.outlets().clone();
    tx.set_outlets(OutletScope::All).await?;
    let checked = recheck_everywhere(tx, item_id).await;
    tx.set_outlets(scope).await?;
    checked
}

async fn recheck_everywhere(tx: &ScopedTx, item_id: Uuid) -> Result<()> {
    let rows = tx.query_raw("SELECT id FROM outlets WHERE archived_at IS NULL ORDER BY id", []).await?;
    let items = [item_id];
    for outlet in crate::db::rows::<Uuid>(&rows, "id")? {
        sell_out(tx, outlet, Among::Items(&items)).await?;
        bring_back(tx, outlet, Among::Items(&items)).await?;
    }
    Ok(())
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
