//! An outlet's own price and availability for an item. "86-ing" an item
//! marks it unavailable at one outlet, either until it is turned back on or
//! until a chosen time (such as the end of the outlet's day), after which it
//! is available again by itself.

use chrono::{DateTime, Utc};
use pos_wire::{ItemOverride, LiveEvent, Role, UpdateOutletItem};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{items::price, next_version};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, FieldErrors, Result},
    tenancy::audit::{self, snapshot},
};

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct OverrideRow {
    pub outlet_id: Uuid,
    pub item_id: Uuid,
    pub price_minor: Option<i64>,
    pub available: bool,
    pub unavailable_until: Option<DateTime<Utc>>,
}

impl From<OverrideRow> for ItemOverride {
    fn from(r: OverrideRow) -> ItemOverride {
        ItemOverride {
            outlet_id: r.outlet_id,
            item_id: r.item_id,
            price_minor: r.price_minor,
            available: r.available,
            unavailable_until: r.unavailable_until,
        }
    }
}

pub(crate) const COLUMNS: &str = "outlet_id, item_id, price_minor, available, unavailable_until";

/// [`COLUMNS`] of the table under `alias`, for statements that join others.
pub(crate) fn columns_of(alias: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// Sets an outlet's price or availability for an item. Owners, and managers
/// of the outlet. A choice made by hand ends a sold-out made by stock (it no
/// longer comes back by itself).
pub async fn set(
    tx: &ScopedTx,
    actor: &Actor,
    outlet_id: Uuid,
    item_id: Uuid,
    req: UpdateOutletItem,
) -> Result<ItemOverride> {
    actor.require_role(&[Role::Owner, Role::Manager])?;
    let outlet =
        tx.query_raw("SELECT timezone FROM outlets WHERE id = $1 AND archived_at IS NULL", [outlet_id.into()]).await?;
    let timezone: String = crate::db::opt_row(&outlet, "timezone")?.ok_or(Error::NotFound)?;
    let item =
        tx.query_raw("SELECT 1 AS one FROM menu_items WHERE id = $1 AND deleted_at IS NULL", [item_id.into()]).await?;
    if item.is_empty() {
        return Err(Error::NotFound);
    }
    let before = get(tx, outlet_id, item_id).await?;

    let mut errors = FieldErrors::new();
    let new_price = match req.price_minor {
        None => before.as_ref().and_then(|b| b.price_minor),
        Some(None) => None,
        Some(Some(p)) => errors.take("price_minor", price(p)),
    };
    let available = req.available.unwrap_or(before.as_ref().is_none_or(|b| b.available));
    if available && (req.unavailable_until.is_some() || req.until_end_of_day) {
        errors.add("unavailable_until", Code::UnavailableUntilNeedsUnavailable);
    }
    if req.unavailable_until.is_some() && req.until_end_of_day {
        errors.add("unavailable_until", Code::UnavailableUntilAmbiguous);
    }
    if let Some(t) = req.unavailable_until
        && t <= Utc::now()
    {
        errors.add("unavailable_until", Code::MustBeFuture);
    }
    if req.available.is_none() && req.price_minor.is_none() && !req.until_end_of_day && req.unavailable_until.is_none()
    {
        errors.add("body", Code::NothingToChange);
    }
    errors.finish()?;

    // A fresh 86 without an end time stays until turned back on.
    let keep_until = req.available.is_none() && req.unavailable_until.is_none() && !req.until_end_of_day;
    let until = if available {
        None
    } else if keep_until {
        before.as_ref().and_then(|b| b.unavailable_until)
    } else {
        req.unavailable_until
    };
    let version = next_version(tx).await?;
    let row: OverrideRow = tx
        .query_one(
            &format!(
                "INSERT INTO outlet_item_overrides AS o (tenant_id, outlet_id, item_id, price_minor, available, unavailable_until, version) \
                 VALUES ($1, $2, $3, $4, $5, \
                         CASE WHEN $7 THEN (date_trunc('day', now() AT TIME ZONE $8) + interval '1 day') AT TIME ZONE $8 ELSE $6 END, $9) \
                 ON CONFLICT (tenant_id, outlet_id, item_id) DO UPDATE \
                    SET price_minor = EXCLUDED.price_minor, available = EXCLUDED.available, \
                        unavailable_until = EXCLUDED.unavailable_until, version = EXCLUDED.version, \
                        updated_at = now(), deleted_at = NULL, sold_out_by_stock = false \
                 RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                outlet_id.into(),
                item_id.into(),
                new_price.into(),
                available.into(),
                until.into(),
                (req.until_end_of_day && !available).into(),
                timezone.into(),
                version.into(),
            ],
        )
        .await?
        .ok_or_else(|| Error::internal("upsert returned nothing"))?;
    let after = ItemOverride::from(row);
    tx.append_event(outlet_id, LiveEvent::MenuAvailabilityChanged(after.clone())).await?;
    let action = if before.as_ref().map(|b| b.available) != Some(after.available) && !after.available {
        "menu_item.86"
    } else {
        "menu_item.outlet_update"
    };
    audit::record(tx, actor, action, "menu_item", Some(item_id), Some(outlet_id), snapshot(&before), snapshot(&after))
        .await?;
    Ok(after)
}

/// The live override of an item at an outlet, if any.
pub async fn get(tx: &ScopedTx, outlet_id: Uuid, item_id: Uuid) -> Result<Option<ItemOverride>> {
    Ok(tx
        .query_one::<OverrideRow>(
            &format!(
                "SELECT {COLUMNS} FROM outlet_item_overrides WHERE outlet_id = $1 AND item_id = $2 AND deleted_at IS NULL"
            ),
            [outlet_id.into(), item_id.into()],
        )
        .await?
        .map(ItemOverride::from))
}

/// Turns back on every item of the tenant whose timed 86 has run out (at
/// most `limit`), and tells each outlet's devices. Run by the scheduled
/// job; menus already show such items as available, so this only makes it
/// live and clears the stored 86.
pub async fn end_timed_86s(tx: &ScopedTx, limit: i64) -> Result<Vec<ItemOverride>> {
    let version = next_version(tx).await?;
    let rows: Vec<OverrideRow> = tx
        .query_all(
            &format!(
                "UPDATE outlet_item_overrides o SET available = true, unavailable_until = NULL, version = $2, \
                        updated_at = now() \
                   FROM (SELECT outlet_id, item_id FROM outlet_item_overrides \
                          WHERE NOT available AND unavailable_until <= now() AND deleted_at IS NULL \
                          ORDER BY unavailable_until LIMIT $1 FOR UPDATE) ended \
                  WHERE o.outlet_id = ended.outlet_id AND o.item_id = ended.item_id \
                 RETURNING {}",
                columns_of("o")
            ),
            [limit.into(), version.into()],
        )
        .await?;
    let ended: Vec<ItemOverride> = rows.into_iter().map(ItemOverride::from).collect();
    for after in &ended {
        tx.append_event(after.outlet_id, LiveEvent::MenuAvailabilityChanged(after.clone())).await?;
        let snapshot = serde_json::json!({ "available": true, "ended": "timed_86" });
        audit::record_as(
            tx,
            "system",
            None,
            None,
            "menu_item.86_ended",
            "menu_item",
            Some(after.item_id),
            Some(after.outlet_id),
            None,
            Some(snapshot),
        )
        .await?;
    }
    Ok(ended)
}
