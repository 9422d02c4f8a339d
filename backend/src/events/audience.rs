//! Who is on the other end of a stream decides what it is shown.
//!
//! - Staff and kitchen displays see every event of the outlet.
//! - A kiosk sees the menu, the outlet and device events, and the order
//!   events of the orders it placed itself (its confirmation screen follows
//!   them); never another customer's order, nor kitchen tickets.
//! - The pickup board sees each order's number and state as a
//!   `pickup.updated` event ([`PickupEntry`]), and its own revocation;
//!   nothing else (no names, lines, notes, tables, totals).
//!
//! Anything not listed is withheld: a new kind of event reaches devices
//! only once it is added here.

use pos_wire::{DeviceKind, OutletEvent, PickupEntry};
use uuid::Uuid;

use crate::auth::{Actor, ActorKind};

/// The event kind the pickup board receives.
pub const PICKUP_UPDATED: &str = "pickup.updated";

/// Events a kiosk needs whoever caused them.
const KIOSK_KINDS: &[&str] =
    &["menu.item_updated", "menu.availability_changed", "menu.category_updated", "outlet.updated", "device.revoked"];

/// Events about an order that a kiosk sees when the order is its own.
const KIOSK_OWN_ORDER_KINDS: &[&str] = &["order.created", "order.status_changed"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everything,
    Kiosk { device_id: Uuid },
    Board { device_id: Uuid },
}

/// What a stream sends for one event: its kind and data, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub kind: String,
    pub data: serde_json::Value,
}

impl Audience {
    pub fn of(actor: &Actor) -> Audience {
        match actor.kind {
            ActorKind::Device { device_id, kind: DeviceKind::Kiosk, .. } => Audience::Kiosk { device_id },
            ActorKind::Device { device_id, kind: DeviceKind::Board, .. } => Audience::Board { device_id },
            ActorKind::Device { kind: DeviceKind::Kds, .. } | ActorKind::Staff { .. } => Audience::Everything,
        }
    }

    /// What this audience is shown of `event`, if anything.
    pub fn show(&self, event: &OutletEvent) -> Option<Shown> {
        let as_is = || Some(Shown { kind: event.kind.clone(), data: event.data.clone() });
        match self {
            Audience::Everything => as_is(),
            Audience::Kiosk { device_id } => {
                let own = event.order_device_id == Some(*device_id);
                if KIOSK_KINDS.contains(&event.kind.as_str())
                    || (own && KIOSK_OWN_ORDER_KINDS.contains(&event.kind.as_str()))
                {
                    as_is()
                } else {
                    None
                }
            }
            Audience::Board { device_id } => match event.kind.as_str() {
                "order.created" | "order.status_changed" => pickup_entry(event).map(|entry| Shown {
                    kind: PICKUP_UPDATED.into(),
                    data: serde_json::to_value(entry).unwrap_or_default(),
                }),
                "device.revoked" if revoked_device(event) == Some(*device_id) => as_is(),
                _ => None,
            },
        }
    }
}

/// The board's view of an order event: `order.created` carries the order,
/// `order.status_changed` carries it under `order`.
pub fn pickup_entry(event: &OutletEvent) -> Option<PickupEntry> {
    let order = match event.kind.as_str() {
        "order.created" => &event.data,
        "order.status_changed" => event.data.get("order")?,
        _ => return None,
    };
    Some(PickupEntry {
        order_id: serde_json::from_value(order.get("id")?.clone()).ok()?,
        number: order.get("number")?.as_str()?.to_string(),
        status: serde_json::from_value(order.get("status")?.clone()).ok()?,
        updated_at: serde_json::from_value(order.get("updated_at")?.clone()).ok()?,
    })
}

/// The device a `device.revoked` event names.
pub fn revoked_device(event: &OutletEvent) -> Option<Uuid> {
    (event.kind == "device.revoked").then(|| event.data.get("device_id")?.as_str()?.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, data: serde_json::Value, placed_by: Option<Uuid>) -> OutletEvent {
        OutletEvent {
            seq: 1,
            outlet_id: Uuid::nil(),
            kind: kind.into(),
            data,
            at: chrono::Utc::now(),
            order_device_id: placed_by,
        }
    }

    fn order(id: Uuid) -> serde_json::Value {
        json!({"id": id, "number": "K1-7", "status": "ready", "updated_at": "2026-11-24T10:00:00Z",
               "customer_name": "Budi", "table": "12", "items": [{"name": "Kopi", "note": "no sugar"}],
               "total_minor": 25000})
    }

    #[test]
    fn a_kiosk_sees_its_own_orders_and_the_menu_only() {
        let (me, other) = (Uuid::now_v7(), Uuid::now_v7());
        let kiosk = Audience::Kiosk { device_id: me };
        let id = Uuid::now_v7();
        assert!(kiosk.show(&event("order.created", order(id), Some(me))).is_some());
        assert!(kiosk.show(&event("order.created", order(id), Some(other))).is_none());
        assert!(kiosk.show(&event("order.created", order(id), None)).is_none());
        assert!(kiosk.show(&event("ticket.created", json!({"order_id": id}), Some(me))).is_none());
        assert!(kiosk.show(&event("menu.item_updated", json!({}), None)).is_some());
        assert!(kiosk.show(&event("something.new", json!({}), None)).is_none());
    }

    #[test]
    fn the_board_sees_numbers_and_states_only() {
        let board = Audience::Board { device_id: Uuid::now_v7() };
        let id = Uuid::now_v7();
        let shown = board.show(&event("order.status_changed", json!({"order": order(id), "reason": "x"}), None));
        let shown = shown.unwrap();
        assert_eq!(shown.kind, PICKUP_UPDATED);
        assert_eq!(
            shown.data,
            json!({"order_id": id, "number": "K1-7", "status": "ready", "updated_at": "2026-11-24T10:00:00Z"})
        );
        assert!(board.show(&event("ticket.updated", json!({"order_id": id}), None)).is_none());
        assert!(board.show(&event("menu.item_updated", json!({}), None)).is_none());
        assert!(board.show(&event("device.revoked", json!({"device_id": Uuid::now_v7()}), None)).is_none());
    }
}
