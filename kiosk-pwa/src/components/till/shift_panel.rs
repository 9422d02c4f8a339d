//! The till's shift screens: open a shift with a float, the shift bar
//! (who opened it, since when, the cash the drawer should hold), cash in
//! and out with a reason, the X report, and the close: the drawer counted
//! note by note and coin by coin, expected against counted and the
//! variance before confirming, then the Z report.

use leptos::{ev, prelude::*};
use pos_wire::{CashMovementKind, Locale, PairedDevice, Shift};
use uuid::Uuid;

use crate::{
    api::{self, ApiError},
    clock, db,
    locale::use_locale,
    money::format_money,
    net::Connectivity,
    queue::{Delivery, QueuedOrder},
    receipt,
    shift::{self, COINS, DrawerCount, FLOATS, NOTES, Sent, ShiftAction, ShiftOp},
};

/// Indonesian or English: the shift screens' own words.
fn w(locale: Locale, id: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Id => id,
        Locale::En => en,
    }
}

/// What the shift part of the till shows instead of selling.
#[derive(Debug, Clone, PartialEq)]
pub enum ShiftView {
    /// Nothing: selling (when a shift is open).
    None,
    CashMovement,
    Close,
    /// The close reached the server: its figures and the Z report.
    Closed(Box<Shift>),
    /// The close is saved on the till, waiting for the network.
    CloseQueued,
}

/// The till's shift state; copies share it.
#[derive(Clone, Copy)]
pub struct Shifts {
    /// The shift this till sells in.
    pub current: RwSignal<Option<Shift>>,
    pub view: RwSignal<ShiftView>,
    pub error: RwSignal<Option<String>>,
    /// Cash the drawer took in sales not yet on the server (offline).
    pub unsent_cash: RwSignal<i64>,
    till: StoredValue<PairedDevice>,
    connectivity: Connectivity,
    locale: ReadSignal<Locale>,
    sending: RwSignal<bool>,
}

impl Shifts {
    pub fn new(till: PairedDevice, connectivity: Connectivity) -> Shifts {
        Shifts {
            current: RwSignal::new(shift::stored_shift().filter(|s| s.device_id == till.device_id)),
            view: RwSignal::new(ShiftView::None),
            error: RwSignal::new(None),
            unsent_cash: RwSignal::new(0),
            till: StoredValue::new(till),
            connectivity,
            locale: use_locale(),
            sending: RwSignal::new(false),
        }
    }

    /// Selling waits for an open shift (and for the shift screens to be left).
    pub fn selling_blocked(&self) -> bool {
        self.current.with(Option::is_none) || self.view.with(|v| *v != ShiftView::None)
    }

    /// The shift a sale now goes into.
    pub fn shift_id(&self) -> Option<Uuid> {
        self.current.with_untracked(|s| s.as_ref().map(|s| s.id))
    }

    fn set_current(&self, shift: Option<Shift>) {
        shift::remember_shift(shift.as_ref());
        self.current.set(shift);
    }

    /// Asks the server for the till's open shift (a cashier signed in, a
    /// sale made), unless this till has shift operations still to send.
    pub fn refresh(&self, me: PairedDevice) {
        if !self.connectivity.online() || !shift::queued_ops().is_empty() {
            self.count_unsent_cash();
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            let known = this.shift_id();
            let answer = match known {
                Some(id) => {
                    api::shift(&me, id).await.map(|s| Some(s).filter(|s| s.status == pos_wire::ShiftStatus::Open))
                }
                None => api::open_shift_of_till(&me).await,
            };
            this.connectivity.report(&answer);
            if let Ok(shift) = answer {
                // Closed elsewhere (the back office): a new one is opened here.
                let shift = match (shift, known) {
                    (None, Some(_)) => api::open_shift_of_till(&me).await.ok().flatten(),
                    (shift, _) => shift,
                };
                this.set_current(shift);
            }
            this.count_unsent_cash();
        });
    }

    fn count_unsent_cash(&self) {
        let (this, Some(shift_id)) = (*self, self.shift_id()) else { return };
        leptos::task::spawn_local(async move {
            let orders: Vec<QueuedOrder> = db::all(db::ORDERS).await.unwrap_or_default();
            let unsent: i64 = orders
                .iter()
                .filter(|o| o.shift_id == Some(shift_id) && matches!(o.state, Delivery::Pending | Delivery::Placing))
                .flat_map(|o| &o.payments)
                .filter(|p| p.method == pos_wire::PaymentMethod::Cash)
                .map(|p| p.amount_minor)
                .sum();
            this.unsent_cash.set(unsent + shift::queued_cash(shift_id));
        });
    }

    /// Sends the queued cash movements and close (after the sales before them).
    pub fn send(&self) {
        if self.sending.get_untracked() || shift::queued_ops().is_empty() || !self.connectivity.online() {
            return;
        }
        self.sending.set(true);
        let this = *self;
        let till = self.till.get_value();
        // Whoever did the first of them reads the drawer afterwards.
        let reader =
            shift::queued_ops().first().map(|op| PairedDevice { device_token: op.token.clone(), ..till.clone() });
        leptos::task::spawn_local(async move {
            let sent = shift::send_ops(&till).await;
            this.sending.set(false);
            match sent {
                Sent::Done(Some(closed)) => {
                    if this.view.with_untracked(|v| *v == ShiftView::CloseQueued || *v == ShiftView::None) {
                        this.view.set(ShiftView::Closed(Box::new(closed)));
                    }
                }
                Sent::Done(None) => {
                    if let Some(reader) = reader {
                        this.refresh(reader);
                    }
                }
                Sent::Waiting => {}
                Sent::Refused(op, e) => {
                    let what = match op.action {
                        ShiftAction::Movement(_) => "cash movement",
                        ShiftAction::Close(_) => "close",
                    };
                    leptos::logging::warn!("shift {what} refused: {e:?}");
                    this.error.set(Some(e.message(this.locale.get_untracked())));
                }
            }
            this.count_unsent_cash();
        });
    }
}

/// The open shift at a glance, with its actions.
#[component]
pub fn ShiftBar(shifts: Shifts, currency: Signal<String>, me: Callback<(), Option<PairedDevice>>) -> impl IntoView {
    let locale = use_locale();
    let x_report = move |_| {
        let (Some(me), Some(id)) = (me.run(()), shifts.shift_id()) else { return };
        let lang = locale.get_untracked().as_str();
        leptos::task::spawn_local(async move {
            if let Err(e) = api::shift_report_html(&me, id, lang).await.and_then(|html| receipt::print_html(&html)) {
                shifts.error.set(Some(e.message(locale.get_untracked())));
            }
        });
    };
    let expected =
        move || shifts.current.with(|s| s.as_ref().map(|s| s.expected_minor)).unwrap_or(0) + shifts.unsent_cash.get();
    view! {
        <Show when=move || shifts.current.with(Option::is_some)>
            <div class="shift-bar" data-shift-id=move || shifts.shift_id().map(|id| id.to_string())>
                <span class="shift-who">
                    {move || w(locale.get(), "Shift dibuka oleh ", "Shift opened by ")}
                    <strong>{move || shifts.current.with(|s| s.as_ref().and_then(|s| s.opened_by_name.clone())).unwrap_or_default()}</strong>
                    {move || w(locale.get(), " sejak ", " since ")}
                    {move || shifts.current.with(|s| s.as_ref().map(|s| clock::local_time_of(clock::ms_of(&s.opened_at)))).unwrap_or_default()}
                </span>
                <span class="shift-expected" data-minor=move || expected().to_string()>
                    {move || w(locale.get(), "Kas seharusnya ", "Expected cash ")}
                    <strong>{move || format_money(expected(), &currency.get())}</strong>
                </span>
                <button type="button" class="cash-movement-button" on:click=move |_| shifts.view.set(ShiftView::CashMovement)>
                    {move || w(locale.get(), "Kas masuk/keluar", "Cash in/out")}
                </button>
                <button type="button" class="x-report" on:click=x_report>{move || w(locale.get(), "Laporan X", "X report")}</button>
                <button type="button" class="close-shift-button" on:click=move |_| {
                    if let Some(me) = me.run(()) {
                        shifts.refresh(me);
                    }
                    shifts.view.set(ShiftView::Close);
                }>
                    {move || w(locale.get(), "Tutup shift", "Close shift")}
                </button>
            </div>
        </Show>
    }
}

/// What the till shows while selling is blocked by the shift.
#[component]
pub fn ShiftPanel(shifts: Shifts, currency: Signal<String>, me: Callback<(), Option<PairedDevice>>) -> impl IntoView {
    // Only a change of what is shown builds a new form: a refresh that finds
    // the same (no) shift must not wipe a float being typed.
    let shown = Memo::new(move |_| (shifts.view.get(), shifts.current.with(Option::is_some)));
    move || match shown.get() {
        (ShiftView::CashMovement, true) => view! { <CashMovementForm shifts currency me /> }.into_any(),
        (ShiftView::Close, true) => view! { <CloseShiftForm shifts currency me /> }.into_any(),
        (ShiftView::Closed(closed), _) => view! { <ShiftClosed shifts closed=*closed currency me /> }.into_any(),
        (ShiftView::CloseQueued, _) => view! { <CloseQueued shifts /> }.into_any(),
        _ => view! { <OpenShiftForm shifts currency me /> }.into_any(),
    }
}

/// A whole amount of rupiah typed in a field (dots and spaces allowed).
fn amount_of(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[component]
fn OpenShiftForm(shifts: Shifts, currency: Signal<String>, me: Callback<(), Option<PairedDevice>>) -> impl IntoView {
    let locale = use_locale();
    let float = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let online = Signal::derive(move || shifts.connectivity.online());
    let open = move || {
        let Some(me) = me.run(()) else { return };
        let Some(amount) = amount_of(&float.get_untracked()) else {
            shifts
                .error
                .set(Some(w(locale.get_untracked(), "Isi modal awal laci.", "Enter the float in the drawer.").into()));
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        shifts.error.set(None);
        leptos::task::spawn_local(async move {
            let answer = api::open_shift(&me, amount, Uuid::now_v7()).await;
            shifts.connectivity.report(&answer);
            match answer {
                Ok(shift) => shifts.set_current(Some(shift)),
                // Opened meanwhile (by another cashier on this till): sell in it.
                Err(ApiError::Problem(p)) if p.code == Some(pos_wire::problem::Code::ShiftAlreadyOpen) => {
                    shifts.set_current(api::open_shift_of_till(&me).await.ok().flatten());
                }
                Err(e) => shifts.error.set(Some(e.message(locale.get_untracked()))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="shift-panel open-shift" on:submit=move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            open();
        }>
            <h2>{move || w(locale.get(), "Buka shift", "Open the shift")}</h2>
            <p class="muted">{move || w(locale.get(), "Belum ada shift yang terbuka di kasir ini: hitung modal awal di laci, lalu buka shift untuk mulai berjualan.", "This till has no open shift: count the float in the drawer, then open the shift to start selling.")}</p>
            <label for="shift-float">{move || w(locale.get(), "Modal awal", "Opening float")}</label>
            <input id="shift-float" class="shift-amount" inputmode="numeric" autocomplete="off" autofocus
                prop:value=move || float.get()
                on:input=move |ev| float.set(event_target_value(&ev)) />
            <div class="quick-amounts">
                {FLOATS.iter().map(|&amount| view! {
                    <button type="button" class="quick-float" data-minor=amount.to_string()
                        on:click=move |_| float.set(amount.to_string())>
                        {move || format_money(amount, &currency.get())}
                    </button>
                }).collect_view()}
            </div>
            <Show when=move || !online.get()>
                <p class="field-error offline-open">{move || w(locale.get(), "Membuka shift perlu jaringan: server yang mencatat shift dan memastikan satu shift per kasir. Sambungkan lagi, lalu coba.", "Opening a shift needs the network: the server records the shift and keeps one open per till. Reconnect, then try again.")}</p>
            </Show>
            <p class="field-error" aria-live="polite">{move || shifts.error.get()}</p>
            <button type="submit" class="primary open-shift-button" disabled=move || busy.get() || !online.get()>
                {move || w(locale.get(), "Buka shift", "Open shift")}
            </button>
        </form>
    }
}

#[component]
fn CashMovementForm(shifts: Shifts, currency: Signal<String>, me: Callback<(), Option<PairedDevice>>) -> impl IntoView {
    let locale = use_locale();
    let kind = RwSignal::new(CashMovementKind::Out);
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let save = move || {
        let (Some(me), Some(shift_id)) = (me.run(()), shifts.shift_id()) else { return };
        let reason_text = reason.get_untracked();
        let Some(value) = amount_of(&amount.get_untracked()).filter(|v| *v > 0) else {
            shifts.error.set(Some(w(locale.get_untracked(), "Isi jumlahnya.", "Enter the amount.").into()));
            return;
        };
        if reason_text.trim().is_empty() {
            shifts.error.set(Some(w(locale.get_untracked(), "Tulis alasannya.", "Give a reason.").into()));
            return;
        }
        let op = ShiftOp {
            shift_id,
            queued_at_ms: clock::now_ms(),
            token: me.device_token.clone(),
            action: ShiftAction::Movement(shift::movement(kind.get_untracked(), value, &reason_text)),
        };
        match shift::queue_op(op) {
            Ok(()) => {
                shifts.error.set(None);
                shifts.view.set(ShiftView::None);
                shifts.send();
                shifts.count_unsent_cash();
            }
            Err(e) => shifts.error.set(Some(e)),
        }
    };
    let seg = move |k: CashMovementKind, id: &'static str, en: &'static str| {
        view! {
            <button type="button" class=format!("movement-{}", if k == CashMovementKind::In { "in" } else { "out" })
                aria-pressed=move || (kind.get() == k).to_string() on:click=move |_| kind.set(k)>
                {move || w(locale.get(), id, en)}
            </button>
        }
    };
    view! {
        <form class="shift-panel cash-movement" on:submit=move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            save();
        }>
            <h2>{move || w(locale.get(), "Kas masuk / keluar", "Cash in / out")}</h2>
            <div class="seg" role="group">
                {seg(CashMovementKind::In, "Kas masuk", "Cash in")}
                {seg(CashMovementKind::Out, "Kas keluar", "Cash out")}
            </div>
            <label for="movement-amount">{move || w(locale.get(), "Jumlah", "Amount")} " (" {move || currency.get()} ")"</label>
            <input id="movement-amount" class="shift-amount" inputmode="numeric" autocomplete="off" autofocus
                prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
            <label for="movement-reason">{move || w(locale.get(), "Alasan", "Reason")}</label>
            <input id="movement-reason" class="shift-reason" maxlength="200" autocomplete="off"
                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            <p class="field-error" aria-live="polite">{move || shifts.error.get()}</p>
            <div class="payment-actions">
                <button type="button" on:click=move |_| {
                    shifts.error.set(None);
                    shifts.view.set(ShiftView::None);
                }>{move || w(locale.get(), "Batal", "Cancel")}</button>
                <button type="submit" class="primary save-movement">{move || w(locale.get(), "Simpan", "Save")}</button>
            </div>
        </form>
    }
}

#[component]
fn CloseShiftForm(shifts: Shifts, currency: Signal<String>, me: Callback<(), Option<PairedDevice>>) -> impl IntoView {
    let locale = use_locale();
    let count = RwSignal::new(DrawerCount::default());
    let confirming = RwSignal::new(false);
    let expected =
        move || shifts.current.with(|s| s.as_ref().map(|s| s.expected_minor)).unwrap_or(0) + shifts.unsent_cash.get();
    let counted = move || count.with(DrawerCount::total_minor);
    let money = move |minor: i64| format_money(minor, &currency.get());
    let row = move |value: i64, index: usize, coin: bool| {
        let get = move || count.with(|c| if coin { c.coins[index] } else { c.notes[index] });
        let set = move |n: i64| {
            confirming.set(false);
            count.update(|c| {
                let slot = if coin { &mut c.coins[index] } else { &mut c.notes[index] };
                *slot = n.clamp(0, 100_000);
            })
        };
        let name = format!("{}-{value}", if coin { "coin" } else { "note" });
        let id = name.clone();
        view! {
            <li class="denomination" data-denomination=name>
                <span class="denomination-value">{move || money(value)}</span>
                <button type="button" class="less" aria-label="−" on:click=move |_| set(get() - 1)>"−"</button>
                <input class="denomination-count" id=id inputmode="numeric" autocomplete="off"
                    prop:value=move || get().to_string()
                    on:input=move |ev| set(amount_of(&event_target_value(&ev)).unwrap_or(0)) />
                <button type="button" class="more" aria-label="+" on:click=move |_| set(get() + 1)>"+"</button>
                <span class="denomination-total">{move || money(value * get())}</span>
            </li>
        }
    };
    let confirm = move || {
        let (Some(me), Some(shift_id)) = (me.run(()), shifts.shift_id()) else { return };
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let op = ShiftOp {
            shift_id,
            queued_at_ms: clock::now_ms(),
            token: me.device_token.clone(),
            action: ShiftAction::Close(count.get_untracked().close(Uuid::now_v7())),
        };
        if let Err(e) = shift::queue_op(op) {
            shifts.error.set(Some(e));
            return;
        }
        // Nothing more is sold in it: the close is on its way.
        shifts.set_current(None);
        shifts.view.set(ShiftView::CloseQueued);
        shifts.send();
    };
    view! {
        <form class="shift-panel close-shift" on:submit=move |ev: ev::SubmitEvent| {
            ev.prevent_default();
            confirm();
        }>
            <h2>{move || w(locale.get(), "Tutup shift: hitung laci", "Close the shift: count the drawer")}</h2>
            <div class="count-columns">
                <fieldset>
                    <legend>{move || w(locale.get(), "Uang kertas", "Notes")}</legend>
                    <ul class="denominations">{NOTES.iter().enumerate().map(|(i, &v)| row(v, i, false)).collect_view()}</ul>
                </fieldset>
                <fieldset>
                    <legend>{move || w(locale.get(), "Koin", "Coins")}</legend>
                    <ul class="denominations">{COINS.iter().enumerate().map(|(i, &v)| row(v, i, true)).collect_view()}</ul>
                </fieldset>
            </div>
            <dl class="drawer-figures">
                <dt>{move || w(locale.get(), "Seharusnya", "Expected")}</dt>
                <dd class="expected" data-minor=move || expected().to_string()>{move || money(expected())}</dd>
                <dt>{move || w(locale.get(), "Dihitung", "Counted")}</dt>
                <dd class="counted" data-minor=move || counted().to_string()>{move || money(counted())}</dd>
                <dt>{move || w(locale.get(), "Selisih", "Variance")}</dt>
                <dd class="variance" data-minor=move || (counted() - expected()).to_string()
                    data-sign=move || (counted() - expected()).signum().to_string()>
                    {move || money(counted() - expected())}
                </dd>
            </dl>
            <p class="field-error" aria-live="polite">{move || shifts.error.get()}</p>
            <div class="payment-actions">
                <button type="button" on:click=move |_| shifts.view.set(ShiftView::None)>{move || w(locale.get(), "Kembali", "Back")}</button>
                <button type="submit" class="primary confirm-close">
                    {move || if confirming.get() {
                        w(locale.get(), "Ya, tutup shift dengan hitungan ini", "Yes, close the shift with this count")
                    } else {
                        w(locale.get(), "Tutup shift", "Close shift")
                    }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn CloseQueued(shifts: Shifts) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="shift-panel close-queued">
            <h2>{move || w(locale.get(), "Shift ditutup", "Shift closed")}</h2>
            <p>{move || w(locale.get(), "Hitungan laci tersimpan di kasir ini dan dikirim setelah penjualan sebelumnya, begitu jaringan kembali; laporan Z menyusul.", "The count is saved on this till and goes to the server after the sales before it as soon as the network is back; the Z report follows.")}</p>
            <p class="field-error" aria-live="polite">{move || shifts.error.get()}</p>
            <button type="button" class="primary next-shift" on:click=move |_| shifts.view.set(ShiftView::None)>
                {move || w(locale.get(), "Buka shift berikutnya", "Open the next shift")}
            </button>
        </section>
    }
}

#[component]
fn ShiftClosed(
    shifts: Shifts,
    closed: Shift,
    currency: Signal<String>,
    me: Callback<(), Option<PairedDevice>>,
) -> impl IntoView {
    let locale = use_locale();
    let money = move |minor: i64| format_money(minor, &currency.get());
    let id = closed.id;
    let z_report = move |_| {
        let Some(me) = me.run(()) else { return };
        let lang = locale.get_untracked().as_str();
        leptos::task::spawn_local(async move {
            if let Err(e) = api::shift_report_html(&me, id, lang).await.and_then(|html| receipt::print_html(&html)) {
                shifts.error.set(Some(e.message(locale.get_untracked())));
            }
        });
    };
    let (expected, counted) = (closed.expected_minor, closed.counted_minor.unwrap_or(0));
    let variance = closed.variance_minor.unwrap_or(counted - expected);
    view! {
        <section class="shift-panel shift-closed" data-shift-id=id.to_string()>
            <h2>{move || w(locale.get(), "Shift ditutup", "Shift closed")}</h2>
            <dl class="drawer-figures">
                <dt>{move || w(locale.get(), "Seharusnya", "Expected")}</dt>
                <dd class="expected" data-minor=expected.to_string()>{move || money(expected)}</dd>
                <dt>{move || w(locale.get(), "Dihitung", "Counted")}</dt>
                <dd class="counted" data-minor=counted.to_string()>{move || money(counted)}</dd>
                <dt>{move || w(locale.get(), "Selisih", "Variance")}</dt>
                <dd class="variance" data-minor=variance.to_string() data-sign=variance.signum().to_string()>{move || money(variance)}</dd>
            </dl>
            <p class="field-error" aria-live="polite">{move || shifts.error.get()}</p>
            <div class="payment-actions">
                <button type="button" class="z-report" on:click=z_report>{move || w(locale.get(), "Cetak laporan Z", "Print the Z report")}</button>
                <button type="button" class="primary next-shift" on:click=move |_| shifts.view.set(ShiftView::None)>
                    {move || w(locale.get(), "Buka shift berikutnya", "Open the next shift")}
                </button>
            </div>
        </section>
    }
}
