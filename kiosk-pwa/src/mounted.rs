//! Browser hooks that last exactly as long as the component that sets them
//! up: window event listeners and intervals are removed when it unmounts
//! (a screen unpaired, or replaced by another), so nothing of a gone screen
//! keeps running. Call these from a component's body.

use gloo_timers::callback::Interval;
use leptos::{ev::EventDescriptor, prelude::*};
use wasm_bindgen::JsCast;

/// Listens to `event` on the window while the calling component is mounted.
pub fn on_window<E>(event: E, handler: impl Fn(E::EventType) + 'static)
where
    E: EventDescriptor + 'static,
    E::EventType: JsCast,
{
    let listener = window_event_listener(event, handler);
    on_cleanup(move || listener.remove());
}

/// Calls `tick` every `ms` milliseconds while the calling component is mounted.
pub fn every(ms: u32, tick: impl FnMut() + 'static) {
    // Dropping the interval (when the value is disposed) clears it.
    let interval = StoredValue::new_local(Interval::new(ms, tick));
    on_cleanup(move || interval.dispose());
}

/// "Now" in milliseconds, refreshed every second while the calling
/// component is mounted (ages, countdowns and idle timers read it).
pub fn ticking_now() -> ReadSignal<f64> {
    let now = RwSignal::new(crate::clock::now_ms());
    every(1_000, move || now.set(crate::clock::now_ms()));
    now.read_only()
}
