//! Payments on orders: cash, card from the bank's terminal, and QRIS
//! through a payment gateway (see API.md, Payments).

pub mod gateway;
pub mod refunds;
