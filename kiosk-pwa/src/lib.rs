//! Kiosk, kitchen display (KDS), pickup board and till screens: one Leptos
//! CSR app compiled to WASM, one bundle per screen (the cargo features
//! `kiosk`, `kds`, `board`, `till`; build.sh). The server serves each
//! screen's page at its path (`/kiosk/`, `/kds/`, `/kds/board`, `/pos/`)
//! and its bundle at `/app/<screen>/`; the path decides which screen shows.
//!
//! Components (in `components/`) only render and react. Plain modules do
//! the rest: `api` (HTTP), `db` (IndexedDB), `menu` (the menu cache and its
//! sync), `cart` (the customer's choices and totals), `queue` (the kiosk's
//! outgoing orders: numbered by `numbering`, placed, queued), `confirmation`
//! (the placed order as the customer follows it), `payment` (what checkout
//! offers, and a QRIS payment as the customer follows it), `qr` (the QR
//! code's SVG), `refusal` (why the server
//! refused one), `events` (live SSE), `kitchen` and `board` (the KDS's and
//! pickup board's state), `till` (the till's cashier, tenders and item
//! search), `receipt` (printing one), `storage` (small settings), `staff_pin` (how the
//! staff PIN is hashed), `i18n` (strings), `locale` (the language shown,
//! provided to every component by context), `mounted` (window listeners
//! and timers that end with their component), `behind` (what runs behind
//! the screens that take orders).

// A per-screen bundle (see Cargo.toml's features) compiles every module but
// reaches only its screen's code; the rest is left out by the linker, and
// would only raise dead-code warnings here. The default build, with every
// screen, is the one clippy checks for unused code.
#![cfg_attr(
    not(all(feature = "kiosk", feature = "kds", feature = "board", feature = "till")),
    allow(dead_code, unused_imports)
)]

#[cfg(not(any(feature = "kiosk", feature = "kds", feature = "board", feature = "till")))]
compile_error!("build at least one screen: --features kiosk, kds, board or till");

mod api;
mod app;
mod behind;
mod board;
mod cart;
mod clock;
mod components;
mod confirmation;
mod db;
mod events;
mod i18n;
mod kitchen;
mod locale;
mod menu;
mod money;
mod mounted;
mod net;
mod numbering;
// A manager's PIN sealed to the server's key at an offline till.
mod offline_approval;
mod payment;
mod pwa;
mod qr;
mod queue;
mod receipt;
// "Email me the receipt" at the till and the kiosk.
mod receipt_email;
mod refusal;
mod replay;
mod shift;
mod sound;
mod staff_pin;
mod storage;
mod till;
// Table service at the till: the floor, checks, rounds (queued offline), and its strings.
mod tables;
mod tables_text;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs when the bundle's `init()` has loaded the module.
#[wasm_bindgen(start)]
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // The first screen is in the page: tests and the load benchmark
    // (tests/bench-load.mjs) wait for this.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-ready", "");
    }
}
