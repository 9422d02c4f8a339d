//! What the stock pages share: quantities typed in forms, quantities shown
//! with their unit (a negative one stays visibly negative), and a fresh
//! transaction to show a refused form in.

use actix_web::{FromRequest, HttpRequest};
use pos_backend::db::ScopedTx;

use crate::{error::AdminError, session::Admin};

/// After a refused write: the request's transaction may be aborted (a
/// unique or foreign key violation), so it is rolled back (nothing was
/// written) and the page is read in a new one.
pub async fn fresh_admin(req: &HttpRequest, tx: ScopedTx) -> Result<Admin, AdminError> {
    drop(tx);
    Admin::extract(req).await
}

/// A whole, non-negative quantity typed in a form; empty is `None`. Errors
/// are translation keys. The domain checks the bounds.
pub fn parse_qty(raw: &str) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, raw),
    };
    // `1.000` and `1,000` group thousands; `1.5` is not a whole number.
    if digits.contains(['.', ',']) && !thousands_grouped(digits) {
        return Err("field.whole_number");
    }
    let n: i64 = digits.replace(['.', ','], "").parse().map_err(|_| "field.whole_number")?;
    if negative && n != 0 {
        return Err("field.money_negative");
    }
    Ok(Some(n))
}

/// `1.000.000` or `1,000`: groups of three after the first.
fn thousands_grouped(raw: &str) -> bool {
    let groups: Vec<&str> = raw.split(['.', ',']).collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The i18n key naming a kind of movement.
pub fn kind_key(kind: pos_wire::StockMovementKind) -> &'static str {
    use pos_wire::StockMovementKind as K;
    match kind {
        K::Sale => "stock.kind_sale",
        K::Refund => "stock.kind_refund",
        K::Cancel => "stock.kind_cancel",
        K::Receive => "stock.kind_receive",
        K::Waste => "stock.kind_waste",
        K::Count => "stock.kind_count",
        K::TransferOut => "stock.kind_transfer_out",
        K::TransferIn => "stock.kind_transfer_in",
    }
}

/// `-150 ml`, `1200 g`: a signed quantity with its unit.
pub fn qty_with_unit(qty: i64, unit: &str) -> String {
    format!("{qty} {unit}")
}

/// `+300 ml` / `-150 ml`: a change to on hand.
pub fn signed_with_unit(qty: i64, unit: &str) -> String {
    if qty > 0 { format!("+{qty} {unit}") } else { format!("{qty} {unit}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_and_not_negative() {
        assert_eq!(parse_qty(""), Ok(None));
        assert_eq!(parse_qty(" 250 "), Ok(Some(250)));
        assert_eq!(parse_qty("1.000"), Ok(Some(1000)));
        assert_eq!(parse_qty("1,000,000"), Ok(Some(1_000_000)));
        assert_eq!(parse_qty("1.5"), Err("field.whole_number"));
        assert_eq!(parse_qty("abc"), Err("field.whole_number"));
        assert_eq!(parse_qty("-3"), Err("field.money_negative"));
        assert_eq!(signed_with_unit(300, "ml"), "+300 ml");
        assert_eq!(signed_with_unit(-150, "g"), "-150 g");
        assert_eq!(qty_with_unit(-20, "pcs"), "-20 pcs");
    }
}
