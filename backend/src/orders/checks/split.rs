//! Splitting a check: by item (chosen lines, or part of their quantity, go
//! to a new order, exactly once per its `client_order_id`), or evenly (the
//! balance in `ways` payment amounts that sum exactly to it).
//!
//! By item, the new order is priced afresh (service charge and tax on its
//! own lines) and the check keeps the rest of the money it had, so the two
//! totals always sum to the check's total before the split (rounding
//! included). What was sent to the kitchen stays on the check's tickets.

use pos_wire::{
    Channel, EvenSplit, LiveEvent, Order, OrderLine, OrderPaymentStatus, OrderStatus, Role, SplitCheck, SplitEvenly,
    SplitResult, pricing, split_evenly,
};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{has_discounts, may_work_checks};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    orders::{
        COLUMNS, OrderRow,
        recompute::{announce, lock_open, store},
    },
    tenancy::audit,
};

pub enum Split {
    Created(SplitResult),
    /// The same `client_order_id` and content again: both orders as they are.
    Replayed(SplitResult),
}

fn payload_hash(order_id: Uuid, req: &SplitCheck) -> Vec<u8> {
    let canonical = serde_json::to_vec(&(order_id, &req.lines, req.table_id)).unwrap_or_default();
    Sha256::digest(&canonical).to_vec()
}

/// The check's lines divided: (what stays, what goes), or the refusals.
pub fn divide(lines: &[OrderLine], req: &SplitCheck) -> Result<(Vec<OrderLine>, Vec<OrderLine>)> {
    let mut errors = FieldErrors::new();
    if req.lines.is_empty() {
        errors.add("lines", Code::ItemsRequired);
    }
    let mut stays: Vec<OrderLine> = lines.to_vec();
    let mut goes = Vec::new();
    let mut named = std::collections::HashSet::new();
    for (i, wanted) in req.lines.iter().enumerate() {
        let found = stays.iter_mut().find(|l| l.line_id == wanted.line_id && !l.line_id.is_nil());
        let Some(line) = found.filter(|_| named.insert(wanted.line_id)) else {
            errors.add(&format!("lines[{i}].line_id"), Code::SplitLineUnknown);
            continue;
        };
        if !(1..=line.qty).contains(&wanted.qty) {
            errors.add(&format!("lines[{i}].qty"), CodedError::new(Code::SplitQtyTooLarge).with("max", line.qty));
            continue;
        }
        let mut part = line.clone();
        if wanted.qty < line.qty {
            part.line_id = Uuid::now_v7();
            part.qty = wanted.qty;
            part.line_total_minor = line.unit_price_minor * i64::from(wanted.qty);
            line.qty -= wanted.qty;
            line.line_total_minor = line.unit_price_minor * i64::from(line.qty);
        } else {
            line.qty = 0;
        }
        part.discount_minor = 0;
        goes.push(part);
    }
    stays.retain(|l| l.qty > 0);
    if errors.is_empty() && stays.is_empty() {
        errors.add("lines", Code::SplitTakesEverything);
    }
    errors.finish()?;
    Ok((stays, goes))
}

#[derive(Debug, FromQueryResult)]
struct Rates {
    service_charge_bp: i32,
    tax_rate_bp: i32,
    today: chrono::NaiveDate,
}

/// Splits the chosen lines of check `order_id` off to a new order.
pub async fn split_check(tx: &ScopedTx, actor: &Actor, order_id: Uuid, req: SplitCheck) -> Result<Split> {
    may_work_checks(actor)?;
    let seen = crate::orders::get(tx, actor, order_id).await?;
    let hash = payload_hash(seen.id, &req);
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [req.client_order_id.to_string().into()])
        .await?;
    if let Some(done) = replay(tx, actor, seen.id, req.client_order_id, &hash).await? {
        return Ok(Split::Replayed(done));
    }
    let order = lock_open(tx, seen.id).await?;
    if order.channel != Channel::Table {
        return Err(Error::conflict(Code::NotACheck));
    }
    if order.discount_minor > 0 || has_discounts(tx, &[order.id]).await? {
        return Err(Error::conflict(Code::CheckHasDiscounts));
    }
    let (stays, goes) = divide(&order.items, &req)?;
    let seat = match req.table_id {
        Some(table_id) => Some(
            crate::tables::free_table(tx, order.outlet_id, table_id, None)
                .await?
                .ok_or_else(|| Error::field("table_id", Code::TableUnknown))?,
        ),
        None => None,
    };
    let rates: Rates = tx
        .query_one(
            "SELECT service_charge_bp, tax_rate_bp, (now() AT TIME ZONE timezone)::date AS today FROM outlets WHERE id = $1",
            [order.outlet_id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let part =
        pricing::totals(goes.iter().map(|l| l.line_total_minor).sum(), rates.service_charge_bp, rates.tax_rate_bp);
    let rest = store(
        tx,
        order.id,
        &stays,
        order.subtotal_minor - part.subtotal_minor,
        0,
        order.service_charge_minor - part.service_charge_minor,
        order.tax_minor - part.tax_minor,
        order.total_minor - part.total_minor,
    )
    .await?;
    let table_label = seat.as_ref().map_or(order.table.clone(), |s| Some(s.label.clone()));
    let row: OrderRow = tx
        .query_one(
            &format!(
                "WITH n AS ( \
                    INSERT INTO order_counters AS c (tenant_id, outlet_id, business_date, last_number) VALUES ($1, $3, $4, 1) \
                    ON CONFLICT (tenant_id, outlet_id, business_date) DO UPDATE SET last_number = c.last_number + 1 \
                    RETURNING last_number) \
                 INSERT INTO orders (tenant_id, id, outlet_id, client_order_id, payload_hash, number, business_date, status, \
                        channel, customer_name, table_label, table_id, split_from, lines, subtotal_minor, service_charge_minor, \
                        tax_minor, total_minor, currency, flags, user_id, created_at_client) \
                 SELECT $1, $2, $3, $5, $6, (SELECT last_number::text FROM n), $4, $7, 'table', $8, $9, $10, $11, $12, \
                        $13, $14, $15, $16, $17, '{{}}', $18, now() \
                 RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                Uuid::now_v7().into(),
                order.outlet_id.into(),
                rates.today.into(),
                req.client_order_id.into(),
                hash.into(),
                order.status.as_str().into(),
                order.customer_name.clone().into(),
                table_label.into(),
                seat.as_ref().map(|s| s.table_id).into(),
                order.id.into(),
                serde_json::to_value(&goes).map_err(anyhow::Error::from)?.into(),
                part.subtotal_minor.into(),
                part.service_charge_minor.into(),
                part.tax_minor.into(),
                part.total_minor.into(),
                order.currency.clone().into(),
                actor.user_id().into(),
            ],
        )
        .await
        .map_err(|e| if e.is_unique_violation() { Error::conflict(Code::ClientOrderIdReused) } else { e })?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let new_order = Order::try_from(row)?;
    let moved: Vec<(Uuid, Uuid, i64)> =
        req.lines.iter().zip(&goes).map(|(w, part)| (w.line_id, part.line_id, i64::from(w.qty))).collect();
    crate::stock::sales::follow_split(tx, order.id, &new_order, &moved).await?;
    tx.append_event(order.outlet_id, LiveEvent::OrderCreated(new_order.clone())).await?;
    let record = serde_json::json!({
        "from_order_id": order.id, "new_order_id": new_order.id,
        "lines": req.lines, "total_minor": rest.total_minor, "new_total_minor": new_order.total_minor,
    });
    audit::record(tx, actor, "check.split", "order", Some(order.id), Some(order.outlet_id), None, Some(record.clone()))
        .await?;
    audit::record(tx, actor, "check.split", "order", Some(new_order.id), Some(order.outlet_id), None, Some(record))
        .await?;
    Ok(Split::Created(SplitResult {
        order: announce(tx, actor, order.id).await?,
        new_order: crate::orders::read(tx, actor, new_order.id).await?,
    }))
}

/// The split already made under `client_order_id`, if any; 409 when that
/// key names another order or content.
async fn replay(
    tx: &ScopedTx,
    actor: &Actor,
    order_id: Uuid,
    client_order_id: Uuid,
    hash: &[u8],
) -> Result<Option<SplitResult>> {
    #[derive(FromQueryResult)]
    struct Stored {
        id: Uuid,
        split_from: Option<Uuid>,
        payload_hash: Vec<u8>,
    }
    let stored: Option<Stored> = tx
        .query_one(
            "SELECT id, split_from, payload_hash FROM orders WHERE client_order_id = $1",
            [client_order_id.into()],
        )
        .await?;
    let Some(stored) = stored else { return Ok(None) };
    if stored.split_from != Some(order_id) || stored.payload_hash != hash {
        return Err(Error::conflict(Code::ClientOrderIdReused));
    }
    Ok(Some(SplitResult {
        order: crate::orders::read(tx, actor, order_id).await?,
        new_order: crate::orders::read(tx, actor, stored.id).await?,
    }))
}

/// The balance of an order still to pay, in `ways` amounts summing to it.
pub async fn split_order_evenly(tx: &ScopedTx, actor: &Actor, order_id: Uuid, req: SplitEvenly) -> Result<EvenSplit> {
    actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier])?;
    if !(2..=50).contains(&req.ways) {
        return Err(Error::field("ways", CodedError::out_of_range(2, 50)));
    }
    let order = crate::orders::get(tx, actor, order_id).await?;
    let payable = matches!(order.payment_status, OrderPaymentStatus::Unpaid | OrderPaymentStatus::PartiallyPaid)
        && order.status != OrderStatus::Cancelled;
    if !payable {
        return Err(Error::conflict(Code::OrderNotOpen));
    }
    let balance = crate::payments::settle::balance(&order);
    Ok(EvenSplit {
        order_id: order.id,
        balance_minor: balance,
        amounts_minor: split_evenly(balance, i64::from(req.ways)),
    })
}

#[cfg(test)]
mod tests {
    use pos_wire::SplitLine;

    use super::*;

    fn line(qty: i32, unit: i64) -> OrderLine {
        OrderLine {
            line_id: Uuid::now_v7(),
            menu_item_id: Uuid::now_v7(),
            name: "Nasi".into(),
            qty,
            unit_price_minor: unit,
            line_total_minor: unit * i64::from(qty),
            discount_minor: 0,
            modifiers: vec![],
            note: None,
            station: None,
        }
    }

    fn split(lines: Vec<SplitLine>) -> SplitCheck {
        SplitCheck { client_order_id: Uuid::now_v7(), lines, table_id: None }
    }

    #[test]
    fn whole_lines_and_part_quantities_go_and_the_rest_stays() {
        let (a, b) = (line(3, 10_000), line(1, 25_000));
        let (stays, goes) =
            divide(&[a.clone(), b.clone()], &split(vec![SplitLine { line_id: a.line_id, qty: 2 }])).unwrap();
        assert_eq!((stays[0].qty, stays[0].line_total_minor, stays[0].line_id), (1, 10_000, a.line_id));
        assert_eq!((goes[0].qty, goes[0].line_total_minor), (2, 20_000));
        assert_ne!(goes[0].line_id, a.line_id, "a part is a line of its own");
        let (stays, goes) =
            divide(&[a.clone(), b.clone()], &split(vec![SplitLine { line_id: b.line_id, qty: 1 }])).unwrap();
        assert_eq!((stays.len(), goes[0].line_id), (1, b.line_id));
    }

    #[test]
    fn refusals() {
        let (a, b) = (line(3, 10_000), line(1, 25_000));
        let lines = [a.clone(), b.clone()];
        let all = split(vec![SplitLine { line_id: a.line_id, qty: 3 }, SplitLine { line_id: b.line_id, qty: 1 }]);
        assert!(divide(&lines, &all).is_err(), "something must stay");
        assert!(divide(&lines, &split(vec![SplitLine { line_id: a.line_id, qty: 4 }])).is_err());
        assert!(divide(&lines, &split(vec![SplitLine { line_id: a.line_id, qty: 0 }])).is_err());
        assert!(divide(&lines, &split(vec![SplitLine { line_id: Uuid::now_v7(), qty: 1 }])).is_err());
        let twice = split(vec![SplitLine { line_id: a.line_id, qty: 1 }, SplitLine { line_id: a.line_id, qty: 1 }]);
        assert!(divide(&lines, &twice).is_err());
        assert!(divide(&lines, &split(vec![])).is_err());
    }
}
