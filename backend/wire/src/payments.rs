//! Payments on orders (cash, card from the bank's terminal, QRIS through a
//! gateway), refunds and voids. Amounts are integer minor units and always
//! computed or checked by the server; see API.md (Payments).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::orders::UnknownName;

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $s:tt, )+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $s)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// As stored and sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $s, )+
                }
            }
        }

        impl TryFrom<&str> for $name {
            type Error = UnknownName;

            fn try_from(s: &str) -> Result<$name, UnknownName> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| UnknownName(s.to_string()))
            }
        }
    };
}

named_enum! {
    /// How a payment was made.
    PaymentMethod {
        Cash = "cash",
        /// On the bank's card terminal (EDC); recorded, never processed here.
        Card = "card",
        /// A QR code through the payment gateway.
        Qris = "qris",
    }
}

named_enum! {
    /// Where one payment stands. Cash and card are `paid` when recorded; a
    /// QRIS payment is `pending` until the gateway says otherwise.
    PaymentStatus {
        Pending = "pending",
        Paid = "paid",
        /// The gateway refused it (`deny`).
        Failed = "failed",
        /// The QR code expired unpaid.
        Expired = "expired",
        Cancelled = "cancelled",
    }
}

named_enum! {
    /// Where an order's money stands.
    #[derive(Default)]
    OrderPaymentStatus {
        #[default]
        Unpaid = "unpaid",
        PartiallyPaid = "partially_paid",
        Paid = "paid",
        PartiallyRefunded = "partially_refunded",
        Refunded = "refunded",
        /// Voided before anything was paid.
        Void = "void",
    }
}

named_enum! {
    /// A card's scheme, as the terminal's slip shows it.
    CardBrand {
        Visa = "visa",
        Mastercard = "mastercard",
        Jcb = "jcb",
        Amex = "amex",
        Unionpay = "unionpay",
        /// Gerbang Pembayaran Nasional (Indonesian debit).
        Gpn = "gpn",
        Other = "other",
    }
}

named_enum! {
    /// Where a refund stands: cash and card refunds succeed when recorded; a
    /// QRIS refund goes through the gateway.
    RefundStatus {
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

named_enum! {
    /// When kiosk orders reach the kitchen.
    KitchenRelease {
        /// As soon as they are placed (pay at the counter or later).
        OnPlace = "on_place",
        /// Only once fully paid.
        OnPaid = "on_paid",
    }
}

/// What the terminal's slip says. Nothing else of a card ever reaches us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CardDetails {
    /// 1 to 12 letters and digits.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 12, pattern = "^[A-Za-z0-9]{1,12}$"))]
    pub approval_code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}$"))]
    pub last4: Option<String>,
    #[serde(default)]
    pub brand: Option<CardBrand>,
}

/// `POST /api/v1/orders/{id}/payments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    pub client_payment_id: Uuid,
    pub method: PaymentMethod,
    /// What to apply to the bill. Cash may exceed the balance (the balance is
    /// applied and change returned); card and QRIS may not.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub amount_minor: i64,
    /// Cash handed over (defaults to `amount_minor`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub tendered_minor: Option<i64>,
    /// Required for `card`, refused otherwise.
    #[serde(default)]
    pub card: Option<CardDetails>,
    /// The till's open shift this cash counts into.
    #[serde(default)]
    pub shift_id: Option<Uuid>,
}

/// One payment on an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: Uuid,
    pub client_payment_id: Uuid,
    pub order_id: Uuid,
    pub outlet_id: Uuid,
    pub method: PaymentMethod,
    pub status: PaymentStatus,
    /// Applied to the bill.
    pub amount_minor: i64,
    /// Cash rounding when this cash payment settled the order (signed): the
    /// cash due was `amount_minor + rounding_minor`.
    #[serde(default)]
    pub rounding_minor: i64,
    #[serde(default)]
    pub tendered_minor: Option<i64>,
    #[serde(default)]
    pub change_minor: Option<i64>,
    /// Refunded so far.
    #[serde(default)]
    pub refunded_minor: i64,
    #[serde(default)]
    pub card: Option<CardDetails>,
    /// The QR code's content to draw (QRIS, while pending).
    #[serde(default)]
    pub qr_string: Option<String>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// The gateway's reference (its transaction id), for staff and support.
    #[serde(default)]
    pub gateway_ref: Option<String>,
    #[serde(default)]
    pub shift_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub paid_at: Option<DateTime<Utc>>,
    /// Paid at the gateway although the order no longer needed it (its QR
    /// code had been given up, or the order was paid another way or
    /// cancelled): not counted on the order; staff refund it.
    #[serde(default)]
    pub surplus: bool,
}

/// A manager's (or owner's) approval given on the spot with their PIN.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub approver_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,6}$"))]
    pub pin: String,
}

/// The PIN never reaches a log through `{:?}`.
impl std::fmt::Debug for Approval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Approval").field("approver_id", &self.approver_id).field("pin", &"***").finish()
    }
}

/// `POST /api/v1/payments/{id}/refunds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateRefund {
    pub client_refund_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub amount_minor: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
    /// Needed when a cashier refunds.
    #[serde(default)]
    pub approval: Option<Approval>,
    /// The goods were not made (or came back unused): put the order's
    /// ingredients back into stock (once per order).
    #[serde(default)]
    pub restock: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refund {
    pub id: Uuid,
    pub client_refund_id: Uuid,
    pub payment_id: Uuid,
    pub order_id: Uuid,
    pub amount_minor: i64,
    pub reason: String,
    pub status: RefundStatus,
    #[serde(default)]
    pub user_id: Option<Uuid>,
    #[serde(default)]
    pub approved_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/orders/{id}/void`: cancel an order nothing was paid on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VoidOrder {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
    #[serde(default)]
    pub approval: Option<Approval>,
}

/// `payment.updated`: a payment was made or changed state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentUpdated {
    pub order_id: Uuid,
    pub payment: Payment,
    /// The order's money after the change.
    pub payment_status: OrderPaymentStatus,
    pub paid_minor: i64,
}

/// `order.paid`: an order became fully paid and got its receipt number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderPaid {
    pub order_id: Uuid,
    pub number: String,
    pub receipt_number: i64,
}

/// `refund.created` and its later state changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundUpdated {
    pub order_id: Uuid,
    pub refund: Refund,
    pub payment_status: OrderPaymentStatus,
    pub refunded_minor: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::try_from(m.as_str()), Ok(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
        for &s in OrderPaymentStatus::ALL {
            assert_eq!(OrderPaymentStatus::try_from(s.as_str()), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!(PaymentStatus::try_from("settled").is_err());
    }

    #[test]
    fn a_card_payment_carries_nothing_but_the_slip() {
        let body = serde_json::json!({
            "client_payment_id": Uuid::nil(), "method": "card", "amount_minor": 100,
            "card": {"approval_code": "A1", "pan": "4111111111111111"}
        });
        assert!(serde_json::from_value::<CreatePayment>(body).is_err());
    }
}

/// Mails an order's receipt to a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendReceipt {
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
    pub email: String,
    /// `id` (default) or `en`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(id|en)$"))]
    #[serde(default)]
    pub lang: Option<String>,
}
