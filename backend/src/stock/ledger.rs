//! The one place balances change. A change is a set of (ingredient, delta)
//! at one outlet; one statement upserts every balance it touches, in
//! ingredient order (the hot rows of a busy outlet are always locked in the
//! same order, so concurrent orders queue instead of deadlocking), and
//! returns what each ingredient now holds with what its effects need: the
//! alert level, and the largest portion any item's own recipe takes of it.
//! A sale ([`sell`]) also writes its movements and its `stock_sale_lines`
//! in that same statement: one round trip while the outlet's rows are held.
//!
//! [`effects`] then does what a change implies: an item that stock can no
//! longer cover goes sold out at the outlet, one that was sold out by stock
//! and is covered again comes back (both live, `menu.availability_changed`),
//! and an ingredient crossing its alert level downward mails the outlet's
//! managers once (a crossing happens again only after it went back above).

use std::sync::LazyLock;

use sea_orm::{FromQueryResult, Value};
use serde::Deserialize;
use uuid::Uuid;

use pos_wire::{Order, OrderLine};

use super::{ITEM_ITSELF, availability};
use crate::{
    db::ScopedTx,
    email::low_stock::{self, LowStock},
    error::Result,
};

/// A balance after a change (also read as JSON: a sale stored with its order).
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult, Deserialize)]
pub struct Change {
    pub ingredient_id: Uuid,
    /// What the change added (negative: took).
    pub delta: i64,
    pub after: i64,
    /// The outlet's alert level, else the brand's.
    pub threshold: Option<i64>,
    /// The largest portion an item's own recipe takes of the ingredient.
    pub max_portion: Option<i64>,
    pub name: String,
    pub unit: String,
    pub unit_cost_minor: i64,
}

impl Change {
    pub fn before(&self) -> i64 {
        self.after - self.delta
    }

    /// It went from above its alert level to at or below it.
    pub fn crossed_low(&self) -> bool {
        self.threshold.is_some_and(|t| self.before() > t && self.after <= t)
    }

    /// It took stock below a portion some item needs.
    pub fn may_sell_out(&self) -> bool {
        self.delta < 0 && self.max_portion.is_some_and(|m| self.after < m)
    }

    /// It added stock to an ingredient that was below a portion.
    pub fn may_bring_back(&self) -> bool {
        self.delta > 0 && self.max_portion.is_some_and(|m| self.before() < m)
    }
}

/// The CTEs that upsert the balances of `want` (a CTE yielding
/// `ingredient_id, delta`, given first) and yield each [`Change`] as
/// `changes`; `tenant` and `outlet` are the statement's expressions for them.
fn change_ctes(tenant: &str, outlet: &str, want: &str) -> String {
    format!(
        "{want}, \
         up AS (INSERT INTO stock_balances AS b (tenant_id, outlet_id, ingredient_id, on_hand) \
                SELECT {tenant}, {outlet}, w.ingredient_id, w.delta FROM want w ORDER BY w.ingredient_id \
                ON CONFLICT (tenant_id, outlet_id, ingredient_id) \
                DO UPDATE SET on_hand = b.on_hand + EXCLUDED.on_hand, updated_at = now() \
                RETURNING b.ingredient_id, b.on_hand), \
         changes AS (SELECT u.ingredient_id, w.delta, u.on_hand AS after, \
                coalesce(t.threshold, i.low_stock_threshold) AS threshold, \
                (SELECT max(r.qty) FROM recipe_lines r \
                  WHERE r.tenant_id = {tenant} AND r.ingredient_id = u.ingredient_id \
                    AND r.option_id = '00000000-0000-0000-0000-000000000000') AS max_portion, \
                i.name, i.unit, i.cost_per_unit_minor AS unit_cost_minor \
           FROM up u JOIN want w ON w.ingredient_id = u.ingredient_id \
           JOIN ingredients i ON i.tenant_id = {tenant} AND i.id = u.ingredient_id \
           LEFT JOIN ingredient_thresholds t \
                  ON t.tenant_id = {tenant} AND t.outlet_id = {outlet} AND t.ingredient_id = u.ingredient_id)"
    )
}

/// Given deltas: `$1` tenant, `$2` outlet, `$3` ingredient ids, `$4` deltas.
static APPLY: LazyLock<String> = LazyLock::new(|| {
    let want = "want AS (SELECT d.ingredient_id, sum(d.delta)::int8 AS delta \
                  FROM unnest($3::uuid[], $4::int8[]) AS d(ingredient_id, delta) GROUP BY d.ingredient_id)";
    format!("WITH {} SELECT * FROM changes ORDER BY ingredient_id", change_ctes("$1", "$2", want))
});

/// Where a statement that sells has what [`sale_ctes`] needs: SQL
/// expressions (a parameter such as `$3`, or `now()`), and the number of
/// the first of the sale's own six parameters ([`sale_values`]).
pub struct SaleSql<'a> {
    pub tenant: &'a str,
    pub outlet: &'a str,
    pub order: &'a str,
    /// The order's `created_at`, which its sale lines are dated with.
    pub created_at: &'a str,
    pub user: &'a str,
    pub device: &'a str,
    pub first: usize,
}

/// A sale, whole, as CTEs of one statement: what the recipes of the sold
/// portions take (`took`, per line and ingredient), the balances
/// (`changes`), one `sale` movement per ingredient and the order's
/// `stock_sale_lines`. The sale's own parameters, from `first`: the
/// movements' base id (see [`sale_values`]), then the portions: line
/// ordinal, line id, menu item, option (nil for the item itself), units.
pub fn sale_ctes(at: &SaleSql<'_>) -> String {
    let SaleSql { tenant, outlet, order, created_at, user, device, first } = *at;
    let [base, ords, lines, items, options, units] = std::array::from_fn::<_, 6, _>(|i| format!("${}", first + i));
    let took = format!(
        "p AS (SELECT * FROM unnest({ords}::int8[], {lines}::uuid[], {items}::uuid[], {options}::uuid[], {units}::int8[]) \
                 AS p(ord, line_id, item_id, option_id, units)), \
         took AS (SELECT p.ord, p.line_id, p.item_id, r.ingredient_id, max(p.units) AS units, \
                         sum(r.qty * p.units)::int8 AS qty \
                    FROM p JOIN recipe_lines r \
                      ON r.tenant_id = {tenant} AND r.menu_item_id = p.item_id AND r.option_id = p.option_id \
                   GROUP BY p.ord, p.line_id, p.item_id, r.ingredient_id), \
         want AS (SELECT ingredient_id, -sum(qty)::int8 AS delta FROM took GROUP BY ingredient_id)"
    );
    format!(
        "{}, \
         moved AS (INSERT INTO stock_movements (tenant_id, id, outlet_id, ingredient_id, kind, qty, on_hand_after, \
                                                unit_cost_minor, order_id, user_id, device_id) \
                   SELECT {tenant}, encode(overlay(uuid_send({base}::uuid) \
                                            PLACING substring(int4send(c.n::int4) FROM 2) FROM 14 FOR 3), 'hex')::uuid, \
                          {outlet}, c.ingredient_id, 'sale', c.delta, c.after, c.unit_cost_minor, {order}, {user}, {device} \
                     FROM (SELECT *, row_number() OVER (ORDER BY ingredient_id) AS n FROM changes) c), \
         sold AS (INSERT INTO stock_sale_lines (tenant_id, outlet_id, order_id, line_id, menu_item_id, ingredient_id, \
                                                units, qty, unit_cost_minor, created_at) \
                  SELECT {tenant}, {outlet}, {order}, t.line_id, t.item_id, t.ingredient_id, t.units, t.qty, \
                         c.unit_cost_minor, {created_at} \
                    FROM took t JOIN changes c ON c.ingredient_id = t.ingredient_id)",
        change_ctes(tenant, outlet, &took)
    )
}

/// The sale's own parameters for [`sale_ctes`], for `lines`.
///
/// The movements' ids are one UUIDv7 made here with its low 24 bits
/// replaced by each movement's ordinal: they sort in ingredient order, after
/// every id this process made before and before every id it makes after
/// (uuid's v7 counter sits above those bits), like ids made one by one.
pub fn sale_values(lines: &[OrderLine]) -> [Value; 6] {
    let mut ords = Vec::new();
    let mut line_ids = Vec::new();
    let mut items = Vec::new();
    let mut options = Vec::new();
    let mut units = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let chosen = std::iter::once(ITEM_ITSELF).chain(l.modifiers.iter().map(|m| m.option_id));
        for option in chosen {
            ords.push(i as i64);
            line_ids.push(l.line_id);
            items.push(l.menu_item_id);
            options.push(option);
            units.push(i64::from(l.qty));
        }
    }
    let mut base = Uuid::now_v7().into_bytes();
    base[13..].fill(0);
    [Uuid::from_bytes(base).into(), ords.into(), line_ids.into(), items.into(), options.into(), units.into()]
}

/// A sale on its own: `$1` tenant, `$2` outlet, `$3` order, `$4` its
/// `created_at`, `$5` user, `$6` device, then the sale's own parameters.
static SELL: LazyLock<String> = LazyLock::new(|| {
    let at = SaleSql { tenant: "$1", outlet: "$2", order: "$3", created_at: "$4", user: "$5", device: "$6", first: 7 };
    format!("WITH {} SELECT * FROM changes ORDER BY ingredient_id", sale_ctes(&at))
});

/// Adds `deltas` (ingredient, signed qty) to the outlet's balances.
pub async fn apply(tx: &ScopedTx, outlet_id: Uuid, deltas: &[(Uuid, i64)]) -> Result<Vec<Change>> {
    if deltas.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = deltas.iter().map(|d| d.0).collect();
    let qtys: Vec<i64> = deltas.iter().map(|d| d.1).collect();
    tx.query_all(&APPLY, [tx.tenant_id().into(), outlet_id.into(), ids.into(), qtys.into()]).await
}

/// A stored order's lines being sold, and who sold them.
#[derive(Debug, Clone, Copy)]
pub struct Sale<'a> {
    pub order: &'a Order,
    /// The lines sold (all of a new order's, or a round added to a check).
    pub lines: &'a [OrderLine],
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
}

/// Takes what the sale's lines need by their recipes (nothing for items
/// without one) and writes its ledger rows, in one statement
/// ([`sale_ctes`]); returns the changes.
pub async fn sell(tx: &ScopedTx, sale: Sale<'_>) -> Result<Vec<Change>> {
    if sale.lines.is_empty() {
        return Ok(Vec::new());
    }
    let head: [Value; 6] = [
        tx.tenant_id().into(),
        sale.order.outlet_id.into(),
        sale.order.id.into(),
        sale.order.created_at.into(),
        sale.user_id.into(),
        sale.device_id.into(),
    ];
    tx.query_all(&SELL, head.into_iter().chain(sale_values(sale.lines))).await
}

/// What a row of the ledger records besides its change.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub client_movement_id: Option<Uuid>,
    pub payload_hash: Option<Vec<u8>>,
    pub counted: Option<i64>,
    pub order_id: Option<Uuid>,
    pub transfer_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub note: Option<String>,
}

/// Appends one movement of `kind` per change, in one statement; returns their ids.
pub async fn record(
    tx: &ScopedTx,
    outlet_id: Uuid,
    kind: pos_wire::StockMovementKind,
    changes: &[Change],
    entry: &Entry,
) -> Result<Vec<Uuid>> {
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = changes.iter().map(|_| Uuid::now_v7()).collect();
    let ingredients: Vec<Uuid> = changes.iter().map(|c| c.ingredient_id).collect();
    let qtys: Vec<i64> = changes.iter().map(|c| c.delta).collect();
    let afters: Vec<i64> = changes.iter().map(|c| c.after).collect();
    let costs: Vec<i64> = changes.iter().map(|c| c.unit_cost_minor).collect();
    tx.execute(
        "INSERT INTO stock_movements (tenant_id, id, outlet_id, ingredient_id, kind, qty, on_hand_after, unit_cost_minor, \
                                      client_movement_id, payload_hash, counted, order_id, transfer_id, user_id, \
                                      device_id, note) \
         SELECT $1, m.id, $2, m.ingredient_id, $3, m.qty, m.after, m.cost, $4, $5, $6, $7, $8, $9, $10, $11 \
           FROM unnest($12::uuid[], $13::uuid[], $14::int8[], $15::int8[], $16::int8[]) AS m(id, ingredient_id, qty, after, cost)",
        [
            tx.tenant_id().into(),
            outlet_id.into(),
            kind.as_str().into(),
            entry.client_movement_id.into(),
            entry.payload_hash.clone().into(),
            entry.counted.into(),
            entry.order_id.into(),
            entry.transfer_id.into(),
            entry.user_id.into(),
            entry.device_id.into(),
            entry.note.clone().into(),
            ids.clone().into(),
            ingredients.into(),
            qtys.into(),
            afters.into(),
            costs.into(),
        ],
    )
    .await?;
    Ok(ids)
}

/// What the changes imply at the outlet (see the module docs).
pub async fn effects(tx: &ScopedTx, outlet_id: Uuid, changes: &[Change]) -> Result<()> {
    let short: Vec<Uuid> = changes.iter().filter(|c| c.may_sell_out()).map(|c| c.ingredient_id).collect();
    if !short.is_empty() {
        availability::sell_out(tx, outlet_id, availability::Among::Using(&short)).await?;
    }
    let restocked: Vec<Uuid> = changes.iter().filter(|c| c.may_bring_back()).map(|c| c.ingredient_id).collect();
    if !restocked.is_empty() {
        availability::bring_back(tx, outlet_id, availability::Among::Using(&restocked)).await?;
    }
    let low: Vec<&Change> = changes.iter().filter(|c| c.crossed_low()).collect();
    if !low.is_empty() {
        let outlet = super::live_outlet(tx, outlet_id).await?;
        for c in low {
            let on_hand = super::with_unit(c.after, &c.unit);
            let threshold = super::with_unit(c.threshold.unwrap_or_default(), &c.unit);
            let alert = LowStock { outlet: &outlet, ingredient: &c.name, on_hand: &on_hand, threshold: &threshold };
            let sent = low_stock::alert(tx, outlet_id, &alert).await?;
            tracing::info!(%outlet_id, ingredient_id = %c.ingredient_id, on_hand = c.after, sent, "low stock");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(delta: i64, after: i64, threshold: Option<i64>, max_portion: Option<i64>) -> Change {
        Change {
            ingredient_id: Uuid::nil(),
            delta,
            after,
            threshold,
            max_portion,
            name: "Susu".into(),
            unit: "ml".into(),
            unit_cost_minor: 20,
        }
    }

    #[test]
    fn a_low_alert_is_a_downward_crossing_only() {
        assert!(change(-200, 900, Some(1000), None).crossed_low(), "1100 -> 900 crosses 1000");
        assert!(change(-100, 1000, Some(1000), None).crossed_low(), "reaching the level counts");
        assert!(!change(-100, 800, Some(1000), None).crossed_low(), "already below: no second mail");
        assert!(!change(500, 900, Some(1000), None).crossed_low(), "going up never alerts");
        assert!(!change(-200, 900, None, None).crossed_low(), "no level, no alert");
    }

    #[test]
    fn sold_out_and_comeback_are_looked_at_only_near_a_portion() {
        assert!(change(-200, 100, None, Some(200)).may_sell_out());
        assert!(!change(-200, 200, None, Some(200)).may_sell_out(), "one portion still covered");
        assert!(!change(-200, 100, None, None).may_sell_out(), "in no item's own recipe");
        assert!(change(1000, 1100, None, Some(200)).may_bring_back(), "from 100, below a portion");
        assert!(!change(1000, 1300, None, Some(200)).may_bring_back(), "was covered already");
    }
}
