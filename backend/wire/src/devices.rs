use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    Kiosk,
    Kds,
    /// The pickup board: read-only, it sees order numbers and states only.
    Board,
    /// A counter till: cashiers sign in on it with their PIN (issue 12).
    Till,
}

impl DeviceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::Kiosk => "kiosk",
            DeviceKind::Kds => "kds",
            DeviceKind::Board => "board",
            DeviceKind::Till => "till",
        }
    }

    pub fn parse(s: &str) -> Option<DeviceKind> {
        match s {
            "kiosk" => Some(DeviceKind::Kiosk),
            "kds" => Some(DeviceKind::Kds),
            "board" => Some(DeviceKind::Board),
            "till" => Some(DeviceKind::Till),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateDevice {
    pub kind: DeviceKind,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
}

/// A fresh pairing code: single use, valid until `expires_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DevicePairingCode {
    pub device_id: Uuid,
    pub pairing_code: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PairDevice {
    pub pairing_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairedDevice {
    pub device_token: String,
    pub device_id: Uuid,
    pub outlet_id: Uuid,
    pub tenant_id: Uuid,
    pub kind: DeviceKind,
    /// Kiosks number their own orders `<prefix>-<n>` (unique per outlet).
    #[serde(default)]
    pub number_prefix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Device {
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub kind: DeviceKind,
    pub name: String,
    /// `pending` (code not used yet), `paired` or `revoked`.
    pub status: String,
    pub pairing_expires_at: Option<DateTime<Utc>>,
    pub paired_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}
