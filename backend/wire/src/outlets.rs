use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outlet {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    /// IANA time zone, e.g. `Asia/Jakarta`.
    pub timezone: String,
    /// Tax in basis points (1100 = 11%).
    pub tax_rate_bp: i32,
    pub service_charge_bp: i32,
    pub is_open: bool,
    /// The brand's currency (ISO 4217), for showing prices.
    #[serde(default)]
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOutlet {
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub tax_rate_bp: Option<i32>,
    #[serde(default)]
    pub service_charge_bp: Option<i32>,
    #[serde(default)]
    pub is_open: Option<bool>,
}

/// Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOutlet {
    pub name: Option<String>,
    pub address: Option<String>,
    pub timezone: Option<String>,
    pub tax_rate_bp: Option<i32>,
    pub service_charge_bp: Option<i32>,
    pub is_open: Option<bool>,
}
