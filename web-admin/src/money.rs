//! Amounts for people: integer minor units of the brand's currency, shown
//! the way its customers write them.

use pos_backend::tenancy::brand::CURRENCIES;

/// Digits after the decimal point of `currency` (2 for unknown codes).
pub fn minor_digits(currency: &str) -> u32 {
    CURRENCIES.iter().find(|(code, _)| *code == currency).map_or(2, |(_, digits)| *digits)
}

/// `format_money(2_500_000, "IDR")` is `"Rp 25.000"`: the rupiah has no
/// minor unit in practice and groups thousands with dots. Other currencies
/// show their code, comma thousands and their decimals: `"SGD 1,234.50"`.
pub fn format_money(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if currency == "IDR" {
        // IDR has no minor digits (see CURRENCIES): `minor` is whole rupiah.
        return format!("{sign}Rp {}", group(abs, '.'));
    }
    let digits = minor_digits(currency);
    let scale = 10u64.pow(digits);
    let whole = group(abs / scale, ',');
    if digits == 0 {
        format!("{sign}{currency} {whole}")
    } else {
        let frac = abs % scale;
        format!("{sign}{currency} {whole}.{frac:0width$}", width = digits as usize)
    }
}

/// An amount typed in the currency's major units ("25.000", "25000" or
/// "Rp 25.000" rupiah; "12.50", "12,5" or "1,234.50" dollars) to minor
/// units. Dots and commas may group thousands (groups of three digits);
/// with a currency that has decimals, the last separator followed by one or
/// two digits is the decimal point. `allow_negative` for price deltas.
pub fn parse_money(raw: &str, currency: &str, allow_negative: bool) -> Result<i64, &'static str> {
    let mut s: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if s.is_empty() {
        return Err("field.required");
    }
    let negative = s.starts_with('-');
    if negative {
        if !allow_negative {
            return Err("field.money_negative");
        }
        s.remove(0);
    }
    // A currency symbol or code in front ("Rp", "IDR", "SGD") is fine.
    let unprefixed = s.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '$');
    let s = if unprefixed.len() < s.len() { unprefixed.trim_start_matches('.') } else { unprefixed };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return Err("field.money_format");
    }
    let digits = minor_digits(currency);
    // The decimal part: after the last separator, when it has 1 or 2 digits.
    let (int_part, frac) = match s.rfind(['.', ',']) {
        Some(i) if digits > 0 && (1..=digits as usize).contains(&(s.len() - i - 1)) => (&s[..i], &s[i + 1..]),
        Some(i) if s.len() - i - 1 != 3 => {
            return Err(if digits == 0 { "field.money_whole" } else { "field.money_format" });
        }
        _ => (s, ""),
    };
    let mut groups = int_part.split(['.', ',']);
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 13 || groups.clone().any(|g| g.len() != 3) {
        return Err("field.money_format");
    }
    let whole: String = int_part.chars().filter(char::is_ascii_digit).collect();
    let whole: i64 = whole.parse().map_err(|_| "field.money_format")?;
    let scale = 10i64.pow(digits);
    let frac: i64 =
        if frac.is_empty() { 0 } else { format!("{frac:0<width$}", width = digits as usize).parse().unwrap_or(0) };
    let minor = whole.checked_mul(scale).and_then(|w| w.checked_add(frac)).ok_or("field.money_range")?;
    Ok(if negative { -minor } else { minor })
}

/// Minor units as a person types them in a form: `25000` rupiah, `12.50`.
pub fn amount_input(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_has_dot_thousands_and_no_decimals() {
        assert_eq!(format_money(25_000, "IDR"), "Rp 25.000");
        assert_eq!(format_money(0, "IDR"), "Rp 0");
        assert_eq!(format_money(999, "IDR"), "Rp 999");
        assert_eq!(format_money(1_000, "IDR"), "Rp 1.000");
        assert_eq!(format_money(1_250_000, "IDR"), "Rp 1.250.000");
        assert_eq!(format_money(-25_500, "IDR"), "-Rp 25.500");
    }

    #[test]
    fn two_decimal_currencies_show_cents() {
        assert_eq!(format_money(1250, "SGD"), "SGD 12.50");
        assert_eq!(format_money(5, "SGD"), "SGD 0.05");
        assert_eq!(format_money(123_456_789, "USD"), "USD 1,234,567.89");
        assert_eq!(format_money(-1250, "MYR"), "-MYR 12.50");
        assert_eq!(format_money(i64::MIN, "EUR"), "-EUR 92,233,720,368,547,758.08");
    }

    #[test]
    fn rupiah_amounts_are_whole_with_optional_grouping() {
        assert_eq!(parse_money("25000", "IDR", false), Ok(25_000));
        assert_eq!(parse_money("25.000", "IDR", false), Ok(25_000));
        assert_eq!(parse_money("Rp 1.250.000", "IDR", false), Ok(1_250_000));
        assert_eq!(parse_money("1,250,000", "IDR", false), Ok(1_250_000));
        assert_eq!(parse_money(" 0 ", "IDR", false), Ok(0));
        assert_eq!(parse_money("-2.000", "IDR", true), Ok(-2_000));
        assert_eq!(parse_money("-2000", "IDR", false), Err("field.money_negative"));
        assert_eq!(parse_money("25.5", "IDR", false), Err("field.money_whole"));
        assert_eq!(parse_money("25.00", "IDR", false), Err("field.money_whole"));
        assert_eq!(parse_money("2.50.000", "IDR", false), Err("field.money_format"));
        assert_eq!(parse_money("", "IDR", false), Err("field.required"));
        assert_eq!(parse_money("abc", "IDR", false), Err("field.money_format"));
        assert_eq!(parse_money("12a", "IDR", false), Err("field.money_format"));
        assert_eq!(parse_money("-", "IDR", true), Err("field.money_format"));
        assert_eq!(parse_money("99999999999999999999", "IDR", false), Err("field.money_format"));
    }

    #[test]
    fn decimal_currencies_take_a_point_or_a_comma() {
        assert_eq!(parse_money("12.50", "SGD", false), Ok(1250));
        assert_eq!(parse_money("12,5", "SGD", false), Ok(1250));
        assert_eq!(parse_money("12", "SGD", false), Ok(1200));
        assert_eq!(parse_money("1,234.50", "USD", false), Ok(123_450));
        assert_eq!(parse_money("1.234,50", "EUR", false), Ok(123_450));
        assert_eq!(parse_money("1,234", "USD", false), Ok(123_400));
        assert_eq!(parse_money("SGD 0.05", "SGD", false), Ok(5));
        assert_eq!(parse_money("-0.50", "SGD", true), Ok(-50));
        assert_eq!(parse_money("1.2345", "SGD", false), Err("field.money_format"));
        assert_eq!(parse_money("1.2.3", "SGD", false), Err("field.money_format"));
    }

    #[test]
    fn amounts_round_trip_through_the_form() {
        for (minor, cur) in [(25_000, "IDR"), (1250, "SGD"), (5, "USD"), (-50, "SGD"), (0, "IDR")] {
            assert_eq!(parse_money(&amount_input(minor, cur), cur, true), Ok(minor), "{minor} {cur}");
        }
        assert_eq!(amount_input(1250, "SGD"), "12.50");
        assert_eq!(amount_input(25_000, "IDR"), "25000");
    }

    #[test]
    fn unknown_codes_default_to_two_decimals() {
        assert_eq!(minor_digits("XYZ"), 2);
        assert_eq!(format_money(100, "XYZ"), "XYZ 1.00");
    }
}
