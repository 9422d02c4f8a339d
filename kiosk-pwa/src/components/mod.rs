//! What the customer or cook sees, one component per file.

mod connection_badge;
mod kds;
mod kiosk;
mod language_switch;
mod pairing_screen;
mod pickup_board;
mod receipt_email_form;
mod staff_sheet;
mod till;
mod unpair_button;

pub use connection_badge::ConnectionBadge;
pub use kds::{BehindBanner, KitchenDisplay};
pub use kiosk::KioskScreen;
pub use language_switch::LanguageSwitch;
pub use pairing_screen::PairingScreen;
pub use pickup_board::PickupBoard;
pub use receipt_email_form::ReceiptEmailForm;
pub use staff_sheet::StaffSheet;
pub use till::TillScreen;
pub use unpair_button::UnpairButton;
