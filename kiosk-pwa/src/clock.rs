//! Time in the browser: "now" from `Date.now()` (chrono's clock is not wired
//! up on wasm32-unknown-unknown), the device's local day, and an [`Alarm`]
//! that background loops sleep on until a deadline or an explicit wake-up.

use std::{cell::RefCell, rc::Rc};

use chrono::{DateTime, Utc};
use futures::{channel::oneshot, future};
use gloo_timers::future::TimeoutFuture;
use js_sys::Date;

/// Milliseconds since the Unix epoch, from the device clock.
pub fn now_ms() -> f64 {
    Date::now()
}

/// The instant `ms` milliseconds after the Unix epoch.
pub fn utc_of(ms: f64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

pub fn ms_of(at: &DateTime<Utc>) -> f64 {
    at.timestamp_millis() as f64
}

/// The device's local calendar day, `YYYY-MM-DD`: kiosk numbers restart with it.
pub fn local_day() -> String {
    local_day_of(now_ms())
}

pub fn local_day_of(at_ms: f64) -> String {
    let d = Date::new(&at_ms.into());
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// `HH:MM` in the device's local time.
pub fn local_time_of(at_ms: f64) -> String {
    let d = Date::new(&at_ms.into());
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// `m:ss` (or `h:mm:ss`) for an age or a wait.
pub fn duration_label(ms: f64) -> String {
    let secs = (ms.max(0.0) / 1000.0) as u64;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    TimeoutFuture::new(ms).await;
}

/// Something a background loop waits on: it wakes at its deadline or as
/// soon as anyone calls [`Alarm::ring`] (a new order, the network coming back).
/// Cloning shares the alarm.
#[derive(Clone, Default)]
pub struct Alarm {
    state: Rc<RefCell<AlarmState>>,
}

#[derive(Default)]
struct AlarmState {
    /// Wakes the loop that waits now.
    waiter: Option<oneshot::Sender<()>>,
    /// Rung while nobody waited: the next wait returns at once.
    rung: bool,
}

impl Alarm {
    /// Wakes the waiter now; if nobody waits, the next [`Alarm::wait`] returns at once.
    pub fn ring(&self) {
        let mut state = self.state.borrow_mut();
        match state.waiter.take() {
            Some(waiter) => {
                let _ = waiter.send(());
            }
            None => state.rung = true,
        }
    }

    /// Waits up to `ms`, or less if rung.
    pub async fn wait(&self, ms: u32) {
        let woken = {
            let mut state = self.state.borrow_mut();
            if std::mem::take(&mut state.rung) {
                return;
            }
            let (waiter, woken) = oneshot::channel();
            state.waiter = Some(waiter);
            woken
        };
        // Whichever comes first; the other is dropped (a dropped timeout is cleared).
        future::select(TimeoutFuture::new(ms), woken).await;
        self.state.borrow_mut().waiter = None;
    }
}

/// Exponential backoff with full jitter: about 1 s, 2 s, 4 s ... up to a
/// minute, each drawn at random between half and all of it, so a room full
/// of kiosks coming back online does not retry in lockstep.
pub fn backoff_ms(failures: u32) -> u32 {
    const BASE_MS: f64 = 1_000.0;
    const MAX_MS: f64 = 60_000.0;
    let ceiling = (BASE_MS * 2f64.powi(failures.min(16) as i32)).min(MAX_MS);
    (ceiling * (0.5 + js_sys::Math::random() * 0.5)) as u32
}
