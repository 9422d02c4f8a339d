//! The customer's payment at the kiosk: what checkout offers (QRIS only
//! while the server can be reached), and a QRIS payment as the customer
//! follows it (asking for a QR code, showing it with a countdown, then
//! paid, or ended with the counter offered). Plain state, driven by the
//! server's answers, its live events (`payment.updated`, `order.paid`) and
//! order reloads, and the clock; components only render it.
//!
//! Only the server decides that an order is paid. Paid is final here: no
//! older answer or event takes it back. An ended QR code is final for its
//! payment (a late `pending` does not reopen it), but a payment of this
//! order reported paid always wins, even one the kiosk had given up on (the
//! customer paid at the last second and the notification came late).

use chrono::{DateTime, Utc};
use pos_wire::{Order, OrderPaid, OrderPaymentStatus, Payment, PaymentStatus};
use uuid::Uuid;

use crate::api::ApiError;

/// How the customer chose to pay at checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayChoice {
    /// A QR code on this screen, paid with any QRIS app.
    Qris,
    /// At the counter (cash or card, with staff).
    Counter,
}

/// After the gateway was found unavailable, QRIS is not offered for this long.
pub const GATEWAY_DOWN_MS: f64 = 120_000.0;

/// Whether checkout offers QRIS: it needs the server now (a QR code is made
/// by the server, and paying it is only known there), and a gateway that was
/// not just found unavailable. The counter is always offered.
pub fn qris_offered(online: bool, gateway_down_until_ms: Option<f64>, now_ms: f64) -> bool {
    online && gateway_down_until_ms.is_none_or(|until| now_ms >= until)
}

/// Why a QR code is no longer there to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Its time ran out (the server said so, or the countdown reached zero).
    Expired,
    /// The customer's bank or app declined it.
    Failed,
    Cancelled,
    /// The server has no payment gateway right now (503).
    Unavailable,
    /// No answer from the server: asking again is safe (same payment id).
    NoAnswer,
    /// The server refused a QRIS payment for this order (409/422: another
    /// QR code still open, nothing left to pay...).
    Refused,
    /// The order was saved on the kiosk only (offline, or no answer): it
    /// has no server order to pay yet.
    NotPlaced,
}

impl Ended {
    /// Whether "try again" is offered (always beside the counter).
    pub fn can_retry(self) -> bool {
        matches!(self, Ended::Expired | Ended::Failed | Ended::Cancelled | Ended::NoAnswer)
    }
}

/// Where the QRIS payment stands on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum QrisState {
    /// Waiting for the server's QR code.
    Requesting,
    /// The QR code to scan, until `deadline_ms` on this device's clock.
    Showing {
        payment_id: Uuid,
        qr_string: String,
        deadline_ms: f64,
    },
    Paid {
        receipt_number: Option<i64>,
    },
    Ended(Ended),
}

/// A QRIS payment of one order, across attempts ("try again" makes a new one).
#[derive(Debug, Clone, PartialEq)]
pub struct QrisCheckout {
    pub order_id: Uuid,
    /// The server's pickup number.
    pub number: String,
    /// What the QR code asks for: the order's balance.
    pub amount_minor: i64,
    pub currency: String,
    /// The current attempt's idempotency key: asking again after no answer
    /// reuses it (the server answers with the payment it may have made).
    pub client_payment_id: Uuid,
    /// The current attempt's payment, once the server answered.
    payment_id: Option<Uuid>,
    pub state: QrisState,
}

impl QrisCheckout {
    /// Paying `order` (as the server placed it) by QRIS: asking for a QR code.
    pub fn start(order: &Order) -> QrisCheckout {
        QrisCheckout {
            order_id: order.id,
            number: order.number.clone(),
            amount_minor: (order.total_minor - order.paid_minor).max(0),
            currency: order.currency.clone(),
            client_payment_id: Uuid::now_v7(),
            payment_id: None,
            state: QrisState::Requesting,
        }
    }

    pub fn is_paid(&self) -> bool {
        matches!(self.state, QrisState::Paid { .. })
    }

    /// Whether the customer is waiting on a QR code (asked for, or shown).
    pub fn is_live(&self) -> bool {
        matches!(self.state, QrisState::Requesting | QrisState::Showing { .. })
    }

    pub fn ended(&self) -> Option<Ended> {
        match self.state {
            QrisState::Ended(why) => Some(why),
            _ => None,
        }
    }

    /// "Try again": a new QR code. After no answer the same payment is asked
    /// for again; otherwise a new one. Nothing once paid.
    pub fn retry(&mut self) {
        match self.state {
            QrisState::Paid { .. } => return,
            QrisState::Ended(Ended::NoAnswer) => {}
            _ => {
                self.client_payment_id = Uuid::now_v7();
                self.payment_id = None;
            }
        }
        self.state = QrisState::Requesting;
    }

    /// The server's answer to the request for a QR code, received at
    /// `now_ms` (this device's clock).
    pub fn answered(&mut self, answer: Result<&Payment, &ApiError>, now_ms: f64) {
        if self.state != QrisState::Requesting {
            // Paid meanwhile (an event beat the answer), or given up on.
            if let Ok(payment) = answer {
                self.follow_payment(payment, now_ms);
            }
            return;
        }
        match answer {
            Ok(payment) => {
                self.payment_id = Some(payment.id);
                self.follow_payment(payment, now_ms);
                if self.state == QrisState::Requesting {
                    // Pending without a code to draw: nothing to scan.
                    self.state = QrisState::Ended(Ended::Refused);
                }
            }
            Err(error) => self.state = QrisState::Ended(ended_by(error)),
        }
    }

    /// A payment as the server reports it (`payment.updated`, the answer to
    /// the request, or an order reload), seen at `now_ms`.
    pub fn follow_payment(&mut self, payment: &Payment, now_ms: f64) {
        if payment.order_id != self.order_id || self.is_paid() {
            return;
        }
        if payment.status == PaymentStatus::Paid {
            self.state = QrisState::Paid { receipt_number: None };
            return;
        }
        // Another attempt's news (an old QR code expiring) changes nothing.
        let current = self.payment_id == Some(payment.id)
            || (self.payment_id.is_none() && self.client_payment_id == payment.client_payment_id);
        if !current {
            return;
        }
        self.payment_id = Some(payment.id);
        self.state = match (payment.status, &self.state) {
            (PaymentStatus::Pending, QrisState::Requesting) => match payment.qr_string.clone() {
                Some(qr_string) => QrisState::Showing {
                    payment_id: payment.id,
                    qr_string,
                    deadline_ms: deadline_ms(payment.created_at, payment.expires_at, now_ms),
                },
                None => QrisState::Requesting,
            },
            // Shown already, or ended: a repeated or late `pending` changes nothing.
            (PaymentStatus::Pending, state) => state.clone(),
            (PaymentStatus::Expired, _) => QrisState::Ended(Ended::Expired),
            (PaymentStatus::Failed, _) => QrisState::Ended(Ended::Failed),
            (PaymentStatus::Cancelled, _) => QrisState::Ended(Ended::Cancelled),
            (PaymentStatus::Paid, _) => unreachable!("handled above"),
        };
    }

    /// `order.paid`: this order is fully paid.
    pub fn follow_paid(&mut self, paid: &OrderPaid) {
        if paid.order_id == self.order_id {
            self.state = QrisState::Paid { receipt_number: Some(paid.receipt_number) };
        }
    }

    /// The order as reloaded (after a reconnection, or to check a countdown
    /// that ran out): paid, or its payments' states.
    pub fn follow_order(&mut self, order: &Order, now_ms: f64) {
        if order.id != self.order_id {
            return;
        }
        if is_settled(order.payment_status) {
            let receipt_number = order.receipt_number;
            self.state = QrisState::Paid { receipt_number };
            return;
        }
        for payment in &order.payments {
            self.follow_payment(payment, now_ms);
        }
    }

    /// Milliseconds the QR code shown has left (none when none is shown).
    pub fn remaining_ms(&self, now_ms: f64) -> Option<f64> {
        match self.state {
            QrisState::Showing { deadline_ms, .. } => Some((deadline_ms - now_ms).max(0.0)),
            _ => None,
        }
    }

    /// The countdown at `now_ms`: at zero the QR code is taken off the
    /// screen as expired (the server's word, when it comes, agrees; a late
    /// "paid" still wins). Returns whether it just ended.
    pub fn tick(&mut self, now_ms: f64) -> bool {
        if self.remaining_ms(now_ms) == Some(0.0) {
            self.state = QrisState::Ended(Ended::Expired);
            return true;
        }
        false
    }
}

/// Whether an order's money counts as paid for the customer (a later
/// refund is staff business).
pub fn is_settled(status: OrderPaymentStatus) -> bool {
    matches!(status, OrderPaymentStatus::Paid | OrderPaymentStatus::PartiallyRefunded | OrderPaymentStatus::Refunded)
}

/// When the QR code stops being shown, on this device's clock: its lifetime
/// as the server gave it (expiry minus creation, both the server's clock)
/// from when the answer arrived, so a tablet whose clock is off by minutes
/// still counts down the right time. Without an expiry: 15 minutes.
fn deadline_ms(created_at: DateTime<Utc>, expires_at: Option<DateTime<Utc>>, received_ms: f64) -> f64 {
    const DEFAULT_LIFETIME_MS: f64 = 15.0 * 60_000.0;
    let lifetime = expires_at.map_or(DEFAULT_LIFETIME_MS, |at| (at - created_at).num_milliseconds().max(0) as f64);
    received_ms + lifetime
}

/// What a refused or unanswered request for a QR code means for the customer.
fn ended_by(error: &ApiError) -> Ended {
    match error.status() {
        None | Some(408 | 429 | 502 | 504) => Ended::NoAnswer,
        Some(503) => Ended::Unavailable,
        Some(s) if s >= 500 => Ended::NoAnswer,
        Some(_) => Ended::Refused,
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::{Channel, OrderStatus, PaymentMethod, Problem};

    use super::*;

    const T0: f64 = 1_790_000_000_000.0;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    fn order(total: i64, paid: i64) -> Order {
        Order {
            id: Uuid::new_v4(),
            client_order_id: Uuid::now_v7(),
            outlet_id: Uuid::new_v4(),
            number: "K1-7".into(),
            status: OrderStatus::Placed,
            channel: Channel::Kiosk,
            customer_name: Some("Siti".into()),
            table: None,
            table_id: None,
            guest_count: None,
            items: vec![],
            subtotal_minor: total,
            discount_minor: 0,
            service_charge_minor: 0,
            tax_minor: 0,
            total_minor: total,
            currency: "IDR".into(),
            flags: vec![],
            cancel_reason: None,
            created_at_client: at(0),
            created_at: at(1),
            updated_at: at(1),
            payment_status: if paid > 0 { OrderPaymentStatus::PartiallyPaid } else { OrderPaymentStatus::Unpaid },
            paid_minor: paid,
            refunded_minor: 0,
            rounding_minor: 0,
            receipt_number: None,
            paid_at: None,
            payments: vec![],
            discounts: vec![],
        }
    }

    fn payment(checkout: &QrisCheckout, status: PaymentStatus, lifetime_secs: i64) -> Payment {
        Payment {
            id: Uuid::new_v4(),
            client_payment_id: checkout.client_payment_id,
            order_id: checkout.order_id,
            outlet_id: Uuid::new_v4(),
            method: PaymentMethod::Qris,
            status,
            amount_minor: checkout.amount_minor,
            rounding_minor: 0,
            tendered_minor: None,
            change_minor: None,
            refunded_minor: 0,
            card: None,
            qr_string: Some("00020101021226...6304ABCD".into()),
            // The server's clock is an hour off this tablet's: it must not matter.
            expires_at: Some(at(3600 + lifetime_secs)),
            gateway_ref: None,
            shift_id: None,
            created_at: at(3600),
            paid_at: None,
            surplus: false,
        }
    }

    fn problem(status: u16) -> ApiError {
        ApiError::Problem(Problem {
            kind: "about:blank".into(),
            title: "t".into(),
            status,
            detail: None,
            errors: Default::default(),
            code: None,
            params: Default::default(),
            error_codes: Default::default(),
        })
    }

    fn showing(lifetime_secs: i64) -> (QrisCheckout, Payment) {
        let mut qris = QrisCheckout::start(&order(41_958, 0));
        let pending = payment(&qris, PaymentStatus::Pending, lifetime_secs);
        qris.answered(Ok(&pending), T0);
        (qris, pending)
    }

    #[test]
    fn qris_is_offered_only_online_and_not_right_after_the_gateway_was_down() {
        assert!(qris_offered(true, None, T0));
        assert!(!qris_offered(false, None, T0), "offline: only the counter");
        assert!(!qris_offered(true, Some(T0 + GATEWAY_DOWN_MS), T0));
        assert!(qris_offered(true, Some(T0 + GATEWAY_DOWN_MS), T0 + GATEWAY_DOWN_MS));
        assert!(!qris_offered(false, Some(T0 - 1.0), T0));
    }

    #[test]
    fn the_qr_asks_for_the_balance_and_counts_down_its_own_lifetime() {
        let mut partly = order(50_000, 20_000);
        partly.payment_status = OrderPaymentStatus::PartiallyPaid;
        assert_eq!(QrisCheckout::start(&partly).amount_minor, 30_000);

        let (mut qris, pending) = showing(900);
        let QrisState::Showing { payment_id, qr_string, deadline_ms } = qris.state.clone() else {
            panic!("{:?}", qris.state)
        };
        assert_eq!((payment_id, qr_string.as_str()), (pending.id, "00020101021226...6304ABCD"));
        // 15 minutes from when the answer arrived, whatever the server's clock says.
        assert_eq!(deadline_ms, T0 + 900_000.0);
        assert_eq!(qris.remaining_ms(T0 + 1_000.0), Some(899_000.0));
        assert!(!qris.tick(T0 + 899_999.0));
        assert!(qris.is_live());
        assert!(qris.tick(T0 + 900_000.0), "the countdown reached zero");
        assert_eq!(qris.ended(), Some(Ended::Expired));
        assert_eq!(qris.remaining_ms(T0 + 900_001.0), None);
        assert!(!qris.tick(T0 + 900_001.0), "ends once");
    }

    #[test]
    fn paid_by_event_or_by_order_paid_and_nothing_takes_it_back() {
        let (mut qris, pending) = showing(900);
        qris.follow_payment(&Payment { status: PaymentStatus::Paid, ..pending.clone() }, T0 + 5_000.0);
        assert_eq!(qris.state, QrisState::Paid { receipt_number: None });
        let paid = OrderPaid { order_id: qris.order_id, number: "K1-7".into(), receipt_number: 12 };
        qris.follow_paid(&paid);
        assert_eq!(qris.state, QrisState::Paid { receipt_number: Some(12) });
        // A late pending, an expiry, the countdown: all too late.
        qris.follow_payment(&pending, T0 + 6_000.0);
        qris.follow_payment(&Payment { status: PaymentStatus::Expired, ..pending }, T0 + 7_000.0);
        assert!(!qris.tick(T0 + 10_000_000.0));
        qris.retry();
        assert_eq!(qris.state, QrisState::Paid { receipt_number: Some(12) });
    }

    #[test]
    fn expired_failed_or_cancelled_offer_the_counter_and_a_new_qr() {
        for (status, why) in [
            (PaymentStatus::Expired, Ended::Expired),
            (PaymentStatus::Failed, Ended::Failed),
            (PaymentStatus::Cancelled, Ended::Cancelled),
        ] {
            let (mut qris, pending) = showing(900);
            qris.follow_payment(&Payment { status, ..pending.clone() }, T0 + 1.0);
            assert_eq!(qris.ended(), Some(why));
            assert!(why.can_retry());
            // A repeated pending does not bring the old code back.
            qris.follow_payment(&pending, T0 + 2.0);
            assert_eq!(qris.ended(), Some(why));

            let old_key = qris.client_payment_id;
            qris.retry();
            assert_eq!(qris.state, QrisState::Requesting);
            assert_ne!(qris.client_payment_id, old_key, "a new QR code is a new payment");
            // The old code's news no longer concerns the screen ...
            qris.follow_payment(&Payment { status: PaymentStatus::Expired, ..pending.clone() }, T0 + 3.0);
            assert_eq!(qris.state, QrisState::Requesting);
            // ... unless it was paid after all: then the order is paid.
            qris.follow_payment(&Payment { status: PaymentStatus::Paid, ..pending }, T0 + 4.0);
            assert!(qris.is_paid());
        }
    }

    #[test]
    fn paid_after_the_countdown_ran_out_still_counts() {
        let (mut qris, pending) = showing(60);
        assert!(qris.tick(T0 + 60_000.0));
        let mut reloaded = order(41_958, 41_958);
        reloaded.id = qris.order_id;
        reloaded.payment_status = OrderPaymentStatus::Paid;
        reloaded.receipt_number = Some(3);
        reloaded.payments = vec![Payment { status: PaymentStatus::Paid, ..pending }];
        qris.follow_order(&reloaded, T0 + 61_000.0);
        assert_eq!(qris.state, QrisState::Paid { receipt_number: Some(3) });
    }

    #[test]
    fn no_answer_asks_again_for_the_same_payment_and_refusals_offer_the_counter_only() {
        let mut qris = QrisCheckout::start(&order(41_958, 0));
        let key = qris.client_payment_id;
        qris.answered(Err(&ApiError::Unreachable), T0);
        assert_eq!(qris.ended(), Some(Ended::NoAnswer));
        qris.retry();
        assert_eq!((qris.client_payment_id, &qris.state), (key, &QrisState::Requesting), "same idempotency key");
        // The server had made it after all: the retry's answer is that payment.
        let pending = payment(&qris, PaymentStatus::Pending, 900);
        qris.answered(Ok(&pending), T0);
        assert!(matches!(qris.state, QrisState::Showing { .. }));

        for (status, why) in
            [(503, Ended::Unavailable), (409, Ended::Refused), (422, Ended::Refused), (500, Ended::NoAnswer)]
        {
            let mut qris = QrisCheckout::start(&order(1_000, 0));
            qris.answered(Err(&problem(status)), T0);
            assert_eq!(qris.ended(), Some(why), "{status}");
        }
        assert!(!Ended::Unavailable.can_retry() && !Ended::Refused.can_retry() && !Ended::NotPlaced.can_retry());
    }

    #[test]
    fn an_event_before_the_answer_and_other_orders_news() {
        let mut qris = QrisCheckout::start(&order(41_958, 0));
        let pending = payment(&qris, PaymentStatus::Pending, 900);
        // payment.updated (pending) arrives before the POST's answer.
        qris.follow_payment(&pending, T0);
        assert!(matches!(qris.state, QrisState::Showing { .. }));
        qris.answered(Ok(&pending), T0 + 10.0);
        assert!(matches!(qris.state, QrisState::Showing { deadline_ms, .. } if deadline_ms == T0 + 900_000.0));

        let other = Payment { order_id: Uuid::new_v4(), status: PaymentStatus::Paid, ..pending.clone() };
        qris.follow_payment(&other, T0);
        qris.follow_paid(&OrderPaid { order_id: other.order_id, number: "K1-1".into(), receipt_number: 1 });
        qris.follow_order(&order(1, 1), T0);
        assert!(qris.is_live(), "another order's news");

        // A pending answer without a QR code to draw: nothing to scan.
        let mut bare = QrisCheckout::start(&order(1_000, 0));
        let no_code = Payment { qr_string: None, ..payment(&bare, PaymentStatus::Pending, 900) };
        bare.answered(Ok(&no_code), T0);
        assert_eq!(bare.ended(), Some(Ended::Refused));
    }
}
