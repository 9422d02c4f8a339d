//! A QR code as SVG markup, for the QRIS payment screen. The markup is made
//! here from the code's modules (the payload is encoded, never inserted as
//! text), so it is safe to set as a container's inner HTML.

use qrcode::{EcLevel, QrCode, render::svg};

/// `payload` as an SVG QR code with its quiet zone, scaled by the page's
/// CSS (no fixed size), or `None` when it does not fit in a QR code.
pub fn svg(payload: &str) -> Option<String> {
    // Level M, as QRIS codes are printed: readable from a phone held at a
    // slant in front of a glossy screen.
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()?;
    let markup = code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    Some(markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qris_payload_becomes_one_svg_with_a_viewbox() {
        // The length of a real dynamic QRIS payload (EMVCo merchant-presented).
        let payload = format!("00020101021226{}5303360540441958", "6".repeat(160));
        let markup = svg(&payload).expect("fits");
        assert!(markup.contains("<svg") && markup.contains("viewBox") && markup.ends_with("</svg>"));
        assert!(!markup.contains(&payload), "the payload is encoded, not written out");
        // Another payload draws another code.
        assert_ne!(svg("00020101021226x").unwrap(), markup);
    }

    #[test]
    fn what_no_qr_code_holds_is_refused() {
        assert!(svg(&"9".repeat(8_000)).is_none());
    }
}
