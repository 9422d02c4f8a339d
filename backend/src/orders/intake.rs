//! Taking an order: idempotent on `client_order_id`, priced by the server,
//! numbered for pickup, split into kitchen tickets, announced on the outlet's
//! event log, all in one transaction.
//!
//! Online intake (`POST /orders`) refuses what cannot be sold now (an 86ed
//! or deleted item, a closed outlet for kiosks). Offline intake (`sync/push`)
//! never drops an order the customer already placed on a device: it prices
//! lines as the device showed them when the menu has changed since, and
//! flags the order for staff instead.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use pos_wire::{Channel, CreateOrder, DeviceKind, ModifierGroup, Order, OrderLine, OrderModifier, Role};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{COLUMNS, OrderRow, pricing};
use crate::{
    auth::{Actor, ActorKind},
    catalog::items::groups_of,
    db::ScopedTx,
    error::{Error, FieldErrors, Result},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// The device is online and the customer is ordering now.
    Online,
    /// The order was taken on a device earlier, possibly offline.
    Offline,
}

#[derive(Debug)]
pub enum Placed {
    Created(Order),
    /// The same `client_order_id` with the same content: the existing order.
    Duplicate(Order),
    /// The same `client_order_id` with different content.
    Conflict(Order),
}

pub const MAX_LINES: usize = 100;
pub const MAX_QTY: i32 = 99;

#[derive(Debug, FromQueryResult)]
struct OutletInfo {
    is_open: bool,
    tax_rate_bp: i32,
    service_charge_bp: i32,
    timezone: String,
    currency: String,
    today: chrono::NaiveDate,
}

#[derive(Debug, FromQueryResult)]
struct ItemInfo {
    id: Uuid,
    name: String,
    price_minor: i64,
    available: bool,
    deleted: bool,
    modifier_groups: serde_json::Value,
    station: Option<String>,
}

fn text(raw: &Option<String>, max: usize, field: &str, errors: &mut FieldErrors) -> Option<String> {
    let v = raw.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.add(field, format!("must be at most {max} characters of text"));
        return None;
    }
    Some(v.to_string())
}

/// What identifies the content of an order, for replay detection.
pub fn payload_hash(req: &CreateOrder) -> Vec<u8> {
    let canonical = serde_json::to_vec(req).unwrap_or_default();
    Sha256::digest(&canonical).to_vec()
}

/// Places `req` for `actor` (see the module docs for the two intakes).
pub async fn place_order(tx: &ScopedTx, actor: &Actor, req: CreateOrder, intake: Intake) -> Result<Placed> {
    let (device_id, prefix) = match &actor.kind {
        ActorKind::Device { device_id, outlet_id, kind } => {
            if *kind != DeviceKind::Kiosk {
                return Err(Error::Forbidden("kitchen displays do not take orders"));
            }
            if *outlet_id != req.outlet_id {
                return Err(Error::field("outlet_id", "is not the outlet this kiosk belongs to"));
            }
            (Some(*device_id), device_prefix(tx, *device_id).await?)
        }
        ActorKind::Staff { role, .. } => {
            if *role == Role::Kitchen {
                return Err(Error::Forbidden("kitchen staff do not take orders"));
            }
            (None, None)
        }
    };

    // Replays: one at a time per key, then answer from what is stored.
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [req.client_order_id.to_string().into()])
        .await?;
    let hash = payload_hash(&req);
    if let Some(existing) = existing(tx, req.client_order_id).await? {
        let (row, stored_hash) = existing;
        return Ok(if stored_hash == hash {
            Placed::Duplicate(row.into_order())
        } else {
            Placed::Conflict(row.into_order())
        });
    }

    let mut errors = FieldErrors::new();
    let customer_name = text(&req.customer_name, 60, "customer_name", &mut errors);
    let table = text(&req.table, 20, "table", &mut errors);
    if req.items.is_empty() {
        errors.add("items", "an order needs at least one item");
    }
    if req.items.len() > MAX_LINES {
        errors.add("items", format!("at most {MAX_LINES} lines"));
    }
    let outlet: Option<OutletInfo> = tx
        .query_one(
            "SELECT o.is_open, o.tax_rate_bp, o.service_charge_bp, o.timezone, t.currency::text AS currency, \
                    (now() AT TIME ZONE o.timezone)::date AS today \
               FROM outlets o JOIN tenants t ON t.id = o.tenant_id WHERE o.id = $1 AND o.archived_at IS NULL",
            [req.outlet_id.into()],
        )
        .await?;
    let Some(outlet) = outlet else {
        errors.add("outlet_id", "no such outlet");
        return Err(Error::Validation(errors));
    };
    let mut flags = Vec::new();
    if !outlet.is_open {
        match (intake, req.channel) {
            (Intake::Online, Channel::Kiosk) => errors.add("outlet_id", "the outlet is closed"),
            _ => flags.push("outlet_closed".to_string()),
        }
    }

    let ids: Vec<Uuid> = req.items.iter().map(|l| l.menu_item_id).collect();
    let found: Vec<ItemInfo> = tx
        .query_all(
            "SELECT i.id, i.name, coalesce(o.price_minor, i.price_minor) AS price_minor, \
                    (o.available IS DISTINCT FROM false OR o.unavailable_until <= now()) IS TRUE AS available, \
                    i.deleted_at IS NOT NULL AS deleted, i.modifier_groups, c.station \
               FROM menu_items i JOIN categories c ON c.tenant_id = i.tenant_id AND c.id = i.category_id \
               LEFT JOIN outlet_item_overrides o \
                      ON o.tenant_id = i.tenant_id AND o.outlet_id = $2 AND o.item_id = i.id AND o.deleted_at IS NULL \
              WHERE i.id = ANY($1)",
            [ids.into(), req.outlet_id.into()],
        )
        .await?;
    let items: HashMap<Uuid, ItemInfo> = found.into_iter().map(|i| (i.id, i)).collect();

    let mut lines = Vec::with_capacity(req.items.len());
    for (i, line) in req.items.iter().enumerate() {
        let at = |f: &str| format!("items[{i}].{f}");
        if !(1..=MAX_QTY).contains(&line.qty) {
            errors.add(&at("qty"), format!("must be between 1 and {MAX_QTY}"));
            continue;
        }
        let note = text(&line.note, 140, &at("note"), &mut errors);
        // Kept as the line's name if the item is gone: as bounded as item names.
        let shown_name = text(&line.shown_name, 120, &at("shown_name"), &mut errors);
        let shown = line.shown_unit_price_minor.filter(|p| (0..=crate::catalog::items::MAX_PRICE_MINOR).contains(p));
        let lenient = intake == Intake::Offline && shown.is_some();
        let Some(item) = items.get(&line.menu_item_id) else {
            if lenient {
                flags.push("item_deleted".into());
                lines.push(unknown_line(line, shown.unwrap_or(0), note, shown_name));
            } else {
                errors.add(&at("menu_item_id"), "no such item");
            }
            continue;
        };
        if item.deleted {
            if lenient {
                flags.push("item_deleted".into());
            } else {
                errors.add(&at("menu_item_id"), "this item is no longer on the menu");
                continue;
            }
        } else if !item.available {
            if intake == Intake::Offline {
                flags.push("item_unavailable".into());
            } else {
                errors.add(&at("menu_item_id"), "this item is sold out");
                continue;
            }
        }
        let groups = groups_of(item.modifier_groups.clone());
        let modifiers = match chosen_modifiers(&groups, &line.modifier_option_ids) {
            Ok(m) => m,
            Err(msg) if lenient => {
                flags.push("modifiers_changed".into());
                tracing::info!(%msg, "offline order with modifiers the menu no longer has");
                chosen_modifiers_known(&groups, &line.modifier_option_ids)
            }
            Err(msg) => {
                errors.add(&at("modifier_option_ids"), msg);
                continue;
            }
        };
        let deltas: Vec<i64> = modifiers.iter().map(|m| m.price_minor).collect();
        let mut unit = pricing::unit_price(item.price_minor, deltas.iter().copied());
        if let Some(shown) = shown
            && intake == Intake::Offline
            && shown != unit
        {
            flags.push("price_changed".into());
            unit = shown;
        }
        lines.push(OrderLine {
            menu_item_id: item.id,
            name: item.name.clone(),
            qty: line.qty,
            unit_price_minor: unit,
            line_total_minor: unit * i64::from(line.qty),
            modifiers,
            note,
            station: item.station.clone(),
        });
    }
    errors.finish()?;
    flags.sort();
    flags.dedup();

    let subtotal: i64 = lines.iter().map(|l| l.line_total_minor).sum();
    let totals = pricing::totals(subtotal, outlet.service_charge_bp, outlet.tax_rate_bp);
    let (number, business_date) =
        pickup_number(tx, &req, prefix.as_deref(), &outlet, &mut flags, req.created_at_client).await?;
    let tickets = crate::kitchen::plan_tickets(&lines);

    // One statement takes the outlet's number (when the device did not bring
    // one), stores the order and opens its tickets, so the counter row stays
    // locked only for that statement, the events and the commit.
    let (counter, from_counter, number_sql) = match number {
        Some(_) => ("", "", "$6::text"),
        None => (
            "n AS (INSERT INTO order_counters AS c (tenant_id, outlet_id, business_date, last_number) \
                   VALUES ($1, $3, $7, 1) ON CONFLICT (tenant_id, outlet_id, business_date) \
                   DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number), ",
            " FROM n",
            "coalesce($6::text, n.last_number::text)",
        ),
    };
    let id = Uuid::now_v7();
    let row: OrderRow = tx
        .query_one(
            &format!(
                "WITH {counter}o AS (INSERT INTO orders (tenant_id, id, outlet_id, client_order_id, payload_hash, number, \
                        business_date, status, channel, customer_name, table_label, lines, subtotal_minor, \
                        service_charge_minor, tax_minor, total_minor, currency, flags, device_id, user_id, created_at_client) \
                 SELECT $1, $2, $3, $4, $5, {number_sql}, $7, 'placed', $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                        $18, $19, $20{from_counter} \
                 RETURNING {COLUMNS}), \
                 t AS (INSERT INTO tickets (tenant_id, id, order_id, outlet_id, station, status, lines) \
                 SELECT $1, (r->>'id')::uuid, $2, $3, r->>'station', 'open', r->'lines' \
                   FROM jsonb_array_elements($21::jsonb) r) \
                 SELECT * FROM o"
            ),
            [
                tx.tenant_id().into(),
                id.into(),
                req.outlet_id.into(),
                req.client_order_id.into(),
                hash.into(),
                number.into(),
                business_date.into(),
                (if req.channel == Channel::Counter { "counter" } else { "kiosk" }).into(),
                customer_name.into(),
                table.into(),
                serde_json::to_value(&lines).map_err(anyhow::Error::from)?.into(),
                totals.subtotal_minor.into(),
                totals.service_charge_minor.into(),
                totals.tax_minor.into(),
                totals.total_minor.into(),
                outlet.currency.into(),
                flags.into(),
                device_id.into(),
                actor.user_id().into(),
                req.created_at_client.into(),
                crate::kitchen::planned_rows(&tickets).into(),
            ],
        )
        .await?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let order = row.into_order();
    let tickets = crate::kitchen::opened(&order, tickets);
    let mut events = vec![("order.created", serde_json::to_value(&order).map_err(anyhow::Error::from)?)];
    events.extend(crate::kitchen::created_events(&tickets)?);
    tx.append_events(order.outlet_id, events).await?;
    metrics::counter!("orders_created_total", "intake" => if intake == Intake::Online { "online" } else { "offline" })
        .increment(1);
    Ok(Placed::Created(order))
}

async fn existing(tx: &ScopedTx, client_order_id: Uuid) -> Result<Option<(OrderRow, Vec<u8>)>> {
    #[derive(FromQueryResult)]
    struct Hash {
        payload_hash: Vec<u8>,
    }
    let row: Option<OrderRow> = tx
        .query_one(&format!("SELECT {COLUMNS} FROM orders WHERE client_order_id = $1"), [client_order_id.into()])
        .await?;
    let Some(row) = row else { return Ok(None) };
    let hash: Option<Hash> =
        tx.query_one("SELECT payload_hash FROM orders WHERE client_order_id = $1", [client_order_id.into()]).await?;
    Ok(Some((row, hash.map(|h| h.payload_hash).unwrap_or_default())))
}

async fn device_prefix(tx: &ScopedTx, device_id: Uuid) -> Result<Option<String>> {
    let rows = tx.query_raw("SELECT number_prefix FROM devices WHERE id = $1", [device_id.into()]).await?;
    Ok(crate::db::opt_row::<Option<String>>(&rows, "number_prefix")?.flatten())
}

/// The device's own number (`<prefix>-<n>`) when it sent a valid one for its
/// prefix and it is free that day (`Some`); otherwise `None`: the order gets
/// the outlet's next number for its local day, taken as it is stored.
async fn pickup_number(
    tx: &ScopedTx,
    req: &CreateOrder,
    prefix: Option<&str>,
    outlet: &OutletInfo,
    flags: &mut Vec<String>,
    created_at_client: DateTime<Utc>,
) -> Result<(Option<String>, chrono::NaiveDate)> {
    if let Some(number) = req.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let valid = prefix.is_some_and(|p| {
            number
                .strip_prefix(p)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.len() <= 4 && n.chars().all(|c| c.is_ascii_digit()))
        });
        if valid {
            let date = local_date(tx, created_at_client, &outlet.timezone).await?;
            let taken = tx
                .query_raw(
                    "SELECT 1 AS one FROM orders WHERE outlet_id = $1 AND business_date = $2 AND number = $3",
                    [req.outlet_id.into(), date.into(), number.into()],
                )
                .await?;
            if taken.is_empty() {
                return Ok((Some(number.to_string()), date));
            }
        }
        flags.push("number_reassigned".into());
        flags.sort();
        flags.dedup();
    }
    Ok((None, outlet.today))
}

async fn local_date(tx: &ScopedTx, at: DateTime<Utc>, timezone: &str) -> Result<chrono::NaiveDate> {
    let rows =
        tx.query_raw("SELECT ($1::timestamptz AT TIME ZONE $2)::date AS d", [at.into(), timezone.into()]).await?;
    crate::db::opt_row(&rows, "d")?.ok_or_else(|| Error::internal("no date"))
}

/// The chosen options, checked against the item's groups (each option known
/// and chosen once; each group within its min and max).
pub fn chosen_modifiers(groups: &[ModifierGroup], chosen: &[Uuid]) -> std::result::Result<Vec<OrderModifier>, String> {
    let mut per_group: BTreeMap<usize, u32> = BTreeMap::new();
    let mut out = Vec::new();
    for (n, option_id) in chosen.iter().enumerate() {
        if chosen[..n].contains(option_id) {
            return Err("an option is chosen twice".into());
        }
        let found = groups
            .iter()
            .enumerate()
            .find_map(|(gi, g)| g.options.iter().find(|o| o.id == Some(*option_id)).map(|o| (gi, g, o)));
        let Some((gi, group, option)) = found else {
            return Err(format!("option {option_id} is not an option of this item"));
        };
        *per_group.entry(gi).or_default() += 1;
        out.push(OrderModifier {
            option_id: *option_id,
            group: group.name.clone(),
            name: option.name.clone(),
            price_minor: option.price_minor,
        });
    }
    for (gi, group) in groups.iter().enumerate() {
        let n = per_group.get(&gi).copied().unwrap_or(0);
        if n < group.min {
            return Err(format!("choose at least {} of {}", group.min, group.name));
        }
        if n > group.max {
            return Err(format!("choose at most {} of {}", group.max, group.name));
        }
    }
    Ok(out)
}

/// The options of `chosen` the item still has (for lenient offline intake).
fn chosen_modifiers_known(groups: &[ModifierGroup], chosen: &[Uuid]) -> Vec<OrderModifier> {
    chosen
        .iter()
        .filter_map(|id| {
            groups.iter().find_map(|g| {
                g.options.iter().find(|o| o.id == Some(*id)).map(|o| OrderModifier {
                    option_id: *id,
                    group: g.name.clone(),
                    name: o.name.clone(),
                    price_minor: o.price_minor,
                })
            })
        })
        .collect()
}

fn unknown_line(
    line: &pos_wire::OrderLineRequest,
    unit: i64,
    note: Option<String>,
    shown_name: Option<String>,
) -> OrderLine {
    OrderLine {
        menu_item_id: line.menu_item_id,
        name: shown_name.unwrap_or_else(|| "(item no longer on the menu)".into()),
        qty: line.qty,
        unit_price_minor: unit,
        line_total_minor: unit * i64::from(line.qty),
        modifiers: Vec::new(),
        note,
        station: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pos_wire::ModifierOption;

    fn groups() -> (Vec<ModifierGroup>, [Uuid; 4]) {
        let ids = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
        let opt = |i: usize, price| ModifierOption { id: Some(ids[i]), name: format!("o{i}"), price_minor: price };
        (
            vec![
                ModifierGroup {
                    id: Some(Uuid::now_v7()),
                    name: "Ice".into(),
                    min: 1,
                    max: 1,
                    options: vec![opt(0, 0), opt(1, 0)],
                },
                ModifierGroup {
                    id: Some(Uuid::now_v7()),
                    name: "Extra".into(),
                    min: 0,
                    max: 1,
                    options: vec![opt(2, 6000), opt(3, 8000)],
                },
            ],
            ids,
        )
    }

    #[test]
    fn modifier_rules() {
        let (g, ids) = groups();
        assert_eq!(chosen_modifiers(&g, &[ids[0]]).unwrap().len(), 1);
        assert_eq!(chosen_modifiers(&g, &[ids[1], ids[3]]).unwrap()[1].price_minor, 8000);
        assert!(chosen_modifiers(&g, &[]).unwrap_err().contains("at least 1 of Ice"));
        assert!(chosen_modifiers(&g, &[ids[0], ids[1]]).unwrap_err().contains("at most 1 of Ice"));
        assert!(chosen_modifiers(&g, &[ids[0], ids[2], ids[3]]).unwrap_err().contains("at most 1 of Extra"));
        assert!(chosen_modifiers(&g, &[ids[0], ids[0]]).unwrap_err().contains("twice"));
        assert!(chosen_modifiers(&g, &[ids[0], Uuid::now_v7()]).unwrap_err().contains("not an option"));
    }
}
