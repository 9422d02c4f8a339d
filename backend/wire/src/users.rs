use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Manager,
    Cashier,
    Kitchen,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Cashier => "cashier",
            Role::Kitchen => "kitchen",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "manager" => Some(Role::Manager),
            "cashier" => Some(Role::Cashier),
            "kitchen" => Some(Role::Kitchen),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Id,
    En,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Id => "id",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "id" => Some(Locale::Id),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub active: bool,
    pub outlet_ids: Vec<Uuid>,
    /// Whether a PIN is set (for approvals and till sign-in); never the PIN.
    #[serde(default)]
    pub has_pin: bool,
    /// The email was confirmed through a mailed link (sign-up verification,
    /// or a password set through an invitation or reset).
    #[serde(default)]
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: String,
    /// Without a password the new member gets an invitation by mail, with
    /// a link (valid 7 days, single use) to set one.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    #[serde(default)]
    pub password: Option<String>,
    pub role: Role,
    #[serde(default)]
    pub outlet_ids: Vec<Uuid>,
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// Absent fields stay as they are.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 254))]
    pub email: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: Option<String>,
    pub role: Option<Role>,
    pub outlet_ids: Option<Vec<Uuid>>,
    pub locale: Option<Locale>,
    pub active: Option<bool>,
    /// A new PIN of 4 to 6 digits for manager approvals and till sign-in.
    /// Staff may set their own; owners and managers set it for those they manage.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,6}$"))]
    #[serde(default)]
    pub pin: Option<String>,
}

/// Secrets (password, PIN) never reach a log through `{:?}`.
impl std::fmt::Debug for UpdateUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |set: bool| if set { Some("***") } else { None };
        f.debug_struct("UpdateUser")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("password", &hidden(self.password.is_some()))
            .field("role", &self.role)
            .field("outlet_ids", &self.outlet_ids)
            .field("locale", &self.locale)
            .field("active", &self.active)
            .field("pin", &hidden(self.pin.is_some()))
            .finish()
    }
}
