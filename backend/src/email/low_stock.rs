//! The low-stock alert hook: when an ingredient's stock at an outlet falls
//! to its threshold, the stock ledger (issue 14) calls [`alert`] in the same
//! transaction as the movement; the outlet's owners and managers get one
//! mail each, in their language, through the outbox. Quantities arrive
//! formatted with their unit (the ledger knows how to write them).

use uuid::Uuid;

use super::{
    Mail, MailKind, enqueue,
    templates::{Row, RowsParts},
};
use crate::{db::ScopedTx, error::Result};

/// What ran low, as the mail shows it.
pub struct LowStock<'a> {
    pub outlet: &'a str,
    pub ingredient: &'a str,
    /// On hand now, with its unit (`"350 ml"`).
    pub on_hand: &'a str,
    /// The alert threshold, with its unit.
    pub threshold: &'a str,
}

/// Queues the alert to the outlet's owners and managers; returns how many
/// mails were written.
pub async fn alert(tx: &ScopedTx, outlet_id: Uuid, low: &LowStock<'_>) -> Result<usize> {
    let recipients = super::recipients::of_outlet(tx, outlet_id).await?;
    for r in &recipients {
        let (subject, text, html) = render(low, r.locale, &r.name)?;
        enqueue(tx, &Mail { kind: MailKind::LowStock, to: r.email.clone(), subject, text, html }).await?;
    }
    Ok(recipients.len())
}

/// Subject, text and HTML of the alert to `name`.
pub fn render(low: &LowStock<'_>, locale: pos_wire::Locale, name: &str) -> Result<(String, String, String)> {
    let id = locale == pos_wire::Locale::Id;
    let pick = |a: &'static str, b: &'static str| if id { a } else { b };
    let subject = format!("{}: {} · {}", pick("Stok menipis", "Low stock"), low.ingredient, low.outlet);
    let intro = format!(
        "{} {} {} {}.",
        pick("Stok", "Stock of"),
        low.ingredient,
        pick("hampir habis di", "is running low at"),
        low.outlet
    );
    let rows = [
        Row { label: pick("Stok sekarang", "On hand"), value: low.on_hand.to_string() },
        Row { label: pick("Batas peringatan", "Alert threshold"), value: low.threshold.to_string() },
    ];
    let footer = pick(
        "Terima barang di admin (Stok) agar menu kembali tersedia.",
        "Receive a delivery in the admin (Stock) to bring items back.",
    );
    let parts =
        RowsParts { locale, subject: &subject, name, intro: &intro, rows: &rows, mix_title: "", mix: &[], footer };
    let (text, html) = parts.render()?;
    Ok((subject, text, html))
}

#[cfg(test)]
mod tests {
    use pos_wire::Locale;

    use super::*;

    #[test]
    fn the_alert_names_the_ingredient_and_quantities_in_each_language() {
        let low = LowStock { outlet: "Sabang", ingredient: "Susu <oat>", on_hand: "350 ml", threshold: "1000 ml" };
        let (subject, text, html) = render(&low, Locale::Id, "Ani").unwrap();
        assert_eq!(subject, "Stok menipis: Susu <oat> · Sabang");
        assert!(text.contains("Stok sekarang: 350 ml"), "{text}");
        assert!(text.contains("Batas peringatan: 1000 ml"), "{text}");
        assert!(!html.contains("<oat>"), "escaped: {html}");
        let (subject, text, _) = render(&low, Locale::En, "Ani").unwrap();
        assert_eq!(subject, "Low stock: Susu <oat> · Sabang");
        assert!(text.contains("On hand: 350 ml"), "{text}");
    }
}
