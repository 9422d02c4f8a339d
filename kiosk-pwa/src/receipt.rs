//! Printing a receipt at the till: the server's printable receipt (80 mm
//! HTML), fetched with the cashier's token (a print window cannot send one)
//! and written into a new window, which is then printed.

use pos_wire::PairedDevice;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, ApiError};

pub async fn print(device: &PairedDevice, order_id: Uuid) -> Result<(), ApiError> {
    let html = api::receipt_html(device, order_id).await?;
    let Some(window) = web_sys::window().and_then(|w| w.open_with_url_and_target("", "_blank").ok().flatten()) else {
        // A blocked pop-up: nothing to print into.
        return Err(ApiError::Unexpected { status: 0 });
    };
    if let Some(doc) = window.document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) {
        let _ = doc.write(&js_sys::Array::of1(&JsValue::from_str(&html)));
        let _ = doc.close();
    }
    let _ = window.focus();
    let _ = window.print();
    Ok(())
}
