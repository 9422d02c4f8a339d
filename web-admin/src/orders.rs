//! Orders: per outlet a read-only, paginated list and a detail page, and
//! the live board (placed, accepted, preparing, ready) that refreshes on
//! the outlet's server-sent events and moves orders along their lifecycle.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono_tz::Tz;
use pos_backend::{
    Error,
    db::ScopedTx,
    orders::{self, OrderQuery, status::change_status},
    tenancy::outlets,
};
use pos_wire::{ChangeOrderStatus, Channel, EventKind, Order, OrderPaymentStatus, OrderStatus, Outlet};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::AdminForm,
    error::{AdminError, parse_id},
    htmx, localtime,
    money::format_money,
    outlets::all_outlets,
    render::render_with_status,
    session::{Admin, Ctx},
};

/// The board's columns, in lifecycle order.
pub const BOARD: [OrderStatus; 4] =
    [OrderStatus::Placed, OrderStatus::Accepted, OrderStatus::Preparing, OrderStatus::Ready];
const PAGE_SIZE: u32 = 25;
const BOARD_LIMIT: u32 = 100;

pub fn status_key(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Placed => "status.placed",
        OrderStatus::Accepted => "status.accepted",
        OrderStatus::Preparing => "status.preparing",
        OrderStatus::Ready => "status.ready",
        OrderStatus::Completed => "status.completed",
        OrderStatus::Cancelled => "status.cancelled",
    }
}

/// Where an order's money stands, as its badge says it.
pub fn payment_key(s: OrderPaymentStatus) -> &'static str {
    match s {
        OrderPaymentStatus::Unpaid => "pay.unpaid",
        OrderPaymentStatus::PartiallyPaid => "pay.partially_paid",
        OrderPaymentStatus::Paid => "pay.paid",
        OrderPaymentStatus::PartiallyRefunded => "pay.partially_refunded",
        OrderPaymentStatus::Refunded => "pay.refunded",
        OrderPaymentStatus::Void => "pay.void",
    }
}

/// The events after which a page showing orders fetches them again: their
/// lifecycle and their money.
pub fn live_triggers() -> String {
    [
        EventKind::OrderCreated,
        EventKind::OrderStatusChanged,
        EventKind::PaymentUpdated,
        EventKind::OrderPaid,
        EventKind::RefundUpdated,
    ]
    .map(|k| format!("sse:{}", k.as_str()))
    .join(", ")
}

fn flag_key(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "price_changed" => "flag.price_changed",
        "item_unavailable" => "flag.item_unavailable",
        "item_deleted" => "flag.item_deleted",
        "outlet_closed" => "flag.outlet_closed",
        "late_sync" => "flag.late_sync",
        "refund_due" => "flag.refund_due",
        _ => return None,
    })
}

/// The next step on the board and its button's i18n key.
pub fn next_step(s: OrderStatus) -> Option<(OrderStatus, &'static str)> {
    Some(match s {
        OrderStatus::Placed => (OrderStatus::Accepted, "board.accept"),
        OrderStatus::Accepted => (OrderStatus::Preparing, "board.start"),
        OrderStatus::Preparing => (OrderStatus::Ready, "board.ready"),
        OrderStatus::Ready => (OrderStatus::Completed, "board.complete"),
        OrderStatus::Completed | OrderStatus::Cancelled => return None,
    })
}

pub struct LineView {
    pub qty: i32,
    pub name: String,
    pub modifiers: Vec<String>,
    pub note: Option<String>,
    pub unit_price: String,
    pub total: String,
}

/// An order as people read it: amounts formatted, times in the outlet's zone.
pub struct OrderView {
    pub id: Uuid,
    pub number: String,
    pub status: &'static str,
    pub status_label: &'static str,
    /// `paid`, `unpaid`, ... (the badge's class) and its words.
    pub payment_status: &'static str,
    pub payment_label: &'static str,
    pub channel: &'static str,
    pub customer_name: Option<String>,
    pub table: Option<String>,
    pub clock: String,
    pub when: String,
    pub lines: Vec<LineView>,
    pub subtotal: String,
    pub service: String,
    pub tax: String,
    pub total: String,
    /// Translated flags (unknown ones as sent).
    pub flags: Vec<String>,
    pub cancel_reason: Option<String>,
    pub next: Option<(&'static str, &'static str)>,
    pub cancellable: bool,
}

impl OrderView {
    pub fn of(o: Order, tz: Tz, ctx: &Ctx) -> OrderView {
        let money = |m: i64| format_money(m, &o.currency, ctx.tr);
        OrderView {
            id: o.id,
            status: o.status.as_str(),
            status_label: ctx.t(status_key(o.status)),
            payment_status: o.payment_status.as_str(),
            payment_label: ctx.t(payment_key(o.payment_status)),
            channel: ctx.t(match o.channel {
                Channel::Kiosk => "orders.channel_kiosk",
                Channel::Counter => "orders.channel_counter",
                Channel::Table => "orders.channel_table",
            }),
            clock: localtime::clock(&o.created_at, tz),
            when: localtime::date_time(&o.created_at, tz),
            lines: o
                .items
                .iter()
                .map(|l| LineView {
                    qty: l.qty,
                    name: l.name.clone(),
                    modifiers: l.modifiers.iter().map(|m| m.name.clone()).collect(),
                    note: l.note.clone(),
                    unit_price: money(l.unit_price_minor),
                    total: money(l.line_total_minor),
                })
                .collect(),
            subtotal: money(o.subtotal_minor),
            service: money(o.service_charge_minor),
            tax: money(o.tax_minor),
            total: money(o.total_minor),
            flags: o.flags.iter().map(|f| flag_key(f).map_or_else(|| f.clone(), |k| ctx.t(k).to_string())).collect(),
            next: next_step(o.status).map(|(s, key)| (s.as_str(), ctx.t(key))),
            cancellable: !matches!(o.status, OrderStatus::Completed | OrderStatus::Cancelled),
            number: o.number,
            customer_name: o.customer_name,
            table: o.table,
            cancel_reason: o.cancel_reason,
        }
    }
}

// ----- The outlet chooser -----

#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/index.html")]
pub(crate) struct OrdersIndex {
    ctx: Ctx,
    outlets: Vec<Outlet>,
}

pub async fn index(Admin { tx, ctx, .. }: Admin) -> Result<OrdersIndex, AdminError> {
    let outlets = all_outlets(&tx).await?;
    tx.commit().await?;
    Ok(OrdersIndex { ctx: ctx.at("orders"), outlets })
}

// ----- The list -----

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// One page of an outlet's orders, newest first.
pub(crate) struct ListRows {
    ctx: Ctx,
    outlet: Outlet,
    orders: Vec<OrderView>,
    status: String,
    /// The query string of the next (older) page.
    older: Option<String>,
    first_page: bool,
}

impl ListRows {
    /// The list's own URL with its filter and page, for its live refresh.
    fn rows_url(&self, cursor: Option<&str>) -> String {
        let query = serde_html_form::to_string([("status", self.status.as_str()), ("cursor", cursor.unwrap_or(""))])
            .unwrap_or_default();
        format!("/admin/outlets/{}/orders/rows?{query}", self.outlet.id)
    }

    fn live_triggers(&self) -> String {
        live_triggers()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/list.html")]
pub(crate) struct OrderList {
    ctx: Ctx,
    rows: ListRows,
    statuses: Vec<(&'static str, &'static str)>,
    cursor: Option<String>,
}

/// The table alone, for the list's live refresh.
#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/rows.html")]
pub(crate) struct OrderRows {
    ctx: Ctx,
    rows: ListRows,
}

async fn list_rows(
    Admin { tx, actor, ctx }: Admin,
    id: &str,
    q: &ListQuery,
) -> Result<(ListRows, Option<String>), AdminError> {
    let id = parse_id(id)?;
    let outlet = outlets::get(&tx, id).await?;
    let status = q.status.as_deref().and_then(OrderStatus::parse);
    let cursor = q.cursor.clone().filter(|c| Uuid::parse_str(c).is_ok());
    let query = OrderQuery {
        outlet_id: Some(id),
        status: status.map(|s| s.as_str().to_string()),
        limit: Some(PAGE_SIZE),
        cursor: cursor.clone(),
        ..OrderQuery::default()
    };
    let page = orders::list(&tx, &actor, &query).await?;
    tx.commit().await?;
    let tz = localtime::zone(&outlet.timezone);
    let status = status.map_or("", OrderStatus::as_str).to_string();
    let older = page
        .next_cursor
        .map(|c| serde_html_form::to_string([("status", status.as_str()), ("cursor", c.as_str())]).unwrap_or_default());
    let rows = ListRows {
        orders: page.items.into_iter().map(|o| OrderView::of(o, tz, &ctx)).collect(),
        ctx: ctx.at("orders"),
        outlet,
        status,
        older,
        first_page: cursor.is_none(),
    };
    Ok((rows, cursor))
}

pub async fn list(admin: Admin, id: web::Path<String>, q: web::Query<ListQuery>) -> Result<OrderList, AdminError> {
    let (rows, cursor) = list_rows(admin, &id, &q).await?;
    let ctx = rows.ctx.clone();
    let statuses = OrderStatus::ALL.iter().map(|s| (s.as_str(), ctx.t(status_key(*s)))).collect();
    Ok(OrderList { ctx, rows, statuses, cursor })
}

/// The list's table, fetched again when the outlet's orders change.
pub async fn list_table(
    admin: Admin,
    id: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<OrderRows, AdminError> {
    let (rows, _) = list_rows(admin, &id, &q).await?;
    Ok(OrderRows { ctx: rows.ctx.clone(), rows })
}

// ----- The live board -----

pub struct Column {
    pub status: &'static str,
    pub title: &'static str,
    pub orders: Vec<OrderView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/columns.html")]
pub(crate) struct BoardColumns {
    ctx: Ctx,
    columns: Vec<Column>,
    /// A friendly word after a refused move.
    message: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/board.html")]
pub(crate) struct BoardPage {
    ctx: Ctx,
    outlet: Outlet,
    outlets: Vec<Outlet>,
    columns: Vec<Column>,
    message: Option<String>,
}

impl BoardPage {
    fn live_triggers(&self) -> String {
        live_triggers()
    }
}

async fn columns(
    tx: &ScopedTx,
    admin_ctx: &Ctx,
    actor: &pos_backend::auth::Actor,
    outlet: &Outlet,
) -> Result<Vec<Column>, AdminError> {
    let tz = localtime::zone(&outlet.timezone);
    let mut out = Vec::with_capacity(BOARD.len());
    for status in BOARD {
        let query = OrderQuery {
            outlet_id: Some(outlet.id),
            status: Some(status.as_str().to_string()),
            limit: Some(BOARD_LIMIT),
            ..OrderQuery::default()
        };
        let page = orders::list(tx, actor, &query).await?;
        // Oldest first: the order waiting longest is at the top.
        let orders = page.items.into_iter().rev().map(|o| OrderView::of(o, tz, admin_ctx)).collect();
        out.push(Column { status: status.as_str(), title: admin_ctx.t(status_key(status)), orders });
    }
    Ok(out)
}

pub async fn board(Admin { tx, actor, ctx }: Admin, id: web::Path<String>) -> Result<BoardPage, AdminError> {
    let id = parse_id(&id)?;
    let outlet = outlets::get(&tx, id).await?;
    let outlets = all_outlets(&tx).await?;
    let columns = columns(&tx, &ctx, &actor, &outlet).await?;
    tx.commit().await?;
    Ok(BoardPage { ctx: ctx.at("orders"), outlet, outlets, columns, message: None })
}

/// The columns alone, for the board's live refresh.
pub async fn board_columns(Admin { tx, actor, ctx }: Admin, id: web::Path<String>) -> Result<BoardColumns, AdminError> {
    let id = parse_id(&id)?;
    let outlet = outlets::get(&tx, id).await?;
    let columns = columns(&tx, &ctx, &actor, &outlet).await?;
    tx.commit().await?;
    Ok(BoardColumns { ctx, columns, message: None })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    reason: String,
}

/// A move on the board (accept, start, ready, complete, cancel with a
/// reason). htmx gets the refreshed columns, with a friendly message when
/// the move was refused; plain forms go back to the board.
pub async fn set_status(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<StatusForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let order = orders::get(&tx, &actor, id).await?;
    let outlet = outlets::get(&tx, order.outlet_id).await?;
    let to = OrderStatus::parse(&form.status).ok_or_else(AdminError::bad_request)?;
    let reason = Some(form.reason.clone()).filter(|r| !r.trim().is_empty());
    let (status, message) = match change_status(&tx, &actor, id, ChangeOrderStatus { status: to, reason }).await {
        Ok(_) => (StatusCode::OK, None),
        Err(Error::Conflict(_)) => {
            let now = orders::get(&tx, &actor, id).await?;
            let text = format!(
                "{} {} {} {}",
                ctx.t("board.conflict"),
                order.number,
                ctx.t("board.conflict_now"),
                ctx.t(status_key(now.status)).to_lowercase()
            );
            (StatusCode::CONFLICT, Some(text))
        }
        Err(Error::Validation(_)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(format!("{} {}", order.number, ctx.t("board.reason_required"))))
        }
        Err(e) => return Err(e.into()),
    };
    let columns = columns(&tx, &ctx, &actor, &outlet).await?;
    tx.commit().await?;
    if htmx::wants_fragment(&req) {
        return render_with_status(&BoardColumns { ctx, columns, message }, status);
    }
    if status.is_success() {
        return Ok(htmx::see_other(&format!("/admin/outlets/{}/board", outlet.id)));
    }
    let outlets = vec![outlet.clone()];
    render_with_status(&BoardPage { ctx: ctx.at("orders"), outlet, outlets, columns, message }, status)
}
