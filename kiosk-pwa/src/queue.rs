//! The kiosk's outgoing orders. An order is written to IndexedDB before
//! anything is sent or the customer is told it is placed. Online, it is then
//! placed at once with `POST /orders` (strict: a sold-out item or a changed
//! price is refused while the customer can still fix the cart). Offline, or
//! when that call gets no answer, it waits in the queue: a background loop
//! sends what is pending through `sync/push` (safe to resend, also after a
//! `POST /orders` whose answer was lost: one `client_order_id` is one order)
//! with exponential backoff and jitter until the server answers `created` or
//! `duplicate`. `conflict` and `rejected` go to the staff's "needs
//! attention" list; nothing is ever dropped. The queue survives reloads and
//! browser restarts because it is the database.

use std::{cell::RefCell, collections::HashSet, rc::Rc};

use leptos::prelude::*;
use pos_wire::{CreateOrder, CreatePayment, Order, PairedDevice, Problem, PushOutcome, QueuedDiscount};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    api::{self, ApiError, Failure},
    cart::{self, Checkout},
    clock::{self, Alarm},
    db::{self, DbResult},
    net::Connectivity,
    numbering,
};

/// Orders per `sync/push` call (the server takes up to 500; this keeps each
/// request small and quick on a weak connection).
const BATCH: usize = 100;
/// With nothing to send, look again this often anyway.
const IDLE_CHECK_MS: u32 = 60_000;
/// Delivered orders are kept this long (for the day's numbering and staff).
const KEEP_DELIVERED_MS: f64 = 3.0 * 24.0 * 3600.0 * 1000.0;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// Saved on the device and being placed online while the customer waits
    /// (left so by a reload mid-call, it is sent like a pending one).
    Placing,
    /// Saved on the device, not yet confirmed by the server.
    Pending,
    /// The server has it (`created` or `duplicate`).
    Confirmed,
    /// The server answered `conflict` or `rejected`: staff must look.
    Attention,
    /// Staff dealt with it.
    Handled,
}

/// One order as kept in [`db::ORDERS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedOrder {
    pub client_order_id: Uuid,
    pub state: Delivery,
    /// Exactly what is sent (and resent) to the server.
    pub body: CreateOrder,
    /// The total the customer was shown.
    pub shown_total_minor: i64,
    pub currency: String,
    pub queued_at_ms: f64,
    #[serde(default)]
    pub attempts: u32,
    /// The server's order, once it has it.
    #[serde(default)]
    pub order: Option<Order>,
    #[serde(default)]
    pub outcome: Option<PushOutcome>,
    /// Why the server refused it.
    #[serde(default)]
    pub problem: Option<Problem>,
    /// Cash and card taken with it at a till, sent with it (each exactly
    /// once: the server keys them by `client_payment_id`).
    #[serde(default)]
    pub payments: Vec<CreatePayment>,
    /// A till's sale: the token of the cashier who made it, so that it is
    /// recorded under their name whoever is signed in when it is sent.
    #[serde(default)]
    pub seller_token: Option<String>,
    /// A till's sale: the shift it was sold in (a sale at a till needs one;
    /// the server lets it in on replay even after that shift closed).
    #[serde(default)]
    pub shift_id: Option<Uuid>,
    /// A till's sale: discounts given offline, sent with it, applied after
    /// it and before its payments (each exactly once, by `client_discount_id`).
    #[serde(default)]
    pub discounts: Vec<QueuedDiscount>,
}

impl QueuedOrder {
    /// The customer's order from `checkout`, numbered `number`, as it is
    /// saved before anything is sent: with the total the customer was shown.
    pub fn new(
        checkout: &Checkout,
        client_order_id: Uuid,
        outlet_id: Uuid,
        number: Option<String>,
        now_ms: f64,
    ) -> QueuedOrder {
        QueuedOrder {
            client_order_id,
            state: Delivery::Pending,
            body: checkout.order_body(client_order_id, outlet_id, number, clock::utc_of(now_ms)),
            shown_total_minor: cart::totals(checkout.lines, checkout.menu).total_minor,
            currency: checkout.menu.currency.clone(),
            queued_at_ms: now_ms,
            attempts: 0,
            order: None,
            outcome: None,
            problem: None,
            payments: Vec::new(),
            seller_token: None,
            shift_id: None,
            discounts: Vec::new(),
        }
    }

    /// The pickup number the customer holds: the server's once it has the
    /// order (it may have had to renumber it), else the kiosk's own. (On a
    /// conflict the server's order is another one: its number is not ours.)
    pub fn number(&self) -> Option<String> {
        match (&self.order, self.state) {
            (Some(order), Delivery::Confirmed) => Some(order.number.clone()),
            _ => self.body.number.clone(),
        }
    }
}

/// How placing an order ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// The server has it (boxed: an order is much larger than the other variants).
    Placed(Box<Order>),
    /// Saved, and on its way through the queue (offline, or no answer).
    Queued,
    /// The server refused it as it stands (sold out, another price...):
    /// nothing was stored anywhere; the customer can change the cart.
    Refused(Problem),
}

/// The queue and its sender. Clones share it.
#[derive(Clone)]
pub struct OrderQueue {
    device: Rc<PairedDevice>,
    connectivity: Connectivity,
    alarm: Alarm,
    on_update: Rc<dyn Fn(&QueuedOrder)>,
    /// Orders saved but not yet confirmed by the server.
    pub pending: RwSignal<usize>,
    /// Orders staff must look at, oldest first.
    pub attention: RwSignal<Vec<QueuedOrder>>,
    /// Why the last send failed, while it keeps failing.
    pub last_error: RwSignal<Option<Failure>>,
    /// Set when the server no longer accepts this device.
    pub revoked: RwSignal<bool>,
    /// The highest pickup number given out today (day, number), once known:
    /// the stored orders are read for it once, not on every tap.
    numbers_floor: Rc<RefCell<Option<(String, u32)>>>,
    /// Orders being placed online right now: the sender leaves them alone.
    in_flight: Rc<RefCell<HashSet<Uuid>>>,
}

impl OrderQueue {
    /// `on_update` hears of every order whose state changed.
    pub fn new(device: PairedDevice, connectivity: Connectivity, on_update: impl Fn(&QueuedOrder) + 'static) -> Self {
        OrderQueue {
            device: Rc::new(device),
            connectivity,
            alarm: Alarm::default(),
            on_update: Rc::new(on_update),
            pending: RwSignal::new(0),
            attention: RwSignal::new(Vec::new()),
            last_error: RwSignal::new(None),
            revoked: RwSignal::new(false),
            numbers_floor: Rc::default(),
            in_flight: Rc::default(),
        }
    }

    /// Waiting to be sent through the queue.
    fn is_due(&self, order: &QueuedOrder) -> bool {
        match order.state {
            Delivery::Pending => true,
            Delivery::Placing => !self.in_flight.borrow().contains(&order.client_order_id),
            _ => false,
        }
    }

    /// Who sends `order`: its seller (a till's cashier), or this device.
    fn sender(&self, order: &QueuedOrder) -> PairedDevice {
        match &order.seller_token {
            Some(token) => PairedDevice { device_token: token.clone(), ..(*self.device).clone() },
            None => (*self.device).clone(),
        }
    }

    /// The device's next pickup number today (`K1-17`, `T1-4`), never below what
    /// today's stored orders used (should the counter in localStorage be
    /// lost). `None` for a kiosk without a prefix: the server numbers its orders.
    pub async fn next_number(&self) -> Option<String> {
        let prefix = self.device.number_prefix.as_deref()?;
        let today = clock::local_day();
        let known = self.numbers_floor.borrow().as_ref().filter(|(day, _)| *day == today).map(|(_, n)| *n);
        let floor = match known {
            Some(n) => n,
            None => self.highest_number_today(prefix, &today).await,
        };
        let n = crate::storage::next_order_number(&today, floor).ok()?;
        *self.numbers_floor.borrow_mut() = Some((today, n));
        Some(numbering::pickup_number(prefix, n))
    }

    /// Numbers the customer's order, saves it and places it (see
    /// [`OrderQueue::place`]); the order as saved comes back with how it went.
    pub async fn place_checkout(&self, checkout: &Checkout<'_>) -> DbResult<(QueuedOrder, Placement)> {
        let number = self.next_number().await;
        let order = QueuedOrder::new(checkout, Uuid::now_v7(), self.device.outlet_id, number, clock::now_ms());
        let placement = self.place(order.clone()).await?;
        Ok((order, placement))
    }

    /// Saves `order` and, when the browser is online, places it with the
    /// server's strict checks while the customer waits; otherwise (or with
    /// no answer) it goes out through the queue. Only once this returns
    /// `Placed` or `Queued` may the customer be told the order is placed.
    pub async fn place(&self, mut order: QueuedOrder) -> DbResult<Placement> {
        let id = order.client_order_id;
        // Discounts given offline ride only in the queue, after their order.
        let online = self.connectivity.browser_online.get_untracked() && order.discounts.is_empty();
        order.state = if online { Delivery::Placing } else { Delivery::Pending };
        if online {
            self.in_flight.borrow_mut().insert(id);
        }
        if let Err(e) = db::put(db::ORDERS, &order).await {
            self.in_flight.borrow_mut().remove(&id);
            return Err(e);
        }
        if !online {
            self.queued();
            return Ok(Placement::Queued);
        }
        let result = api::place_order(&self.sender(&order), &order.body).await;
        self.connectivity.report(&result);
        order.attempts += 1;
        let placement = match result {
            Ok(server) => {
                order.state = Delivery::Confirmed;
                order.outcome = Some(PushOutcome::Created);
                order.order = Some(server.clone());
                Placement::Placed(Box::new(server))
            }
            Err(ApiError::Problem(problem)) if problem.status == 422 => Placement::Refused(problem),
            // A till whose shift was closed (from the back office): no sale until one is open.
            Err(ApiError::Problem(problem)) if problem.code == Some(pos_wire::problem::Code::ShiftNotOpen) => {
                Placement::Refused(problem)
            }
            // No answer, server trouble, anything else: the queue sends it
            // (the push says `duplicate` if this call did get through).
            Err(_) => {
                order.state = Delivery::Pending;
                Placement::Queued
            }
        };
        let kept = match placement {
            Placement::Refused(_) => db::delete(db::ORDERS, &id.to_string()).await,
            _ => db::put(db::ORDERS, &order).await,
        };
        match kept {
            Ok(()) => {
                self.in_flight.borrow_mut().remove(&id);
            }
            // A refused order must never reach the kitchen through the push
            // (which may accept what this call refused): the sender keeps
            // leaving it alone.
            Err(e) if matches!(placement, Placement::Refused(_)) => {
                leptos::logging::error!("refused order {id} not removed: {e}");
            }
            Err(e) => {
                // Still `placing` in the store: the sender pushes it, and the server answers.
                leptos::logging::warn!("order {id} not updated after placing: {e}");
                self.in_flight.borrow_mut().remove(&id);
            }
        }
        if placement == Placement::Queued {
            self.queued();
        }
        Ok(placement)
    }

    fn queued(&self) {
        self.pending.update(|n| *n += 1);
        self.alarm.ring();
    }

    /// Sends now rather than at the next backoff step (the network is back).
    pub fn send_now(&self) {
        self.alarm.ring();
    }

    /// The highest number this kiosk gave out today, from the orders it keeps.
    async fn highest_number_today(&self, prefix: &str, today: &str) -> u32 {
        let orders: Vec<QueuedOrder> = db::all(db::ORDERS).await.unwrap_or_default();
        let today_numbers = orders
            .iter()
            .filter(|o| clock::local_day_of(o.queued_at_ms) == today)
            .filter_map(|o| o.body.number.as_deref());
        numbering::highest_count(prefix, today_numbers)
    }

    /// Staff dealt with an order that needed attention.
    pub async fn mark_handled(&self, client_order_id: Uuid) -> DbResult<()> {
        self.set_state(client_order_id, Delivery::Handled).await
    }

    /// Staff want an order that needed attention sent again as it is.
    pub async fn send_again(&self, client_order_id: Uuid) -> DbResult<()> {
        self.set_state(client_order_id, Delivery::Pending).await?;
        self.alarm.ring();
        Ok(())
    }

    async fn set_state(&self, client_order_id: Uuid, state: Delivery) -> DbResult<()> {
        if let Some(mut order) = db::get::<QueuedOrder>(db::ORDERS, &client_order_id.to_string()).await? {
            order.state = state;
            db::put(db::ORDERS, &order).await?;
            (self.on_update)(&order);
        }
        self.refresh_counts().await;
        Ok(())
    }

    async fn refresh_counts(&self) {
        if let Ok(orders) = db::all::<QueuedOrder>(db::ORDERS).await {
            self.publish(&orders);
        }
    }

    fn publish(&self, orders: &[QueuedOrder]) {
        let pending = orders.iter().filter(|o| self.is_due(o)).count();
        let mut attention: Vec<QueuedOrder> =
            orders.iter().filter(|o| o.state == Delivery::Attention).cloned().collect();
        attention.sort_by(|a, b| a.queued_at_ms.total_cmp(&b.queued_at_ms));
        if self.pending.get_untracked() != pending {
            self.pending.set(pending);
        }
        if self.attention.with_untracked(|a| *a != attention) {
            self.attention.set(attention);
        }
    }

    /// Runs the sender for as long as the page lives.
    pub fn start(&self) {
        let queue = self.clone();
        leptos::task::spawn_local(async move {
            queue.forget_old_orders().await;
            if let Some(prefix) = queue.device.number_prefix.clone() {
                // Ready before the first tap, so placing an order reads no list.
                let today = clock::local_day();
                let used = queue.highest_number_today(&prefix, &today).await;
                queue.numbers_floor.borrow_mut().get_or_insert((today, used));
            }
            queue.run().await;
        });
    }

    async fn forget_old_orders(&self) {
        let Ok(orders) = db::all::<QueuedOrder>(db::ORDERS).await else { return };
        let cutoff = clock::now_ms() - KEEP_DELIVERED_MS;
        for order in orders {
            if matches!(order.state, Delivery::Confirmed | Delivery::Handled) && order.queued_at_ms < cutoff {
                let _ = db::delete(db::ORDERS, &order.client_order_id.to_string()).await;
            }
        }
    }

    async fn run(&self) {
        let mut failures: u32 = 0;
        loop {
            let orders = match db::all::<QueuedOrder>(db::ORDERS).await {
                Ok(orders) => orders,
                Err(e) => {
                    self.last_error.set(Some(Failure::Storage(e.to_string())));
                    self.alarm.wait(5_000).await;
                    continue;
                }
            };
            self.publish(&orders);
            let mut due: Vec<QueuedOrder> = orders.into_iter().filter(|o| self.is_due(o)).collect();
            if due.is_empty() {
                failures = 0;
                self.alarm.wait(IDLE_CHECK_MS).await;
                continue;
            }
            if !self.connectivity.browser_online.get_untracked() {
                // The `online` event rings the alarm.
                self.alarm.wait(IDLE_CHECK_MS).await;
                continue;
            }
            due.sort_by(|a, b| a.queued_at_ms.total_cmp(&b.queued_at_ms));
            // One sender per batch: the oldest order's (a till's cashiers each send their own).
            let seller = due[0].seller_token.clone();
            due.retain(|o| o.seller_token == seller);
            due.truncate(BATCH);
            match self.send_batch(due).await {
                Ok(()) => {
                    failures = 0;
                    if self.last_error.get_untracked().is_some() {
                        self.last_error.set(None);
                    }
                }
                Err(e) if e.is_unauthorized() && seller.is_none() => {
                    self.revoked.set(true);
                    return;
                }
                Err(e) => {
                    failures += 1;
                    self.last_error.set(Some(Failure::Api(e)));
                    self.alarm.wait(clock::backoff_ms(failures)).await;
                }
            }
        }
    }

    async fn send_batch(&self, mut batch: Vec<QueuedOrder>) -> Result<(), ApiError> {
        let Some(first) = batch.first() else { return Ok(()) };
        let sender = self.sender(first);
        let result = {
            let bodies: Vec<api::PushItem> = batch
                .iter()
                .map(|o| api::PushItem {
                    order: &o.body,
                    payments: &o.payments,
                    shift_id: o.shift_id,
                    discounts: &o.discounts,
                })
                .collect();
            api::push_orders(&sender, &bodies).await
        };
        self.connectivity.report(&result);
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                for order in &mut batch {
                    order.attempts += 1;
                }
                let _ = db::put_all(db::ORDERS, &batch).await;
                return Err(e);
            }
        };
        let mut changed = Vec::new();
        for (index, result) in response.results.into_iter().enumerate() {
            // Results come in request order; the id (when the server could read it) confirms which.
            let position = match result.client_order_id {
                Some(id) => batch.iter().position(|o| o.client_order_id == id),
                None => Some(index).filter(|i| *i < batch.len()),
            };
            let Some(order) = position.and_then(|i| batch.get_mut(i)) else { continue };
            order.attempts += 1;
            order.outcome = Some(result.outcome);
            order.state = match result.outcome {
                PushOutcome::Created | PushOutcome::Duplicate => Delivery::Confirmed,
                PushOutcome::Conflict | PushOutcome::Rejected => Delivery::Attention,
            };
            if result.order.is_some() {
                order.order = result.order;
            }
            order.problem = result.error;
            changed.push(order.clone());
        }
        db::put_all(db::ORDERS, &changed).await.map_err(|e| {
            leptos::logging::error!("push results not saved: {e}");
            // They stay pending and are resent: the server answers duplicate.
            ApiError::Unexpected { status: 0 }
        })?;
        for order in &changed {
            (self.on_update)(order);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        cart::{CartLine, PickupBy},
        menu::{Menu, OutletInfo},
    };

    #[test]
    fn a_new_order_is_pending_with_the_total_and_currency_shown() {
        let lines = [CartLine {
            key: Uuid::new_v4(),
            item_id: Uuid::new_v4(),
            name: "Sate Ayam".into(),
            options: vec![],
            unit_price_minor: 30_000,
            qty: 1,
        }];
        let outlet = OutletInfo {
            name: "Kemang".into(),
            is_open: true,
            tax_rate_bp: 1100,
            service_charge_bp: 0,
            kitchen_release: pos_wire::KitchenRelease::OnPlace,
            cash_rounding_step: 1,
            discount_limit_bp: 0,
        };
        let menu = Menu { outlet: Some(outlet), currency: "IDR".into(), categories: vec![] };
        let pickup = PickupBy::Name("Siti".into());
        let checkout = Checkout {
            lines: &lines,
            menu: &menu,
            pickup: &pickup,
            priced_from: None,
            channel: pos_wire::Channel::Kiosk,
        };
        let (id, outlet_id, at_ms) = (Uuid::now_v7(), Uuid::new_v4(), 1_790_000_000_000.0);
        let order = QueuedOrder::new(&checkout, id, outlet_id, Some("K2-9".into()), at_ms);
        assert_eq!((order.client_order_id, order.body.client_order_id), (id, id));
        assert_eq!(order.state, Delivery::Pending);
        assert_eq!(order.shown_total_minor, 33_300, "30.000 and 11% tax");
        assert_eq!(order.currency, "IDR");
        assert_eq!(order.queued_at_ms, at_ms);
        assert_eq!(order.body.created_at_client.timestamp_millis(), at_ms as i64);
        assert_eq!(order.number().as_deref(), Some("K2-9"));
        assert_eq!((order.attempts, order.order, order.outcome, order.problem), (0, None, None, None));
    }
}
