//! Reports: sales by day, hour, item, modifier, payment method, outlet and
//! channel; the sales summary; kitchen times; voids, refunds and discounts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How `GET /api/v1/reports/sales` groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportGroup {
    /// The outlet's local date (`YYYY-MM-DD`).
    Day,
    /// The outlet's local hour of the day (`00`..`23`), over the whole range.
    Hour,
    /// Menu items (key: the item id, label: its name).
    Item,
    /// Modifier options (key: the option id, label: `item · option`).
    Modifier,
    /// `cash`, `card`, `qris`.
    PaymentMethod,
    /// Outlets (key: the outlet id, label: its name).
    Outlet,
    /// `kiosk`, `counter`, `table`.
    Channel,
}

impl ReportGroup {
    pub const ALL: [ReportGroup; 7] = [
        ReportGroup::Day,
        ReportGroup::Hour,
        ReportGroup::Item,
        ReportGroup::Modifier,
        ReportGroup::PaymentMethod,
        ReportGroup::Outlet,
        ReportGroup::Channel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportGroup::Day => "day",
            ReportGroup::Hour => "hour",
            ReportGroup::Item => "item",
            ReportGroup::Modifier => "modifier",
            ReportGroup::PaymentMethod => "payment_method",
            ReportGroup::Outlet => "outlet",
            ReportGroup::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> Option<ReportGroup> {
        ReportGroup::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// The query of every report: an outlet (none: every outlet the caller
/// sees) and a range of the outlets' local dates, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReportQuery {
    #[serde(default)]
    pub outlet_id: Option<Uuid>,
    /// First local date, `YYYY-MM-DD` (default: `to`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// Last local date, `YYYY-MM-DD`, included (default: today, in the outlet's time zone, or
    /// for every outlet in the time zone most of them use).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// Sales only: `day` (default), `hour`, `item`, `modifier`, `payment_method`, `outlet` or `channel`
    /// (anything else is 422 `report_group_invalid`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<ReportGroup>))]
    pub group_by: Option<String>,
    /// Stock reports: `csv` for the rows as CSV (as `Accept: text/csv` does), `json` (default).
    #[serde(default)]
    pub format: Option<String>,
}

/// One row of a sales report. `net_minor` = gross − discounts − refunds.
/// For `item` and `modifier` rows, `orders` counts the orders that had it
/// and `qty` the units sold; discounts are the line discounts only, refunds
/// are not split by item (0). For `payment_method` rows, `orders` counts
/// payments, `gross_minor` is what they took and `refund_minor` what was
/// refunded of them; discounts, tax and service charge are 0 there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesRow {
    pub key: String,
    /// A readable name when the key is an id (items, modifiers, outlets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub orders: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty: Option<i64>,
    pub gross_minor: i64,
    pub discount_minor: i64,
    pub refund_minor: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub service_charge_minor: i64,
}

/// The sales of a range: orders neither cancelled nor void.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesTotals {
    pub orders: i64,
    /// Item sales with modifiers, before discounts, without tax and service charge.
    pub gross_minor: i64,
    pub discount_minor: i64,
    /// Refunds of these orders.
    pub refund_minor: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub service_charge_minor: i64,
    /// (gross − discounts) / orders, rounded down; 0 without orders.
    pub average_order_minor: i64,
}

/// `GET /api/v1/reports/sales`. `totals` is always the sales of the whole
/// range (the same whatever `group_by`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group_by: ReportGroup,
    pub rows: Vec<SalesRow>,
    pub totals: SalesTotals,
}

/// `GET /api/v1/reports/summary`, and the daily summary mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SalesSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: SalesTotals,
    /// By payment method (rows as in `group_by=payment_method`).
    pub payment_mix: Vec<SalesRow>,
    /// The best sellers by revenue, at most 5.
    pub top_items: Vec<SalesRow>,
}

/// Placed → ready times of one kitchen station's tickets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationTimes {
    pub station: String,
    /// Tickets bumped (made ready).
    pub tickets: i64,
    pub p50_seconds: i64,
    pub p90_seconds: i64,
}

/// `GET /api/v1/reports/kitchen`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KitchenReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<StationTimes>,
}

/// What `Adjustment` records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    Void,
    Refund,
    Discount,
}

impl AdjustmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AdjustmentKind::Void => "void",
            AdjustmentKind::Refund => "refund",
            AdjustmentKind::Discount => "discount",
        }
    }
}

/// A void, refund or discount, with who made it and who approved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    pub at: DateTime<Utc>,
    pub outlet_id: Uuid,
    pub order_id: Uuid,
    /// The order's pickup number.
    pub order_number: String,
    /// Voids: the order's total; refunds: the refund; discounts: what it takes off.
    pub amount_minor: i64,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// `GET /api/v1/reports/adjustments`: newest first, at most 500.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdjustmentsReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<Adjustment>,
}
