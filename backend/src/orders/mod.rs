//! Orders: intake (idempotent on `client_order_id`, priced by the server,
//! offline orders checked against the price history), the status
//! lifecycle, and reading them back.

pub mod checks;
pub mod discounts;
pub mod http;
pub mod intake;
pub mod lifecycle;
pub mod line_pricing;
pub mod price_history;
pub use pos_wire::pricing;
pub mod recompute;
pub mod shown_price;
pub mod status;
pub mod void;

use chrono::{DateTime, Utc};
use pos_wire::{Channel, Order, OrderLine, OrderPaymentStatus, OrderStatus, Page};
use sea_orm::FromQueryResult;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, Error, Result},
    tenancy::paging::PageRequest,
};

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct OrderRow {
    pub id: Uuid,
    pub client_order_id: Uuid,
    pub outlet_id: Uuid,
    pub number: String,
    pub status: String,
    pub channel: String,
    pub customer_name: Option<String>,
    pub table_label: Option<String>,
    pub table_id: Option<Uuid>,
    pub guest_count: Option<i32>,
    pub lines: serde_json::Value,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub service_charge_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub currency: String,
    pub flags: Vec<String>,
    pub cancel_reason: Option<String>,
    pub created_at_client: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub payment_status: String,
    pub paid_minor: i64,
    pub refunded_minor: i64,
    pub rounding_minor: i64,
    pub receipt_number: Option<i64>,
    pub paid_at: Option<DateTime<Utc>>,
}

pub(crate) const COLUMNS: &str = "id, client_order_id, outlet_id, number, status, channel, customer_name, table_label, \
    table_id, guest_count, lines, subtotal_minor, discount_minor, service_charge_minor, tax_minor, total_minor, currency::text AS currency, flags, \
    cancel_reason, created_at_client, created_at, updated_at, payment_status, paid_minor, refunded_minor, \
    rounding_minor, receipt_number, paid_at";

/// A stored order; an order the database holds in a shape this server
/// cannot read is an error, never shown as something else.
impl TryFrom<OrderRow> for Order {
    type Error = Error;

    fn try_from(row: OrderRow) -> Result<Order> {
        Ok(Order {
            id: row.id,
            client_order_id: row.client_order_id,
            outlet_id: row.outlet_id,
            number: row.number,
            status: OrderStatus::try_from(row.status.as_str()).map_err(anyhow::Error::from)?,
            channel: Channel::try_from(row.channel.as_str()).map_err(anyhow::Error::from)?,
            customer_name: row.customer_name,
            table: row.table_label,
            table_id: row.table_id,
            guest_count: row.guest_count,
            items: Vec::<OrderLine>::deserialize(&row.lines).map_err(anyhow::Error::from)?,
            subtotal_minor: row.subtotal_minor,
            discount_minor: row.discount_minor,
            service_charge_minor: row.service_charge_minor,
            tax_minor: row.tax_minor,
            total_minor: row.total_minor,
            currency: row.currency,
            flags: row.flags,
            cancel_reason: row.cancel_reason,
            created_at_client: row.created_at_client,
            created_at: row.created_at,
            updated_at: row.updated_at,
            payment_status: OrderPaymentStatus::try_from(row.payment_status.as_str()).map_err(anyhow::Error::from)?,
            paid_minor: row.paid_minor,
            refunded_minor: row.refunded_minor,
            rounding_minor: row.rounding_minor,
            receipt_number: row.receipt_number,
            paid_at: row.paid_at,
            payments: Vec::new(),
            discounts: Vec::new(),
        })
    }
}

/// Everyone in the outlet may read its orders; kiosks only the ones they took.
fn device_filter(actor: &Actor) -> Option<Uuid> {
    match actor.kind {
        ActorKind::Device { device_id, kind: pos_wire::DeviceKind::Kiosk, .. } => Some(device_id),
        _ => None,
    }
}

/// The order without its payments (for checks).
pub async fn get(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<Order> {
    tx.query_one::<OrderRow>(
        &format!("SELECT {COLUMNS} FROM orders WHERE id = $1 AND ($2::uuid IS NULL OR device_id = $2)"),
        [id.into(), device_filter(actor).into()],
    )
    .await?
    .map(Order::try_from)
    .ok_or(Error::NotFound)?
}

/// The order with its payments and discounts, as it is read.
pub async fn read(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<Order> {
    with_payments(tx, get(tx, actor, id).await?).await
}

/// `order` with its payments and discounts filled in, for an answer that
/// shows it whole.
pub async fn with_payments(tx: &ScopedTx, order: Order) -> Result<Order> {
    let mut order = [order];
    attach(tx, &mut order).await?;
    let [order] = order;
    Ok(order)
}

/// Fills each order's payments and discounts.
pub async fn attach(tx: &ScopedTx, orders: &mut [Order]) -> Result<()> {
    crate::payments::attach(tx, orders).await?;
    discounts::attach(tx, orders).await
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    pub outlet_id: Option<Uuid>,
    #[param(value_type = Option<pos_wire::OrderStatus>)]
    pub status: Option<String>,
    /// Placed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Placed before.
    pub to: Option<DateTime<Utc>>,
    /// Orders per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before.
    #[param(pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")]
    pub cursor: Option<String>,
}

/// Newest first.
pub async fn list(tx: &ScopedTx, actor: &Actor, q: &OrderQuery) -> Result<Page<Order>> {
    let page = PageRequest::parse(&pos_wire::PageQuery { limit: q.limit, cursor: q.cursor.clone() })?;
    if let Some(s) = &q.status
        && OrderStatus::parse(s).is_none()
    {
        return Err(Error::field("status", Code::OrderStatusInvalid));
    }
    let rows: Vec<OrderRow> = tx
        .query_all(
            &format!(
                "SELECT {COLUMNS} FROM orders \
                  WHERE ($1::uuid IS NULL OR outlet_id = $1) AND ($2::text IS NULL OR status = $2) \
                    AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4) \
                    AND ($5::uuid IS NULL OR id < $5) AND ($6::uuid IS NULL OR device_id = $6) \
                  ORDER BY id DESC LIMIT $7"
            ),
            [
                q.outlet_id.into(),
                q.status.clone().into(),
                q.from.into(),
                q.to.into(),
                page.after.into(),
                device_filter(actor).into(),
                page.fetch().into(),
            ],
        )
        .await?;
    let mut orders = rows.into_iter().map(Order::try_from).collect::<Result<Vec<_>>>()?;
    attach(tx, &mut orders).await?;
    Ok(page.page(orders, |o| o.id))
}
