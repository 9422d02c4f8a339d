//! What the customer or cook sees, one component per file.

mod language_switch;
mod paired_device_screen;
mod pairing_screen;

pub use language_switch::LanguageSwitch;
pub use paired_device_screen::PairedDeviceScreen;
pub use pairing_screen::PairingScreen;
