use leptos::{ev, prelude::*};
use pos_wire::{PairedDevice, TicketStatus};
use uuid::Uuid;

use super::{AllDayCounts, BehindBanner, KdsSettingsPanel, RecallTray, StationFilter, TicketCard};
use crate::{
    components::{ConnectionBadge, LanguageSwitch},
    events::{LiveEvent, LiveStream},
    i18n::Text,
    kitchen::{self, Kitchen},
    locale::tr,
    mounted,
    net::{self, Connectivity},
    sound, storage,
};

/// The kitchen display: open tickets live, oldest first, for one station or
/// all; bump and recall (queued while offline); all-day counts; a sound and
/// a flash for each new ticket; a banner whenever it may be behind.
#[component]
pub fn KitchenDisplay(device: PairedDevice, on_unpaired: Callback<()>) -> impl IntoView {
    let connectivity = Connectivity::new();
    let settings = RwSignal::new(storage::kds_settings());
    let show_settings = RwSignal::new(false);
    let now = mounted::ticking_now();
    let sound_locked = RwSignal::new(sound::is_locked());
    let kitchen = Kitchen::new(device.clone(), connectivity);
    let (tickets, bumped, queued, skew_ms, chime, revoked) =
        (kitchen.tickets, kitchen.bumped, kitchen.queued, kitchen.skew_ms, kitchen.new_ticket_chime, kitchen.revoked);
    let loaded = kitchen.loaded;

    let kitchen_for_events = kitchen.clone();
    let own_id = device.device_id;
    let on_event = move |event: LiveEvent| match &event {
        LiveEvent::DeviceRevoked(id) if *id == own_id => on_unpaired.run(()),
        _ => kitchen_for_events.apply(&event),
    };
    let kitchen_for_open = kitchen.clone();
    // Every (re)connection reloads the open tickets: whatever was missed
    // while away shows, even when the gap was too old to replay.
    let stream = LiveStream::connect(device.clone(), on_event, move || kitchen_for_open.reload_soon());
    kitchen.start();

    Effect::new(move || {
        if revoked.get() {
            on_unpaired.run(());
        }
    });
    Effect::new(move |previous: Option<u32>| {
        let rung = chime.get();
        if previous.is_some_and(|p| p != rung) && settings.with_untracked(|s| s.sound) {
            sound::new_ticket_beep();
        }
        rung
    });

    mounted::on_window(ev::pointerdown, move |_| {
        sound::unlock();
        sound_locked.set(false);
    });
    let kitchen_for_online = kitchen.clone();
    net::follow_network(connectivity, &stream, move || kitchen_for_online.send_now());
    let (link_state, last_contact) = (stream.state, stream.last_contact_ms);

    let kitchen = StoredValue::new_local(kitchen);
    let on_bump = Callback::new(move |id: Uuid| {
        let kitchen = kitchen.get_value();
        leptos::task::spawn_local(async move { kitchen.bump(id).await });
    });
    let on_recall = Callback::new(move |id: Uuid| {
        let kitchen = kitchen.get_value();
        leptos::task::spawn_local(async move { kitchen.recall(id).await });
    });
    let on_dismiss = Callback::new(move |id: Uuid| kitchen.with_value(|k| k.dismiss(id)));

    let station = Signal::derive(move || settings.with(|s| s.station.clone()));
    let on_station = Callback::new(move |choice: Option<String>| {
        settings.update(|s| s.station = choice);
        storage::remember_kds_settings(&settings.get_untracked());
    });
    let stations = Signal::derive(move || {
        let mut all: Vec<String> = tickets.with(|t| t.iter().map(|s| s.ticket.station.clone()).collect());
        all.extend(bumped.with(|b| b.iter().map(|t| t.station.clone()).collect::<Vec<_>>()));
        all.extend(station.get());
        all.sort();
        all.dedup();
        all
    });
    let in_station = move |s: &str| station.with(|chosen| chosen.as_deref().is_none_or(|c| c == s));
    let visible = Memo::new(move |_| {
        tickets.with(|t| t.iter().filter(|s| in_station(&s.ticket.station)).cloned().collect::<Vec<_>>())
    });
    let counts = Signal::derive(move || visible.with(|v| kitchen::all_day_counts(v.iter().map(|s| &s.ticket))));
    let recallable = Signal::derive(move || {
        bumped.with(|b| b.iter().filter(|t| in_station(&t.station)).cloned().collect::<Vec<_>>())
    });
    let pending_moves = Signal::derive(move || queued.with(Vec::len));

    view! {
        <div class="app kds">
            <header class="top-bar">
                <h1>{tr(Text::KdsTitle)}</h1>
                <StationFilter stations selected=station on_select=on_station />
                <div class="top-actions">
                    <ConnectionBadge connectivity pending=pending_moves kitchen=true />
                    <LanguageSwitch />
                    <button type="button" class="kds-tool" on:click=move |_| show_settings.set(true)>
                        {tr(Text::Settings)}
                    </button>
                </div>
            </header>
            <BehindBanner state=link_state last_contact_ms=last_contact now />
            <Show when=move || sound_locked.get() && settings.with(|s| s.sound)>
                <button type="button" class="sound-gate">
                    {tr(Text::TapForSound)}
                </button>
            </Show>
            <main class="kds-main" data-loaded=move || loaded.get().to_string()>
                <section class="tickets" aria-live="polite">
                    <Show when=move || visible.with(Vec::is_empty)>
                        <p class="no-tickets">{tr(Text::NoTickets)}</p>
                    </Show>
                    <For
                        each=move || visible.get()
                        key=|shown| (shown.ticket.id, shown.ticket.status == TicketStatus::Cancelled)
                        children=move |shown| {
                            view! {
                                <TicketCard
                                    shown
                                    now
                                    skew_ms
                                    settings
                                    on_bump
                                    on_dismiss
                                />
                            }
                        }
                    />
                </section>
                <aside class="kds-side">
                    <AllDayCounts counts />
                    <RecallTray bumped=recallable on_recall />
                    <a class="board-link" href="/kds/board">
                        {tr(Text::BoardTitle)}
                    </a>
                </aside>
            </main>
            <Show when=move || show_settings.get()>
                <KdsSettingsPanel
                    settings
                    on_close=Callback::new(move |()| show_settings.set(false))
                    on_unpair=on_unpaired
                />
            </Show>
        </div>
    }
}
