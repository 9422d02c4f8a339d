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
//! The matches below name every kind of [`LiveEvent`] without a catch-all:
//! a new kind does not compile until it is decided here who sees it. A kind
//! this server does not know (a newer server's) is shown to no one.

use std::borrow::Cow;

use pos_wire::{DeviceKind, LiveEvent, PickupEntry};
use uuid::Uuid;

use super::OutletEvent;
use crate::auth::{Actor, ActorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everything,
    Kiosk { device_id: Uuid },
    Board { device_id: Uuid },
}

impl Audience {
    pub fn of(actor: &Actor) -> Audience {
        match actor.kind {
            ActorKind::Device { device_id, kind: DeviceKind::Kiosk, .. } => Audience::Kiosk { device_id },
            ActorKind::Device { device_id, kind: DeviceKind::Board, .. } => Audience::Board { device_id },
            // A till stands behind the counter: it sees the outlet's orders as staff do.
            ActorKind::Device { kind: DeviceKind::Kds | DeviceKind::Till, .. } | ActorKind::Staff { .. } => {
                Audience::Everything
            }
        }
    }

    /// What this audience is shown of `event`, if anything.
    pub fn show<'e>(&self, event: &'e OutletEvent) -> Option<Cow<'e, LiveEvent>> {
        let live = event.event.as_ref()?;
        match self {
            Audience::Everything => Some(Cow::Borrowed(live)),
            Audience::Kiosk { device_id } => {
                kiosk_sees(live, event.order_device_id == Some(*device_id)).then_some(Cow::Borrowed(live))
            }
            Audience::Board { device_id } => board_view(live, *device_id),
        }
    }
}

/// Whether a kiosk is shown `live`; `own` when it is about an order the
/// kiosk placed.
fn kiosk_sees(live: &LiveEvent, own: bool) -> bool {
    use LiveEvent::*;
    match live {
        MenuItemUpdated(_)
        | MenuAvailabilityChanged(_)
        | MenuCategoryUpdated(_)
        | OutletUpdated(_)
        | DeviceRevoked(_) => true,
        OrderCreated(_) | OrderStatusChanged(_) | OrderUpdated(_) | PaymentUpdated(_) | OrderPaid(_) => own,
        // Refunds are staff business.
        RefundUpdated(_) => false,
        TicketCreated(_) | TicketUpdated(_) => false,
        // Made per stream, never read from the log.
        PickupUpdated(_) | Reset(_) | Ping(_) => false,
    }
}

/// The board's view of `live`: an order's number and state, or its own revocation.
fn board_view(live: &LiveEvent, device_id: Uuid) -> Option<Cow<'_, LiveEvent>> {
    use LiveEvent::*;
    let entry = match live {
        OrderCreated(order) => PickupEntry::of(order),
        OrderStatusChanged(change) => PickupEntry::of(&change.order),
        DeviceRevoked(revoked) if revoked.device_id == device_id => return Some(Cow::Borrowed(live)),
        DeviceRevoked(_) | TicketCreated(_) | TicketUpdated(_) => return None,
        // Lines and money: the number and state are as they were.
        OrderUpdated(_) => return None,
        // The board shows numbers, not money.
        PaymentUpdated(_) | OrderPaid(_) | RefundUpdated(_) => return None,
        MenuItemUpdated(_) | MenuAvailabilityChanged(_) | MenuCategoryUpdated(_) | OutletUpdated(_) => return None,
        PickupUpdated(_) | Reset(_) | Ping(_) => return None,
    };
    Some(Cow::Owned(PickupUpdated(entry)))
}

/// The device a `device.revoked` event names.
pub fn revoked_device(event: &OutletEvent) -> Option<Uuid> {
    match &event.event {
        Some(LiveEvent::DeviceRevoked(revoked)) => Some(revoked.device_id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::{
        ChangeOp, Channel, MenuItemChanged, Order, OrderStatus, OrderStatusChanged, Ticket, TicketStatus,
        events::DeviceRevoked,
    };
    use serde_json::json;

    use super::*;

    fn event(live: LiveEvent, placed_by: Option<Uuid>) -> OutletEvent {
        OutletEvent {
            seq: 1,
            outlet_id: Uuid::nil(),
            at: chrono::Utc::now(),
            order_device_id: placed_by,
            event: Some(live),
        }
    }

    fn order(id: Uuid) -> Order {
        let at = "2026-11-24T10:00:00Z".parse().unwrap();
        Order {
            id,
            client_order_id: Uuid::now_v7(),
            outlet_id: Uuid::nil(),
            number: "K1-7".into(),
            status: OrderStatus::Ready,
            channel: Channel::Kiosk,
            customer_name: Some("Budi".into()),
            table: Some("12".into()),
            table_id: None,
            guest_count: None,
            items: Vec::new(),
            subtotal_minor: 25000,
            discount_minor: 0,
            service_charge_minor: 0,
            tax_minor: 0,
            total_minor: 25000,
            currency: "IDR".into(),
            flags: Vec::new(),
            cancel_reason: None,
            created_at_client: at,
            created_at: at,
            updated_at: at,
            payment_status: Default::default(),
            paid_minor: 0,
            refunded_minor: 0,
            rounding_minor: 0,
            receipt_number: None,
            paid_at: None,
            payments: Vec::new(),
            discounts: Vec::new(),
        }
    }

    fn ticket(order_id: Uuid) -> Ticket {
        Ticket {
            id: Uuid::now_v7(),
            order_id,
            outlet_id: Uuid::nil(),
            number: "K1-7".into(),
            station: "kitchen".into(),
            status: TicketStatus::Open,
            lines: Vec::new(),
            order_status: OrderStatus::Placed,
            created_at: chrono::Utc::now(),
            bumped_at: None,
        }
    }

    fn menu_change() -> LiveEvent {
        LiveEvent::MenuItemUpdated(MenuItemChanged { item_id: Uuid::now_v7(), op: ChangeOp::Delete, item: None })
    }

    #[test]
    fn a_kiosk_sees_its_own_orders_and_the_menu_only() {
        let (me, other) = (Uuid::now_v7(), Uuid::now_v7());
        let kiosk = Audience::Kiosk { device_id: me };
        let id = Uuid::now_v7();
        let created = || LiveEvent::OrderCreated(order(id));
        assert!(kiosk.show(&event(created(), Some(me))).is_some());
        assert!(kiosk.show(&event(created(), Some(other))).is_none());
        assert!(kiosk.show(&event(created(), None)).is_none());
        assert!(kiosk.show(&event(LiveEvent::TicketCreated(ticket(id)), Some(me))).is_none());
        assert!(kiosk.show(&event(menu_change(), None)).is_some());
        // A kind this server could not decode.
        let unknown = OutletEvent { event: None, ..event(menu_change(), None) };
        assert!(kiosk.show(&unknown).is_none());
        assert!(Audience::Everything.show(&unknown).is_none());
    }

    #[test]
    fn the_board_sees_numbers_and_states_only() {
        let board = Audience::Board { device_id: Uuid::now_v7() };
        let id = Uuid::now_v7();
        let change = OrderStatusChanged {
            order_id: id,
            number: "K1-7".into(),
            status: OrderStatus::Ready,
            previous: OrderStatus::Preparing,
            reason: Some("x".into()),
            order: order(id),
        };
        let changed = event(LiveEvent::OrderStatusChanged(change), None);
        let shown = board.show(&changed).unwrap();
        assert_eq!(shown.kind(), "pickup.updated");
        assert_eq!(
            shown.payload().unwrap(),
            json!({"order_id": id, "number": "K1-7", "status": "ready", "updated_at": "2026-11-24T10:00:00Z"})
        );
        assert!(board.show(&event(LiveEvent::TicketUpdated(ticket(id)), None)).is_none());
        assert!(board.show(&event(menu_change(), None)).is_none());
        let someone_else = LiveEvent::DeviceRevoked(DeviceRevoked { device_id: Uuid::now_v7() });
        assert!(board.show(&event(someone_else, None)).is_none());
    }

    #[test]
    fn the_board_hears_of_its_own_revocation() {
        let me = Uuid::now_v7();
        let revoked = LiveEvent::DeviceRevoked(DeviceRevoked { device_id: me });
        let e = event(revoked.clone(), None);
        assert_eq!(Audience::Board { device_id: me }.show(&e).as_deref(), Some(&revoked));
        assert_eq!(revoked_device(&e), Some(me));
    }
}
