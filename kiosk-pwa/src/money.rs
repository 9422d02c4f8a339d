//! Money as the kiosk shows it, through the one money module
//! (`pos_wire::money`), and the server's own service charge and tax rules
//! (`pos_wire::pricing`), so the total on screen is the total the counter
//! asks for.

use leptos::prelude::*;

use crate::locale::use_locale;

/// `Rp 25.000`, `US$4.50` (English) or `US$4,50` (Indonesian), in the
/// language the screen shows (from the app's context). Call it inside a
/// reactive closure (`move || format_money(..)`) so a language switch
/// writes the amount again.
pub fn format_money(minor: i64, currency: &str) -> String {
    pos_wire::money::format(minor, currency, use_locale().get())
}

pub use pos_wire::pricing::{totals, unit_price};
