//! Live events. Every committed change that devices care about appends a
//! row to the outlet's event log in its own transaction (the outbox, see the
//! orders migration); after commit the [`bus::EventBus`] hands it to this
//! process's subscribers and, through Redis pub/sub, to every other server
//! process. A periodic sweep of the log covers anything a publish lost
//! (Redis away, a crash between commit and publish), and clients that
//! reconnect replay what they missed by `Last-Event-ID`.
//!
//! What an event is (its kind and payload) is [`pos_wire::LiveEvent`], the
//! one definition the devices decode too.

pub mod audience;
pub mod bus;
pub mod frames;
pub mod http;
pub mod log;
pub mod redis_fanout;
pub mod slots;

pub use bus::EventBus;
use chrono::{DateTime, Utc};
pub use log::StoredEvent;
use pos_wire::LiveEvent;
use uuid::Uuid;

/// One event of an outlet's log, as the bus hands it to streams.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletEvent {
    /// The outlet's event sequence (the SSE `id:`).
    pub seq: i64,
    pub outlet_id: Uuid,
    pub at: DateTime<Utc>,
    /// The device that placed the order this event is about, if any (a
    /// kiosk's stream carries only its own orders' events).
    pub order_device_id: Option<Uuid>,
    /// `None` for a kind this server does not know (written by a newer one
    /// during a rolling upgrade): it keeps its place in the sequence, and
    /// no one is shown it.
    pub event: Option<LiveEvent>,
}

impl OutletEvent {
    /// Whether the event changes what an outlet's menu stamp would be (a
    /// catalogue change is announced on every outlet of the tenant).
    pub fn changes_menu(&self) -> bool {
        matches!(
            self.event,
            Some(
                LiveEvent::MenuItemUpdated(_)
                    | LiveEvent::MenuCategoryUpdated(_)
                    | LiveEvent::MenuAvailabilityChanged(_)
                    | LiveEvent::OutletUpdated(_)
            )
        )
    }
}
