//! Money for every screen: the currencies we price in, how many minor units
//! each has, rounding to a step (cash), and how amounts are written and read
//! per locale. Amounts are integer minor units everywhere; the rupiah is
//! counted in whole rupiah (no minor unit in practice).
//!
//! Writing: `Rp 25.000` (rupiah are grouped with dots in either language, as
//! Indonesia writes them), `US$4.50` in English and `US$4,50` in Indonesian.

use crate::{Locale, problem::Code};

/// A currency we price in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    pub code: &'static str,
    /// Digits after the decimal point (minor units per major unit = 10^digits).
    pub digits: u32,
    pub symbol: &'static str,
    /// Whether the symbol is followed by a space (`Rp 25.000`, `US$4.50`).
    pub spaced: bool,
}

/// Every currency a brand can choose.
pub const CURRENCIES: &[Currency] = &[
    Currency { code: "IDR", digits: 0, symbol: "Rp", spaced: true },
    Currency { code: "SGD", digits: 2, symbol: "S$", spaced: false },
    Currency { code: "MYR", digits: 2, symbol: "RM", spaced: false },
    Currency { code: "USD", digits: 2, symbol: "US$", spaced: false },
    Currency { code: "EUR", digits: 2, symbol: "€", spaced: false },
    Currency { code: "THB", digits: 2, symbol: "฿", spaced: false },
    Currency { code: "PHP", digits: 2, symbol: "₱", spaced: false },
];

impl Currency {
    /// The currency of `code`, if we price in it.
    pub fn of(code: &str) -> Option<Currency> {
        CURRENCIES.iter().copied().find(|c| c.code == code)
    }

    /// The currency of `code`, or a stand-in that shows the code itself with
    /// two decimals (a code from an old record, say).
    pub fn or_default(code: &str) -> Currency {
        Self::of(code).unwrap_or(Currency { code: "", digits: 2, symbol: "", spaced: true })
    }

    pub fn scale(self) -> i64 {
        10i64.pow(self.digits)
    }
}

/// Digits after the decimal point of `code` (2 for codes we do not know).
pub fn minor_digits(code: &str) -> u32 {
    Currency::or_default(code).digits
}

/// How [`round_to_step`] breaks ties and remainders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// To the nearest step, halves up (Rp 41.950 → Rp 42.000 at Rp 100).
    HalfUp,
    /// Down to the step (the customer never pays more than the bill).
    Down,
    Up,
}

/// `amount` rounded to a multiple of `step` (a step of 0 or 1 changes
/// nothing). Amounts here are never negative in practice; negatives round
/// symmetrically.
pub fn round_to_step(amount: i64, step: i64, rounding: Rounding) -> i64 {
    if step <= 1 {
        return amount;
    }
    let (sign, abs) = (amount.signum(), amount.abs());
    let rem = abs % step;
    let down = abs - rem;
    let rounded = match rounding {
        Rounding::Down => down,
        Rounding::Up if rem == 0 => down,
        Rounding::Up => down + step,
        Rounding::HalfUp if rem * 2 >= step => down + step,
        Rounding::HalfUp => down,
    };
    sign * rounded
}

/// Separators of the written number: (thousands, decimal point).
fn separators(currency: &Currency, locale: Locale) -> (char, char) {
    match (currency.code, locale) {
        ("IDR", _) | (_, Locale::Id) => ('.', ','),
        (_, Locale::En) => (',', '.'),
    }
}

fn group(mut n: u64, sep: char) -> String {
    let mut parts = Vec::new();
    loop {
        if n < 1000 {
            parts.push(n.to_string());
            break;
        }
        parts.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    parts.reverse();
    parts.join(&sep.to_string())
}

/// `minor` written for people: `Rp 25.000`, `US$4.50`, `-Rp 2.000`.
pub fn format(minor: i64, code: &str, locale: Locale) -> String {
    let currency = Currency::or_default(code);
    let (thousands, point) = separators(&currency, locale);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = 10u64.pow(currency.digits);
    let whole = group(abs / scale, thousands);
    let number = if currency.digits == 0 {
        whole
    } else {
        format!("{whole}{point}{:0width$}", abs % scale, width = currency.digits as usize)
    };
    let symbol = if currency.symbol.is_empty() { code } else { currency.symbol };
    let space = if currency.spaced { " " } else { "" };
    format!("{sign}{symbol}{space}{number}")
}

/// Minor units as a person types them in a form: `25000` rupiah, `12.50`.
pub fn format_input(minor: i64, code: &str) -> String {
    let digits = minor_digits(code);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
}

/// Why a typed amount was not understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    Required,
    Negative,
    /// Decimals for a currency without a minor unit (`25.5` rupiah).
    NotWhole,
    Format,
    OutOfRange,
}

impl ParseError {
    /// Its error code (translated by [`crate::problem::describe`]).
    pub fn code(self) -> Code {
        match self {
            ParseError::Required => Code::Required,
            ParseError::Negative => Code::MoneyNegative,
            ParseError::NotWhole => Code::MoneyWhole,
            ParseError::Format => Code::MoneyFormat,
            ParseError::OutOfRange => Code::MoneyRange,
        }
    }
}

/// An amount typed in the currency's major units ("25.000", "25000" or
/// "Rp 25.000" rupiah; "12.50", "12,5" or "1,234.50" dollars) to minor
/// units. Dots and commas may group thousands (groups of three digits);
/// with a currency that has decimals, the last separator followed by one or
/// two digits is the decimal point. `allow_negative` for price deltas.
pub fn parse(raw: &str, code: &str, allow_negative: bool) -> Result<i64, ParseError> {
    let mut s: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if s.is_empty() {
        return Err(ParseError::Required);
    }
    let negative = s.starts_with('-');
    if negative {
        if !allow_negative {
            return Err(ParseError::Negative);
        }
        s.remove(0);
    }
    // A currency symbol or code in front ("Rp", "IDR", "US$", "€") is fine.
    let unprefixed = s.trim_start_matches(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','));
    let s = if unprefixed.len() < s.len() { unprefixed.trim_start_matches('.') } else { unprefixed };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Err(ParseError::Format);
    }
    let digits = minor_digits(code);
    // The decimal part: after the last separator, when it has 1 or 2 digits.
    let (int_part, frac) = match s.rfind(['.', ',']) {
        Some(i) if digits > 0 && (1..=digits as usize).contains(&(s.len() - i - 1)) => (&s[..i], &s[i + 1..]),
        Some(i) if s.len() - i - 1 != 3 => {
            return Err(if digits == 0 { ParseError::NotWhole } else { ParseError::Format });
        }
        _ => (s, ""),
    };
    let mut groups = int_part.split(['.', ',']);
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 13 || groups.clone().any(|g| g.len() != 3) {
        return Err(ParseError::Format);
    }
    let whole: String = int_part.chars().filter(char::is_ascii_digit).collect();
    let whole: i64 = whole.parse().map_err(|_| ParseError::Format)?;
    let scale = 10i64.pow(digits);
    let frac: i64 =
        if frac.is_empty() { 0 } else { format!("{frac:0<width$}", width = digits as usize).parse().unwrap_or(0) };
    let minor = whole.checked_mul(scale).and_then(|w| w.checked_add(frac)).ok_or(ParseError::OutOfRange)?;
    Ok(if negative { -minor } else { minor })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Locale::{En, Id};

    #[test]
    fn rupiah_is_grouped_with_dots_in_both_languages() {
        for locale in [Id, En] {
            assert_eq!(format(25_000, "IDR", locale), "Rp 25.000");
            assert_eq!(format(0, "IDR", locale), "Rp 0");
            assert_eq!(format(999, "IDR", locale), "Rp 999");
            assert_eq!(format(1_250_000, "IDR", locale), "Rp 1.250.000");
            assert_eq!(format(-25_500, "IDR", locale), "-Rp 25.500");
        }
    }

    #[test]
    fn other_currencies_follow_the_language() {
        assert_eq!(format(450, "USD", En), "US$4.50");
        assert_eq!(format(450, "USD", Id), "US$4,50");
        assert_eq!(format(123_456_789, "USD", En), "US$1,234,567.89");
        assert_eq!(format(123_456_789, "USD", Id), "US$1.234.567,89");
        assert_eq!(format(1250, "SGD", En), "S$12.50");
        assert_eq!(format(5, "EUR", En), "€0.05");
        assert_eq!(format(-1250, "MYR", En), "-RM12.50");
        assert_eq!(format(i64::MIN, "EUR", En), "-€92,233,720,368,547,758.08");
        assert_eq!(format(100, "XYZ", En), "XYZ 1.00");
    }

    #[test]
    fn rounding_to_a_cash_step() {
        // The demo's coffee with oat milk: Rp 41.958.
        assert_eq!(round_to_step(41_958, 100, Rounding::HalfUp), 42_000);
        assert_eq!(round_to_step(41_958, 500, Rounding::HalfUp), 42_000);
        assert_eq!(round_to_step(41_958, 1000, Rounding::HalfUp), 42_000);
        assert_eq!(round_to_step(41_949, 100, Rounding::HalfUp), 41_900);
        assert_eq!(round_to_step(41_950, 100, Rounding::HalfUp), 42_000);
        assert_eq!(round_to_step(41_958, 100, Rounding::Down), 41_900);
        assert_eq!(round_to_step(41_901, 100, Rounding::Up), 42_000);
        assert_eq!(round_to_step(42_000, 100, Rounding::Up), 42_000);
        assert_eq!(round_to_step(41_958, 1, Rounding::HalfUp), 41_958);
        assert_eq!(round_to_step(41_958, 0, Rounding::Down), 41_958);
        assert_eq!(round_to_step(-150, 100, Rounding::HalfUp), -200);
    }

    #[test]
    fn rupiah_amounts_are_whole_with_optional_grouping() {
        assert_eq!(parse("25000", "IDR", false), Ok(25_000));
        assert_eq!(parse("25.000", "IDR", false), Ok(25_000));
        assert_eq!(parse("Rp 1.250.000", "IDR", false), Ok(1_250_000));
        assert_eq!(parse("1,250,000", "IDR", false), Ok(1_250_000));
        assert_eq!(parse(" 0 ", "IDR", false), Ok(0));
        assert_eq!(parse("-2.000", "IDR", true), Ok(-2_000));
        assert_eq!(parse("-2000", "IDR", false), Err(ParseError::Negative));
        assert_eq!(parse("25.5", "IDR", false), Err(ParseError::NotWhole));
        assert_eq!(parse("25.00", "IDR", false), Err(ParseError::NotWhole));
        assert_eq!(parse("2.50.000", "IDR", false), Err(ParseError::Format));
        assert_eq!(parse("", "IDR", false), Err(ParseError::Required));
        assert_eq!(parse("abc", "IDR", false), Err(ParseError::Format));
        assert_eq!(parse("12a", "IDR", false), Err(ParseError::Format));
        assert_eq!(parse("-", "IDR", true), Err(ParseError::Format));
        assert_eq!(parse("99999999999999999999", "IDR", false), Err(ParseError::Format));
    }

    #[test]
    fn decimal_currencies_take_a_point_or_a_comma() {
        assert_eq!(parse("12.50", "SGD", false), Ok(1250));
        assert_eq!(parse("12,5", "SGD", false), Ok(1250));
        assert_eq!(parse("12", "SGD", false), Ok(1200));
        assert_eq!(parse("1,234.50", "USD", false), Ok(123_450));
        assert_eq!(parse("1.234,50", "EUR", false), Ok(123_450));
        assert_eq!(parse("1,234", "USD", false), Ok(123_400));
        assert_eq!(parse("S$0.05", "SGD", false), Ok(5));
        assert_eq!(parse("US$4.50", "USD", false), Ok(450));
        assert_eq!(parse("€4,50", "EUR", false), Ok(450));
        assert_eq!(parse("-0.50", "SGD", true), Ok(-50));
        assert_eq!(parse("1.2345", "SGD", false), Err(ParseError::Format));
        assert_eq!(parse("1.2.3", "SGD", false), Err(ParseError::Format));
    }

    #[test]
    fn written_amounts_read_back() {
        for (minor, code) in [(25_000, "IDR"), (1250, "SGD"), (5, "USD"), (-50, "SGD"), (0, "IDR"), (123_450, "EUR")] {
            assert_eq!(parse(&format_input(minor, code), code, true), Ok(minor), "{minor} {code}");
            for locale in [Id, En] {
                assert_eq!(parse(&format(minor, code, locale), code, true), Ok(minor), "{minor} {code} {locale:?}");
            }
        }
        assert_eq!(format_input(1250, "SGD"), "12.50");
        assert_eq!(format_input(25_000, "IDR"), "25000");
    }
}
