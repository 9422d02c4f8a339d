//! The live events of an outlet (`GET /api/v1/outlets/{id}/events`), one
//! enum for the server that appends and publishes them and for the devices
//! that decode them.
//!
//! On the wire an event is two parts: its kind (the SSE `event:` line, the
//! `kind` column of the event log) and its payload (the `data:` line, the
//! `data` column). [`LiveEvent::kind`] and [`LiveEvent::payload`] give the
//! two parts; [`LiveEvent::decode`] puts them back together and answers
//! `Ok(None)` for a kind this build does not know, so an old device keeps
//! working when a newer server adds one. As JSON (and in the OpenAPI
//! document) an event is `{"kind": "...", "data": {...}}`. The devices look
//! the kind up with [`EventKind::from_name`] and decode only the payloads
//! their screens use, so a screen's bundle carries only those parsers.
//!
//! To add a kind, add one line to the list below with its payload type. The
//! server's audience filter matches on [`LiveEvent`] and the devices on
//! [`EventKind`], both without a catch-all, so they stop compiling until
//! someone decides who sees the new kind and what a screen does with it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    Category, ChangeOp, ItemOverride, MenuItem, Order, OrderPaid, OrderStatus, Outlet, PaymentUpdated, PickupEntry,
    RefundUpdated, Ticket,
};

/// Declares [`LiveEvent`] from `Variant(Payload) = "kind"` lines, so that
/// each kind's name is written once.
macro_rules! live_events {
    // `tt`, not `literal`, for the kinds: derive macros other than serde's
    // do not see through the invisible group a `literal` fragment makes.
    ($( $(#[doc = $doc:tt])* $variant:ident($payload:ty) = $kind:tt, )+) => {
        /// One live event: its kind and its payload (see the module docs).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(tag = "kind", content = "data")]
        pub enum LiveEvent {
            $( $(#[doc = $doc])* #[serde(rename = $kind)] $variant($payload), )+
        }

        /// The kinds alone, to name one without an event at hand (e.g. an
        /// htmx `sse:` trigger).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventKind {
            $( $variant, )+
        }

        impl EventKind {
            /// The SSE `event:` name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( EventKind::$variant => $kind, )+
                }
            }

            /// The kind sent as `name` in the SSE `event:` line; `None` for a
            /// kind this build does not know (a newer server's).
            pub fn from_name(name: &str) -> Option<EventKind> {
                match name {
                    $( $kind => Some(EventKind::$variant), )+
                    _ => None,
                }
            }
        }

        impl LiveEvent {
            /// Every kind this build knows, as sent in the SSE `event:` line.
            pub const KINDS: &'static [&'static str] = &[$($kind),+];

            /// Every kind with its doc comment, for the API's documentation.
            pub const KIND_DOCS: &'static [(&'static str, &'static str)] = &[$(($kind, concat!($($doc),*))),+];

            /// The SSE `event:` name (the event log's `kind`).
            pub fn kind(&self) -> &'static str {
                self.event_kind().as_str()
            }

            pub fn event_kind(&self) -> EventKind {
                match self {
                    $( LiveEvent::$variant(_) => EventKind::$variant, )+
                }
            }

            /// The SSE `data:` JSON (the event log's `data`).
            pub fn payload(&self) -> serde_json::Result<serde_json::Value> {
                match self {
                    $( LiveEvent::$variant(payload) => serde_json::to_value(payload), )+
                }
            }

            /// The event of `kind` carrying `data`: `Ok(None)` for a kind this
            /// build does not know (a newer server's), an error for a known
            /// kind whose payload does not fit.
            pub fn decode(kind: &str, data: serde_json::Value) -> serde_json::Result<Option<LiveEvent>> {
                Ok(Some(match kind {
                    $( $kind => LiveEvent::$variant(serde_json::from_value(data)?), )+
                    _ => return Ok(None),
                }))
            }
        }
    };
}

live_events! {
    /// A new order (an outlet's staff and KDS screens; a kiosk for its own).
    OrderCreated(Order) = "order.created",
    /// An order moved through its lifecycle.
    OrderStatusChanged(OrderStatusChanged) = "order.status_changed",
    /// An order's lines, money or table changed before payment (a discount,
    /// a round, a move, a merge or a split): the order as it is now.
    OrderUpdated(Order) = "order.updated",
    /// A new kitchen ticket (one per station of a new order).
    TicketCreated(Ticket) = "ticket.created",
    /// A payment on an order was made or changed state (a kiosk gets those
    /// of its own orders).
    PaymentUpdated(PaymentUpdated) = "payment.updated",
    /// An order became fully paid and got its receipt number.
    OrderPaid(OrderPaid) = "order.paid",
    /// A refund was made or changed state (staff screens).
    RefundUpdated(RefundUpdated) = "refund.updated",
    /// A ticket was bumped, recalled or cancelled.
    TicketUpdated(Ticket) = "ticket.updated",
    /// An order's number and state, as the pickup board sees it (the board
    /// gets this instead of the order events).
    PickupUpdated(PickupEntry) = "pickup.updated",
    /// A brand-wide menu item was created, changed or deleted.
    MenuItemUpdated(MenuItemChanged) = "menu.item_updated",
    /// An item's price or availability at this outlet changed (86ed, back).
    MenuAvailabilityChanged(ItemOverride) = "menu.availability_changed",
    /// A category was created, changed or deleted.
    MenuCategoryUpdated(CategoryChanged) = "menu.category_updated",
    /// The outlet's settings changed (open, tax, service charge...).
    OutletUpdated(Outlet) = "outlet.updated",
    /// A device of this outlet was revoked; its own stream ends after this.
    DeviceRevoked(DeviceRevoked) = "device.revoked",
    /// Sent first on a reconnect whose `Last-Event-ID` is too old to replay:
    /// the client reloads everything. Not stored in the log.
    Reset(StreamReset) = "reset",
    /// The heartbeat, every 15 s; carries no `id:`. Not stored in the log.
    Ping(Heartbeat) = "ping",
}

/// `order.status_changed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderStatusChanged {
    pub order_id: Uuid,
    pub number: String,
    pub status: OrderStatus,
    pub previous: OrderStatus,
    /// Why: the cancel reason, or `recalled` when the kitchen took a ready order back.
    pub reason: Option<String>,
    /// The order as it is after the change.
    pub order: Order,
}

/// `menu.item_updated`: the item on `upsert`, nothing on `delete`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MenuItemChanged {
    pub item_id: Uuid,
    pub op: ChangeOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<MenuItem>,
}

/// `menu.category_updated`: the category on `upsert`, nothing on `delete`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryChanged {
    pub category_id: Uuid,
    pub op: ChangeOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
}

impl MenuItemChanged {
    pub fn upserted(item: MenuItem) -> MenuItemChanged {
        MenuItemChanged { item_id: item.id, op: ChangeOp::Upsert, item: Some(item) }
    }

    pub fn deleted(item_id: Uuid) -> MenuItemChanged {
        MenuItemChanged { item_id, op: ChangeOp::Delete, item: None }
    }
}

impl CategoryChanged {
    pub fn upserted(category: Category) -> CategoryChanged {
        CategoryChanged { category_id: category.id, op: ChangeOp::Upsert, category: Some(category) }
    }

    pub fn deleted(category_id: Uuid) -> CategoryChanged {
        CategoryChanged { category_id, op: ChangeOp::Delete, category: None }
    }
}

/// `device.revoked`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceRevoked {
    pub device_id: Uuid,
}

/// `reset`: `seq` is where the stream goes on from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamReset {
    pub reason: String,
    pub seq: i64,
}

/// `ping`: the server's time and the last sequence the stream dealt with,
/// so a client can tell it is current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heartbeat {
    pub at: DateTime<Utc>,
    pub seq: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kind_and_payload_round_trip_through_decode() {
        let event = LiveEvent::DeviceRevoked(DeviceRevoked { device_id: Uuid::nil() });
        assert_eq!(event.kind(), "device.revoked");
        assert_eq!(event.event_kind(), EventKind::DeviceRevoked);
        let payload = event.payload().unwrap();
        assert_eq!(payload, json!({"device_id": Uuid::nil()}));
        assert_eq!(LiveEvent::decode(event.kind(), payload).unwrap(), Some(event));
    }

    #[test]
    fn a_kind_is_found_by_its_name() {
        for kind in LiveEvent::KINDS {
            assert_eq!(EventKind::from_name(kind).map(EventKind::as_str), Some(*kind));
        }
        assert_eq!(EventKind::from_name("stock.level_changed"), None);
    }

    #[test]
    fn the_json_form_is_kind_and_data() {
        let event = LiveEvent::Ping(Heartbeat { at: "2026-11-24T10:00:00Z".parse().unwrap(), seq: 7 });
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json, json!({"kind": "ping", "data": {"at": "2026-11-24T10:00:00Z", "seq": 7}}));
        assert_eq!(serde_json::from_value::<LiveEvent>(json).unwrap(), event);
    }

    #[test]
    fn every_kind_is_listed_once_and_decodes_as_itself() {
        let mut kinds = LiveEvent::KINDS.to_vec();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), LiveEvent::KINDS.len());
        // A known kind with a payload that does not fit is an error, not "unknown".
        for kind in LiveEvent::KINDS {
            assert!(LiveEvent::decode(kind, json!({"nothing": "useful"})).is_err(), "{kind}");
        }
    }

    #[test]
    fn an_unknown_kind_is_none_not_an_error() {
        let future = LiveEvent::decode("stock.level_changed", json!({"ingredient_id": Uuid::nil(), "on_hand": {}}));
        assert_eq!(future.unwrap(), None);
    }

    #[test]
    fn deletions_carry_no_entity() {
        let deleted = MenuItemChanged::deleted(Uuid::nil());
        let payload = LiveEvent::MenuItemUpdated(deleted).payload().unwrap();
        assert_eq!(payload, json!({"item_id": Uuid::nil(), "op": "delete"}));
    }
}
