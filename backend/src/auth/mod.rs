//! Who is calling: staff sign-up, login, refresh-token rotation and logout;
//! access and device tokens (JWT with `kid`); and the [`principal::Scoped`]
//! extractor that turns a token into a scoped transaction and an [`Actor`].

pub mod account_links;
pub mod actor;
pub mod admin_session;
pub mod email;
pub mod http;
pub mod jwt;
pub mod password;
pub mod pin;
pub mod principal;
pub mod principal_cache;
pub mod query_token;
pub mod rate_limit;
pub mod refresh;
pub mod sessions;
pub mod stream_guard;

pub use actor::{Actor, ActorKind};
pub use email::Email;
pub use password::Password;
