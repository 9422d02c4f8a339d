//! Black-box tests over HTTP (and, for row-level security, over SQL as the
//! app role) against the fresh database the test command prepared.

mod admin_floor;
mod admin_pages;
mod admin_payments;
mod auth;
mod bodies;
mod catalog;
mod codes;
mod device_apps;
mod devices;
mod discounts;
mod fanout;
mod isolation;
mod item_codes;
mod jobs;
mod mail;
mod offline_discounts;
mod ops;
mod orders;
mod outlets;
mod payments;
mod prices;
mod receipts;
mod refunds;
mod reports;
mod sessions;
mod shifts;
mod sql_rls;
mod staff;
mod startup;
mod stock;
mod streams;
mod tables;
mod till;
mod webhooks;
