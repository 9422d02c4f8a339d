//! Small settings kept in the browser's localStorage: this device's pairing
//! and the chosen language. (Menus and the order queue will go to IndexedDB.)

use gloo_storage::{LocalStorage, Storage, errors::StorageError};
use pos_wire::{Locale, PairedDevice};

use crate::i18n::DEFAULT_LOCALE;

/// Holds the [`PairedDevice`] JSON the server returned when pairing.
const DEVICE_KEY: &str = "pos.device";
const LOCALE_KEY: &str = "pos.locale";

/// The pairing this browser holds. An unreadable entry counts as none, so the
/// device simply asks to be paired again.
pub fn paired_device() -> Option<PairedDevice> {
    LocalStorage::get(DEVICE_KEY).ok()
}

pub fn remember_device(device: &PairedDevice) -> Result<(), StorageError> {
    LocalStorage::set(DEVICE_KEY, device)
}

pub fn forget_device() {
    LocalStorage::delete(DEVICE_KEY);
}

pub fn locale() -> Locale {
    LocalStorage::get(LOCALE_KEY).unwrap_or(DEFAULT_LOCALE)
}

/// Best effort: if storage is full or blocked, the choice lasts until reload.
pub fn remember_locale(locale: Locale) {
    let _ = LocalStorage::set(LOCALE_KEY, locale);
}
