use leptos::{ev, prelude::*};
use pos_wire::PairedDevice;

use crate::{
    board::{Board, BoardEntry},
    components::BehindBanner,
    events::{LiveEvent, LiveStream},
    i18n::Text,
    locale::tr,
    mounted,
    net::{self, Connectivity},
    sound,
};

/// A just-ready number stands out this long.
const JUST_READY_MS: f64 = 30_000.0;

/// The screen customers watch: numbers being prepared, and numbers ready
/// (newest first, with a chime as each turns ready).
#[component]
pub fn PickupBoard(device: PairedDevice, on_unpaired: Callback<()>) -> impl IntoView {
    let connectivity = Connectivity::new();
    let board = Board::new(device.clone(), connectivity);
    let (entries, chime, just_ready, revoked) = (board.entries, board.chime, board.just_ready, board.revoked);
    let now = mounted::ticking_now();

    let board_for_events = board.clone();
    let own_id = device.device_id;
    let on_event = move |event: LiveEvent| match &event {
        LiveEvent::DeviceRevoked(id) if *id == own_id => on_unpaired.run(()),
        _ => board_for_events.apply(&event),
    };
    let board_for_open = board.clone();
    let stream = LiveStream::connect(device, on_event, move || {
        let board = board_for_open.clone();
        leptos::task::spawn_local(async move { board.reload().await });
    });

    Effect::new(move || {
        if revoked.get() {
            on_unpaired.run(());
        }
    });
    Effect::new(move |previous: Option<u32>| {
        let rung = chime.get();
        if previous.is_some_and(|p| p != rung) {
            sound::ready_chime();
        }
        rung
    });
    mounted::on_window(ev::pointerdown, move |_| sound::unlock());
    net::follow_network(connectivity, &stream, || {});
    let (link_state, last_contact) = (stream.state, stream.last_contact_ms);

    let numbers = move |ready: bool| {
        let mut list: Vec<BoardEntry> = entries.with(|e| e.iter().filter(|x| x.ready == ready).cloned().collect());
        if ready {
            list.sort_by(|a, b| b.ready_at_ms.total_cmp(&a.ready_at_ms));
        }
        list.into_iter()
            .map(|entry| {
                let id = entry.order_id;
                let highlighted =
                    move || just_ready.get().is_some_and(|(order, at)| order == id && now.get() - at < JUST_READY_MS);
                view! {
                    <li class:just-ready=highlighted data-order-id=id.to_string()>
                        {entry.number}
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="app kds board">
            <header class="top-bar">
                <h1>{tr(Text::BoardTitle)}</h1>
            </header>
            <BehindBanner state=link_state last_contact_ms=last_contact now />
            <main class="board-main">
                <section class="board-column preparing">
                    <h2>{tr(Text::BoardPreparing)}</h2>
                    <ul class="board-numbers">{move || numbers(false)}</ul>
                </section>
                <section class="board-column ready">
                    <h2>{tr(Text::BoardReady)}</h2>
                    <ul class="board-numbers">{move || numbers(true)}</ul>
                </section>
            </main>
        </div>
    }
}
