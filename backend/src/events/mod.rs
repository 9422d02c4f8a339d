//! Live events. Every committed change that devices care about appends a
//! row to the outlet's event log in its own transaction (the outbox, see the
//! orders migration); after commit the [`bus::EventBus`] hands it to this
//! process's subscribers and, through Redis pub/sub, to every other server
//! process. A periodic sweep of the log covers anything a publish lost
//! (Redis away, a crash between commit and publish), and clients that
//! reconnect replay what they missed by `Last-Event-ID`.

pub mod audience;
pub mod bus;
pub mod http;
pub mod log;
pub mod redis_fanout;
pub mod slots;

pub use bus::EventBus;
