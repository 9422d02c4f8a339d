//! Mail. A mail is rendered and written to the transactional outbox in the
//! same transaction as the change that causes it ([`outbox`]); a worker in
//! every server process sends what is due through SMTP ([`transport`],
//! [`worker`]), retrying with backoff. A claimed mail is leased, so two
//! processes never send the same one at once; each carries its outbox id as
//! its `Message-ID`, so the one duplicate a crash between "sent" and
//! "recorded" could cause is recognisable as such.

pub mod daily_summary;
pub mod low_stock;
pub mod outbox;
pub mod recipients;
pub mod templates;
pub mod transport;
pub mod worker;

pub use outbox::{Mail, MailKind, enqueue};
