//! Short tones through WebAudio: a beep for a new kitchen ticket, a chime
//! when a pickup number turns ready. Browsers only let audio start after a
//! tap on the page, so screens call [`unlock`] from their first tap.

use std::cell::RefCell;

use web_sys::{AudioContext, AudioContextState, OscillatorType};

thread_local! {
    static CONTEXT: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

fn with_context(f: impl FnOnce(&AudioContext)) {
    CONTEXT.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = AudioContext::new().ok();
        }
        if let Some(ctx) = cell.as_ref() {
            f(ctx);
        }
    });
}

/// Lets sound play from now on (call from a tap or key press).
pub fn unlock() {
    with_context(|ctx| {
        let _ = ctx.resume();
    });
}

/// Whether the browser is still holding sound back until a tap.
pub fn is_locked() -> bool {
    let mut locked = true;
    with_context(|ctx| locked = ctx.state() != AudioContextState::Running);
    locked
}

/// Plays `notes` (frequency Hz, start s, length s) one after another.
fn play(notes: &[(f32, f64, f64)], kind: OscillatorType) {
    with_context(|ctx| {
        let now = ctx.current_time();
        for &(frequency, start, length) in notes {
            let (Ok(oscillator), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
            oscillator.set_type(kind);
            oscillator.frequency().set_value(frequency);
            let volume = gain.gain();
            let _ = volume.set_value_at_time(0.0001, now + start);
            let _ = volume.exponential_ramp_to_value_at_time(0.4, now + start + 0.02);
            let _ = volume.exponential_ramp_to_value_at_time(0.0001, now + start + length);
            let _ = oscillator.connect_with_audio_node(&gain);
            let _ = gain.connect_with_audio_node(&ctx.destination());
            let _ = oscillator.start_with_when(now + start);
            let _ = oscillator.stop_with_when(now + start + length + 0.05);
        }
    });
}

/// Two sharp beeps: a new ticket.
pub fn new_ticket_beep() {
    play(&[(880.0, 0.0, 0.15), (880.0, 0.22, 0.15)], OscillatorType::Square);
}

/// A rising two-note chime: an order is ready.
pub fn ready_chime() {
    play(&[(659.3, 0.0, 0.35), (987.8, 0.3, 0.6)], OscillatorType::Sine);
}
