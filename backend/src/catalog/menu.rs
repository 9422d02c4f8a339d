//! The effective menu of one outlet: the brand's categories and items with
//! the outlet's prices and availability applied, versioned for `ETag`s.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pos_wire::{OutletMenu, OutletMenuCategory, OutletMenuItem};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{categories, items::groups_of};
use crate::{
    db::{Db, ScopedTx, replica::read_routed},
    error::{Error, Result},
};

/// What changes the menu's representation: the newest catalogue version
/// touching this outlet, and how many timed 86es have run out since.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct MenuStamp {
    pub menu_version: i64,
    pub expired_86: i64,
    pub currency: String,
}

impl MenuStamp {
    pub fn etag(&self) -> String {
        format!("\"m{}.{}\"", self.menu_version, self.expired_86)
    }
}

/// The outlet's stamp, or 404 when the outlet is not visible to the caller.
pub async fn stamp(tx: &ScopedTx, outlet_id: Uuid) -> Result<MenuStamp> {
    Ok(stamp_and_horizon(tx, outlet_id).await?.0)
}

#[derive(FromQueryResult)]
struct StampRow {
    #[sea_orm(nested)]
    stamp: MenuStamp,
    /// Seconds (from the transaction's start) until the outlet's next
    /// timed 86 runs out, if one is pending.
    next_86_end_secs: Option<f64>,
}

/// [`stamp`], and how long from the transaction's start it stays the
/// stamp without any write: until the earliest pending timed 86 runs out
/// (`None`: no timed 86 pending).
pub async fn stamp_and_horizon(tx: &ScopedTx, outlet_id: Uuid) -> Result<(MenuStamp, Option<std::time::Duration>)> {
    let row = tx
        .query_one::<StampRow>(
            "SELECT greatest(o.version, \
                      (SELECT coalesce(max(version), 0) FROM categories), \
                      (SELECT coalesce(max(version), 0) FROM menu_items), \
                      (SELECT coalesce(max(version), 0) FROM outlet_item_overrides WHERE outlet_id = $1)) AS menu_version, \
                    (SELECT count(*) FROM outlet_item_overrides WHERE outlet_id = $1 AND NOT available \
                        AND unavailable_until <= now() AND deleted_at IS NULL) AS expired_86, \
                    (SELECT currency::text FROM tenants) AS currency, \
                    (SELECT extract(epoch FROM min(unavailable_until) - now())::float8 FROM outlet_item_overrides \
                      WHERE outlet_id = $1 AND NOT available AND unavailable_until > now() \
                        AND deleted_at IS NULL) AS next_86_end_secs \
               FROM outlets o WHERE o.id = $1 AND o.archived_at IS NULL",
            [outlet_id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let horizon = row.next_86_end_secs.map(|s| std::time::Duration::from_secs_f64(s.max(0.0)));
    Ok((row.stamp, horizon))
}

#[derive(Debug, FromQueryResult)]
struct EffectiveItem {
    id: Uuid,
    category_id: Uuid,
    name: String,
    code: Option<String>,
    description: String,
    price_minor: i64,
    base_price_minor: i64,
    image_url: Option<String>,
    available: bool,
    unavailable_until: Option<DateTime<Utc>>,
    modifier_groups: serde_json::Value,
}

/// Every live item with the outlet's price and availability, in menu order.
const EFFECTIVE_ITEMS: &str = "\
    SELECT i.id, i.category_id, i.name, i.code, i.description, coalesce(o.price_minor, i.price_minor) AS price_minor, \
           i.price_minor AS base_price_minor, i.image_url, \
           (o.available IS DISTINCT FROM false OR o.unavailable_until <= now()) IS TRUE AS available, \
           CASE WHEN o.available = false AND (o.unavailable_until IS NULL OR o.unavailable_until > now()) \
                THEN o.unavailable_until END AS unavailable_until, \
           i.modifier_groups \
      FROM menu_items i \
      LEFT JOIN outlet_item_overrides o \
             ON o.tenant_id = i.tenant_id AND o.outlet_id = $1 AND o.item_id = i.id AND o.deleted_at IS NULL \
     WHERE i.deleted_at IS NULL \
     ORDER BY i.position, i.name";

/// The whole effective menu (categories in order, items within them).
pub async fn outlet_menu(tx: &ScopedTx, outlet_id: Uuid, stamp: &MenuStamp) -> Result<OutletMenu> {
    let cats = categories::list(tx).await?;
    let rows: Vec<EffectiveItem> = tx.query_all(EFFECTIVE_ITEMS, [outlet_id.into()]).await?;
    let mut by_category: HashMap<Uuid, Vec<OutletMenuItem>> = HashMap::new();
    for r in rows {
        by_category.entry(r.category_id).or_default().push(OutletMenuItem {
            id: r.id,
            name: r.name,
            code: r.code,
            description: r.description,
            price_minor: r.price_minor,
            base_price_minor: r.base_price_minor,
            image_url: r.image_url,
            available: r.available,
            unavailable_until: r.unavailable_until,
            modifier_groups: groups_of(r.modifier_groups),
        });
    }
    Ok(OutletMenu {
        outlet_id,
        menu_version: stamp.menu_version,
        currency: stamp.currency.clone(),
        categories: cats
            .into_iter()
            .map(|c| OutletMenuCategory {
                items: by_category.remove(&c.id).unwrap_or_default(),
                id: c.id,
                name: c.name,
                position: c.position,
                station: c.station,
            })
            .collect(),
    })
}

/// [`outlet_menu`] of the menu `stamp` names (read on the primary in
/// `tx`): built on the read replica when the replica's stamp is the same,
/// else in `tx` (see `db::replica`).
pub async fn outlet_menu_routed(db: &Db, tx: ScopedTx, outlet_id: Uuid, stamp: &MenuStamp) -> Result<OutletMenu> {
    read_routed(
        db,
        tx,
        "outlet_menu",
        async |tx: &ScopedTx| self::stamp(tx, outlet_id).await,
        |replayed: &MenuStamp| replayed == stamp,
        async |tx: &ScopedTx| outlet_menu(tx, outlet_id, stamp).await,
    )
    .await
}

/// Serialised menus by (outlet, ETag). An ETag names one exact menu, so an
/// entry can never be stale; the cache only saves rebuilding and
/// re-serialising a menu that has not changed.
#[derive(Default)]
pub struct MenuCache {
    entries: std::sync::Mutex<HashMap<(Uuid, String), bytes::Bytes>>,
}

impl MenuCache {
    const MAX_ENTRIES: usize = 128;

    pub fn get(&self, outlet_id: Uuid, etag: &str) -> Option<bytes::Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(&(outlet_id, etag.to_string())).cloned()
    }

    pub fn put(&self, outlet_id: Uuid, etag: &str, body: bytes::Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // Older versions of this outlet's menu will not be asked for again.
        entries.retain(|(o, _), _| *o != outlet_id);
        if entries.len() >= Self::MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((outlet_id, etag.to_string()), body);
    }
}
