//! Sales deplete stock in the order's own transaction, as late as it
//! allows: a new order's stock is taken by the very statement that stores
//! it and takes its pickup number (`ledger::sale_ctes`), a round added to a
//! check by one statement once the check is recomputed ([`take_for_order`]).
//! Either way the outlet's hot balance rows are locked (in ingredient order)
//! only for the events and the commit, like its number counter, and the
//! ledger rows are written in the same statement. [`settle`] then refuses
//! the sale or does its effects.
//!
//! An order taken now (online) that stock cannot cover is refused:
//! `item_sold_out` on each line that needs what ran out, and the whole
//! transaction (the order too) is rolled back. An order taken earlier on a
//! device (offline sync) is kept: stock may go negative, and the order is
//! flagged `stock_short` for staff.
//!
//! [`restore_for_order`] puts back what the order's own lines took (its
//! `stock_sale_lines`, which follow lines split off to another check or
//! merged into one) and nothing put back yet: on a cancellation before the
//! goods were made, and on a refund with `restock` (once per order,
//! however many refunds ask).

use std::collections::HashSet;

use pos_wire::{Order, OrderLine, StockMovementKind};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{
    ITEM_ITSELF,
    ledger::{self, Change, Entry, Sale},
};
use crate::{
    db::ScopedTx,
    error::{Code, Error, FieldErrors, Result},
};

/// The flag of an offline order that stock could not cover.
pub const STOCK_SHORT: &str = "stock_short";

/// What an order that stock cannot cover gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenShort {
    /// Refuse it (`item_sold_out`): the customer is ordering now.
    Refuse,
    /// Keep it, flagged, and let stock go negative.
    Flag,
}

/// Takes what `lines` of the stored `order` need at its outlet, with their
/// effects (see the module docs); returns the flag the order gets
/// (`stock_short` when it took stock below zero).
pub async fn take_for_order(
    tx: &ScopedTx,
    order: &Order,
    lines: &[OrderLine],
    when: WhenShort,
    user_id: Option<Uuid>,
    device_id: Option<Uuid>,
) -> Result<Option<&'static str>> {
    let changes = ledger::sell(tx, Sale { order, lines, user_id, device_id }).await?;
    settle(tx, order, lines, &changes, when).await
}

/// What the stock `lines` of `order` took (`changes`, by `ledger::sell` or
/// written with the order, `ledger::sale_ctes`) means for the sale: a
/// refusal, or its effects and the order's flag (see [`take_for_order`]).
pub async fn settle(
    tx: &ScopedTx,
    order: &Order,
    lines: &[OrderLine],
    changes: &[Change],
    when: WhenShort,
) -> Result<Option<&'static str>> {
    let short: HashSet<Uuid> = changes.iter().filter(|c| c.after < 0 && c.delta < 0).map(|c| c.ingredient_id).collect();
    if !short.is_empty() && when == WhenShort::Refuse {
        return Err(sold_out_lines(tx, lines, &short).await);
    }
    ledger::effects(tx, order.outlet_id, changes).await?;
    Ok((!short.is_empty()).then_some(STOCK_SHORT))
}

/// `item_sold_out` on every line whose item or options need a short ingredient.
async fn sold_out_lines(tx: &ScopedTx, lines: &[OrderLine], short: &HashSet<Uuid>) -> Error {
    #[derive(FromQueryResult)]
    struct Uses {
        menu_item_id: Uuid,
        option_id: Uuid,
    }
    let items: Vec<Uuid> = lines.iter().map(|l| l.menu_item_id).collect();
    let uses: Vec<Uses> = match tx
        .query_all(
            "SELECT DISTINCT menu_item_id, option_id FROM recipe_lines \
              WHERE menu_item_id = ANY($1) AND ingredient_id = ANY($2)",
            [items.into(), short.iter().copied().collect::<Vec<_>>().into()],
        )
        .await
    {
        Ok(uses) => uses,
        Err(e) => return e,
    };
    let needs: HashSet<(Uuid, Uuid)> = uses.into_iter().map(|u| (u.menu_item_id, u.option_id)).collect();
    let mut errors = FieldErrors::new();
    for (i, l) in lines.iter().enumerate() {
        let hit = needs.contains(&(l.menu_item_id, ITEM_ITSELF))
            || l.modifiers.iter().any(|m| needs.contains(&(l.menu_item_id, m.option_id)));
        if hit {
            errors.add(&format!("items[{i}].menu_item_id"), Code::ItemSoldOut);
        }
    }
    if errors.is_empty() {
        errors.add("items", Code::ItemSoldOut);
    }
    Error::Validation(errors)
}

/// Puts back what the order took and nothing has put back yet; `kind` is
/// `cancel` or `refund`. Returns the changes (none when all is back).
pub async fn restore_for_order(
    tx: &ScopedTx,
    order_id: Uuid,
    kind: StockMovementKind,
    user_id: Option<Uuid>,
    note: Option<String>,
) -> Result<Vec<Change>> {
    #[derive(FromQueryResult)]
    struct Owed {
        outlet_id: Uuid,
        ingredient_id: Uuid,
        owed: i64,
    }
    let owed: Vec<Owed> = tx
        .query_all(
            "WITH took AS (SELECT outlet_id, ingredient_id, sum(qty) AS q FROM stock_sale_lines WHERE order_id = $1 \
                            GROUP BY outlet_id, ingredient_id), \
                  back AS (SELECT ingredient_id, sum(qty) AS q FROM stock_movements \
                            WHERE order_id = $1 AND kind IN ('cancel', 'refund') GROUP BY ingredient_id) \
             SELECT t.outlet_id, t.ingredient_id, (t.q - coalesce(b.q, 0))::int8 AS owed \
               FROM took t LEFT JOIN back b ON b.ingredient_id = t.ingredient_id \
              WHERE t.q > coalesce(b.q, 0) ORDER BY t.ingredient_id",
            [order_id.into()],
        )
        .await?;
    let Some(outlet_id) = owed.first().map(|o| o.outlet_id) else { return Ok(Vec::new()) };
    let deltas: Vec<(Uuid, i64)> = owed.iter().map(|o| (o.ingredient_id, o.owed)).collect();
    let changes = ledger::apply(tx, outlet_id, &deltas).await?;
    let entry = Entry { order_id: Some(order_id), user_id, note, ..Entry::default() };
    ledger::record(tx, outlet_id, kind, &changes, &entry).await?;
    ledger::effects(tx, outlet_id, &changes).await?;
    Ok(changes)
}

/// A split check: the stock its lines took follows them. `moved` is
/// (line id on the check, line id on the new order, units moved).
pub async fn follow_split(tx: &ScopedTx, from: Uuid, to: &Order, moved: &[(Uuid, Uuid, i64)]) -> Result<()> {
    let lines: Vec<Uuid> = moved.iter().map(|m| m.0).collect();
    let new_lines: Vec<Uuid> = moved.iter().map(|m| m.1).collect();
    let units: Vec<i64> = moved.iter().map(|m| m.2).collect();
    tx.execute(
        "WITH moved AS (SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::int8[]) AS m(line_id, new_line_id, units)), \
              src AS (SELECT l.id, l.units, m.new_line_id, least(m.units, l.units) AS moved \
                        FROM stock_sale_lines l JOIN moved m ON m.line_id = l.line_id WHERE l.order_id = $1), \
              part AS (INSERT INTO stock_sale_lines (tenant_id, outlet_id, order_id, line_id, menu_item_id, ingredient_id, \
                                                     units, qty, unit_cost_minor, created_at) \
                       SELECT l.tenant_id, l.outlet_id, $5, s.new_line_id, l.menu_item_id, l.ingredient_id, s.moved, \
                              l.qty / l.units * s.moved, l.unit_cost_minor, $6 \
                         FROM src s JOIN stock_sale_lines l ON l.id = s.id WHERE s.moved < s.units) \
         UPDATE stock_sale_lines l \
            SET order_id = CASE WHEN s.moved = s.units THEN $5 ELSE l.order_id END, \
                created_at = CASE WHEN s.moved = s.units THEN $6 ELSE l.created_at END, \
                units = l.units - CASE WHEN s.moved = s.units THEN 0 ELSE s.moved END, \
                qty = l.qty - CASE WHEN s.moved = s.units THEN 0 ELSE l.qty / l.units * s.moved END \
           FROM src s WHERE l.id = s.id",
        [from.into(), lines.into(), new_lines.into(), units.into(), to.id.into(), to.created_at.into()],
    )
    .await?;
    Ok(())
}

/// A merged check: the stock the closed check's lines took follows them
/// into `into` (so closing the merged check puts nothing back).
pub async fn follow_merge(tx: &ScopedTx, from: Uuid, into: &Order) -> Result<()> {
    tx.execute(
        "UPDATE stock_sale_lines SET order_id = $2, created_at = $3 WHERE order_id = $1",
        [from.into(), into.id.into(), into.created_at.into()],
    )
    .await?;
    Ok(())
}
