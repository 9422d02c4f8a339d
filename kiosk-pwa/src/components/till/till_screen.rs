use std::collections::HashMap;

use leptos::{ev, prelude::*};
use pos_wire::{Channel, CreatePayment, Order, PairedDevice};
use uuid::Uuid;

use super::discount_panel::{DiscountPanel, OfflineSale};
use super::shift_panel::{ShiftBar, ShiftPanel, Shifts};
use super::{CashierSignIn, PaymentPanel, UnpaidOrders, unpaid_orders::awaits_payment};
use super::{
    CheckPanel, FloorView, RoundBar, SaleNotes,
    floor::load_floor,
    round_bar::{NotSent, RoundSent, send_cart},
};
use crate::{
    api::{self, ApiError},
    cart::{self, CartLine, Checkout, PickupBy},
    clock,
    components::{
        ConnectionBadge, LanguageSwitch, ReceiptEmailForm,
        kiosk::{CartDrawer, MenuCard, MenuGrid, OpenItemSheet, QrisPayment},
    },
    events::{LiveEvent, LiveStream},
    i18n::{Text, t},
    locale::{tr, use_locale},
    menu::MenuSync,
    mounted,
    net::Connectivity,
    payment::{QrisCheckout, QrisState},
    queue::{OrderQueue, Placement, QueuedOrder},
    receipt, refusal,
    till::{self, Cashier, SearchIndex},
};
use crate::{
    tables::{self, Floor, Seat},
    tables_text::{self, TableText, tt},
};

/// Search results shown at most.
const SEARCH_LIMIT: usize = 60;
/// While a QR code is shown, the order is asked about this often.
const QRIS_POLL_MS: u32 = 4_000;

/// What is being paid.
#[derive(Debug, Clone, PartialEq)]
enum Bill {
    /// The cart: the order is placed when the sale completes.
    NewSale,
    /// An order already on the server (a kiosk's "pay at the counter", or a
    /// sale whose payment did not complete).
    Existing(Box<Order>),
}

/// How the last sale ended, for the "sale complete" panel.
#[derive(Debug, Clone, PartialEq)]
struct Sold {
    order_id: Option<Uuid>,
    number: Option<String>,
    change_minor: i64,
    /// Saved on the till, sent when the network returns.
    offline: bool,
    /// Nothing is left to pay on the order (not one part of a split): its
    /// receipt may be mailed.
    fully_paid: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Sell,
    Pay(Bill),
    Qris,
    Done(Sold),
    Unpaid,
    /// The dining room's tables.
    Floor,
    /// A table's open check.
    Check(Uuid),
}

/// The counter till: a cashier signs in with their PIN, enters the order
/// (categories or search, modifiers, quantities), takes cash, card or QRIS
/// (any mix), prints the receipt; kiosk orders left to pay are listed.
/// Sales go to the kitchen like the kiosk's: online at once, offline
/// through the queue (with their payments), under the cashier's name.
#[component]
pub fn TillScreen(device: PairedDevice, on_unpaired: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let connectivity = Connectivity::new();
    let cashier = RwSignal::new(till::stored_cashier(clock::now_ms()));
    let mode = RwSignal::new(Mode::Sell);
    let cart = RwSignal::new(Vec::<CartLine>::new());
    let removed_notice = RwSignal::new(Vec::<String>::new());
    let query = RwSignal::new(String::new());
    let open_item = RwSignal::new(None::<Uuid>);
    let dine_in = RwSignal::new(false);
    let customer = RwSignal::new(String::new());
    let tenders = RwSignal::new(Vec::<CreatePayment>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let unpaid = RwSignal::new(None::<Vec<Order>>);
    let qris = RwSignal::new(None::<QrisCheckout>);
    let now = mounted::ticking_now();
    let shifts = Shifts::new(device.clone(), connectivity);
    // Table service: where the cart goes, its lines' notes, the floor, and
    // the rounds waiting for the network.
    let seat = RwSignal::new(None::<Seat>);
    let round_id = RwSignal::new(Uuid::now_v7());
    let notes = RwSignal::new(HashMap::<Uuid, String>::new());
    let floor = RwSignal::new(None::<Floor>);
    let floor_changed = RwSignal::new(0u64);
    let queued_rounds = RwSignal::new(tables::queued_rounds());
    // The most this payment takes of the order: one part of an even split.
    let part = RwSignal::new(None::<i64>);
    // The new sale's order id (a manager's PIN sealed offline names it) and
    // the discounts given on it offline, sent with it through the queue.
    let sale_id = RwSignal::new(Uuid::now_v7());
    let sale_discounts = RwSignal::new(Vec::<pos_wire::QueuedDiscount>::new());

    let sync = MenuSync::new(device.clone(), connectivity);
    let menu = sync.menu;
    let index = Memo::new(move |_| menu.with(SearchIndex::new));
    let queue = OrderQueue::new(device.clone(), connectivity, |_: &QueuedOrder| {});
    let sync_for_events = sync.clone();
    let own_id = device.device_id;
    let on_event = move |event: LiveEvent| match event {
        LiveEvent::MenuChanged | LiveEvent::Reset => {
            let sync = sync_for_events.clone();
            leptos::task::spawn_local(async move { sync.pull().await });
        }
        LiveEvent::PaymentUpdated(update) => {
            qris.update(|q| q.iter_mut().for_each(|q| q.follow_payment(&update.payment, clock::now_ms())))
        }
        LiveEvent::OrderPaid(paid) => {
            qris.update(|q| q.iter_mut().for_each(|q| q.follow_paid(&paid)));
            floor_changed.update(|n| *n += 1);
        }
        LiveEvent::OrderCreated(order) | LiveEvent::OrderStatusChanged(order) if order.table_id.is_some() => {
            floor_changed.update(|n| *n += 1)
        }
        LiveEvent::DeviceRevoked(id) if id == own_id => on_unpaired.run(()),
        _ => {}
    };
    let sync_for_open = sync.clone();
    let stream = LiveStream::connect(device.clone(), on_event, move || {
        let sync = sync_for_open.clone();
        leptos::task::spawn_local(async move { sync.pull().await });
    });
    crate::behind::run(connectivity, &sync, &queue, &stream, cart, removed_notice, on_unpaired);

    let till_device = StoredValue::new(device.clone());
    // The till acting for the cashier signed in.
    let as_cashier = move || cashier.with_untracked(|c| c.as_ref().map(|c| c.device(&till_device.get_value())));
    let online = Signal::derive(move || connectivity.online());
    let shift_cashier = Callback::new(move |()| as_cashier());
    if let Some(me) = as_cashier() {
        shifts.refresh(me);
    }
    // Cash movements and closes go once the sales queued before them have.
    mounted::every(3_000, move || shifts.send());
    let currency = Signal::derive(move || menu.with(|m| m.currency.clone()));
    let step = Signal::derive(move || menu.with(|m| m.outlet.as_ref().map_or(1, |o| o.cash_rounding_step)));
    let bill_total = Signal::derive(move || match mode.get() {
        Mode::Pay(Bill::Existing(order)) => {
            let left = order.total_minor - order.paid_minor;
            part.get().map_or(left, |p| p.min(left))
        }
        _ => {
            menu.with(|m| cart.with(|lines| sale_discounts.with(|d| cart::discounted_totals(lines, m, d).total_minor)))
        }
    });
    let offline_sale = OfflineSale {
        client_order_id: sale_id.into(),
        subtotal: Signal::derive(move || cart.with(|lines| cart::subtotal(lines))),
        limit_bp: Signal::derive(move || menu.with(|m| m.outlet.as_ref().map_or(0, |o| o.discount_limit_bp))),
        discounts: sale_discounts,
    };
    // While online, the till keeps the server's approval key and who may
    // approve, for a manager's PIN given offline.
    let keep_approval_key = move || {
        if connectivity.browser_online.get_untracked() {
            let till = till_device.get_value();
            leptos::task::spawn_local(async move { crate::offline_approval::refresh(&till).await });
        }
    };
    keep_approval_key();

    let new_sale = move || {
        if let Some(me) = as_cashier() {
            shifts.refresh(me);
        }
        cart.set(Vec::new());
        sale_id.set(Uuid::now_v7());
        sale_discounts.set(Vec::new());
        keep_approval_key();
        tenders.set(Vec::new());
        customer.set(String::new());
        dine_in.set(false);
        query.set(String::new());
        error.set(None);
        qris.set(None);
        seat.set(None);
        notes.set(HashMap::new());
        part.set(None);
        mode.set(Mode::Sell);
        // A new version of the app takes over between two sales.
        crate::pwa::reload_if_updated();
    };
    let signed_in = Callback::new(move |c: Cashier| {
        shifts.refresh(c.device(&till_device.get_value()));
        till::remember_cashier(Some(&c));
        cashier.set(Some(c));
        new_sale();
    });
    // Another cashier takes over: the sales already made stay theirs (their
    // queued ones are sent with their own token).
    let switch_cashier = move || {
        till::remember_cashier(None);
        cashier.set(None);
    };
    let sign_out = move || {
        if let Some(me) = as_cashier() {
            leptos::task::spawn_local(async move {
                let _ = api::till_sign_out(&me).await;
            });
        }
        switch_cashier();
    };
    let failed = move |e: ApiError| {
        if e.status() == Some(401) {
            // The cashier's session ended (signed out elsewhere, deactivated): sign in again.
            switch_cashier();
        }
        error.set(Some(e.message(locale.get_untracked())));
    };

    // Takes `payments` on `order` one by one; the order as it is after them.
    let take_all = move |me: PairedDevice, order_id: Uuid, payments: Vec<CreatePayment>| async move {
        let mut change = 0;
        for p in &payments {
            let taken = api::take_payment(&me, order_id, p).await;
            connectivity.report(&taken);
            change += taken?.change_minor.unwrap_or(0);
        }
        Ok::<i64, ApiError>(change)
    };

    let queue = StoredValue::new_local(queue);
    let sync = StoredValue::new_local(sync);
    // The cashier, when nothing else is under way: then it is.
    let begin = move || {
        let me = as_cashier().filter(|_| !busy.get_untracked())?;
        busy.set(true);
        error.set(None);
        Some(me)
    };
    // The tenders as taken: into the till's open shift (the server refuses a sale without).
    let tenders_in_shift = move || {
        let shift_id = shifts.shift_id();
        (shift_id, tenders.get_untracked().into_iter().map(|p| CreatePayment { shift_id, ..p }).collect::<Vec<_>>())
    };
    // The cart as the order the till saves and sends: the cashier's, in the shift.
    let cart_order = move |me: &PairedDevice, shift_id: Option<Uuid>| {
        let (queue, sync) = (queue.get_value(), sync.get_value());
        let (seller, outlet_id) = (me.device_token.clone(), me.outlet_id);
        async move {
            let (lines, menu) = (cart.get_untracked(), menu.get_untracked());
            let who = customer.get_untracked();
            let pickup = if dine_in.get_untracked() { PickupBy::Table(who) } else { PickupBy::Name(who) };
            let priced_from = sync.priced_from();
            let checkout = Checkout {
                lines: &lines,
                menu: &menu,
                pickup: &pickup,
                priced_from: priced_from.as_deref(),
                channel: Channel::Counter,
            };
            let number = queue.next_number().await;
            let mut order = QueuedOrder::new(&checkout, sale_id.get_untracked(), outlet_id, number, clock::now_ms());
            order.seller_token = Some(seller);
            order.shift_id = shift_id;
            // Given offline: the total shown is the discounted one, priced as the server will.
            order.discounts = sale_discounts.get_untracked();
            order.shown_total_minor = cart::discounted_totals(&lines, &menu, &order.discounts).total_minor;
            order
        }
    };
    // Completes the sale of the cart with `payments` (all of them, or those
    // before a QRIS payment when `then_qris`).
    let sell = move |then_qris: bool| {
        let Some(me) = begin() else { return };
        let (queue, sync) = (queue.get_value(), sync.get_value());
        let (shift_id, payments) = tenders_in_shift();
        leptos::task::spawn_local(async move {
            let lines = cart.get_untracked();
            let mut order = cart_order(&me, shift_id).await;
            order.payments = payments.clone();
            tables::apply_notes(&mut order.body.items, &lines, &notes.get_untracked());
            let change = till::change_due(order.shown_total_minor, step.get_untracked(), &payments);
            let id = order.client_order_id;
            match queue.place(order.clone()).await {
                Ok(Placement::Placed(server)) => match take_all(me.clone(), server.id, payments).await {
                    Ok(taken_change) => {
                        let sold = Sold {
                            order_id: Some(server.id),
                            number: Some(server.number.clone()),
                            change_minor: taken_change,
                            offline: false,
                            fully_paid: true,
                        };
                        if then_qris {
                            start_qris(&me, server.id, None, qris, mode, connectivity).await;
                        } else {
                            mode.set(Mode::Done(sold));
                        }
                    }
                    Err(e) if e.is_transient() => {
                        // The queue sends the order again with its payments (each once).
                        let _ = queue.send_again(id).await;
                        mode.set(Mode::Done(Sold {
                            order_id: Some(server.id),
                            number: Some(server.number),
                            change_minor: change,
                            offline: true,
                            fully_paid: true,
                        }));
                    }
                    Err(e) => {
                        tenders.set(Vec::new());
                        mode.set(Mode::Pay(Bill::Existing(server)));
                        failed(e);
                    }
                },
                Ok(Placement::Queued) => mode.set(Mode::Done(Sold {
                    order_id: None,
                    number: order.number(),
                    change_minor: change,
                    offline: true,
                    fully_paid: true,
                })),
                Ok(Placement::Refused(problem)) => {
                    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
                    error.set(Some(refusal::reasons(&problem, &names, locale.get_untracked()).join(" · ")));
                    leptos::task::spawn_local(async move { sync.pull().await });
                    // Refused for want of a shift: the till asks for one.
                    shifts.refresh(me);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    // Pays an order already on the server.
    let pay_existing = move |order: Order, then_qris: bool| {
        let Some(me) = begin() else { return };
        let (_, payments) = tenders_in_shift();
        // What a QR code may still ask for after these: the rest of the part paid.
        let cap = part.get_untracked().map(|p| p - till::paid(&payments));
        let fully_paid = till::paid(&payments) >= order.total_minor - order.paid_minor;
        leptos::task::spawn_local(async move {
            match take_all(me.clone(), order.id, payments).await {
                Ok(change) if !then_qris => mode.set(Mode::Done(Sold {
                    order_id: Some(order.id),
                    number: Some(order.number.clone()),
                    change_minor: change,
                    offline: false,
                    fully_paid,
                })),
                Ok(_) => start_qris(&me, order.id, cap, qris, mode, connectivity).await,
                Err(e) => {
                    // Some may have gone through: pay what is left of the order as it is now.
                    if let Ok(current) = api::order(&me, order.id).await {
                        mode.set(Mode::Pay(Bill::Existing(Box::new(current))));
                    }
                    tenders.set(Vec::new());
                    failed(e);
                }
            }
            busy.set(false);
        });
    };
    // A discount needs the order on the server: the cart is placed first (unpaid).
    let discount_open = RwSignal::new(false);
    let place_for_discount = Callback::new(move |()| {
        let Some(me) = begin() else { return };
        let (queue, sync) = (queue.get_value(), sync.get_value());
        let shift_id = shifts.shift_id();
        leptos::task::spawn_local(async move {
            let lines = cart.get_untracked();
            let order = cart_order(&me, shift_id).await;
            match queue.place(order).await {
                Ok(Placement::Placed(server)) => mode.set(Mode::Pay(Bill::Existing(server))),
                Ok(Placement::Queued) => {
                    // No answer: it reaches the server through the queue, unpaid; pay it from the list.
                    discount_open.set(false);
                    new_sale();
                    error.set(Some(t(locale.get_untracked(), Text::SavedOffline).to_owned()));
                }
                Ok(Placement::Refused(problem)) => {
                    discount_open.set(false);
                    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
                    error.set(Some(refusal::reasons(&problem, &names, locale.get_untracked()).join(" · ")));
                    leptos::task::spawn_local(async move { sync.pull().await });
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    });
    // Sends the cart to the table it is for (a new check, or a round).
    let send_round = move || {
        let (Some(me), Some(to)) = (as_cashier(), seat.get_untracked()) else { return };
        if busy.get_untracked() || cart.with_untracked(Vec::is_empty) {
            return;
        }
        busy.set(true);
        error.set(None);
        let priced_from = sync.get_value().priced_from();
        leptos::task::spawn_local(async move {
            let (lines, line_notes) = (cart.get_untracked(), notes.get_untracked());
            let order_id = match send_cart(&me, &to, round_id.get_untracked(), &lines, &line_notes, priced_from).await {
                Ok(RoundSent::Sent { order_id }) => Some(order_id),
                Ok(RoundSent::Queued { order_id, rounds }) => {
                    queued_rounds.set(rounds);
                    Some(order_id)
                }
                Err(NotSent::Api(e)) => {
                    failed(e);
                    None
                }
                Err(NotSent::Storage(why)) => {
                    error.set(Some(why));
                    None
                }
            };
            if let Some(order_id) = order_id {
                cart.set(Vec::new());
                notes.set(HashMap::new());
                seat.set(None);
                round_id.set(Uuid::now_v7());
                floor_changed.update(|n| *n += 1);
                mode.set(Mode::Check(order_id));
            }
            busy.set(false);
        });
    };
    // The floor, loaded again whenever it is shown or a check changes.
    let floor_loads = StoredValue::new(0u64);
    Effect::new(move || {
        floor_changed.track();
        if !matches!(mode.get(), Mode::Floor | Mode::Check(_)) {
            return;
        }
        let Some(me) = as_cashier() else { return };
        // Only the latest load is shown (an older, slower answer would be stale).
        let seq = floor_loads.get_value() + 1;
        floor_loads.set_value(seq);
        leptos::task::spawn_local(async move {
            match load_floor(&me).await {
                Ok(f) if floor_loads.get_value() == seq => floor.set(Some(f)),
                Ok(_) => {}
                Err(e) => failed(e),
            }
        });
    });
    // Rounds taken offline go out in the order taken, each exactly once.
    let flushing = StoredValue::new(false);
    mounted::every(3_000, move || {
        if flushing.get_value()
            || queued_rounds.with_untracked(Vec::is_empty)
            || !connectivity.browser_online.get_untracked()
        {
            return;
        }
        flushing.set_value(true);
        let till = till_device.get_value();
        leptos::task::spawn_local(async move {
            let tables::Flushed { waiting, refused, opened } = tables::send_queued(&till).await;
            let landed = waiting.len() != queued_rounds.with_untracked(Vec::len);
            queued_rounds.set(waiting);
            // A check opened offline shown on screen: now the server's.
            for (client_id, server_id) in opened {
                if mode.get_untracked() == Mode::Check(client_id) {
                    mode.set(Mode::Check(server_id));
                }
            }
            if let Some((round, e)) = refused.last() {
                let why = tables_text::text(locale.get_untracked(), TableText::RoundRefused);
                error.set(Some(format!("{why} ({}): {}", round.label, e.message(locale.get_untracked()))));
            }
            if landed || !refused.is_empty() {
                floor_changed.update(|n| *n += 1);
            }
            flushing.set_value(false);
        });
    });

    let complete = Callback::new(move |then_qris: bool| match mode.get_untracked() {
        Mode::Pay(Bill::Existing(order)) => pay_existing(*order, then_qris),
        _ => sell(then_qris),
    });

    // The QR code's answers, countdown and checks.
    Effect::new(move || {
        let now = now.get();
        let mut ended = false;
        qris.update_untracked(|q| ended = q.as_mut().is_some_and(|q| q.tick(now)));
        if ended {
            qris.notify();
        }
    });
    mounted::every(QRIS_POLL_MS, move || {
        let Some(order_id) = qris.with_untracked(|q| q.as_ref().filter(|q| q.is_live()).map(|q| q.order_id)) else {
            return;
        };
        let Some(me) = as_cashier() else { return };
        leptos::task::spawn_local(async move {
            if let Ok(order) = api::order(&me, order_id).await {
                qris.update(|q| q.iter_mut().for_each(|q| q.follow_order(&order, clock::now_ms())));
            }
        });
    });
    Effect::new(move || {
        let paid = qris.with(|q| {
            q.as_ref().filter(|q| matches!(q.state, QrisState::Paid { .. })).map(|q| (q.order_id, q.number.clone()))
        });
        if let (Some((order_id, number)), Mode::Qris) = (paid, mode.get_untracked()) {
            mode.set(Mode::Done(Sold {
                order_id: Some(order_id),
                number: Some(number),
                change_minor: 0,
                offline: false,
                fully_paid: part.get_untracked().is_none(),
            }));
        }
    });

    let show_unpaid = move || {
        let Some(me) = as_cashier() else { return };
        unpaid.set(None);
        mode.set(Mode::Unpaid);
        leptos::task::spawn_local(async move {
            match api::recent_orders(&me, &till::recent_since()).await {
                Ok(orders) => {
                    let mut waiting: Vec<Order> = orders.into_iter().filter(awaits_payment).collect();
                    waiting.reverse();
                    unpaid.set(Some(waiting));
                }
                Err(e) => {
                    unpaid.set(Some(Vec::new()));
                    failed(e);
                }
            }
        });
    };
    let print = move |order_id: Uuid| {
        let Some(me) = as_cashier() else { return };
        leptos::task::spawn_local(async move {
            if let Err(e) = receipt::print(&me, order_id).await {
                failed(e);
            }
        });
    };

    // Keyboard: "/" searches, Escape clears the search.
    mounted::on_window(ev::keydown, move |e: ev::KeyboardEvent| {
        if mode.get_untracked() != Mode::Sell || cashier.with_untracked(Option::is_none) {
            return;
        }
        match e.key().as_str() {
            "/" if !typing(&e) => {
                e.prevent_default();
                focus("till-search");
            }
            "Escape" => query.set(String::new()),
            _ => {}
        }
    });

    let pick = Callback::new(move |id: Uuid| {
        let plain = menu.with(|m| m.item(id).map(|i| (i.modifier_groups.is_empty(), i.clone())));
        match plain {
            Some((true, item)) => cart.update(|lines| {
                cart::add_line(
                    lines,
                    CartLine {
                        key: Uuid::new_v4(),
                        item_id: item.id,
                        name: item.name.clone(),
                        options: vec![],
                        unit_price_minor: item.price_minor,
                        qty: 1,
                    },
                )
            }),
            Some((false, _)) => open_item.set(Some(id)),
            None => {}
        }
    });
    let results = move || {
        let q = query.get();
        let currency = currency.get();
        index.with(|index| {
            menu.with(|m| {
                index
                    .find(&q, SEARCH_LIMIT)
                    .into_iter()
                    .map(|(c, i)| view! { <MenuCard item=m.categories[c].items[i].clone() currency=currency.clone() on_pick=pick /> })
                    .collect_view()
            })
        })
    };
    let pending = queue.with_value(|q| q.pending);
    let cashier_name = move || cashier.with(|c| c.as_ref().map(|c| c.user.name.clone()).unwrap_or_default());

    let selling = move || {
        view! {
            <div class="till-order">
                <section class="till-catalogue">
                    <input
                        id="till-search"
                        class="till-search"
                        type="search"
                        autocomplete="off"
                        placeholder=move || t(locale.get(), Text::SearchItems)
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                        on:keydown=move |ev: ev::KeyboardEvent| {
                            if ev.key() == "Enter" {
                                // An exact code adds its item; else the first result.
                                let q = query.get_untracked();
                                let first = index.with(|i| i.exact_code(&q).or_else(|| i.find(&q, 1).first().copied()));
                                if let Some((c, i)) = first {
                                    pick.run(menu.with(|m| m.categories[c].items[i].id));
                                    query.set(String::new());
                                }
                            }
                        }
                    />
                    <Show
                        when=move || query.with(|q| !q.trim().is_empty())
                        fallback=move || view! { <MenuGrid menu on_pick=pick /> }
                    >
                        <div class="item-cards search-results">{results}</div>
                    </Show>
                </section>
                <aside class="till-cart">
                    <Show when=move || seat.with(Option::is_some)>
                        <RoundBar
                            seat
                            cart
                            notes
                            busy
                            error
                            on_send=Callback::new(move |()| send_round())
                            on_cancel=Callback::new(move |()| new_sale())
                        />
                    </Show>
                    <Show when=move || seat.with(Option::is_none)>
                        <SaleNotes cart notes />
                    </Show>
                    <div class="order-details">
                        <div class="seg" role="group">
                            <button type="button" aria-pressed=move || (!dine_in.get()).to_string() on:click=move |_| dine_in.set(false)>
                                {tr(Text::TakeAway)}
                            </button>
                            <button type="button" aria-pressed=move || dine_in.get().to_string() on:click=move |_| dine_in.set(true)>
                                {tr(Text::DineIn)}
                            </button>
                        </div>
                        <input
                            class="customer-name"
                            maxlength=move || if dine_in.get() { "20" } else { "60" }
                            placeholder=move || t(locale.get(), if dine_in.get() { Text::TableLabel } else { Text::CustomerName })
                            prop:value=move || customer.get()
                            on:input=move |ev| customer.set(event_target_value(&ev))
                        />
                    </div>
                    <CartDrawer
                        cart
                        menu
                        removed_notice
                        on_checkout=Callback::new(move |()| {
                            if seat.with_untracked(Option::is_some) {
                                send_round();
                                return;
                            }
                            tenders.set(Vec::new());
                            error.set(None);
                            mode.set(Mode::Pay(Bill::NewSale));
                        })
                        on_cancel=Callback::new(move |()| new_sale())
                    />
                </aside>
            </div>
        }
    };

    let main = move || {
        if cashier.with(Option::is_none) {
            return view! { <CashierSignIn device=till_device.get_value() on_signed_in=signed_in /> }.into_any();
        }
        match mode.get() {
            // Selling needs an open shift: open it first.
            Mode::Sell if shifts.selling_blocked() => view! { <ShiftPanel shifts currency me=shift_cashier /> }.into_any(),
            Mode::Sell => view! { <ShiftBar shifts currency me=shift_cashier /> {selling()} }.into_any(),
            Mode::Pay(bill) => {
                let on_server = match bill {
                    Bill::Existing(order) => Some(*order),
                    Bill::NewSale => None,
                };
                view! {
                    <DiscountPanel
                        open=discount_open
                        order=Signal::derive(move || on_server.clone())
                        currency
                        online
                        paying=Signal::derive(move || tenders.with(|t| !t.is_empty()))
                        till=till_device.get_value()
                        me=shift_cashier
                        on_need_order=place_for_discount
                        on_discounted=Callback::new(move |order: Order| {
                            tenders.set(Vec::new());
                            mode.set(Mode::Pay(Bill::Existing(Box::new(order))));
                        })
                        offline_sale
                    />
                    <PaymentPanel
                        total=bill_total
                        currency
                        step
                        tenders
                        online
                        busy
                        error
                        on_complete=Callback::new(move |()| complete.run(false))
                        on_qris=Callback::new(move |()| complete.run(true))
                        on_back=Callback::new(move |()| {
                            tenders.set(Vec::new());
                            error.set(None);
                            part.set(None);
                            mode.set(Mode::Sell);
                        })
                    />
                }
                .into_any()
            }
            Mode::Qris => view! {
                <QrisPayment
                    qris
                    now
                    on_retry=Callback::new(move |()| {
                        let Some(me) = as_cashier() else { return };
                        let Some(order_id) = qris.with_untracked(|q| q.as_ref().map(|q| q.order_id)) else { return };
                        let cap = part.get_untracked().map(|p| p - till::paid(&tenders.get_untracked()));
                        leptos::task::spawn_local(async move { start_qris(&me, order_id, cap, qris, mode, connectivity).await });
                    })
                    on_counter=Callback::new(move |()| {
                        let Some(me) = as_cashier() else { return };
                        let Some(order_id) = qris.with_untracked(|q| q.as_ref().map(|q| q.order_id)) else { return };
                        leptos::task::spawn_local(async move {
                            if let Ok(order) = api::order(&me, order_id).await {
                                tenders.set(Vec::new());
                                mode.set(Mode::Pay(Bill::Existing(Box::new(order))));
                            }
                        });
                    })
                />
            }
            .into_any(),
            Mode::Done(sold) => {
                let order_id = sold.order_id;
                // The receipt can be mailed once the server has the order fully paid.
                let mailable = order_id.filter(|_| sold.fully_paid && !sold.offline).zip(as_cashier());
                let currency = currency.get_untracked();
                view! {
                    <section class="sale-done" data-offline=sold.offline.to_string()>
                        <h2>{tr(Text::SaleComplete)}</h2>
                        <p class="sale-number">{sold.number.clone().unwrap_or_default()}</p>
                        <p class="change-due" data-minor=sold.change_minor.to_string()>
                            {tr(Text::ChangeDue)} " " <strong>{move || crate::money::format_money(sold.change_minor, &currency)}</strong>
                        </p>
                        <Show when=move || sold.offline>
                            <p class="muted">{tr(Text::SavedOffline)}</p>
                        </Show>
                        <div class="payment-actions">
                            {order_id.map(|id| view! {
                                <button type="button" class="print-receipt" on:click=move |_| print(id)>{tr(Text::PrintReceipt)}</button>
                            })}
                            <button type="button" class="primary new-sale" autofocus on:click=move |_| new_sale()>
                                {tr(Text::NewSale)}
                            </button>
                        </div>
                        {mailable.map(|(order_id, me)| view! {
                            <ReceiptEmailForm device=me order_id online=connectivity.browser_online />
                        })}
                        <p class="field-error">{move || error.get()}</p>
                    </section>
                }
                .into_any()
            }
            Mode::Floor => view! {
                <FloorView
                    floor
                    now
                    currency
                    queued=queued_rounds
                    on_table=Callback::new(move |t: tables::FloorTable| match t.table.open_check_id.or_else(|| {
                        // Opened offline, not on the server yet.
                        queued_rounds.with_untracked(|q| q.iter().find(|r| r.opens_table == Some(t.table.id)).map(|r| r.order_id))
                    }) {
                        Some(order_id) => mode.set(Mode::Check(order_id)),
                        None => {
                            cart.set(Vec::new());
                            notes.set(HashMap::new());
                            error.set(None);
                            round_id.set(Uuid::now_v7());
                            seat.set(Some(Seat::NewCheck { table_id: t.table.id, label: t.table.label.clone(), guests: 1 }));
                            mode.set(Mode::Sell);
                        }
                    })
                />
            }
            .into_any(),
            Mode::Check(order_id) => view! {
                <CheckPanel
                    order_id
                    me=Callback::new(move |()| as_cashier())
                    floor
                    queued=queued_rounds
                    reload=floor_changed
                    on_add_round=Callback::new(move |to: Seat| {
                        cart.set(Vec::new());
                        notes.set(HashMap::new());
                        error.set(None);
                        round_id.set(Uuid::now_v7());
                        seat.set(Some(to));
                        mode.set(Mode::Sell);
                    })
                    on_pay=Callback::new(move |order: Order| {
                        tenders.set(Vec::new());
                        error.set(None);
                        part.set(None);
                        mode.set(Mode::Pay(Bill::Existing(Box::new(order))));
                    })
                    on_pay_part=Callback::new(move |(order, share): (Order, i64)| {
                        tenders.set(Vec::new());
                        error.set(None);
                        part.set(Some(share));
                        mode.set(Mode::Pay(Bill::Existing(Box::new(order))));
                    })
                    on_changed=Callback::new(move |()| floor_changed.update(|n| *n += 1))
                    on_back=Callback::new(move |()| mode.set(Mode::Floor))
                />
            }
            .into_any(),
            Mode::Unpaid => view! {
                <UnpaidOrders
                    orders=unpaid
                    on_pay=Callback::new(move |order: Order| {
                        tenders.set(Vec::new());
                        error.set(None);
                        part.set(None);
                        mode.set(Mode::Pay(Bill::Existing(Box::new(order))));
                    })
                    on_close=Callback::new(move |()| mode.set(Mode::Sell))
                />
            }
            .into_any(),
        }
    };

    view! {
        <div class="app till">
            <header class="top-bar">
                <h1>{move || menu.with(|m| m.outlet.as_ref().map(|o| o.name.clone())).unwrap_or_else(|| t(locale.get(), Text::TillTitle).to_owned())}</h1>
                <div class="top-actions">
                    <ConnectionBadge connectivity pending />
                    <Show when=move || cashier.with(Option::is_some)>
                        <span class="cashier-name">{cashier_name}</span>
                        <button type="button" class="unpaid-button" on:click=move |_| show_unpaid()>{tr(Text::UnpaidOrders)}</button>
                        <button type="button" class="tables-button" on:click=move |_| mode.set(Mode::Floor)>{tt(TableText::Tables)}</button>
                        <button type="button" class="counter-button" on:click=move |_| {
                            // Back to selling at the counter (the cart stays; it is no longer for a table).
                            seat.set(None);
                            mode.set(Mode::Sell);
                        }>{tt(TableText::CounterSale)}</button>
                        <button type="button" class="switch-cashier" on:click=move |_| switch_cashier()>{tr(Text::SwitchCashier)}</button>
                        <button type="button" class="sign-out" on:click=move |_| sign_out()>{tr(Text::SignOut)}</button>
                    </Show>
                    <LanguageSwitch />
                </div>
            </header>
            <main class="till-main">{main}</main>
            <OpenItemSheet open_item menu cart />
        </div>
    }
}

/// Asks the server for a QR code for what is left of `order_id` (at most
/// `cap`: a part of an even split) and shows it.
async fn start_qris(
    me: &PairedDevice,
    order_id: Uuid,
    cap: Option<i64>,
    qris: RwSignal<Option<QrisCheckout>>,
    mode: RwSignal<Mode>,
    connectivity: Connectivity,
) {
    let order = match api::order(me, order_id).await {
        Ok(order) => order,
        Err(_) => return,
    };
    let mut checkout = QrisCheckout::start(&order);
    if let Some(cap) = cap {
        checkout.amount_minor = checkout.amount_minor.min(cap.max(1));
    }
    let (key, amount) = (checkout.client_payment_id, checkout.amount_minor);
    qris.set(Some(checkout));
    mode.set(Mode::Qris);
    let answer = api::pay_by_qris(me, order_id, key, amount).await;
    connectivity.report(&answer);
    qris.update(|q| {
        if let Some(q) = q.as_mut().filter(|q| q.client_payment_id == key) {
            q.answered(answer.as_ref(), clock::now_ms());
        }
    });
}

/// Whether the key went to a text field (then "/" is typed, not a shortcut).
fn typing(e: &ev::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document().get_element_by_id(id).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
