//! Cashiers at a till (issue 12). A till is a device of kind `till`; its
//! own device token only lists who may sign in on it and signs them in
//! with their PIN ([`sign_in`]). Everything else a cashier does at the
//! till (orders, payments, the offline queue) goes through the staff token
//! that gives them, bound to the till (`Actor::till`), so it is recorded
//! under their name.

pub mod approval_seal;
pub mod http;
pub mod sign_in;
