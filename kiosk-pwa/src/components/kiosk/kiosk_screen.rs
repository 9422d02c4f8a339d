use leptos::{ev, prelude::*};
use pos_wire::{KitchenRelease, PairedDevice};
use uuid::Uuid;

use super::{
    CartDrawer, CheckoutForm, IdleWarning, MenuGrid, OpenItemSheet, OrderConfirmation, QrisPayment, SetPinScreen,
    StaffPanel, SyncProgressBar, WelcomeScreen,
};
use crate::{
    api,
    cart::{CartLine, Checkout, PickupBy},
    clock,
    components::{ConnectionBadge, LanguageSwitch},
    confirmation::Confirmation,
    events::{LinkState, LiveEvent, LiveStream},
    i18n::{Text, t},
    locale::{tr, use_locale},
    menu::MenuSync,
    mounted,
    net::Connectivity,
    payment::{self, Ended, PayChoice, QrisCheckout},
    queue::{OrderQueue, Placement, QueuedOrder},
    refusal, storage,
};

/// Back to the welcome screen after this long without a touch.
const IDLE_MS: f64 = 90_000.0;
/// ... or this long on the confirmation.
const CONFIRMATION_IDLE_MS: f64 = 60_000.0;
/// The "still there?" warning shows for the last part of the wait.
pub const IDLE_WARNING_MS: f64 = 15_000.0;
/// While a QR code is shown and the live stream is down, the order is
/// asked about this often (a payment must not go unnoticed).
const QRIS_POLL_MS: u32 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskStep {
    Welcome,
    Menu,
    Checkout,
    /// Paying by QRIS (the order is placed).
    Payment,
    Confirmation,
}

impl KioskStep {
    /// How long the kiosk waits untouched on this step before starting over.
    fn idle_limit_ms(self) -> f64 {
        match self {
            KioskStep::Welcome => f64::INFINITY,
            // While a QR code is live the kiosk waits for it (see the idle check).
            KioskStep::Confirmation | KioskStep::Payment => CONFIRMATION_IDLE_MS,
            KioskStep::Menu | KioskStep::Checkout => IDLE_MS,
        }
    }
}

/// The self-ordering kiosk: welcome, menu, cart, checkout and confirmation,
/// with the menu cache, the order queue and the live stream running behind.
#[component]
pub fn KioskScreen(device: PairedDevice, on_unpaired: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let connectivity = Connectivity::new();
    let has_pin = RwSignal::new(storage::has_staff_pin());
    let step = RwSignal::new(KioskStep::Welcome);
    let cart = RwSignal::new(Vec::<CartLine>::new());
    let removed_notice = RwSignal::new(Vec::<String>::new());
    let confirmation = RwSignal::new(None::<Confirmation>);
    let open_item = RwSignal::new(None::<Uuid>);
    let staff_open = RwSignal::new(false);
    let placing = RwSignal::new(false);
    let place_failed = RwSignal::new(false);
    // Why the server just refused the order, while the customer fixes it.
    let refused = RwSignal::new(Vec::<String>::new());
    let pay_by = RwSignal::new(PayChoice::Counter);
    // The customer's QRIS payment of the order just placed.
    let qris = RwSignal::new(None::<QrisCheckout>);
    // The server said it has no payment gateway: QRIS is not offered until then.
    let gateway_down_until = RwSignal::new(None::<f64>);
    let last_touch = RwSignal::new(clock::now_ms());
    let now = mounted::ticking_now();

    let sync = MenuSync::new(device.clone(), connectivity);
    let menu = sync.menu;
    let queue = OrderQueue::new(device.clone(), connectivity, move |order: &QueuedOrder| {
        confirmation.update(|c| c.iter_mut().for_each(|c| c.follow_delivery(order)));
    });

    let sync_for_events = sync.clone();
    let own_id = device.device_id;
    let on_event = move |event: LiveEvent| match event {
        LiveEvent::OrderCreated(order) | LiveEvent::OrderStatusChanged(order) => {
            confirmation.update(|c| c.iter_mut().for_each(|c| c.follow_order(&order)))
        }
        LiveEvent::MenuChanged | LiveEvent::Reset => {
            let sync = sync_for_events.clone();
            leptos::task::spawn_local(async move { sync.pull().await });
        }
        LiveEvent::PaymentUpdated(update) => {
            confirmation.update(|c| c.iter_mut().for_each(|c| c.follow_payment(&update)));
            qris.update(|q| q.iter_mut().for_each(|q| q.follow_payment(&update.payment, clock::now_ms())));
        }
        LiveEvent::OrderPaid(paid) => {
            confirmation.update(|c| c.iter_mut().for_each(|c| c.follow_paid(&paid)));
            qris.update(|q| q.iter_mut().for_each(|q| q.follow_paid(&paid)));
        }
        LiveEvent::DeviceRevoked(id) if id == own_id => on_unpaired.run(()),
        _ => {}
    };
    let sync_for_open = sync.clone();
    let device_for_open = device.clone();
    // The order shown, as the server has it now (its state and its payments).
    let reload_order = move |device: PairedDevice| {
        leptos::task::spawn_local(async move {
            let Some(order_id) = confirmation.with_untracked(|c| c.as_ref().and_then(|c| c.order_id)) else { return };
            if let Ok(order) = api::order(&device, order_id).await {
                confirmation.update(|c| c.iter_mut().for_each(|c| c.follow_order(&order)));
                qris.update(|q| q.iter_mut().for_each(|q| q.follow_order(&order, clock::now_ms())));
            }
        });
    };
    // On every (re)connection: catch up on the menu and on the order shown.
    let on_open = move || {
        let sync = sync_for_open.clone();
        leptos::task::spawn_local(async move { sync.pull().await });
        reload_order(device_for_open.clone());
    };
    let stream = LiveStream::connect(device.clone(), on_event, on_open);
    crate::behind::run(connectivity, &sync, &queue, &stream, cart, removed_notice, on_unpaired);
    // A QR code on screen and no live stream to say it was paid: ask.
    let (link, device_for_poll) = (stream.state, device.clone());
    mounted::every(QRIS_POLL_MS, move || {
        let live = qris.with_untracked(|q| q.as_ref().is_some_and(QrisCheckout::is_live));
        if live && link.get_untracked() != LinkState::Open && connectivity.browser_online.get_untracked() {
            reload_order(device_for_poll.clone());
        }
    });

    let start_over = move || {
        cart.set(Vec::new());
        qris.set(None);
        pay_by.set(PayChoice::Counter);
        removed_notice.set(Vec::new());
        open_item.set(None);
        place_failed.set(false);
        refused.set(Vec::new());
        step.set(KioskStep::Welcome);
        crate::pwa::reload_if_updated();
    };

    // Left alone too long (and staff not at the panel, and no QR code
    // waiting to be paid): start over.
    Effect::new(move || {
        let idle_for = now.get() - last_touch.get_untracked();
        let waiting_for_qris = qris.with_untracked(|q| q.as_ref().is_some_and(QrisCheckout::is_live));
        if idle_for > step.get_untracked().idle_limit_ms() && !staff_open.get_untracked() && !waiting_for_qris {
            start_over();
        }
    });

    // The QR code's countdown; at zero the server is asked (paid at the last second?).
    let device_for_tick = device.clone();
    Effect::new(move || {
        let now = now.get();
        let mut ended = false;
        qris.update_untracked(|q| ended = q.as_mut().is_some_and(|q| q.tick(now)));
        if ended {
            qris.notify();
            reload_order(device_for_tick.clone());
        }
    });
    // A QR code that stops being payable: the idle timer counts from then.
    let qris_live = Memo::new(move |_| qris.with(|q| q.as_ref().is_some_and(QrisCheckout::is_live)));
    Effect::new(move |was_live: Option<bool>| {
        let live = qris_live.get();
        if was_live == Some(true) && !live {
            last_touch.set(clock::now_ms());
        }
        live
    });
    // Paid: the confirmation says so (the customer goes nowhere else).
    Effect::new(move || {
        let receipt_number = qris.with(|q| match q.as_ref().map(|q| &q.state) {
            Some(payment::QrisState::Paid { receipt_number }) => Some(*receipt_number),
            _ => None,
        });
        let Some(receipt_number) = receipt_number else { return };
        confirmation.update(|c| c.iter_mut().for_each(|c| c.settled(receipt_number)));
        if step.get_untracked() == KioskStep::Payment {
            last_touch.set(clock::now_ms());
            step.set(KioskStep::Confirmation);
        }
    });

    // Asks the server for the QR code (again, after "try again").
    let device_for_qris = device.clone();
    let request_qr = move || {
        let Some((order_id, key, amount)) =
            qris.with_untracked(|q| q.as_ref().map(|q| (q.order_id, q.client_payment_id, q.amount_minor)))
        else {
            return;
        };
        let device = device_for_qris.clone();
        leptos::task::spawn_local(async move {
            let answer = api::pay_by_qris(&device, order_id, key, amount).await;
            connectivity.report(&answer);
            qris.update(|q| {
                // Unless the customer started over meanwhile.
                if let Some(q) = q.as_mut().filter(|q| q.client_payment_id == key) {
                    q.answered(answer.as_ref(), clock::now_ms());
                }
            });
            if qris.with_untracked(|q| q.as_ref().and_then(QrisCheckout::ended)) == Some(Ended::Unavailable) {
                gateway_down_until.set(Some(clock::now_ms() + payment::GATEWAY_DOWN_MS));
            }
            if answer.is_err() {
                // Perhaps paid already (a 409), or made after all: the server knows.
                reload_order(device);
            }
        });
    };
    let request_qr = StoredValue::new_local(request_qr);
    let device_for_receipt = StoredValue::new(device.clone());
    let touch = move || last_touch.set(clock::now_ms());
    mounted::on_window(ev::pointerdown, move |_| touch());
    mounted::on_window(ev::keydown, move |_| touch());

    let queue = StoredValue::new_local(queue);
    let sync = StoredValue::new_local(sync);
    let online = Signal::derive(move || connectivity.online());
    let qris_offered = Signal::derive(move || payment::qris_offered(online.get(), gateway_down_until.get(), now.get()));
    let cash_rounding_step =
        Signal::derive(move || menu.with(|m| m.outlet.as_ref().map_or(1, |o| o.cash_rounding_step)));
    let kitchen_after_payment = Signal::derive(move || {
        menu.with(|m| m.outlet.as_ref().is_some_and(|o| o.kitchen_release == KitchenRelease::OnPaid))
    });
    let place_order = Callback::new(move |pickup: PickupBy| {
        if placing.get_untracked() {
            return;
        }
        placing.set(true);
        place_failed.set(false);
        refused.set(Vec::new());
        let choice = if qris_offered.get_untracked() { pay_by.get_untracked() } else { PayChoice::Counter };
        let (queue, sync) = (queue.get_value(), sync.get_value());
        leptos::task::spawn_local(async move {
            let (lines, menu) = (cart.get_untracked(), menu.get_untracked());
            let priced_from = sync.priced_from();
            let checkout = Checkout {
                lines: &lines,
                menu: &menu,
                pickup: &pickup,
                priced_from: priced_from.as_deref(),
                channel: pos_wire::Channel::Kiosk,
            };
            match queue.place_checkout(&checkout).await {
                Ok((_, Placement::Refused(problem))) => {
                    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
                    refused.set(refusal::reasons(&problem, &names, locale.get_untracked()));
                    // The cart follows the menu as it is now (sold-out lines go, prices update).
                    leptos::task::spawn_local(async move { sync.pull().await });
                }
                Ok((order, placement)) => {
                    let mut shown = Confirmation::placed(&order, &placement);
                    cart.set(Vec::new());
                    last_touch.set(clock::now_ms());
                    match (choice, placement) {
                        (PayChoice::Qris, Placement::Placed(server)) => {
                            qris.set(Some(QrisCheckout::start(&server)));
                            confirmation.set(Some(shown));
                            step.set(KioskStep::Payment);
                            request_qr.with_value(|request| request());
                        }
                        (choice, _) => {
                            // Saved on the kiosk only: QRIS has no order to pay yet.
                            if choice == PayChoice::Qris {
                                shown.qris_ended = Some(Ended::NotPlaced);
                            }
                            confirmation.set(Some(shown));
                            step.set(KioskStep::Confirmation);
                        }
                    }
                }
                Err(e) => {
                    leptos::logging::error!("order not saved: {e}");
                    place_failed.set(true);
                }
            }
            placing.set(false);
        });
    });

    let outlet_name = move || menu.with(|m| m.outlet.as_ref().map(|o| o.name.clone()));
    let attention_count = Signal::derive(move || queue.with_value(|q| q.attention).get().len());
    let pending = queue.with_value(|q| q.pending);
    let progress = sync.with_value(|s| s.progress);

    view! {
        <div class="app kiosk">
            <header class="top-bar">
                <h1>{move || outlet_name().unwrap_or_else(|| t(locale.get(), Text::KioskTitle).to_owned())}</h1>
                <div class="top-actions">
                    <ConnectionBadge connectivity pending />
                    <LanguageSwitch />
                    <Show when=move || has_pin.get()>
                        <button
                            type="button"
                            class="staff-button"
                            class:alerting=move || { attention_count.get() > 0 }
                            on:click=move |_| staff_open.set(true)
                        >
                            {tr(Text::Staff)}
                            <Show when=move || { attention_count.get() > 0 }>
                                <span class="badge">{move || attention_count.get()}</span>
                            </Show>
                        </button>
                    </Show>
                </div>
            </header>
            <SyncProgressBar progress />
            <main class="kiosk-main">
                {move || {
                    if !has_pin.get() {
                        return view! { <SetPinScreen on_done=Callback::new(move |()| has_pin.set(true)) /> }
                            .into_any();
                    }
                    match step.get() {
                        KioskStep::Welcome => {
                            view! {
                                <WelcomeScreen
                                    menu
                                    ready=sync.with_value(|s| s.ready)
                                    on_start=Callback::new(move |()| step.set(KioskStep::Menu))
                                />
                            }
                                .into_any()
                        }
                        KioskStep::Menu => {
                            view! {
                                <div class="ordering">
                                    <MenuGrid menu on_pick=Callback::new(move |id| open_item.set(Some(id))) />
                                    <CartDrawer
                                        cart
                                        menu
                                        removed_notice
                                        on_checkout=Callback::new(move |()| step.set(KioskStep::Checkout))
                                        on_cancel=Callback::new(move |()| start_over())
                                    />
                                </div>
                            }
                                .into_any()
                        }
                        KioskStep::Checkout => {
                            view! {
                                <CheckoutForm
                                    cart
                                    menu
                                    placing
                                    failed=place_failed
                                    refused
                                    qris_offered
                                    online
                                    pay_by
                                    on_place=place_order
                                    on_back=Callback::new(move |()| {
                                        refused.set(Vec::new());
                                        step.set(KioskStep::Menu);
                                    })
                                />
                            }
                                .into_any()
                        }
                        KioskStep::Payment => {
                            view! {
                                <QrisPayment
                                    qris
                                    now
                                    on_retry=Callback::new(move |()| {
                                        qris.update(|q| q.iter_mut().for_each(QrisCheckout::retry));
                                        request_qr.with_value(|request| request());
                                    })
                                    on_counter=Callback::new(move |()| {
                                        let why = qris.with_untracked(|q| q.as_ref().and_then(QrisCheckout::ended));
                                        confirmation.update(|c| c.iter_mut().for_each(|c| c.qris_ended = why));
                                        last_touch.set(clock::now_ms());
                                        step.set(KioskStep::Confirmation);
                                    })
                                />
                            }
                                .into_any()
                        }
                        KioskStep::Confirmation => {
                            view! {
                                <OrderConfirmation
                                    confirmation
                                    kitchen_after_payment
                                    cash_rounding_step
                                    device=device_for_receipt.get_value()
                                    online=connectivity.browser_online
                                    on_done=Callback::new(move |()| start_over())
                                />
                            }
                                .into_any()
                        }
                    }
                }}
            </main>
            <OpenItemSheet open_item menu cart />
            <Show when=move || staff_open.get()>
                <StaffPanel
                    queue
                    sync
                    on_close=Callback::new(move |()| staff_open.set(false))
                    on_unpair=on_unpaired
                    on_change_pin=Callback::new(move |()| {
                        staff_open.set(false);
                        has_pin.set(false);
                    })
                />
            </Show>
            <IdleWarning
                step
                last_touch
                now
                limit_ms=IDLE_MS
                on_stay=Callback::new(move |()| last_touch.set(clock::now_ms()))
            />
        </div>
    }
}
