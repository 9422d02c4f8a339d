//! Kiosk and kitchen display (KDS) screens, one Leptos CSR app compiled to
//! WASM. The server serves this bundle at `/app/` and `index.html` at
//! `/kiosk/` and `/kds/`; the path decides which screen shows.
//!
//! Components (in `components/`) only render and react; network calls live
//! in `api`, browser storage in `storage`, strings in `i18n`.

mod api;
mod app;
mod components;
mod i18n;
mod storage;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs when the bundle's `init()` has loaded the module.
#[wasm_bindgen(start)]
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
