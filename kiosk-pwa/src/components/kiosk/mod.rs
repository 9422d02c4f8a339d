//! The self-ordering kiosk's screens.

mod cart_drawer;
mod checkout_form;
mod idle_warning;
mod item_sheet;
mod kiosk_screen;
mod menu_grid;
mod order_confirmation;
mod pin_pad;
mod qris_payment;
mod qty_stepper;
mod staff_panel;
mod sync_progress_bar;
mod welcome_screen;

pub use cart_drawer::CartDrawer;
pub use checkout_form::CheckoutForm;
pub use idle_warning::IdleWarning;
pub use item_sheet::OpenItemSheet;
pub use kiosk_screen::KioskScreen;
pub use menu_grid::{MenuCard, MenuGrid};
pub use order_confirmation::OrderConfirmation;
pub use pin_pad::{DigitKeys, PinPad, SetPinScreen};
pub use qris_payment::QrisPayment;
pub use qty_stepper::QtyStepper;
pub use staff_panel::StaffPanel;
pub use sync_progress_bar::SyncProgressBar;
pub use welcome_screen::WelcomeScreen;
