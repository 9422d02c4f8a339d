//! Amounts for people, through the one money module (`pos_wire::money`):
//! written in the admin's language, read from forms with errors as the
//! admin's translation keys.

use pos_wire::money::{self, ParseError};

pub use pos_wire::money::{format_input as amount_input, minor_digits};

use crate::i18n::Tr;

/// `Rp 25.000`, `US$4.50` (English) or `US$4,50` (Indonesian).
pub fn format_money(minor: i64, currency: &str, tr: Tr) -> String {
    money::format(minor, currency, tr.0)
}

/// An amount typed in a form (see `pos_wire::money::parse`); errors are
/// translation keys (`field.money_format`, ...).
pub fn parse_money(raw: &str, currency: &str, allow_negative: bool) -> Result<i64, &'static str> {
    money::parse(raw, currency, allow_negative).map_err(|e| match e {
        ParseError::Required => "field.required",
        ParseError::Negative => "field.money_negative",
        ParseError::NotWhole => "field.money_whole",
        ParseError::Format => "field.money_format",
        ParseError::OutOfRange => "field.money_range",
    })
}
