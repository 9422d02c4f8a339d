//! The counter till's screens.

mod cashier_sign_in;
mod discount_panel;
mod payment_panel;
mod shift_panel;
mod till_screen;
mod unpaid_orders;

pub use cashier_sign_in::CashierSignIn;
pub use payment_panel::PaymentPanel;
pub use till_screen::TillScreen;
pub use unpaid_orders::UnpaidOrders;

// Table service.
mod check_panel;
mod floor;
mod round_bar;
mod split_dialog;

pub use check_panel::CheckPanel;
pub use floor::FloorView;
pub use round_bar::{RoundBar, SaleNotes};
