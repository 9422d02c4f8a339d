//! Kitchen tickets: each order's lines are routed to kitchen stations by
//! their category's station; a ticket per station; bump per ticket (the
//! order is ready when every ticket is bumped) and recall of bumped tickets.

pub mod http;

use chrono::{DateTime, Utc};
use pos_wire::{DeviceKind, LiveEvent, Order, OrderLine, OrderStatus, Role, Ticket, TicketStatus};
use sea_orm::FromQueryResult;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, CodedError, Error, Result},
    orders::{self, lifecycle::Move, status::set_status},
};

/// Lines without a station go to this one.
pub const DEFAULT_STATION: &str = "kitchen";

#[derive(Debug, FromQueryResult)]
struct TicketRow {
    id: Uuid,
    order_id: Uuid,
    outlet_id: Uuid,
    number: String,
    station: String,
    status: String,
    lines: serde_json::Value,
    order_status: String,
    created_at: DateTime<Utc>,
    bumped_at: Option<DateTime<Utc>>,
}

impl TryFrom<TicketRow> for Ticket {
    type Error = Error;

    fn try_from(r: TicketRow) -> Result<Ticket> {
        Ok(Ticket {
            id: r.id,
            order_id: r.order_id,
            outlet_id: r.outlet_id,
            number: r.number,
            station: r.station,
            status: TicketStatus::try_from(r.status.as_str()).map_err(anyhow::Error::from)?,
            lines: Vec::<OrderLine>::deserialize(&r.lines).map_err(anyhow::Error::from)?,
            order_status: OrderStatus::try_from(r.order_status.as_str()).map_err(anyhow::Error::from)?,
            created_at: r.created_at,
            bumped_at: r.bumped_at,
        })
    }
}

const SELECT: &str = "SELECT t.id, t.order_id, t.outlet_id, o.number, t.station, t.status, t.lines, \
        o.status AS order_status, t.created_at, t.bumped_at \
   FROM tickets t JOIN orders o ON o.tenant_id = t.tenant_id AND o.id = t.order_id";

/// A ticket of an order being placed: one per station, lines in order.
#[derive(Debug, Clone)]
pub struct PlannedTicket {
    pub id: Uuid,
    pub station: String,
    pub lines: Vec<OrderLine>,
}

/// Splits an order's lines into one ticket per station (stations in the
/// order their first line appears; lines without one go to the kitchen).
pub fn plan_tickets(lines: &[OrderLine]) -> Vec<PlannedTicket> {
    let mut tickets: Vec<PlannedTicket> = Vec::new();
    for line in lines {
        let station = line.station.clone().unwrap_or_else(|| DEFAULT_STATION.into());
        match tickets.iter_mut().find(|t| t.station == station) {
            Some(ticket) => ticket.lines.push(line.clone()),
            None => tickets.push(PlannedTicket { id: Uuid::now_v7(), station, lines: vec![line.clone()] }),
        }
    }
    tickets
}

/// The planned tickets as the JSON rows the intake statement inserts.
pub fn planned_rows(tickets: &[PlannedTicket]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> =
        tickets.iter().map(|t| serde_json::json!({"id": t.id, "station": t.station, "lines": t.lines})).collect();
    serde_json::Value::Array(rows)
}

/// The planned tickets as stored with `order` (same transaction, same time).
pub fn opened(order: &Order, tickets: Vec<PlannedTicket>) -> Vec<Ticket> {
    tickets
        .into_iter()
        .map(|t| Ticket {
            id: t.id,
            order_id: order.id,
            outlet_id: order.outlet_id,
            number: order.number.clone(),
            station: t.station,
            status: TicketStatus::Open,
            lines: t.lines,
            order_status: order.status,
            created_at: order.created_at,
            bumped_at: None,
        })
        .collect()
}

/// Opens the tickets of a kiosk order that waited for its payment (the
/// outlet releases kiosk orders to the kitchen once paid); nothing for an
/// order already released or cancelled. Returns them, to be announced.
pub async fn release_tickets(tx: &ScopedTx, order: &Order) -> Result<Vec<Ticket>> {
    let released = tx
        .query_raw(
            "UPDATE orders SET kitchen_released = true WHERE id = $1 AND NOT kitchen_released AND status <> 'cancelled' \
             RETURNING id",
            [order.id.into()],
        )
        .await?;
    if released.is_empty() {
        return Ok(Vec::new());
    }
    open_tickets(tx, order, &plan_tickets(&order.items)).await
}

/// Opens the `planned` tickets of `order` and returns them as stored.
async fn open_tickets(tx: &ScopedTx, order: &Order, planned: &[PlannedTicket]) -> Result<Vec<Ticket>> {
    tx.execute(
        "INSERT INTO tickets (tenant_id, id, order_id, outlet_id, station, status, lines) \
         SELECT $1, (r->>'id')::uuid, $2, $3, r->>'station', 'open', r->'lines' FROM jsonb_array_elements($4::jsonb) r",
        [tx.tenant_id().into(), order.id.into(), order.outlet_id.into(), planned_rows(planned).into()],
    )
    .await?;
    let ids: Vec<Uuid> = planned.iter().map(|t| t.id).collect();
    let rows: Vec<TicketRow> =
        tx.query_all(&format!("{SELECT} WHERE t.id = ANY($1) ORDER BY t.created_at, t.id"), [ids.into()]).await?;
    rows.into_iter().map(Ticket::try_from).collect()
}

/// Opens a ticket per station for `lines`, new lines of `order` (a round
/// added to a check): only those lines reach the kitchen. Returns the
/// tickets, to be announced.
pub async fn fire_lines(tx: &ScopedTx, order: &Order, lines: &[OrderLine]) -> Result<Vec<Ticket>> {
    open_tickets(tx, order, &plan_tickets(lines)).await
}

/// Hands the tickets of order `from` to order `into` (a merged check: what
/// the kitchen makes is the same), returned as they are now to be announced.
pub async fn hand_over_tickets(tx: &ScopedTx, from: Uuid, into: Uuid) -> Result<Vec<Ticket>> {
    let moved = tx
        .query_raw("UPDATE tickets SET order_id = $2 WHERE order_id = $1 RETURNING id", [from.into(), into.into()])
        .await?;
    let ids = moved.iter().map(|r| r.try_get::<Uuid>("", "id")).collect::<std::result::Result<Vec<_>, _>>()?;
    let rows: Vec<TicketRow> =
        tx.query_all(&format!("{SELECT} WHERE t.id = ANY($1) ORDER BY t.created_at, t.id"), [ids.into()]).await?;
    rows.into_iter().map(Ticket::try_from).collect()
}

/// Cancels the order's tickets (the order row already says cancelled) and
/// returns them as they are now, to be announced. (Not `{SELECT}` over the
/// updated ids: the outer query of one statement sees the rows as they were.)
pub async fn cancel_tickets(tx: &ScopedTx, order_id: Uuid) -> Result<Vec<Ticket>> {
    let rows: Vec<TicketRow> = tx
        .query_all(
            "WITH t AS (UPDATE tickets SET status = 'cancelled' WHERE order_id = $1 AND status <> 'cancelled' \
                        RETURNING id, order_id, outlet_id, tenant_id, station, status, lines, created_at, bumped_at) \
             SELECT t.id, t.order_id, t.outlet_id, o.number, t.station, t.status, t.lines, \
                    o.status AS order_status, t.created_at, t.bumped_at \
               FROM t JOIN orders o ON o.tenant_id = t.tenant_id AND o.id = t.order_id ORDER BY t.created_at, t.id",
            [order_id.into()],
        )
        .await?;
    rows.into_iter().map(Ticket::try_from).collect()
}

fn require_kitchen(actor: &Actor) -> Result<()> {
    match &actor.kind {
        ActorKind::Device { kind: DeviceKind::Kds, .. } => Ok(()),
        ActorKind::Device { .. } => Err(Error::Forbidden(Code::KitchenDisplaysOnly)),
        ActorKind::Staff { .. } => {
            actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier, Role::Kitchen]).map(|_| ())
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    pub station: Option<String>,
    /// `open` (default), `bumped` (newest first, for recall) or `all`.
    #[param(schema_with = ticket_filter)]
    pub status: Option<String>,
    /// At most this many tickets (default 200).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The OpenAPI schema of [`TicketQuery::status`].
fn ticket_filter() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["open", "bumped", "all"]))
        .build()
}

pub async fn list(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid, q: &TicketQuery) -> Result<Vec<Ticket>> {
    require_kitchen(actor)?;
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let status = q.status.as_deref().unwrap_or("open");
    let (filter, order) = match status {
        "open" => ("t.status = 'open'", "t.created_at, t.id"),
        "bumped" => ("t.status = 'bumped'", "t.bumped_at DESC"),
        "all" => ("o.status NOT IN ('completed') OR t.bumped_at > now() - interval '1 hour'", "t.created_at, t.id"),
        _ => return Err(Error::field("status", Code::TicketStatusInvalid)),
    };
    let limit = match q.limit.unwrap_or(200) {
        n @ 1..=500 => i64::from(n),
        _ => return Err(Error::field("limit", CodedError::out_of_range(1, 500))),
    };
    let rows: Vec<TicketRow> = tx
        .query_all(
            &format!(
                "{SELECT} WHERE t.outlet_id = $1 AND ($2::text IS NULL OR t.station = $2) AND ({filter}) ORDER BY {order} LIMIT $3"
            ),
            [outlet_id.into(), q.station.clone().into(), limit.into()],
        )
        .await?;
    rows.into_iter().map(Ticket::try_from).collect()
}

async fn locked(tx: &ScopedTx, id: Uuid) -> Result<Ticket> {
    tx.query_one::<TicketRow>(&format!("{SELECT} WHERE t.id = $1 FOR UPDATE OF t"), [id.into()])
        .await?
        .map(Ticket::try_from)
        .ok_or(Error::NotFound)?
}

async fn announce(tx: &ScopedTx, ticket: &Ticket) -> Result<()> {
    tx.append_event(ticket.outlet_id, LiveEvent::TicketUpdated(ticket.clone())).await?;
    Ok(())
}

/// Marks a ticket done. When it was the order's last open ticket, the order
/// becomes ready (through `preparing` if the kitchen had not said so).
pub async fn bump(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<Ticket> {
    require_kitchen(actor)?;
    let ticket = locked(tx, id).await?;
    if ticket.status != TicketStatus::Open {
        return Err(Error::conflict(Code::TicketNotOpen));
    }
    tx.execute("UPDATE tickets SET status = 'bumped', bumped_at = now() WHERE id = $1", [id.into()]).await?;
    let open = tx
        .query_raw(
            "SELECT 1 AS one FROM tickets WHERE order_id = $1 AND status = 'open' LIMIT 1",
            [ticket.order_id.into()],
        )
        .await?;
    if open.is_empty() {
        let mut order = lock_order(tx, ticket.order_id).await?;
        for next in [OrderStatus::Accepted, OrderStatus::Preparing, OrderStatus::Ready] {
            if Move::Lifecycle.allows(order.status, next) {
                order = set_status(tx, order, next, None, Move::Lifecycle).await?;
            }
        }
    }
    let ticket = locked(tx, id).await?;
    announce(tx, &ticket).await?;
    Ok(ticket)
}

/// Reopens a bumped ticket; a ready order goes back to preparing.
pub async fn recall(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<Ticket> {
    require_kitchen(actor)?;
    let ticket = locked(tx, id).await?;
    if ticket.status != TicketStatus::Bumped {
        return Err(Error::conflict(Code::TicketNotBumped));
    }
    if matches!(ticket.order_status, OrderStatus::Completed | OrderStatus::Cancelled) {
        return Err(Error::conflict(Code::OrderClosed));
    }
    tx.execute("UPDATE tickets SET status = 'open', bumped_at = NULL WHERE id = $1", [id.into()]).await?;
    let order = lock_order(tx, ticket.order_id).await?;
    if order.status == OrderStatus::Ready {
        // Back to the kitchen.
        set_status(tx, order, OrderStatus::Preparing, None, Move::Recall).await?;
    }
    let ticket = locked(tx, id).await?;
    announce(tx, &ticket).await?;
    Ok(ticket)
}

async fn lock_order(tx: &ScopedTx, id: Uuid) -> Result<Order> {
    tx.query_one::<orders::OrderRow>(
        &format!("SELECT {} FROM orders WHERE id = $1 FOR UPDATE", orders::COLUMNS),
        [id.into()],
    )
    .await?
    .map(Order::try_from)
    .ok_or(Error::NotFound)?
}
