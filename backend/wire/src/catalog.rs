use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    /// The kitchen station its items are prepared at (e.g. `bar`, `kitchen`).
    pub station: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
    /// Defaults to after the last category.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub position: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub station: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub position: Option<i32>,
    /// `null` clears the station.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub station: Option<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ModifierOption {
    /// Kept when given (orders refer to it); made by the server otherwise.
    #[serde(default)]
    pub id: Option<Uuid>,
    pub name: String,
    /// Added to the item's price; may be negative.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = -1_000_000_000_i64, maximum = 1_000_000_000_i64))]
    pub price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ModifierGroup {
    #[serde(default)]
    pub id: Option<Uuid>,
    pub name: String,
    /// Fewest options a customer must choose (0 = optional).
    pub min: u32,
    /// Most options a customer may choose.
    pub max: u32,
    pub options: Vec<ModifierOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MenuItem {
    pub id: Uuid,
    pub category_id: Uuid,
    pub name: String,
    /// The item's code (SKU/PLU) the till searches by; unique in the brand
    /// whatever its case. (Absent in menus cached before codes.)
    #[serde(default)]
    pub code: Option<String>,
    pub description: String,
    pub price_minor: i64,
    pub image_url: Option<String>,
    pub position: i32,
    pub modifier_groups: Vec<ModifierGroup>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateMenuItem {
    pub category_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: String,
    /// An optional code (SKU/PLU): 1–32 of `A-Z a-z 0-9 - _ .`, unique in
    /// the brand whatever its case (`code_taken`). Empty: none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 32, pattern = "^[A-Za-z0-9._-]{0,32}$"))]
    pub code: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000_000_i64))]
    pub price_minor: i64,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub position: Option<i32>,
    #[serde(default)]
    pub modifier_groups: Vec<ModifierGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMenuItem {
    pub category_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: Option<String>,
    /// A new code (rules as when created); `null` or empty removes it.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 32, pattern = "^[A-Za-z0-9._-]{0,32}$"))]
    pub code: Option<Option<String>>,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000_000_i64))]
    pub price_minor: Option<i64>,
    /// `null` removes the image.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub image_url: Option<Option<String>>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub position: Option<i32>,
    /// Replaces every group; groups and options keep the ids they are sent with.
    pub modifier_groups: Option<Vec<ModifierGroup>>,
}

/// `PATCH /outlets/{id}/menu-items/{item_id}`: an outlet's own price and availability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateOutletItem {
    /// `false` 86es the item; `true` brings it back.
    pub available: Option<bool>,
    /// With `available: false`: back on by itself at this time.
    pub unavailable_until: Option<DateTime<Utc>>,
    /// With `available: false`: back on at the outlet's next local midnight.
    #[serde(default)]
    pub until_end_of_day: bool,
    /// The outlet's own price; `null` returns to the brand price.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 10_000_000_000_i64))]
    pub price_minor: Option<Option<i64>>,
}

/// An outlet's setting for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemOverride {
    pub outlet_id: Uuid,
    pub item_id: Uuid,
    pub price_minor: Option<i64>,
    pub available: bool,
    pub unavailable_until: Option<DateTime<Utc>>,
}

/// One item as one outlet sells it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletMenuItem {
    pub id: Uuid,
    pub name: String,
    /// The item's code (SKU/PLU), if it has one.
    #[serde(default)]
    pub code: Option<String>,
    pub description: String,
    /// The outlet's price (its override, or the brand price).
    pub price_minor: i64,
    pub base_price_minor: i64,
    pub image_url: Option<String>,
    pub available: bool,
    pub unavailable_until: Option<DateTime<Utc>>,
    pub modifier_groups: Vec<ModifierGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletMenuCategory {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub station: Option<String>,
    pub items: Vec<OutletMenuItem>,
}

/// `GET /outlets/{id}/menu`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletMenu {
    pub outlet_id: Uuid,
    pub menu_version: i64,
    pub currency: String,
    pub categories: Vec<OutletMenuCategory>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChangeOp {
    Upsert,
    Delete,
}

/// One change a device must apply to its cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// `category`, `menu_item`, `item_override` or `outlet`.
    pub entity: String,
    pub id: Uuid,
    pub op: ChangeOp,
    /// The entity (`Category`, `MenuItem`, `ItemOverride` or `Outlet`) on upsert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// `GET /sync/pull`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Pass as `since` next time.
    pub cursor: String,
    pub has_more: bool,
    /// Rows in the whole snapshot or change set, for progress bars (first page only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadedImage {
    pub url: String,
    pub content_type: String,
    pub bytes: u64,
}
