//! What makes this an installable, offline-first app beyond the service
//! worker itself (registered by `index.html`, see `assets/sw.js`).

use wasm_bindgen::JsValue;

/// Asks the browser not to evict this site's storage (the order queue and
/// the menu) under storage pressure. Best effort: browsers may say no.
pub fn keep_storage() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().storage().persist();
    }
}

/// Whether the browser has granted persistent storage (None: cannot tell).
pub async fn storage_is_persistent() -> Option<bool> {
    let promise = web_sys::window()?.navigator().storage().persisted().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_bool()
}

/// A new version of the app has taken over (the page script sets the flag
/// on `controllerchange`): reload, at a moment when nobody is mid-order.
pub fn reload_if_updated() {
    let Some(window) = web_sys::window() else { return };
    let updated = js_sys::Reflect::get(&window, &JsValue::from_str("__posUpdated")).is_ok_and(|v| v.is_truthy());
    if updated {
        let _ = window.location().reload();
    }
}
