//! Prices, tax and service charge, in integer minor units with explicit
//! rounding. Pure functions shared by the server (which prices orders) and
//! the kiosk (which shows the same totals before sending them): the table
//! tests below are the specification.

/// `amount × bp / 10000`, rounded half up (amounts are never negative here).
pub fn apply_basis_points(amount_minor: i64, bp: i32) -> i64 {
    let product = i128::from(amount_minor) * i128::from(bp);
    ((product + 5_000) / 10_000) as i64
}

/// Service charge on the subtotal; tax on subtotal plus service charge (as
/// Indonesian restaurant tax, PB1, is levied).
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

/// The totals of an order whose discounts take `discount_minor` off its
/// `subtotal_minor` (item sales): service charge and tax on what is left.
/// `subtotal_minor` stays the item sales; `total_minor` is
/// `subtotal - discount + service charge + tax`.
pub fn discounted_totals(subtotal_minor: i64, discount_minor: i64, service_charge_bp: i32, tax_rate_bp: i32) -> Totals {
    let discount_minor = discount_minor.clamp(0, subtotal_minor.max(0));
    let net = totals(subtotal_minor - discount_minor, service_charge_bp, tax_rate_bp);
    Totals { subtotal_minor, ..net }
}

/// One unit: item price plus option deltas, never below zero.
pub fn unit_price(item_minor: i64, option_deltas: impl IntoIterator<Item = i64>) -> i64 {
    (item_minor + option_deltas.into_iter().sum::<i64>()).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_points_round_half_up() {
        let cases = [
            (10_000, 1_100, 1_100), // 11% of 10,000
            (28_000, 1_100, 3_080),
            (12_345, 1_000, 1_235), // 1234.5 -> 1235
            (12_344, 1_000, 1_234), // 1234.4 -> 1234
            (1, 5_000, 1),          // 0.5 -> 1
            (1, 4_999, 0),
            (0, 1_100, 0),
            (99_999, 0, 0),
            (50_000, 10_000, 50_000),
        ];
        for (amount, bp, expected) in cases {
            assert_eq!(apply_basis_points(amount, bp), expected, "{amount} x {bp}bp");
        }
    }

    #[test]
    fn totals_table() {
        // (subtotal, service bp, tax bp) -> (service, tax, total)
        let cases = [
            ((100_000, 0, 1_100), (0, 11_000, 111_000)),
            ((100_000, 500, 1_100), (5_000, 11_550, 116_550)),
            ((28_000, 500, 1_100), (1_400, 3_234, 32_634)),
            ((33_333, 750, 1_000), (2_500, 3_583, 39_416)),
            ((0, 500, 1_100), (0, 0, 0)),
        ];
        for ((sub, sc, tax), (e_sc, e_tax, e_total)) in cases {
            let t = totals(sub, sc, tax);
            assert_eq!(
                (t.service_charge_minor, t.tax_minor, t.total_minor),
                (e_sc, e_tax, e_total),
                "{sub} {sc} {tax}"
            );
            assert_eq!(t.subtotal_minor + t.service_charge_minor + t.tax_minor, t.total_minor);
        }
    }

    #[test]
    fn discounts_come_off_before_service_charge_and_tax() {
        // 100,000 less 10,000: 5% service on 90,000 = 4,500; 11% tax on 94,500 = 10,395.
        let t = discounted_totals(100_000, 10_000, 500, 1_100);
        assert_eq!(
            (t.subtotal_minor, t.service_charge_minor, t.tax_minor, t.total_minor),
            (100_000, 4_500, 10_395, 104_895)
        );
        assert_eq!(discounted_totals(28_000, 0, 500, 1_100), totals(28_000, 500, 1_100));
        assert_eq!(discounted_totals(28_000, 99_000, 500, 1_100).total_minor, 0);
    }

    #[test]
    fn unit_prices() {
        assert_eq!(unit_price(28_000, []), 28_000);
        assert_eq!(unit_price(28_000, [6_000, 8_000]), 42_000);
        assert_eq!(unit_price(10_000, [-2_000]), 8_000);
        assert_eq!(unit_price(1_000, [-2_000]), 0);
    }
}
