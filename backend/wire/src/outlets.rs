use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::payments::KitchenRelease;

fn default_release() -> KitchenRelease {
    KitchenRelease::OnPlace
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outlet {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    /// IANA time zone, e.g. `Asia/Jakarta`.
    pub timezone: String,
    /// Tax in basis points (1000 = 10%, the restaurant tax PB1/PBJT).
    pub tax_rate_bp: i32,
    pub service_charge_bp: i32,
    pub is_open: bool,
    /// The brand's currency (ISO 4217), for showing prices.
    #[serde(default)]
    pub currency: String,
    /// Cash that settles an order is rounded to this step, in minor units
    /// (0 = none; 100, 500 or 1000).
    #[serde(default)]
    pub cash_rounding_step: i32,
    /// When kiosk orders reach the kitchen.
    #[serde(default = "default_release")]
    pub kiosk_kitchen_release: KitchenRelease,
    /// The tax number printed on receipts (NPWP), when set.
    #[serde(default)]
    pub tax_number: Option<String>,
    /// Discounts above this share (basis points) of what they apply to, or
    /// bringing the order's discounts above it, need a manager's PIN.
    #[serde(default)]
    pub discount_limit_bp: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOutlet {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub address: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub tax_rate_bp: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub service_charge_bp: Option<i32>,
    #[serde(default)]
    pub is_open: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub cash_rounding_step: Option<i32>,
    #[serde(default)]
    pub kiosk_kitchen_release: Option<KitchenRelease>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub tax_number: Option<String>,
    /// Default 1000 (10%).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub discount_limit_bp: Option<i32>,
}

/// Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOutlet {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub address: Option<String>,
    pub timezone: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub tax_rate_bp: Option<i32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub service_charge_bp: Option<i32>,
    pub is_open: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub cash_rounding_step: Option<i32>,
    pub kiosk_kitchen_release: Option<KitchenRelease>,
    /// An empty string clears it.
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub tax_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub discount_limit_bp: Option<i32>,
}
