//! Money as the kiosk shows it: integer minor units of the tenant currency,
//! and the same service charge and tax rules as the server (round half up;
//! tax on subtotal plus service charge), so the total on screen is the total
//! the counter asks for.

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

/// `amount × bp / 10000`, rounded half up (as the server's pricing).
fn apply_basis_points(amount_minor: i64, bp: i32) -> i64 {
    let product = i128::from(amount_minor) * i128::from(bp);
    ((product + 5_000) / 10_000) as i64
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal_minor: i64,
    pub service_charge_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

pub fn totals(subtotal_minor: i64, service_charge_bp: i32, tax_rate_bp: i32) -> Totals {
    let service_charge_minor = apply_basis_points(subtotal_minor, service_charge_bp);
    let tax_minor = apply_basis_points(subtotal_minor + service_charge_minor, tax_rate_bp);
    Totals {
        subtotal_minor,
        service_charge_minor,
        tax_minor,
        total_minor: subtotal_minor + service_charge_minor + tax_minor,
    }
}

/// One unit: item price plus option deltas, never below zero.
pub fn unit_price(item_minor: i64, option_deltas: impl IntoIterator<Item = i64>) -> i64 {
    (item_minor + option_deltas.into_iter().sum::<i64>()).max(0)
}

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

    #[test]
    fn same_totals_as_the_server() {
        assert_eq!(
            totals(28_000, 500, 1_100),
            Totals { subtotal_minor: 28_000, service_charge_minor: 1_400, tax_minor: 3_234, total_minor: 32_634 }
        );
        assert_eq!(totals(33_333, 750, 1_000).total_minor, 39_416);
    }
}
