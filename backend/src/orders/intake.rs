//! Taking an order: idempotent on `client_order_id`, priced by the server,
//! numbered for pickup, split into kitchen tickets, announced on the outlet's
//! event log, all in one transaction.
//!
//! Online intake (`POST /orders`) is strict: it refuses what cannot be sold
//! now (an 86ed or deleted item, a closed outlet for kiosks) and a shown
//! price that is not today's, so the customer hears at once and can fix the
//! cart. Offline intake (`sync/push`, kiosks and tills) keeps an order a customer
//! already placed on a device whose menu has changed since: an 86ed or
//! deleted item, or a past price that the price history proves the device
//! showed, is kept and flagged for staff; anything else is rejected with the
//! reason, and nothing reaches the kitchen (`line_pricing`, `shown_price`).
//!
//! `created_at_client` more than [`MAX_CLOCK_AHEAD`] ahead of the server's
//! clock, or older than the offline window, is rejected on both intakes; an
//! offline order arriving more than [`LATE_AFTER`] after it is flagged
//! `late_sync`.

use std::{collections::HashMap, sync::LazyLock};

use chrono::{DateTime, Duration, Utc};
use pos_wire::{Channel, CreateOrder, DeviceKind, KitchenRelease, LiveEvent, Order, OrderLine, OrderLineRequest, Role};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    COLUMNS, OrderRow,
    line_pricing::{CurrentItem, LineOutcome, PastPrices, price_line},
    price_history, pricing,
    shown_price::{ItemHistory, ShownWhen},
};
use crate::{
    auth::{Actor, ActorKind},
    catalog::{items::groups_of, pull::parse_cursor},
    config::Settings,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    reports::rollups,
    stock::ledger::{self, Change, SaleSql},
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

/// The refusal of a [`Placed::Conflict`].
pub fn reused_key() -> Error {
    Error::conflict(Code::ClientOrderIdReused)
}

/// What intake needs from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct IntakePolicy {
    /// How old an order may be, and how far back shown prices are honoured.
    pub offline_window: Duration,
}

impl IntakePolicy {
    pub fn from_settings(settings: &Settings) -> IntakePolicy {
        IntakePolicy {
            offline_window: Duration::from_std(settings.offline_order_window).unwrap_or(Duration::hours(72)),
        }
    }
}

pub const MAX_LINES: usize = 100;
/// A device clock may run this far ahead of the server's.
pub const MAX_CLOCK_AHEAD: Duration = Duration::minutes(10);
/// An offline order arriving this long after it was taken is flagged `late_sync`.
pub const LATE_AFTER: Duration = Duration::minutes(30);

#[derive(Debug, FromQueryResult)]
struct OutletInfo {
    is_open: bool,
    tax_rate_bp: i32,
    service_charge_bp: i32,
    timezone: String,
    currency: String,
    today: chrono::NaiveDate,
    /// `on_place` or `on_paid`: when kiosk orders reach the kitchen.
    kiosk_kitchen_release: String,
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

/// Trimmed free text of at most `max` characters; `None` when empty.
fn text(raw: &Option<String>, max: usize) -> std::result::Result<Option<String>, CodedError> {
    let Some(v) = raw.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    if v.chars().count() > max {
        return Err(CodedError::too_long(max));
    }
    if v.chars().any(char::is_control) {
        return Err(Code::ControlCharacters.into());
    }
    Ok(Some(v.to_string()))
}

/// Checks `created_at_client` against the server's `now`: the flag to add
/// (`late_sync`), or why the order is refused.
pub fn order_time(
    created_at_client: DateTime<Utc>,
    now: DateTime<Utc>,
    window: Duration,
    intake: Intake,
) -> std::result::Result<Option<&'static str>, CodedError> {
    if created_at_client > now + MAX_CLOCK_AHEAD {
        return Err(Code::ClockAhead.into());
    }
    if created_at_client < now - window {
        return Err(CodedError::order_too_old(window.num_hours()));
    }
    Ok((intake == Intake::Offline && created_at_client < now - LATE_AFTER).then_some("late_sync"))
}

/// What identifies the content of an order, for replay detection.
pub fn payload_hash(req: &CreateOrder) -> Vec<u8> {
    let canonical = serde_json::to_vec(req).unwrap_or_default();
    Sha256::digest(&canonical).to_vec()
}

/// Who takes the order: (device, its number prefix) for a kiosk or a
/// cashier signed in on a till, nothing for other staff. Kiosks take kiosk orders at their own outlet; staff take
/// counter orders; kitchen displays and kitchen staff take none.
async fn taken_by(tx: &ScopedTx, actor: &Actor, req: &CreateOrder) -> Result<(Option<Uuid>, Option<String>)> {
    match &actor.kind {
        ActorKind::Device { device_id, outlet_id, kind } => {
            if *kind != DeviceKind::Kiosk {
                return Err(Error::Forbidden(Code::KiosksOnlyTakeOrders));
            }
            if *outlet_id != req.outlet_id {
                return Err(Error::field("outlet_id", Code::OutletNotThisKiosk));
            }
            if req.channel != Channel::Kiosk {
                return Err(Error::field("channel", Code::KioskChannelOnly));
            }
            Ok((Some(*device_id), device_prefix(tx, *device_id).await?))
        }
        ActorKind::Staff { role, till, .. } => {
            if *role == Role::Kitchen {
                return Err(Error::Forbidden(Code::KitchenStaffTakeNoOrders));
            }
            if !matches!(req.channel, Channel::Counter | Channel::Table) {
                return Err(Error::field("channel", Code::CounterChannelOnly));
            }
            // A cashier signed in on a till takes the order at that till,
            // numbered with its prefix when it brought its own number.
            match till {
                Some(till) => Ok((Some(till.device_id), device_prefix(tx, till.device_id).await?)),
                None => Ok((None, None)),
            }
        }
    }
}

/// Places `req` for `actor` (see the module docs for the two intakes).
pub async fn place_order(
    tx: &ScopedTx,
    actor: &Actor,
    req: CreateOrder,
    intake: Intake,
    policy: &IntakePolicy,
) -> Result<Placed> {
    let (device_id, prefix) = taken_by(tx, actor, &req).await?;
    let hash = payload_hash(&req);
    if let Some(replay) = replay(tx, req.client_order_id, &hash).await? {
        return Ok(replay);
    }
    if intake == Intake::Online {
        // A till's queue says which shift it sold in (`sync::push`).
        crate::shifts::sale::check_order(tx, actor, intake, None, req.created_at_client).await?;
    }

    let now = Utc::now();
    let mut errors = FieldErrors::new();
    let mut fields = check_fields(&req, now, policy, intake, &mut errors);
    let Some(outlet) = outlet_terms(tx, req.outlet_id).await? else {
        errors.add("outlet_id", Code::OutletNotFound);
        return Err(Error::Validation(errors));
    };
    if !outlet.is_open {
        match when_closed(intake, req.channel) {
            Closed::Refuse => errors.add("outlet_id", Code::OutletClosed),
            Closed::Flag => fields.flags.push("outlet_closed".to_string()),
        }
    }
    let when = ShownWhen {
        menu_version: fields.menu_version,
        taken_at: req.created_at_client.min(now),
        not_before: now - policy.offline_window,
    };
    let past = PastTerms { when, window_hours: policy.offline_window.num_hours() };
    let (lines, line_flags) = price_lines(tx, &req, intake, &past, &mut errors).await?;
    let seat = crate::tables::seat_for(tx, &req, &mut errors).await?;
    errors.finish()?;
    if let Some(seat) = &seat {
        fields.table = Some(seat.label.clone());
    }
    fields.flags.extend(line_flags.into_iter().map(String::from));

    let subtotal: i64 = lines.iter().map(|l| l.line_total_minor).sum();
    let totals = pricing::totals(subtotal, outlet.service_charge_bp, outlet.tax_rate_bp);
    let (number, business_date) =
        pickup_number(tx, &req, prefix.as_deref(), &outlet, &mut fields.flags, req.created_at_client).await?;
    fields.flags.sort();
    fields.flags.dedup();
    // A kiosk order at an outlet that cooks only what is paid waits, unseen
    // by the kitchen, until its payment settles it (`payments::settle`).
    let kiosk = matches!(actor.kind, ActorKind::Device { .. });
    let released = !kiosk || outlet.kiosk_kitchen_release != KitchenRelease::OnPaid.as_str();
    let tickets = if released { crate::kitchen::plan_tickets(&lines) } else { Vec::new() };
    let table_id = seat.map(|s| s.table_id);
    let id = Uuid::now_v7();
    let stored_lines = serde_json::to_value(&lines).map_err(anyhow::Error::from)?;
    // Counted now, before the insert takes the outlet's number (its counter
    // row stays locked until the commit).
    let counted =
        rollups::NewOrder { id, outlet_id: req.outlet_id, channel: req.channel, totals: &totals, lines: &stored_lines };
    rollups::count_new_order(tx, counted).await?;
    let new = NewOrder {
        id,
        req: &req,
        hash,
        number,
        business_date,
        fields,
        lines: stored_lines,
        totals,
        currency: outlet.currency,
        table_id,
    };
    let (mut order, changes) = insert_order(tx, actor, device_id, new, &lines, &tickets, released).await?;
    // A refusal rolls the whole order back with the transaction.
    let short = crate::stock::sales::settle(tx, &order, &lines, &changes, when_short(intake)).await?;
    if let Some(flag) = short {
        add_flag(tx, &mut order, flag).await?;
    }
    let tickets = crate::kitchen::opened(&order, tickets);
    let mut events = vec![LiveEvent::OrderCreated(order.clone())];
    events.extend(tickets.into_iter().map(LiveEvent::TicketCreated));
    tx.append_events(order.outlet_id, events).await?;
    metrics::counter!("orders_created_total", "intake" => if intake == Intake::Online { "online" } else { "offline" })
        .increment(1);
    Ok(Placed::Created(order))
}

/// What the order says about itself, checked.
#[derive(Debug, Default, PartialEq)]
struct Fields {
    customer_name: Option<String>,
    table: Option<String>,
    /// The catalogue version of the menu the device priced from (`priced_from`).
    menu_version: Option<i64>,
    flags: Vec<String>,
}

/// Checks what needs neither the database nor the menu: the free text,
/// the number of lines, `created_at_client` against the server's `now`,
/// and the `priced_from` cursor. Refusals go to `errors`.
fn check_fields(
    req: &CreateOrder,
    now: DateTime<Utc>,
    policy: &IntakePolicy,
    intake: Intake,
    errors: &mut FieldErrors,
) -> Fields {
    let customer_name = errors.take("customer_name", text(&req.customer_name, 60)).flatten();
    let table = errors.take("table", text(&req.table, 20)).flatten();
    if req.items.is_empty() {
        errors.add("items", Code::ItemsRequired);
    }
    if req.items.len() > MAX_LINES {
        errors.add("items", CodedError::too_many(Code::TooManyLines, MAX_LINES));
    }
    let flags = errors
        .take("created_at_client", order_time(req.created_at_client, now, policy.offline_window, intake))
        .flatten()
        .map(String::from)
        .into_iter()
        .collect();
    let menu_version = errors
        .take("priced_from", parse_cursor(req.priced_from.as_deref()).map_err(|_| Code::PullCursorInvalid.into()))
        .flatten();
    Fields { customer_name, table, menu_version, flags }
}

/// What a closed outlet does with an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closed {
    Refuse,
    /// Keep it, flagged `outlet_closed` for staff.
    Flag,
}

/// A kiosk customer ordering now hears at once that the outlet is closed;
/// a counter order, or one already taken offline, is kept for staff.
fn when_closed(intake: Intake, channel: Channel) -> Closed {
    match (intake, channel) {
        (Intake::Online, Channel::Kiosk) => Closed::Refuse,
        _ => Closed::Flag,
    }
}

/// A customer ordering now hears that stock ran out; an order already
/// taken on a device is kept, flagged, and may take stock below zero.
fn when_short(intake: Intake) -> crate::stock::sales::WhenShort {
    match intake {
        Intake::Online => crate::stock::sales::WhenShort::Refuse,
        Intake::Offline => crate::stock::sales::WhenShort::Flag,
    }
}

async fn outlet_terms(tx: &ScopedTx, outlet_id: Uuid) -> Result<Option<OutletInfo>> {
    tx.query_one(
        "SELECT o.is_open, o.tax_rate_bp, o.service_charge_bp, o.timezone, t.currency::text AS currency, \
                (now() AT TIME ZONE o.timezone)::date AS today, o.kiosk_kitchen_release \
           FROM outlets o JOIN tenants t ON t.id = o.tenant_id WHERE o.id = $1 AND o.archived_at IS NULL",
        [outlet_id.into()],
    )
    .await
}

/// Replays: one at a time per key, then answered from what is stored.
async fn replay(tx: &ScopedTx, client_order_id: Uuid, hash: &[u8]) -> Result<Option<Placed>> {
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [client_order_id.to_string().into()]).await?;
    let Some((row, stored_hash)) = existing(tx, client_order_id).await? else { return Ok(None) };
    let order = Order::try_from(row)?;
    Ok(Some(if stored_hash == hash {
        // Paid since, perhaps: the replay shows the order as it is now.
        Placed::Duplicate(super::with_payments(tx, order).await?)
    } else {
        Placed::Conflict(order)
    }))
}

/// An order ready to store: checked, priced and numbered.
struct NewOrder<'r> {
    id: Uuid,
    req: &'r CreateOrder,
    hash: Vec<u8>,
    /// The device's own number, or `None` for the outlet's next one.
    number: Option<String>,
    business_date: chrono::NaiveDate,
    fields: Fields,
    /// The priced lines, as stored.
    lines: serde_json::Value,
    totals: pricing::Totals,
    currency: String,
    /// The table a check is seated at.
    table_id: Option<Uuid>,
}

/// The statement that stores a new order ([`INSERT_ORDER`]), for the
/// benchmark's pgbench script, which runs it as the server does.
pub fn insert_order_statement() -> &'static str {
    &INSERT_ORDER
}

/// Stores the order, with its number, its tickets and the stock it takes,
/// in one statement (`sql/insert_order.sql`).
static INSERT_ORDER: LazyLock<String> = LazyLock::new(|| {
    let sale =
        SaleSql { tenant: "$1", outlet: "$3", order: "$2", created_at: "now()", user: "$19", device: "$18", first: 25 };
    include_str!("sql/insert_order.sql").replace("{COLUMNS}", COLUMNS).replace("{SALE}", &ledger::sale_ctes(&sale))
});

/// The stored order and the balances its stock changed.
#[derive(FromQueryResult)]
struct Stored {
    #[sea_orm(nested)]
    order: OrderRow,
    stock: serde_json::Value,
}

async fn insert_order(
    tx: &ScopedTx,
    actor: &Actor,
    device_id: Option<Uuid>,
    new: NewOrder<'_>,
    lines: &[OrderLine],
    tickets: &[crate::kitchen::PlannedTicket],
    kitchen_released: bool,
) -> Result<(Order, Vec<Change>)> {
    let req = new.req;
    let head: [sea_orm::Value; 24] = [
        tx.tenant_id().into(),
        new.id.into(),
        req.outlet_id.into(),
        req.client_order_id.into(),
        new.hash.into(),
        new.number.into(),
        new.business_date.into(),
        req.channel.as_str().into(),
        new.fields.customer_name.into(),
        new.fields.table.into(),
        new.lines.into(),
        new.totals.subtotal_minor.into(),
        new.totals.service_charge_minor.into(),
        new.totals.tax_minor.into(),
        new.totals.total_minor.into(),
        new.currency.into(),
        new.fields.flags.into(),
        device_id.into(),
        actor.user_id().into(),
        req.created_at_client.into(),
        crate::kitchen::planned_rows(tickets).into(),
        kitchen_released.into(),
        new.table_id.into(),
        req.guest_count.filter(|_| new.table_id.is_some()).into(),
    ];
    let stored: Stored = tx
        .query_one(&INSERT_ORDER, head.into_iter().chain(ledger::sale_values(lines)))
        .await
        .map_err(crate::tables::seat_taken)?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let changes = serde_json::from_value(stored.stock).map_err(anyhow::Error::from)?;
    Ok((Order::try_from(stored.order)?, changes))
}

/// Adds `flag` to the just stored `order` (rare: an offline sale that took
/// stock below zero), keeping its flags sorted.
async fn add_flag(tx: &ScopedTx, order: &mut Order, flag: &str) -> Result<()> {
    if order.flags.iter().any(|f| f == flag) {
        return Ok(());
    }
    order.flags.push(flag.to_string());
    order.flags.sort();
    tx.execute("UPDATE orders SET flags = $2 WHERE id = $1", [order.id.into(), order.flags.clone().into()]).await?;
    Ok(())
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
    }
    Ok((None, outlet.today))
}

async fn local_date(tx: &ScopedTx, at: DateTime<Utc>, timezone: &str) -> Result<chrono::NaiveDate> {
    let rows =
        tx.query_raw("SELECT ($1::timestamptz AT TIME ZONE $2)::date AS d", [at.into(), timezone.into()]).await?;
    crate::db::opt_row(&rows, "d")?.ok_or_else(|| Error::internal("no date"))
}

/// Prices lines sold now, as `POST /orders` prices them (a round added to
/// a check). Refusals are 422 under `items[i].<field>`.
pub(crate) async fn price_now(tx: &ScopedTx, outlet_id: Uuid, items: &[OrderLineRequest]) -> Result<Vec<OrderLine>> {
    let now = Utc::now();
    let req = CreateOrder {
        client_order_id: Uuid::nil(),
        outlet_id,
        channel: Channel::Table,
        customer_name: None,
        table: None,
        table_id: None,
        guest_count: None,
        created_at_client: now,
        items: items.to_vec(),
        number: None,
        priced_from: None,
    };
    let mut errors = FieldErrors::new();
    if items.is_empty() {
        errors.add("items", Code::ItemsRequired);
    }
    if items.len() > MAX_LINES {
        errors.add("items", CodedError::too_many(Code::TooManyLines, MAX_LINES));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    // Online lines never need the history.
    let past = PastTerms { when: ShownWhen { menu_version: None, taken_at: now, not_before: now }, window_hours: 0 };
    let (lines, _) = price_lines(tx, &req, Intake::Online, &past, &mut errors).await?;
    errors.finish()?;
    Ok(lines)
}

/// The terms a past price is checked under.
struct PastTerms {
    when: ShownWhen,
    window_hours: i64,
}

/// Prices every line (see `line_pricing`), reading the price history only
/// for offline lines whose shown price is not today's. Refusals go to
/// `errors` under `items[i].<field>`.
async fn price_lines(
    tx: &ScopedTx,
    req: &CreateOrder,
    intake: Intake,
    past: &PastTerms,
    errors: &mut FieldErrors,
) -> Result<(Vec<OrderLine>, Vec<&'static str>)> {
    let items = current_items(tx, req).await?;
    let notes: Vec<_> = req.items.iter().map(|l| text(&l.note, 140)).collect();
    let price = |i: usize, history: Option<&ItemHistory>| {
        let line = &req.items[i];
        match &notes[i] {
            Err(why) => LineOutcome::Refused { field: "note", error: why.clone() },
            Ok(note) => {
                let past =
                    history.map(|history| PastPrices { history, when: &past.when, window_hours: past.window_hours });
                price_line(line, note.clone(), items.get(&line.menu_item_id), intake, past)
            }
        }
    };
    let mut outcomes: Vec<LineOutcome> = (0..req.items.len()).map(|i| price(i, None)).collect();
    let waiting: Vec<Uuid> = outcomes
        .iter()
        .zip(&req.items)
        .filter(|(o, _)| **o == LineOutcome::NeedsHistory)
        .map(|(_, l)| l.menu_item_id)
        .collect();
    if !waiting.is_empty() {
        let history = price_history::load(tx, req.outlet_id, &waiting, past.when.not_before).await?;
        let none = ItemHistory::default();
        for (i, outcome) in outcomes.iter_mut().enumerate() {
            if *outcome == LineOutcome::NeedsHistory {
                *outcome = price(i, Some(history.get(&req.items[i].menu_item_id).unwrap_or(&none)));
            }
        }
    }
    let (mut lines, mut flags) = (Vec::with_capacity(outcomes.len()), Vec::new());
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            LineOutcome::Priced { line, flags: f } => {
                lines.push(line);
                flags.extend(f);
            }
            LineOutcome::Refused { field, error } => errors.add(&format!("items[{i}].{field}"), error),
            LineOutcome::NeedsHistory => return Err(Error::internal("a line was left unpriced")),
        }
    }
    Ok((lines, flags))
}

/// The order's items as its outlet sells them now (deleted ones included:
/// items are only ever soft-deleted, so an id not here never existed).
async fn current_items(tx: &ScopedTx, req: &CreateOrder) -> Result<HashMap<Uuid, CurrentItem>> {
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
    Ok(found
        .into_iter()
        .map(|i| {
            let item = CurrentItem {
                id: i.id,
                name: i.name,
                price_minor: i.price_minor,
                available: i.available,
                deleted: i.deleted,
                groups: groups_of(i.modifier_groups),
                station: i.station,
            };
            (item.id, item)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_times() {
        let now = Utc::now();
        let window = Duration::hours(72);
        let check = |ago: Duration, intake| order_time(now - ago, now, window, intake);
        assert_eq!(check(Duration::zero(), Intake::Online), Ok(None));
        assert_eq!(check(Duration::minutes(-9), Intake::Offline), Ok(None), "a clock a little ahead");
        assert_eq!(check(Duration::minutes(-11), Intake::Offline), Err(Code::ClockAhead.into()));
        assert_eq!(check(Duration::days(365), Intake::Online), Err(CodedError::order_too_old(72)));
        assert_eq!(check(Duration::minutes(29), Intake::Offline), Ok(None));
        assert_eq!(check(Duration::minutes(31), Intake::Offline), Ok(Some("late_sync")));
        assert_eq!(check(Duration::minutes(31), Intake::Online), Ok(None));
        assert_eq!(check(Duration::hours(71), Intake::Offline), Ok(Some("late_sync")));
        assert!(check(Duration::hours(73), Intake::Offline).unwrap_err().to_string().contains("72 h"));
        assert!(check(Duration::hours(73), Intake::Online).is_err());
    }

    fn order(items: usize) -> CreateOrder {
        let line = pos_wire::OrderLineRequest {
            menu_item_id: Uuid::nil(),
            qty: 1,
            modifier_option_ids: Vec::new(),
            note: None,
            shown_unit_price_minor: None,
            shown_name: None,
        };
        CreateOrder {
            client_order_id: Uuid::nil(),
            outlet_id: Uuid::nil(),
            channel: Channel::Kiosk,
            customer_name: Some("  Siti ".into()),
            table: None,
            table_id: None,
            guest_count: None,
            created_at_client: Utc::now(),
            items: vec![line; items],
            number: None,
            priced_from: None,
        }
    }

    #[test]
    fn the_fields_an_order_checks_by_itself() {
        let policy = IntakePolicy { offline_window: Duration::hours(72) };
        let now = Utc::now();
        let mut errors = FieldErrors::new();
        let fields = check_fields(&order(1), now, &policy, Intake::Online, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fields, Fields { customer_name: Some("Siti".into()), ..Fields::default() });

        let mut late = order(1);
        late.created_at_client = now - Duration::hours(1);
        let fields = check_fields(&late, now, &policy, Intake::Offline, &mut errors);
        assert_eq!(fields.flags, ["late_sync"]);

        let mut bad = order(MAX_LINES + 1);
        bad.table = Some("t".repeat(21));
        bad.priced_from = Some("yesterday".into());
        check_fields(&bad, now, &policy, Intake::Online, &mut errors);
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["items", "priced_from", "table"]);
        let mut empty = FieldErrors::new();
        check_fields(&order(0), now, &policy, Intake::Online, &mut empty);
        assert_eq!(empty.0["items"], [CodedError::from(Code::ItemsRequired)]);
    }

    #[test]
    fn only_a_kiosk_ordering_now_is_refused_by_a_closed_outlet() {
        assert_eq!(when_closed(Intake::Online, Channel::Kiosk), Closed::Refuse);
        assert_eq!(when_closed(Intake::Offline, Channel::Kiosk), Closed::Flag);
        assert_eq!(when_closed(Intake::Online, Channel::Counter), Closed::Flag);
    }

    #[test]
    fn free_text() {
        assert_eq!(text(&Some("  Siti ".into()), 60), Ok(Some("Siti".into())));
        assert_eq!(text(&Some("   ".into()), 60), Ok(None));
        assert_eq!(text(&None, 60), Ok(None));
        assert_eq!(text(&Some("x".repeat(61)), 60), Err(CodedError::too_long(60)));
        assert_eq!(text(&Some("a\u{0}b".into()), 60), Err(Code::ControlCharacters.into()));
    }
}
