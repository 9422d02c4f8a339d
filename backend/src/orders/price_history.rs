//! Reading the price history the database keeps (migration
//! `0006_price_history`): for some items at one outlet, the rows in force at
//! any time after a cut-off. Two index range scans, whatever the history's
//! length.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::shown_price::{ItemHistory, ItemState, OutletPrice, Span};
use crate::{catalog::items::groups_of, db::ScopedTx, error::Result};

#[derive(Debug, FromQueryResult)]
struct ItemRow {
    item_id: Uuid,
    version_from: i64,
    version_to: Option<i64>,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
    name: String,
    price_minor: i64,
    modifier_groups: serde_json::Value,
}

#[derive(Debug, FromQueryResult)]
struct OutletRow {
    item_id: Uuid,
    version_from: i64,
    version_to: Option<i64>,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
    price_minor: i64,
}

fn span(
    version_from: i64,
    version_to: Option<i64>,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
) -> Span {
    Span { version_from, version_to, valid_from, valid_to }
}

/// The history of `items` at `outlet_id` in force at any time after `since`.
pub async fn load(
    tx: &ScopedTx,
    outlet_id: Uuid,
    items: &[Uuid],
    since: DateTime<Utc>,
) -> Result<HashMap<Uuid, ItemHistory>> {
    let states: Vec<ItemRow> = tx
        .query_all(
            "SELECT item_id, version_from, version_to, valid_from, nullif(valid_to, 'infinity') AS valid_to, \
                    name, price_minor, modifier_groups \
               FROM item_price_history WHERE item_id = ANY($1) AND valid_to > $2",
            [items.to_vec().into(), since.into()],
        )
        .await?;
    let outlet_prices: Vec<OutletRow> = tx
        .query_all(
            "SELECT item_id, version_from, version_to, valid_from, nullif(valid_to, 'infinity') AS valid_to, price_minor \
               FROM outlet_price_history WHERE outlet_id = $1 AND item_id = ANY($2) AND valid_to > $3",
            [outlet_id.into(), items.to_vec().into(), since.into()],
        )
        .await?;
    let mut out: HashMap<Uuid, ItemHistory> = HashMap::new();
    for r in states {
        out.entry(r.item_id).or_default().states.push(ItemState {
            span: span(r.version_from, r.version_to, r.valid_from, r.valid_to),
            name: r.name,
            price_minor: r.price_minor,
            groups: groups_of(r.modifier_groups),
        });
    }
    for r in outlet_prices {
        out.entry(r.item_id).or_default().outlet_prices.push(OutletPrice {
            span: span(r.version_from, r.version_to, r.valid_from, r.valid_to),
            price_minor: r.price_minor,
        });
    }
    Ok(out)
}
