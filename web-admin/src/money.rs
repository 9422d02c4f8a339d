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
    fn unknown_codes_default_to_two_decimals() {
        assert_eq!(minor_digits("XYZ"), 2);
        assert_eq!(format_money(100, "XYZ"), "XYZ 1.00");
    }
}
