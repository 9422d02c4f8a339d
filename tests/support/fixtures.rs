//! Typed request bodies for the HTTP tests, made from pos-wire's types: a
//! field renamed or retyped on the wire fails to compile here instead of
//! failing a test at run time. Tests that send malformed or hostile JSON
//! on purpose keep writing it by hand (`json!`).

use chrono::{DateTime, Utc};
use pos_wire::{
    ChangeOrderStatus, Channel, CreateCategory, CreateDevice, CreateMenuItem, CreateOrder, CreateOutlet, CreateUser,
    DeviceKind, LoginRequest, ModifierGroup, ModifierOption, OrderLineRequest, OrderStatus, PairDevice, RefreshRequest,
    Role, SignupRequest, SyncPush, UpdateCategory, UpdateMenuItem, UpdateOutlet, UpdateOutletItem, UpdateUser,
};
use serde::Serialize;
use uuid::Uuid;

use crate::PASSWORD;

/// A brand signing up with `email` and `password`.
pub fn signup(email: &str, password: &str) -> SignupRequest {
    SignupRequest {
        brand_name: "Warung Test".into(),
        owner_name: "Owner".into(),
        email: email.into(),
        password: password.into(),
    }
}

pub fn login(email: &str, password: &str) -> LoginRequest {
    LoginRequest { email: email.into(), password: password.into(), tenant_id: None }
}

pub fn refresh(token: &str) -> RefreshRequest {
    RefreshRequest { refresh_token: token.into() }
}

/// An outlet with the server's defaults for everything but its name.
pub fn outlet(name: &str) -> CreateOutlet {
    CreateOutlet {
        name: name.into(),
        address: None,
        timezone: None,
        tax_rate_bp: None,
        service_charge_bp: None,
        is_open: None,
        cash_rounding_step: None,
        kiosk_kitchen_release: None,
        tax_number: None,
        discount_limit_bp: None,
    }
}

/// An outlet's tax and service charge, in basis points.
pub fn outlet_rates(tax_rate_bp: i32, service_charge_bp: i32) -> UpdateOutlet {
    UpdateOutlet { tax_rate_bp: Some(tax_rate_bp), service_charge_bp: Some(service_charge_bp), ..Default::default() }
}

/// An outlet opened or closed.
pub fn outlet_open(is_open: bool) -> UpdateOutlet {
    UpdateOutlet { is_open: Some(is_open), ..Default::default() }
}

pub fn outlet_name(name: &str) -> UpdateOutlet {
    UpdateOutlet { name: Some(name.into()), ..Default::default() }
}

pub fn category(name: &str, station: Option<&str>) -> CreateCategory {
    CreateCategory { name: name.into(), position: None, station: station.map(Into::into) }
}

/// A category moved to another kitchen station.
pub fn category_station(station: Option<&str>) -> UpdateCategory {
    UpdateCategory { station: Some(station.map(Into::into)), ..Default::default() }
}

/// An item without options, in `category`.
pub fn item(category: Uuid, name: &str, price_minor: i64) -> CreateMenuItem {
    CreateMenuItem {
        category_id: category,
        name: name.into(),
        code: None,
        description: String::new(),
        price_minor,
        image_url: None,
        position: None,
        modifier_groups: Vec::new(),
    }
}

/// A modifier group of new options (`(name, price delta)`).
pub fn group(name: &str, min: u32, max: u32, options: &[(&str, i64)]) -> ModifierGroup {
    ModifierGroup {
        id: None,
        name: name.into(),
        min,
        max,
        options: options
            .iter()
            .map(|(name, price_minor)| ModifierOption { id: None, name: (*name).into(), price_minor: *price_minor })
            .collect(),
    }
}

/// The required Size group: Regular +0, Large +5,000.
pub fn size_group() -> ModifierGroup {
    group("Size", 1, 1, &[("Regular", 0), ("Large", 5000)])
}

/// An item's brand price changed.
pub fn item_price(price_minor: i64) -> UpdateMenuItem {
    UpdateMenuItem { price_minor: Some(price_minor), ..Default::default() }
}

/// An item 86ed (`false`) or back on (`true`) at one outlet.
pub fn availability(available: bool) -> UpdateOutletItem {
    UpdateOutletItem { available: Some(available), ..Default::default() }
}

/// An outlet's own price for an item (`None`: back to the brand price).
pub fn outlet_price(price_minor: Option<i64>) -> UpdateOutletItem {
    UpdateOutletItem { price_minor: Some(price_minor), ..Default::default() }
}

/// A staff member with the test password.
pub fn user(email: &str, name: &str, role: Role, outlets: &[Uuid]) -> CreateUser {
    CreateUser {
        email: email.into(),
        name: name.into(),
        password: Some(PASSWORD.into()),
        role,
        outlet_ids: outlets.to_vec(),
        locale: None,
    }
}

/// A staff member's new outlets.
pub fn user_outlets(outlets: &[Uuid]) -> UpdateUser {
    UpdateUser { outlet_ids: Some(outlets.to_vec()), ..Default::default() }
}

/// A staff member's new password.
pub fn user_password(password: &str) -> UpdateUser {
    UpdateUser { password: Some(password.into()), ..Default::default() }
}

/// A staff member deactivated (`false`) or back (`true`).
pub fn user_active(active: bool) -> UpdateUser {
    UpdateUser { active: Some(active), ..Default::default() }
}

pub fn device(kind: DeviceKind, name: &str) -> CreateDevice {
    CreateDevice { kind, name: name.into() }
}

pub fn pairing(code: &str) -> PairDevice {
    PairDevice { pairing_code: code.into() }
}

/// `qty` of `item`, without options.
pub fn line(item: Uuid, qty: i32) -> OrderLineRequest {
    OrderLineRequest {
        menu_item_id: item,
        qty,
        modifier_option_ids: Vec::new(),
        note: None,
        shown_unit_price_minor: None,
        shown_name: None,
    }
}

/// `qty` of `item` with the options `options`.
pub fn line_with(item: Uuid, qty: i32, options: &[Uuid]) -> OrderLineRequest {
    OrderLineRequest { modifier_option_ids: options.to_vec(), ..line(item, qty) }
}

/// `qty` of `item` as a kiosk showed it: at `shown` a unit.
pub fn shown_line(item: Uuid, qty: i32, shown: i64) -> OrderLineRequest {
    OrderLineRequest { shown_unit_price_minor: Some(shown), ..line(item, qty) }
}

/// A new order (fresh `client_order_id`, taken now) of `lines` at `outlet`.
pub fn order(outlet: Uuid, channel: Channel, lines: Vec<OrderLineRequest>) -> CreateOrder {
    order_at(outlet, channel, lines, Utc::now())
}

/// [`order`], taken at `at` by the device's clock.
pub fn order_at(outlet: Uuid, channel: Channel, lines: Vec<OrderLineRequest>, at: DateTime<Utc>) -> CreateOrder {
    CreateOrder {
        client_order_id: Uuid::now_v7(),
        outlet_id: outlet,
        channel,
        customer_name: None,
        table: None,
        table_id: None,
        guest_count: None,
        created_at_client: at,
        items: lines,
        number: None,
        priced_from: None,
    }
}

/// A counter order of `lines` at `outlet`.
pub fn counter_order(outlet: Uuid, lines: Vec<OrderLineRequest>) -> CreateOrder {
    order(outlet, Channel::Counter, lines)
}

/// A check of `lines` seated at `table` of `outlet`.
pub fn table_order(outlet: Uuid, table: Uuid, lines: Vec<OrderLineRequest>) -> CreateOrder {
    CreateOrder { table_id: Some(table), ..order(outlet, Channel::Table, lines) }
}

/// A kiosk order of `lines` at `outlet`.
pub fn kiosk_order(outlet: Uuid, lines: Vec<OrderLineRequest>) -> CreateOrder {
    order(outlet, Channel::Kiosk, lines)
}

/// A kiosk's batch of queued orders; `orders` may hold hand-written JSON
/// too, as a queue holding a broken order does.
pub fn push<T: Serialize>(device: Uuid, orders: impl IntoIterator<Item = T>) -> SyncPush {
    SyncPush {
        device_id: device,
        orders: orders.into_iter().map(|o| serde_json::to_value(o).expect("an order as JSON")).collect(),
    }
}

/// An order moved to `status`.
pub fn status(status: OrderStatus) -> ChangeOrderStatus {
    ChangeOrderStatus { status, reason: None }
}

/// An order moved to `status`, saying why (a cancellation needs it).
pub fn status_because(status: OrderStatus, reason: &str) -> ChangeOrderStatus {
    ChangeOrderStatus { status, reason: Some(reason.into()) }
}
