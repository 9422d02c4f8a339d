//! Black-box tests over HTTP (and, for row-level security, over SQL as the
//! app role) against the fresh database the test command prepared.

mod auth;
mod catalog;
mod devices;
mod fanout;
mod isolation;
mod ops;
mod orders;
mod outlets;
mod sessions;
mod sql_rls;
mod staff;
mod startup;
