//! Shifts and the cash drawer of a till (see API.md, Tills and shifts): a
//! shift opens with a float, takes cash in and out with a reason, and
//! closes by counting the drawer. Every figure is computed by the server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{orders::UnknownName, payments::PaymentMethod};

/// The Rupiah notes (100.000 to 1.000) and coins (1.000 to 100) a drawer is
/// counted in, largest first, in minor units. The Rp 1.000 note and coin
/// are counted together under one value.
pub const RUPIAH_VALUES: [i64; 10] = [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShiftStatus {
    Open,
    Closed,
}

impl ShiftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftStatus::Open => "open",
            ShiftStatus::Closed => "closed",
        }
    }
}

impl TryFrom<&str> for ShiftStatus {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<ShiftStatus, UnknownName> {
        match s {
            "open" => Ok(ShiftStatus::Open),
            "closed" => Ok(ShiftStatus::Closed),
            other => Err(UnknownName(other.to_string())),
        }
    }
}

/// Cash put into the drawer (`in`) or taken out of it (`out`: a paid-out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CashMovementKind {
    In,
    Out,
}

impl CashMovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CashMovementKind::In => "in",
            CashMovementKind::Out => "out",
        }
    }

    /// +1 for cash in, -1 for cash out.
    pub fn sign(self) -> i64 {
        match self {
            CashMovementKind::In => 1,
            CashMovementKind::Out => -1,
        }
    }
}

impl TryFrom<&str> for CashMovementKind {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<CashMovementKind, UnknownName> {
        match s {
            "in" => Ok(CashMovementKind::In),
            "out" => Ok(CashMovementKind::Out),
            other => Err(UnknownName(other.to_string())),
        }
    }
}

/// `POST /api/v1/shifts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenShift {
    /// A till of an outlet the caller works at.
    pub device_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub opening_float_minor: i64,
    /// Makes the open exactly-once (a till opening offline sends it again).
    #[serde(default)]
    pub client_shift_id: Option<Uuid>,
}

/// `POST /api/v1/shifts/{id}/cash-movements`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCashMovement {
    pub client_movement_id: Uuid,
    pub kind: CashMovementKind,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub amount_minor: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashMovement {
    pub id: Uuid,
    pub client_movement_id: Uuid,
    pub shift_id: Uuid,
    pub kind: CashMovementKind,
    pub amount_minor: i64,
    pub reason: String,
    #[serde(default)]
    pub user_id: Option<Uuid>,
    /// The name of who recorded it, when known.
    #[serde(default)]
    pub user_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// So many notes or coins of one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DenominationCount {
    /// One of 100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100 (rupiah).
    pub value_minor: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub count: i64,
}

/// `POST /api/v1/shifts/{id}/close`: the counted drawer, as a total or by
/// denomination (or both, when they agree).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseShift {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub counted_minor: Option<i64>,
    #[serde(default)]
    pub denominations: Option<Vec<DenominationCount>>,
    /// Makes the close exactly-once; a close sent again with the same count
    /// answers the same without it too.
    #[serde(default)]
    pub client_close_id: Option<Uuid>,
}

/// One shift of one till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shift {
    pub id: Uuid,
    #[serde(default)]
    pub client_shift_id: Option<Uuid>,
    pub outlet_id: Uuid,
    pub device_id: Uuid,
    /// The till's name.
    pub device_name: String,
    pub status: ShiftStatus,
    pub opening_float_minor: i64,
    /// The cash the drawer should hold: now while open, at the close once closed.
    pub expected_minor: i64,
    #[serde(default)]
    pub counted_minor: Option<i64>,
    /// Counted minus expected: negative when cash is missing.
    #[serde(default)]
    pub variance_minor: Option<i64>,
    #[serde(default)]
    pub opened_by: Option<Uuid>,
    #[serde(default)]
    pub opened_by_name: Option<String>,
    pub opened_at: DateTime<Utc>,
    #[serde(default)]
    pub closed_by: Option<Uuid>,
    #[serde(default)]
    pub closed_by_name: Option<String>,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

/// Paid money of one payment method in a shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodTotal {
    pub method: PaymentMethod,
    pub count: i64,
    pub amount_minor: i64,
}

/// A count and an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub count: i64,
    pub amount_minor: i64,
}

/// How the expected cash is made up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawerCash {
    pub opening_float_minor: i64,
    /// Cash payments as they went into the drawer (after change, with cash rounding).
    pub cash_sales_minor: i64,
    pub cash_refunds_minor: i64,
    pub cash_in_minor: i64,
    pub cash_out_minor: i64,
    /// Float + cash sales + cash in − cash out − cash refunds.
    pub expected_minor: i64,
    #[serde(default)]
    pub counted_minor: Option<i64>,
    #[serde(default)]
    pub variance_minor: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Read while the shift is open; figures move on.
    X,
    /// Made at the close and stored; it never changes.
    Z,
}

/// `GET /api/v1/shifts/{id}/report`: the X report of an open shift, or the
/// stored Z report of a closed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftReport {
    pub kind: ReportKind,
    pub shift: Shift,
    pub currency: String,
    pub generated_at: DateTime<Utc>,
    /// Paid payments counted into the shift, by method (amounts applied to bills).
    pub sales: Vec<MethodTotal>,
    pub sales_total_minor: i64,
    /// Refunds made in the shift (cash and card at once; QRIS once the gateway took them), by method.
    pub refunds: Vec<MethodTotal>,
    pub refunds_total_minor: i64,
    /// Discounts on the orders paid in the shift.
    pub discounts_minor: i64,
    /// Of those, the ones given offline whose manager's PIN the server could
    /// not verify at replay (`approval_unverified`): staff must look.
    #[serde(default)]
    pub unverified_discounts: Tally,
    /// Orders of the outlet voided while the shift was open (their totals).
    pub voids: Tally,
    /// Sum of the cash rounding of the shift's cash payments (signed).
    pub cash_rounding_minor: i64,
    pub cash_movements: Vec<CashMovement>,
    pub cash: DrawerCash,
    /// The closing count by denomination, when it was counted that way.
    #[serde(default)]
    pub denominations: Vec<DenominationCount>,
}

/// `GET /api/v1/shifts` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ShiftQuery {
    #[serde(default)]
    pub outlet_id: Option<Uuid>,
    #[serde(default)]
    pub device_id: Option<Uuid>,
    /// `open` or `closed`.
    #[serde(default)]
    pub status: Option<ShiftStatus>,
    /// Shifts per page (default 50).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        param(pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$")
    )]
    pub cursor: Option<String>,
}
