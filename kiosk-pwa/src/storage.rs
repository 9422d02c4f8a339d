//! Small settings kept in the browser's localStorage (gloo-storage): this
//! device's pairing, the language, the kiosk's staff PIN and order counter,
//! the kitchen display's preferences. Menus and queues live in IndexedDB
//! (`db`).

use gloo_storage::{LocalStorage, Storage, errors::StorageError};
use pos_wire::{DeviceKind, Locale, PairedDevice};
use serde::{Deserialize, Serialize};

use crate::{
    i18n::DEFAULT_LOCALE,
    staff_pin::{self, StoredPin, Verdict},
};

const LOCALE_KEY: &str = "pos.locale";
const PIN_KEY: &str = "pos.kiosk.pin";
const COUNTER_KEY: &str = "pos.kiosk.counter";
const KDS_SETTINGS_KEY: &str = "pos.kds.settings";

/// Kiosk, KDS and pickup board pairings are kept apart, so one browser (a
/// manager's laptop, a test) can be all three without one pairing replacing
/// another.
fn device_key(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Kiosk => "pos.device.kiosk",
        DeviceKind::Kds => "pos.device.kds",
        DeviceKind::Board => "pos.device.board",
        DeviceKind::Till => "pos.device.till",
    }
}

/// The pairing this browser holds for `kind`. An unreadable entry counts as
/// none, so the device simply asks to be paired again.
pub fn paired_device(kind: DeviceKind) -> Option<PairedDevice> {
    LocalStorage::get(device_key(kind)).ok()
}

/// Earlier builds kept one pairing under `pos.device`: move it to its kind's key.
pub fn migrate_legacy_pairing() {
    const LEGACY_KEY: &str = "pos.device";
    if let Ok(device) = LocalStorage::get::<PairedDevice>(LEGACY_KEY) {
        if paired_device(device.kind).is_none() {
            let _ = remember_device(&device);
        }
        LocalStorage::delete(LEGACY_KEY);
    }
}

pub fn remember_device(device: &PairedDevice) -> Result<(), StorageError> {
    LocalStorage::set(device_key(device.kind), device)
}

pub fn forget_device(kind: DeviceKind) {
    LocalStorage::delete(device_key(kind));
    if kind == DeviceKind::Kiosk {
        LocalStorage::delete(PIN_KEY);
    }
}

pub fn locale() -> Locale {
    LocalStorage::get(LOCALE_KEY).unwrap_or(DEFAULT_LOCALE)
}

/// Best effort: if storage is full or blocked, the choice lasts until reload.
pub fn remember_locale(locale: Locale) {
    let _ = LocalStorage::set(LOCALE_KEY, locale);
}

/// A PIN is exactly four digits.
pub fn valid_pin(pin: &str) -> bool {
    pin.len() == 4 && pin.chars().all(|c| c.is_ascii_digit())
}

pub fn has_staff_pin() -> bool {
    LocalStorage::get::<StoredPin>(PIN_KEY).is_ok()
}

/// Stores `pin` salted and hashed (see `staff_pin`). The salt is a v4
/// UUID's 16 bytes (122 of them random, from `crypto.getRandomValues`, as
/// for every order id): unique per device, which is all a salt must be.
pub fn set_staff_pin(pin: &str) -> Result<(), StorageError> {
    let salt: [u8; staff_pin::SALT_BYTES] = uuid::Uuid::new_v4().into_bytes();
    LocalStorage::set(PIN_KEY, StoredPin::new(pin, &salt))
}

/// Whether `pin` is the staff PIN. A PIN stored by an earlier build (or
/// with fewer rounds) is stored again in the current form once it opens.
pub fn check_staff_pin(pin: &str) -> bool {
    let Ok(stored) = LocalStorage::get::<StoredPin>(PIN_KEY) else { return false };
    match stored.check(pin) {
        Verdict::Wrong => false,
        Verdict::Right => true,
        Verdict::RightButOutdated => {
            // Best effort: if this fails, the old record still opens next time.
            let _ = set_staff_pin(pin);
            true
        }
    }
}

/// The kiosk's own pickup numbers (`K1-17`) restart every local day.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct OrderCounter {
    day: String,
    last: u32,
}

/// The next number of the day, counted and stored before it is shown. Never
/// below `at_least` (what the order store says was already used today, in
/// case this setting was lost).
pub fn next_order_number(today: &str, at_least: u32) -> Result<u32, StorageError> {
    let last = match LocalStorage::get::<OrderCounter>(COUNTER_KEY) {
        Ok(counter) if counter.day == today => counter.last,
        _ => 0,
    };
    let next = crate::numbering::next_count(last, at_least);
    LocalStorage::set(COUNTER_KEY, OrderCounter { day: today.to_owned(), last: next })?;
    Ok(next)
}

/// What the cook chose on this kitchen display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KdsSettings {
    /// `None` shows every station.
    pub station: Option<String>,
    /// A ticket older than this turns amber.
    pub warn_after_min: u32,
    /// ... and this, red.
    pub late_after_min: u32,
    pub sound: bool,
}

impl Default for KdsSettings {
    fn default() -> Self {
        KdsSettings { station: None, warn_after_min: 5, late_after_min: 10, sound: true }
    }
}

pub fn kds_settings() -> KdsSettings {
    LocalStorage::get(KDS_SETTINGS_KEY).unwrap_or_default()
}

pub fn remember_kds_settings(settings: &KdsSettings) {
    let _ = LocalStorage::set(KDS_SETTINGS_KEY, settings);
}
