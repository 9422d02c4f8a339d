use std::time::Duration;

use leptos::{ev, prelude::*};
use pos_wire::{Order, OrderStatus, PairedDevice};
use uuid::Uuid;

use super::{
    CartDrawer, CheckoutForm, IdleWarning, ItemSheet, MenuGrid, OrderConfirmation, SetPinScreen, StaffPanel,
    SyncProgressBar, WelcomeScreen,
};
use crate::{
    api,
    cart::{self, CartLine, PickupBy},
    clock,
    components::{ConnectionBadge, LanguageSwitch},
    events::{LiveEvent, LiveStream},
    i18n::{Locale, Text, t},
    menu::MenuSync,
    money,
    net::Connectivity,
    queue::{Delivery, OrderQueue, Placement, QueuedOrder},
    refusal, storage,
};

/// Back to the welcome screen after this long without a touch.
const IDLE_MS: f64 = 90_000.0;
/// ... or this long on the confirmation.
const CONFIRMATION_IDLE_MS: f64 = 60_000.0;
/// The "still there?" warning shows for the last part of the wait.
pub const IDLE_WARNING_MS: f64 = 15_000.0;
/// Re-pull the menu this often while online (events make it quicker).
const MENU_POLL_MS: u64 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KioskStep {
    Welcome,
    Menu,
    Checkout,
    Confirmation,
}

/// The order just placed, as the confirmation follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirmation {
    pub client_order_id: Uuid,
    pub number: Option<String>,
    pub order_id: Option<Uuid>,
    pub delivery: Delivery,
    pub status: Option<OrderStatus>,
    pub total_minor: i64,
    pub currency: String,
    /// The server's `updated_at` of the newest state followed: an older
    /// answer (a reload racing a live event) never takes the screen back.
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Confirmation {
    fn follow_order(&mut self, order: &Order) {
        if self.updated_at.is_some_and(|seen| order.updated_at < seen) {
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
    }
}

/// The self-ordering kiosk: welcome, menu, cart, checkout and confirmation,
/// with the menu cache, the order queue and the live stream running behind.
#[component]
pub fn KioskScreen(device: PairedDevice, locale: RwSignal<Locale>, on_unpaired: Callback<()>) -> impl IntoView {
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
    let last_touch = RwSignal::new(clock::now_ms());
    let now = RwSignal::new(clock::now_ms());

    let sync = MenuSync::new(device.clone(), connectivity);
    let menu = sync.menu;
    let queue = OrderQueue::new(device.clone(), connectivity, move |order: &QueuedOrder| {
        confirmation.update(|c| {
            if let Some(c) = c.as_mut().filter(|c| c.client_order_id == order.client_order_id) {
                c.delivery = order.state;
                // On a conflict the server's order is another one: do not follow it.
                if let Some(server) = order.order.as_ref().filter(|_| order.state == Delivery::Confirmed) {
                    c.follow_order(server);
                }
            }
        });
    });

    let sync_for_events = sync.clone();
    let own_id = device.device_id;
    let on_event = move |event: LiveEvent| match event {
        LiveEvent::OrderCreated(order) | LiveEvent::OrderStatusChanged(order) => confirmation.update(|c| {
            if let Some(c) = c.as_mut().filter(|c| c.client_order_id == order.client_order_id) {
                c.follow_order(&order);
            }
        }),
        LiveEvent::MenuChanged | LiveEvent::Reset => {
            let sync = sync_for_events.clone();
            leptos::task::spawn_local(async move { sync.pull().await });
        }
        LiveEvent::DeviceRevoked(id) if id == own_id => on_unpaired.run(()),
        _ => {}
    };
    let sync_for_open = sync.clone();
    let device_for_open = device.clone();
    // On every (re)connection: catch up on the menu and on the order shown.
    let on_open = move || {
        let sync = sync_for_open.clone();
        let device = device_for_open.clone();
        leptos::task::spawn_local(async move {
            sync.pull().await;
            let Some(order_id) = confirmation.with_untracked(|c| c.as_ref().and_then(|c| c.order_id)) else { return };
            if let Ok(order) = api::order(&device, order_id).await {
                confirmation.update(|c| {
                    if let Some(c) = c.as_mut().filter(|c| c.order_id == Some(order.id)) {
                        c.follow_order(&order);
                    }
                });
            }
        });
    };
    let stream = LiveStream::connect(device.clone(), on_event, on_open);
    queue.start();
    {
        let sync = sync.clone();
        leptos::task::spawn_local(async move { sync.start().await });
    }

    // Revoked (seen by any of the three): back to pairing.
    let (sync_revoked, queue_revoked) = (sync.revoked, queue.revoked);
    Effect::new(move || {
        if sync_revoked.get() || queue_revoked.get() {
            on_unpaired.run(());
        }
    });

    // A sold-out item leaves the cart at once, and the customer is told.
    Effect::new(move || {
        let menu = menu.get();
        if menu.is_empty() && menu.outlet.is_none() {
            return;
        }
        let mut removed = Vec::new();
        cart.update(|lines| removed = cart::follow_menu(lines, &menu));
        if !removed.is_empty() {
            removed_notice.set(removed);
        }
    });

    let start_over = move || {
        cart.set(Vec::new());
        removed_notice.set(Vec::new());
        open_item.set(None);
        place_failed.set(false);
        refused.set(Vec::new());
        step.set(KioskStep::Welcome);
        crate::pwa::reload_if_updated();
    };

    // Background rhythm: the clock for timers and idle, the menu poll.
    let tick = set_interval_with_handle(
        move || {
            let t = clock::now_ms();
            now.set(t);
            let idle_for = t - last_touch.get_untracked();
            let limit = match step.get_untracked() {
                KioskStep::Welcome => f64::INFINITY,
                KioskStep::Confirmation => CONFIRMATION_IDLE_MS,
                KioskStep::Menu | KioskStep::Checkout => IDLE_MS,
            };
            if idle_for > limit && !staff_open.get_untracked() {
                start_over();
            }
        },
        Duration::from_secs(1),
    );
    let sync_for_poll = sync.clone();
    let poll = set_interval_with_handle(
        move || {
            if connectivity.browser_online.get_untracked() {
                let sync = sync_for_poll.clone();
                leptos::task::spawn_local(async move { sync.pull().await });
            } else {
                sync_for_poll.publish();
            }
        },
        Duration::from_millis(MENU_POLL_MS),
    );
    let touch = move || last_touch.set(clock::now_ms());
    let touches = window_event_listener(ev::pointerdown, move |_| touch());
    let keys = window_event_listener(ev::keydown, move |_| touch());
    let (queue_for_online, stream_for_online, sync_for_online) = (queue.clone(), stream.clone(), sync.clone());
    let online = window_event_listener(ev::online, move |_| {
        connectivity.browser_online.set(true);
        queue_for_online.send_now();
        stream_for_online.reconnect_now();
        let sync = sync_for_online.clone();
        leptos::task::spawn_local(async move { sync.pull().await });
    });
    let stream_for_offline = stream.clone();
    let offline = window_event_listener(ev::offline, move |_| {
        connectivity.browser_online.set(false);
        stream_for_offline.went_offline();
    });
    let stream_for_cleanup = StoredValue::new_local(stream.clone());
    on_cleanup(move || {
        if let Ok(h) = tick {
            h.clear();
        }
        if let Ok(h) = poll {
            h.clear();
        }
        touches.remove();
        keys.remove();
        online.remove();
        offline.remove();
        stream_for_cleanup.with_value(LiveStream::stop);
    });

    let queue = StoredValue::new_local(queue);
    let sync = StoredValue::new_local(sync);
    let prefix = device.number_prefix.clone();
    let outlet_id = device.outlet_id;
    let place_order = Callback::new(move |pickup: PickupBy| {
        if placing.get_untracked() {
            return;
        }
        placing.set(true);
        place_failed.set(false);
        refused.set(Vec::new());
        let queue = queue.get_value();
        let sync = sync.get_value();
        let prefix = prefix.clone();
        leptos::task::spawn_local(async move {
            let lines = cart.get_untracked();
            let menu = menu.get_untracked();
            let number = match prefix.as_deref() {
                Some(prefix) => queue.next_number(prefix).await,
                None => None,
            };
            let client_order_id = Uuid::now_v7();
            let body =
                cart::order_body(client_order_id, outlet_id, number.clone(), &pickup, &lines, sync.priced_from());
            let (sc, tax) = menu.outlet.as_ref().map_or((0, 0), |o| (o.service_charge_bp, o.tax_rate_bp));
            let total = money::totals(cart::subtotal(&lines), sc, tax).total_minor;
            let queued = QueuedOrder {
                client_order_id,
                state: Delivery::Pending,
                body,
                shown_total_minor: total,
                currency: menu.currency.clone(),
                queued_at_ms: clock::now_ms(),
                attempts: 0,
                order: None,
                outcome: None,
                problem: None,
            };
            let mut shown = Confirmation {
                client_order_id,
                number,
                order_id: None,
                delivery: Delivery::Pending,
                status: None,
                total_minor: total,
                currency: menu.currency,
                updated_at: None,
            };
            match queue.place(queued).await {
                Ok(Placement::Refused(problem)) => {
                    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
                    refused.set(refusal::reasons(&problem, &names, locale.get_untracked()));
                    // The cart follows the menu as it is now (sold-out lines go, prices update).
                    leptos::task::spawn_local(async move { sync.pull().await });
                }
                Ok(placement) => {
                    if let Placement::Placed(order) = &placement {
                        shown.delivery = Delivery::Confirmed;
                        shown.follow_order(order);
                    }
                    confirmation.set(Some(shown));
                    cart.set(Vec::new());
                    last_touch.set(clock::now_ms());
                    step.set(KioskStep::Confirmation);
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
                    <ConnectionBadge connectivity pending locale />
                    <LanguageSwitch locale />
                    <Show when=move || has_pin.get()>
                        <button
                            type="button"
                            class="staff-button"
                            class:alerting=move || { attention_count.get() > 0 }
                            on:click=move |_| staff_open.set(true)
                        >
                            {move || t(locale.get(), Text::Staff)}
                            <Show when=move || { attention_count.get() > 0 }>
                                <span class="badge">{move || attention_count.get()}</span>
                            </Show>
                        </button>
                    </Show>
                </div>
            </header>
            <SyncProgressBar progress locale />
            <main class="kiosk-main">
                {move || {
                    if !has_pin.get() {
                        return view! { <SetPinScreen locale on_done=Callback::new(move |()| has_pin.set(true)) /> }
                            .into_any();
                    }
                    match step.get() {
                        KioskStep::Welcome => {
                            view! {
                                <WelcomeScreen
                                    menu
                                    ready=sync.with_value(|s| s.ready)
                                    locale
                                    on_start=Callback::new(move |()| step.set(KioskStep::Menu))
                                />
                            }
                                .into_any()
                        }
                        KioskStep::Menu => {
                            view! {
                                <div class="ordering">
                                    <MenuGrid menu locale on_pick=Callback::new(move |id| open_item.set(Some(id))) />
                                    <CartDrawer
                                        cart
                                        menu
                                        removed_notice
                                        locale
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
                                    locale
                                    placing
                                    failed=place_failed
                                    refused
                                    on_place=place_order
                                    on_back=Callback::new(move |()| {
                                        refused.set(Vec::new());
                                        step.set(KioskStep::Menu);
                                    })
                                />
                            }
                                .into_any()
                        }
                        KioskStep::Confirmation => {
                            view! {
                                <OrderConfirmation
                                    confirmation
                                    locale
                                    on_done=Callback::new(move |()| start_over())
                                />
                            }
                                .into_any()
                        }
                    }
                }}
            </main>
            {move || {
                open_item
                    .get()
                    .and_then(|id| menu.with(|m| m.item(id).cloned()))
                    .map(|item| {
                        view! {
                            <ItemSheet
                                item
                                currency=menu.with_untracked(|m| m.currency.clone())
                                locale
                                on_add=Callback::new(move |line: CartLine| {
                                    cart.update(|lines| cart::add_line(lines, line));
                                    open_item.set(None);
                                })
                                on_close=Callback::new(move |()| open_item.set(None))
                            />
                        }
                    })
            }}
            <Show when=move || staff_open.get()>
                <StaffPanel
                    queue
                    sync
                    locale
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
                locale
                on_stay=Callback::new(move |()| last_touch.set(clock::now_ms()))
            />
        </div>
    }
}
