//! The order just placed, as the customer's confirmation screen follows it:
//! first the queue's news (saved, sent, needs attention), then the server's
//! order as live events and reloads bring it. An older state never takes the
//! screen back, and once the order is paid it stays paid here.

use chrono::{DateTime, Utc};
use pos_wire::{Order, OrderPaid, OrderPaymentStatus, OrderStatus, PaymentUpdated};
use uuid::Uuid;

use crate::{
    payment::{self, Ended},
    queue::{Delivery, Placement, QueuedOrder},
};

#[derive(Debug, Clone, PartialEq)]
pub struct Confirmation {
    pub client_order_id: Uuid,
    /// The pickup number: the kiosk's own, then the server's.
    pub number: Option<String>,
    pub order_id: Option<Uuid>,
    pub delivery: Delivery,
    pub status: Option<OrderStatus>,
    pub total_minor: i64,
    pub currency: String,
    /// The server's `updated_at` of the newest state followed: an older
    /// answer (a reload racing a live event) never takes the screen back.
    pub updated_at: Option<DateTime<Utc>>,
    /// Where the order's money stands (the server's word).
    pub payment_status: OrderPaymentStatus,
    pub receipt_number: Option<i64>,
    /// The customer chose QRIS and it did not happen: why (they pay at the counter).
    pub qris_ended: Option<Ended>,
}

impl Confirmation {
    /// What the customer is shown once `order` is saved and placed.
    pub fn placed(order: &QueuedOrder, placement: &Placement) -> Confirmation {
        let mut shown = Confirmation {
            client_order_id: order.client_order_id,
            number: order.body.number.clone(),
            order_id: None,
            delivery: Delivery::Pending,
            status: None,
            total_minor: order.shown_total_minor,
            currency: order.currency.clone(),
            updated_at: None,
            payment_status: OrderPaymentStatus::Unpaid,
            receipt_number: None,
            qris_ended: None,
        };
        if let Placement::Placed(server) = placement {
            shown.delivery = Delivery::Confirmed;
            shown.follow_order(server);
        }
        shown
    }

    /// The queue's news of an order (ignored unless it is this one).
    pub fn follow_delivery(&mut self, order: &QueuedOrder) {
        if order.client_order_id != self.client_order_id {
            return;
        }
        self.delivery = order.state;
        // On a conflict the server's order is another one: do not follow it.
        if let Some(server) = order.order.as_ref().filter(|_| order.state == Delivery::Confirmed) {
            self.follow_order(server);
        }
    }

    /// The server's order as it is now (ignored unless it is this one, or
    /// older than what is shown).
    pub fn follow_order(&mut self, order: &Order) {
        if order.client_order_id != self.client_order_id || self.updated_at.is_some_and(|seen| order.updated_at < seen)
        {
            return;
        }
        self.updated_at = Some(order.updated_at);
        self.order_id = Some(order.id);
        self.number = Some(order.number.clone());
        self.status = Some(order.status);
        self.total_minor = order.total_minor;
        if self.delivery == Delivery::Pending {
            self.delivery = Delivery::Confirmed;
        }
        self.follow_payment_status(order.payment_status, order.receipt_number);
    }

    /// The customer may leave without going to the counter.
    pub fn is_paid(&self) -> bool {
        payment::is_settled(self.payment_status)
    }

    /// `payment.updated` (ignored unless it is this order's).
    pub fn follow_payment(&mut self, update: &PaymentUpdated) {
        if Some(update.order_id) == self.order_id {
            self.follow_payment_status(update.payment_status, None);
        }
    }

    /// `order.paid` (ignored unless it is this order's).
    pub fn follow_paid(&mut self, paid: &OrderPaid) {
        if Some(paid.order_id) == self.order_id {
            self.follow_payment_status(OrderPaymentStatus::Paid, Some(paid.receipt_number));
        }
    }

    /// The QRIS payment on screen was reported paid (the order's own news,
    /// with its receipt number, may come after).
    pub fn settled(&mut self, receipt_number: Option<i64>) {
        self.follow_payment_status(OrderPaymentStatus::Paid, receipt_number);
    }

    fn follow_payment_status(&mut self, status: OrderPaymentStatus, receipt_number: Option<i64>) {
        // Paid stays paid for the customer: a late or older report never undoes it.
        if !self.is_paid() {
            self.payment_status = status;
        }
        self.receipt_number = self.receipt_number.or(receipt_number);
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::{Channel, CreateOrder, PushOutcome};

    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    fn queued(number: &str) -> QueuedOrder {
        let id = Uuid::now_v7();
        QueuedOrder {
            client_order_id: id,
            state: Delivery::Pending,
            body: CreateOrder {
                client_order_id: id,
                outlet_id: Uuid::new_v4(),
                channel: Channel::Kiosk,
                customer_name: Some("Siti".into()),
                table: None,
                table_id: None,
                guest_count: None,
                created_at_client: at(0),
                items: vec![],
                number: Some(number.into()),
                priced_from: None,
            },
            shown_total_minor: 33_300,
            currency: "IDR".into(),
            queued_at_ms: 0.0,
            attempts: 0,
            order: None,
            outcome: None,
            problem: None,
            payments: vec![],
            seller_token: None,
            shift_id: None,
            discounts: Vec::new(),
        }
    }

    fn server_order(client_order_id: Uuid, number: &str, status: OrderStatus, updated: i64) -> Order {
        Order {
            id: Uuid::new_v4(),
            client_order_id,
            outlet_id: Uuid::new_v4(),
            number: number.into(),
            status,
            channel: Channel::Kiosk,
            customer_name: None,
            table: None,
            table_id: None,
            guest_count: None,
            items: vec![],
            subtotal_minor: 30_000,
            discount_minor: 0,
            service_charge_minor: 0,
            tax_minor: 3_300,
            total_minor: 33_300,
            currency: "IDR".into(),
            flags: vec![],
            cancel_reason: None,
            created_at_client: at(0),
            created_at: at(1),
            updated_at: at(updated),
            payment_status: Default::default(),
            paid_minor: 0,
            refunded_minor: 0,
            rounding_minor: 0,
            receipt_number: None,
            paid_at: None,
            payments: vec![],
            discounts: vec![],
        }
    }

    #[test]
    fn a_queued_order_shows_the_kiosk_number_until_the_server_has_it() {
        let order = queued("K1-5");
        let mut shown = Confirmation::placed(&order, &Placement::Queued);
        assert_eq!((shown.number.as_deref(), shown.delivery, shown.status), (Some("K1-5"), Delivery::Pending, None));
        assert_eq!((shown.total_minor, shown.currency.as_str()), (33_300, "IDR"));

        // Sent later: the server renumbered it.
        let mut sent = order.clone();
        sent.state = Delivery::Confirmed;
        sent.outcome = Some(PushOutcome::Created);
        sent.order = Some(server_order(order.client_order_id, "K1-6", OrderStatus::Placed, 2));
        shown.follow_delivery(&sent);
        assert_eq!((shown.number.as_deref(), shown.delivery), (Some("K1-6"), Delivery::Confirmed));
        assert_eq!(shown.status, Some(OrderStatus::Placed));
    }

    #[test]
    fn placed_online_it_is_confirmed_at_once_and_never_goes_back() {
        let order = queued("K1-5");
        let server = server_order(order.client_order_id, "K1-5", OrderStatus::Placed, 2);
        let mut shown = Confirmation::placed(&order, &Placement::Placed(Box::new(server.clone())));
        assert_eq!((shown.delivery, shown.order_id), (Delivery::Confirmed, Some(server.id)));

        let ready = Order { status: OrderStatus::Ready, updated_at: at(9), ..server.clone() };
        shown.follow_order(&ready);
        assert_eq!(shown.status, Some(OrderStatus::Ready));
        // A reload answered before the live event arrived: older, ignored.
        let stale = Order { status: OrderStatus::Preparing, updated_at: at(5), ..server };
        shown.follow_order(&stale);
        assert_eq!(shown.status, Some(OrderStatus::Ready));
    }

    #[test]
    fn paid_by_event_or_reload_and_it_stays_paid() {
        let order = queued("K1-5");
        let server = server_order(order.client_order_id, "K1-5", OrderStatus::Placed, 2);
        let mut shown = Confirmation::placed(&order, &Placement::Placed(Box::new(server.clone())));
        assert!(!shown.is_paid());

        // Another order's news changes nothing.
        shown.follow_paid(&OrderPaid { order_id: Uuid::new_v4(), number: "K1-9".into(), receipt_number: 4 });
        assert_eq!((shown.is_paid(), shown.receipt_number), (false, None));

        shown.follow_paid(&OrderPaid { order_id: server.id, number: "K1-5".into(), receipt_number: 12 });
        assert_eq!((shown.is_paid(), shown.receipt_number), (true, Some(12)));
        // A reload answered from before the payment (newer status, still unpaid): paid stays.
        let preparing = Order { status: OrderStatus::Preparing, updated_at: at(9), ..server };
        shown.follow_order(&preparing);
        assert_eq!(
            (shown.status, shown.is_paid(), shown.receipt_number),
            (Some(OrderStatus::Preparing), true, Some(12))
        );
    }

    #[test]
    fn other_orders_and_a_conflicting_one_are_not_followed() {
        let order = queued("K1-5");
        let mut shown = Confirmation::placed(&order, &Placement::Queued);
        shown.follow_order(&server_order(Uuid::now_v7(), "K1-9", OrderStatus::Ready, 3));
        shown.follow_delivery(&queued("K1-7"));
        assert_eq!((shown.number.as_deref(), shown.status), (Some("K1-5"), None), "another order's news");

        // A conflict: the server holds another order under this id; staff must look.
        let mut conflict = order.clone();
        conflict.state = Delivery::Attention;
        conflict.outcome = Some(PushOutcome::Conflict);
        conflict.order = Some(server_order(order.client_order_id, "K1-2", OrderStatus::Completed, 4));
        shown.follow_delivery(&conflict);
        assert_eq!((shown.delivery, shown.number.as_deref(), shown.status), (Delivery::Attention, Some("K1-5"), None));
    }
}
