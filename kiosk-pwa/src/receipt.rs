//! Printing a receipt at the till: the server's printable receipt (80 mm
//! HTML, styles inline), fetched with the cashier's token (a print window
//! cannot send one), opened in a new window from a same-origin blob URL,
//! and printed once it has loaded.

use pos_wire::PairedDevice;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

use crate::api::{self, ApiError};

pub async fn print(device: &PairedDevice, order_id: Uuid) -> Result<(), ApiError> {
    print_html(&api::receipt_html(device, order_id).await?)
}

/// Prints a printable page of the server's (a receipt, a shift report).
pub fn print_html(html: &str) -> Result<(), ApiError> {
    let failed = |_| ApiError::Unexpected { status: 0 };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/html;charset=utf-8");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&JsValue::from_str(html)), &options)
            .map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    // A blocked pop-up: nothing to print into.
    let window = web_sys::window()
        .and_then(|w| w.open_with_url_and_target(&url, "_blank").ok().flatten())
        .ok_or(ApiError::Unexpected { status: 0 })?;
    let printing = window.clone();
    let on_load = Closure::once_into_js(move || {
        let _ = printing.print();
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_onload(Some(on_load.unchecked_ref()));
    Ok(())
}
