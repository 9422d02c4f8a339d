use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::payments::{OrderPaymentStatus, Payment};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Placed,
    Accepted,
    Preparing,
    Ready,
    Completed,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Placed,
        OrderStatus::Accepted,
        OrderStatus::Preparing,
        OrderStatus::Ready,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ];

    /// As stored and sent (`placed`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Preparing => "preparing",
            OrderStatus::Ready => "ready",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// The status named `s`, if there is one (see the `TryFrom`).
    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::try_from(s).ok()
    }
}

/// A name that is not one of the enum's `ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown name {:?}", self.0)
    }
}

impl std::error::Error for UnknownName {}

/// The one of `all` whose `name` is `s`.
fn by_name<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, s: &str) -> Result<T, UnknownName> {
    all.iter().copied().find(|&value| name(value) == s).ok_or_else(|| UnknownName(s.to_string()))
}

impl TryFrom<&str> for OrderStatus {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<OrderStatus, UnknownName> {
        by_name(&OrderStatus::ALL, |status| status.as_str(), s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Kiosk,
    Counter,
    /// A check seated at a table (`table_id`), collecting rounds.
    Table,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Kiosk, Channel::Counter, Channel::Table];

    /// As stored and sent (`kiosk`, `counter`, `table`).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Kiosk => "kiosk",
            Channel::Counter => "counter",
            Channel::Table => "table",
        }
    }
}

impl TryFrom<&str> for Channel {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<Channel, UnknownName> {
        by_name(&Channel::ALL, |channel| channel.as_str(), s)
    }
}

/// One line of an order as a device sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderLineRequest {
    pub menu_item_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 99))]
    pub qty: i32,
    #[serde(default)]
    pub modifier_option_ids: Vec<Uuid>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 140))]
    pub note: Option<String>,
    /// What the device showed the customer for one unit (item and options).
    /// `POST /orders` refuses the line when it is not the price now; an
    /// offline order (`sync/push`) is charged it, and flagged, only when the
    /// server's price history proves the item had it at the outlet while the
    /// device's menu (`priced_from`) was current.
    #[serde(default)]
    pub shown_unit_price_minor: Option<i64>,
    /// The item's name as the device showed it, for the device's own lists.
    /// The server ignores it: names on orders are always the server's.
    #[serde(default)]
    pub shown_name: Option<String>,
}

/// `POST /api/v1/orders` and each order of `POST /api/v1/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOrder {
    pub client_order_id: Uuid,
    pub outlet_id: Uuid,
    pub channel: Channel,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 60))]
    pub customer_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub table: Option<String>,
    /// The table a `table` order (a check) is seated at; required for that
    /// channel, refused for the others. The table's label is the order's `table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_id: Option<Uuid>,
    /// How many guests sit at a check (1–999); only for channel `table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 999))]
    pub guest_count: Option<i32>,
    pub created_at_client: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub items: Vec<OrderLineRequest>,
    /// The pickup number the device already showed (offline devices number
    /// their own orders with their prefix, e.g. `K1-7`).
    #[serde(default)]
    pub number: Option<String>,
    /// The `sync/pull` cursor of the menu the device priced the order from
    /// (the shown prices were that menu's). Bounds which past prices an
    /// offline order may be charged at.
    #[serde(default)]
    pub priced_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderModifier {
    pub option_id: Uuid,
    pub group: String,
    pub name: String,
    pub price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderLine {
    /// The line's own id (discounts and splits name lines by it); nil on
    /// lines stored before lines had ids.
    #[serde(default)]
    pub line_id: Uuid,
    pub menu_item_id: Uuid,
    pub name: String,
    pub qty: i32,
    /// Item plus options, for one unit.
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
    /// What the line's discounts take off `line_total_minor`.
    #[serde(default)]
    pub discount_minor: i64,
    pub modifiers: Vec<OrderModifier>,
    pub note: Option<String>,
    pub station: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: Uuid,
    pub client_order_id: Uuid,
    pub outlet_id: Uuid,
    pub number: String,
    pub status: OrderStatus,
    pub channel: Channel,
    pub customer_name: Option<String>,
    pub table: Option<String>,
    /// The table a check is seated at.
    #[serde(default)]
    pub table_id: Option<Uuid>,
    /// How many guests sit at the check; none for other orders.
    #[serde(default)]
    pub guest_count: Option<i32>,
    pub items: Vec<OrderLine>,
    /// Item sales before discounts.
    pub subtotal_minor: i64,
    /// Everything the discounts take off (lines' and the order's); service
    /// charge and tax are on `subtotal_minor - discount_minor`.
    #[serde(default)]
    pub discount_minor: i64,
    pub service_charge_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub currency: String,
    /// Things staff should look at: `price_changed`, `item_unavailable`,
    /// `item_deleted`, `modifiers_changed`, `outlet_closed`, `late_sync`,
    /// `number_reassigned`, `stock_short` (an offline sale took stock
    /// below zero).
    pub flags: Vec<String>,
    pub cancel_reason: Option<String>,
    pub created_at_client: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where the order's money stands (absent from orders stored by older
    /// devices: unpaid).
    #[serde(default)]
    pub payment_status: OrderPaymentStatus,
    /// Applied to the bill so far (cash rounding and change excluded).
    #[serde(default)]
    pub paid_minor: i64,
    #[serde(default)]
    pub refunded_minor: i64,
    /// Cash rounding of its payments (signed): cash collected is
    /// `paid_minor + rounding_minor`.
    #[serde(default)]
    pub rounding_minor: i64,
    /// The outlet's fiscal receipt number, once fully paid (sequential, no gaps).
    #[serde(default)]
    pub receipt_number: Option<i64>,
    #[serde(default)]
    pub paid_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// Its discounts in force (removed ones are in the audit log).
    #[serde(default)]
    pub discounts: Vec<crate::discounts::Discount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeOrderStatus {
    pub status: OrderStatus,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncPush {
    pub device_id: Uuid,
    /// Each a [`CreateOrder`], optionally with `payments: [CreatePayment]`
    /// (cash and card taken with it while offline) and, from a till,
    /// `shift_id`: the till's shift it was sold in (a sale at a till needs
    /// an open shift; one taken while its shift was open lands even after
    /// the shift closed), and `discounts: [QueuedDiscount]` (given offline,
    /// applied after the order and before its payments).
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub orders: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PushOutcome {
    Created,
    Duplicate,
    Conflict,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    pub client_order_id: Option<Uuid>,
    pub outcome: PushOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::Problem>,
    /// What became of the order's queued `payments` (cash and card taken
    /// while offline), in the order sent; absent when it carried none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<PaymentPushResult>,
    /// What became of the order's queued `discounts`, in the order sent;
    /// absent when it carried none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<DiscountPushResult>,
}

/// One discount that rode in the queue with its order
/// ([`crate::QueuedDiscount`]): applied exactly once per
/// `client_discount_id`, after the order and before its payments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscountPushResult {
    pub client_discount_id: Option<Uuid>,
    pub outcome: PushOutcome,
    /// The discount as stored (`approved_by`, `approval_unverified`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<crate::discounts::Discount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::Problem>,
}

/// One payment that rode in the queue with its order: applied exactly once
/// per `client_payment_id` (`duplicate` when it was already), after the order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentPushResult {
    pub client_payment_id: Option<Uuid>,
    pub outcome: PushOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<crate::payments::Payment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncPushResponse {
    pub results: Vec<PushResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TicketStatus {
    Open,
    Bumped,
    Cancelled,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 3] = [TicketStatus::Open, TicketStatus::Bumped, TicketStatus::Cancelled];

    /// As stored and sent (`open`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Bumped => "bumped",
            TicketStatus::Cancelled => "cancelled",
        }
    }
}

impl TryFrom<&str> for TicketStatus {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<TicketStatus, UnknownName> {
        by_name(&TicketStatus::ALL, |status| status.as_str(), s)
    }
}

/// What one kitchen station makes for one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: Uuid,
    pub order_id: Uuid,
    pub outlet_id: Uuid,
    pub number: String,
    pub station: String,
    pub status: TicketStatus,
    pub lines: Vec<OrderLine>,
    pub order_status: OrderStatus,
    pub created_at: DateTime<Utc>,
    pub bumped_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decode_to_what_they_were_encoded_from() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::try_from(status.as_str()), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        for status in TicketStatus::ALL {
            assert_eq!(TicketStatus::try_from(status.as_str()), Ok(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert_eq!(OrderStatus::try_from("Ready"), Err(UnknownName("Ready".into())));
        assert!(TicketStatus::try_from("").is_err());
        for channel in Channel::ALL {
            assert_eq!(Channel::try_from(channel.as_str()), Ok(channel));
            assert_eq!(serde_json::to_value(channel).unwrap(), channel.as_str());
        }
    }
}
