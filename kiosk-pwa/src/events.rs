//! The outlet's live events over SSE (`EventSource`), kept connected.
//!
//! The browser reconnects by itself after a dropped connection and resends
//! `Last-Event-ID`. When the stream is closed for good (an error status, the
//! device going offline) or has been silent too long (the server sends a
//! named `ping` every 15 s, so longer silence means a dead connection the
//! browser has not noticed), this module opens a new `EventSource` with
//! `&last_event_id=` so the server replays the gap. `reset` means the gap is
//! too old: the screen reloads its state.

use std::{
    cell::{Cell, RefCell},
    rc::{Rc, Weak},
};

use leptos::prelude::*;
use pos_wire::{
    DeviceRevoked, EventKind, Order, OrderPaid, OrderStatus, OrderStatusChanged, PairedDevice, PaymentUpdated,
    PickupEntry, Ticket,
};
use serde::{Deserialize, de::DeserializeOwned};
use uuid::Uuid;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{EventSource, MessageEvent};

use crate::{api, clock};

/// Reconnect when nothing has arrived for this long: a live stream carries
/// a `ping` every 15 s (screens say they are behind after 20 s).
const SILENCE_RECONNECT_MS: f64 = 18_000.0;
const WATCHDOG_MS: u64 = 2_000;

/// What `EventSource` calls an event sent without an `event:` line (the
/// server names all of its events; this only counts as a sign of life).
const UNNAMED: &str = "message";

/// What a screen may act on.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    OrderCreated(Box<Order>),
    /// The order as it is after the change.
    OrderStatusChanged(Box<Order>),
    /// An order's new state, in a build without the kiosk and the till
    /// (which get [`LiveEvent::OrderStatusChanged`] instead).
    OrderState {
        order_id: Uuid,
        status: OrderStatus,
    },
    TicketUpdated(Box<Ticket>),
    /// An order's number and state, as the pickup board sees them.
    PickupUpdated(PickupEntry),
    /// Something in the catalogue or the outlet's settings changed.
    MenuChanged,
    DeviceRevoked(Uuid),
    /// A payment was made or changed state (a kiosk hears of its own orders' only).
    PaymentUpdated(Box<PaymentUpdated>),
    /// An order became fully paid.
    OrderPaid(OrderPaid),
    /// The missed events are no longer kept: reload everything.
    Reset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Connecting,
    Open,
    Down,
}

/// What this build's screens follow. A kind that none of them uses is not
/// decoded, so its payload's parser stays out of the screen's bundle (each
/// screen is its own build: `build.sh`).
const WHOLE_ORDERS: bool = cfg!(any(feature = "kiosk", feature = "till"));
const TICKETS: bool = cfg!(feature = "kds");
const PICKUP: bool = cfg!(feature = "board");

/// The part of `order.status_changed` the kitchen acts on.
#[derive(Deserialize)]
struct OrderState {
    order_id: Uuid,
    status: OrderStatus,
}

/// What a screen makes of one SSE event: nothing for a kind this build does
/// not know (a newer server's) or does not follow, a payload that does not
/// fit, or a heartbeat. Every kind is named (no catch-all): a new kind does
/// not compile until it is decided what the screens do with it.
fn parse(kind: &str, data: &str) -> Option<LiveEvent> {
    use EventKind as K;
    Some(match EventKind::from_name(kind)? {
        K::OrderCreated if WHOLE_ORDERS => LiveEvent::OrderCreated(decode(data)?),
        K::OrderStatusChanged if WHOLE_ORDERS => {
            LiveEvent::OrderStatusChanged(Box::new(decode::<OrderStatusChanged>(data)?.order))
        }
        K::OrderStatusChanged if TICKETS => order_state(data)?,
        // Staff discounted the kiosk's order before it was paid: new totals.
        K::OrderUpdated if WHOLE_ORDERS => LiveEvent::OrderStatusChanged(decode(data)?),
        K::TicketCreated | K::TicketUpdated if TICKETS => LiveEvent::TicketUpdated(decode(data)?),
        K::PickupUpdated if PICKUP => LiveEvent::PickupUpdated(decode(data)?),
        // The screens reload the menu; what changed does not matter.
        K::MenuItemUpdated | K::MenuAvailabilityChanged | K::MenuCategoryUpdated | K::OutletUpdated => {
            LiveEvent::MenuChanged
        }
        K::DeviceRevoked => LiveEvent::DeviceRevoked(decode::<DeviceRevoked>(data)?.device_id),
        // The kiosk follows its customer's QRIS payment by these.
        K::PaymentUpdated if WHOLE_ORDERS => LiveEvent::PaymentUpdated(decode(data)?),
        K::OrderPaid if WHOLE_ORDERS => LiveEvent::OrderPaid(decode(data)?),
        K::Reset => LiveEvent::Reset,
        // Not followed by this build's screens; refunds are staff business;
        // the heartbeat is a sign of life, nothing to act on.
        K::OrderCreated
        | K::OrderStatusChanged
        | K::OrderUpdated
        | K::TicketCreated
        | K::TicketUpdated
        | K::PickupUpdated
        | K::PaymentUpdated
        | K::OrderPaid
        | K::RefundUpdated
        | K::Ping => return None,
    })
}

/// `order.status_changed` as [`LiveEvent::OrderState`]: the order's id and
/// new state, without parsing the whole order.
fn order_state(data: &str) -> Option<LiveEvent> {
    let OrderState { order_id, status } = decode(data)?;
    Some(LiveEvent::OrderState { order_id, status })
}

/// A payload as `T`; `None` if it does not fit.
fn decode<T: DeserializeOwned>(data: &str) -> Option<T> {
    serde_json::from_str(data).ok()
}

type Listener = Closure<dyn FnMut(web_sys::Event)>;
/// The open `EventSource` and the listeners attached to it (kept alive with it).
type OpenSource = (EventSource, Vec<(&'static str, Listener)>);

struct Inner {
    device: PairedDevice,
    on_event: Box<dyn Fn(LiveEvent)>,
    /// Called on every (re)connection: screens reload what may have been missed.
    on_open: Box<dyn Fn()>,
    source: RefCell<Option<OpenSource>>,
    last_event_id: Cell<Option<i64>>,
    failures: Cell<u32>,
    retry_at_ms: Cell<Option<f64>>,
    stopped: Cell<bool>,
    /// Last sign of life from the server (open or any event), ms.
    pub last_contact_ms: RwSignal<f64>,
    pub state: RwSignal<LinkState>,
}

/// A live connection to one outlet's events. Dropping it does not stop it;
/// call [`LiveStream::stop`].
#[derive(Clone)]
pub struct LiveStream {
    inner: Rc<Inner>,
    pub last_contact_ms: RwSignal<f64>,
    pub state: RwSignal<LinkState>,
}

impl LiveStream {
    pub fn connect(device: PairedDevice, on_event: impl Fn(LiveEvent) + 'static, on_open: impl Fn() + 'static) -> Self {
        let last_contact_ms = RwSignal::new(clock::now_ms());
        let state = RwSignal::new(LinkState::Connecting);
        let inner = Rc::new(Inner {
            device,
            on_event: Box::new(on_event),
            on_open: Box::new(on_open),
            source: RefCell::new(None),
            last_event_id: Cell::new(None),
            failures: Cell::new(0),
            retry_at_ms: Cell::new(None),
            stopped: Cell::new(false),
            last_contact_ms,
            state,
        });
        open(&inner);
        watch(&inner);
        LiveStream { inner, last_contact_ms, state }
    }

    /// The network is back: connect now instead of at the next retry.
    pub fn reconnect_now(&self) {
        if self.inner.state.get_untracked() != LinkState::Open {
            self.inner.failures.set(0);
            open(&self.inner);
        }
    }

    /// The device went offline: nothing can arrive, say so at once.
    pub fn went_offline(&self) {
        close(&self.inner);
        self.inner.state.set(LinkState::Down);
    }

    pub fn stop(&self) {
        self.inner.stopped.set(true);
        close(&self.inner);
    }
}

fn close(inner: &Inner) {
    if let Some((source, listeners)) = inner.source.borrow_mut().take() {
        for (kind, listener) in &listeners {
            let _ = source.remove_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        }
        source.close();
    }
}

fn open(inner: &Rc<Inner>) {
    close(inner);
    if inner.stopped.get() {
        return;
    }
    inner.retry_at_ms.set(None);
    let url = api::events_url(&inner.device, inner.last_event_id.get());
    let Ok(source) = EventSource::new(&url) else {
        schedule_retry(inner);
        return;
    };
    inner.state.set(LinkState::Connecting);
    let mut listeners: Vec<(&'static str, Listener)> = Vec::new();

    let weak = Rc::downgrade(inner);
    let on_open: Listener = Closure::new(move |_: web_sys::Event| {
        if let Some(inner) = weak.upgrade() {
            inner.failures.set(0);
            inner.state.set(LinkState::Open);
            inner.last_contact_ms.set(clock::now_ms());
            (inner.on_open)();
        }
    });
    listeners.push(("open", on_open));

    let weak = Rc::downgrade(inner);
    let on_error: Listener = Closure::new(move |_: web_sys::Event| {
        if let Some(inner) = weak.upgrade() {
            on_stream_error(&inner);
        }
    });
    listeners.push(("error", on_error));

    for &kind in pos_wire::LiveEvent::KINDS.iter().chain([&UNNAMED]) {
        let weak: Weak<Inner> = Rc::downgrade(inner);
        let listener: Listener = Closure::new(move |event: web_sys::Event| {
            let (Some(inner), Ok(message)) = (weak.upgrade(), event.dyn_into::<MessageEvent>()) else { return };
            inner.last_contact_ms.set(clock::now_ms());
            if let Ok(id) = message.last_event_id().parse::<i64>() {
                inner.last_event_id.set(Some(id));
            }
            if let Some(event) = message.data().as_string().and_then(|data| parse(kind, &data)) {
                (inner.on_event)(event);
            }
        });
        listeners.push((kind, listener));
    }
    for (kind, listener) in &listeners {
        let _ = source.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
    }
    *inner.source.borrow_mut() = Some((source, listeners));
}

fn on_stream_error(inner: &Rc<Inner>) {
    let closed = inner.source.borrow().as_ref().is_none_or(|(s, _)| s.ready_state() == EventSource::CLOSED);
    if !closed {
        // The browser is reconnecting by itself (and resends Last-Event-ID).
        inner.state.set(LinkState::Connecting);
        return;
    }
    inner.state.set(LinkState::Down);
    close(inner);
    // Closed for good: an error status. Find out whether this device was revoked.
    let weak = Rc::downgrade(inner);
    let device = inner.device.clone();
    leptos::task::spawn_local(async move {
        let answer = api::device_me(&device).await;
        let Some(inner) = weak.upgrade() else { return };
        if answer.as_ref().is_err_and(|e| e.is_unauthorized()) {
            inner.stopped.set(true);
            (inner.on_event)(LiveEvent::DeviceRevoked(device.device_id));
        } else {
            schedule_retry(&inner);
        }
    });
}

fn schedule_retry(inner: &Rc<Inner>) {
    let failures = inner.failures.get() + 1;
    inner.failures.set(failures);
    inner.retry_at_ms.set(Some(clock::now_ms() + f64::from(clock::backoff_ms(failures))));
}

/// Retries when due, and reconnects a stream that has gone quiet.
fn watch(inner: &Rc<Inner>) {
    let weak = Rc::downgrade(inner);
    let handle: Rc<Cell<Option<IntervalHandle>>> = Rc::default();
    let handle_in = handle.clone();
    let interval = set_interval_with_handle(
        move || {
            let Some(inner) = weak.upgrade().filter(|i| !i.stopped.get()) else {
                if let Some(h) = handle_in.take() {
                    h.clear();
                }
                return;
            };
            let now = clock::now_ms();
            let silent_for = now - inner.last_contact_ms.get_untracked();
            let due = inner.retry_at_ms.get().is_some_and(|at| at <= now);
            let quiet = inner.state.get_untracked() == LinkState::Open && silent_for > SILENCE_RECONNECT_MS;
            if (due || quiet) && crate::net::browser_online() {
                open(&inner);
            }
        },
        std::time::Duration::from_millis(WATCHDOG_MS),
    );
    handle.set(interval.ok());
}

#[cfg(test)]
mod tests {
    use pos_wire::{LiveEvent as WireEvent, MenuItemChanged};
    use serde_json::json;

    use super::*;

    fn sent(event: &WireEvent) -> (&'static str, String) {
        (event.kind(), event.payload().unwrap().to_string())
    }

    #[test]
    fn menu_and_device_events_reach_the_screens() {
        let (kind, data) = sent(&WireEvent::MenuItemUpdated(MenuItemChanged::deleted(Uuid::nil())));
        assert!(matches!(parse(kind, &data), Some(LiveEvent::MenuChanged)));
        let me = Uuid::from_u128(7);
        let (kind, data) = sent(&WireEvent::DeviceRevoked(DeviceRevoked { device_id: me }));
        assert!(matches!(parse(kind, &data), Some(LiveEvent::DeviceRevoked(id)) if id == me));
        assert!(matches!(parse("reset", r#"{"reason": "too old", "seq": 3}"#), Some(LiveEvent::Reset)));
    }

    #[test]
    fn payment_events_reach_the_kiosk() {
        let order_id = Uuid::from_u128(9);
        let payment = json!({
            "id": Uuid::from_u128(1), "client_payment_id": Uuid::from_u128(2), "order_id": order_id,
            "outlet_id": Uuid::from_u128(3), "method": "qris", "status": "paid", "amount_minor": 41958,
            "created_at": "2026-12-03T05:00:00Z", "paid_at": "2026-12-03T05:01:00Z"
        });
        let update = json!({"order_id": order_id, "payment": payment, "payment_status": "paid", "paid_minor": 41958});
        let Some(LiveEvent::PaymentUpdated(update)) = parse("payment.updated", &update.to_string()) else {
            panic!("payment.updated not passed on")
        };
        assert_eq!((update.order_id, update.payment.status), (order_id, pos_wire::PaymentStatus::Paid));
        let paid = json!({"order_id": order_id, "number": "K1-7", "receipt_number": 12}).to_string();
        assert!(matches!(parse("order.paid", &paid), Some(LiveEvent::OrderPaid(p)) if p.receipt_number == 12));
    }

    #[test]
    fn the_kitchen_reads_an_orders_new_state_alone() {
        let order_id = Uuid::from_u128(9);
        let change = json!({
            "order_id": order_id, "number": "K1-7", "status": "cancelled", "previous": "preparing",
            "reason": "customer left", "order": {"id": order_id, "items": [{"name": "Es Teh"}]}
        });
        let state = order_state(&change.to_string());
        assert!(
            matches!(state, Some(LiveEvent::OrderState { order_id: id, status: OrderStatus::Cancelled }) if id == order_id)
        );
        assert!(order_state(r#"{"order_id": "K1-7", "status": "cancelled"}"#).is_none());
    }

    #[test]
    fn what_a_screen_cannot_use_is_ignored() {
        // A payload that does not fit this build's type (a newer server's, say).
        let future = json!({"order_id": Uuid::nil(), "payment": {"method": "qris"}}).to_string();
        assert!(parse("payment.updated", &future).is_none());
        // A known kind whose payload does not fit, and broken JSON.
        assert!(parse("device.revoked", r#"{"device": 1}"#).is_none());
        assert!(parse("device.revoked", "{").is_none());
        // The heartbeat.
        assert!(parse("ping", r#"{"at": "2026-11-24T10:00:00Z", "seq": 0}"#).is_none());
    }
}
