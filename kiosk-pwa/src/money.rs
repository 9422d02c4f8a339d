//! Money as the kiosk shows it: integer minor units of the tenant currency,
//! and the server's own service charge and tax rules (`pos_wire::pricing`),
//! so the total on screen is the total the counter asks for.

/// Digits after the decimal point the currency is shown with. The server
/// counts IDR in whole rupiah, as it is priced.
fn decimals(currency: &str) -> u32 {
    match currency {
        "IDR" | "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" => 0,
        _ => 2,
    }
}

fn symbol(currency: &str) -> &str {
    match currency {
        "IDR" => "Rp",
        "USD" | "SGD" | "AUD" => "$",
        "EUR" => "€",
        other => other,
    }
}

/// `Rp 25.000`, `Rp 1.250.000`, `$ 4.50`, `-Rp 2.000`.
pub fn format_money(minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let unit = 10u64.pow(places);
    let (whole, fraction) = (abs / unit, abs % unit);
    // Rupiah groups thousands with dots; the others with commas.
    let (group, point) = if currency == "IDR" { ('.', ',') } else { (',', '.') };
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    if places > 0 {
        format!("{sign}{} {grouped}{point}{fraction:0width$}", symbol(currency), width = places as usize)
    } else {
        format!("{sign}{} {grouped}", symbol(currency))
    }
}

pub use pos_wire::pricing::{totals, unit_price};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah() {
        assert_eq!(format_money(25_000, "IDR"), "Rp 25.000");
        assert_eq!(format_money(1_250_000, "IDR"), "Rp 1.250.000");
        assert_eq!(format_money(500, "IDR"), "Rp 500");
        assert_eq!(format_money(0, "IDR"), "Rp 0");
        assert_eq!(format_money(-2_000, "IDR"), "-Rp 2.000");
    }

    #[test]
    fn cents() {
        assert_eq!(format_money(450, "USD"), "$ 4.50");
        assert_eq!(format_money(123_456, "EUR"), "€ 1,234.56");
    }
}
