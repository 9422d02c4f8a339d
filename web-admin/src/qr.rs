//! QR codes for pairing, drawn server-side as SVG (no script, no network).

use base64::{Engine, engine::general_purpose::STANDARD};
use qrcode::{QrCode, render::svg};

/// A `data:` URI of an SVG QR code of `text`, for an `<img>` (so the page
/// embeds no markup it did not write itself).
pub fn svg_data_uri(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let svg = code.render::<svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build();
    Some(format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_an_svg() {
        let uri = svg_data_uri("https://pos.example/kiosk/?pair=ABCD2345").unwrap();
        let svg = STANDARD.decode(uri.strip_prefix("data:image/svg+xml;base64,").unwrap()).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"));
    }
}
