//! Whether the server can be reached: the browser's own online flag plus
//! what the last calls saw, shown as the online/offline indicator; and a
//! screen's live stream following the browser's network events.

use leptos::{ev, prelude::*};

use crate::{api::ApiError, events::LiveStream, mounted};

#[derive(Debug, Clone, Copy)]
pub struct Connectivity {
    /// `navigator.onLine`, kept current by the `online`/`offline` events.
    pub browser_online: RwSignal<bool>,
    /// The last call reached the server (any answer counts).
    pub server_reachable: RwSignal<bool>,
}

impl Connectivity {
    pub fn new() -> Connectivity {
        Connectivity { browser_online: RwSignal::new(browser_online()), server_reachable: RwSignal::new(true) }
    }

    pub fn online(&self) -> bool {
        self.browser_online.get() && self.server_reachable.get()
    }

    /// Records what a call saw: an answer of any kind means the server is there.
    pub fn report<T>(&self, result: &Result<T, ApiError>) {
        let reachable = !matches!(result, Err(ApiError::Unreachable));
        if self.server_reachable.get_untracked() != reachable {
            self.server_reachable.set(reachable);
        }
    }
}

impl Default for Connectivity {
    fn default() -> Self {
        Connectivity::new()
    }
}

pub fn browser_online() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

/// Keeps `connectivity` and the screen's live `stream` in step with the
/// browser's `online` and `offline` events while the calling component is
/// mounted, and stops the stream when it unmounts. `back_online` runs too
/// when the network returns (to send what waits, or catch up).
pub fn follow_network(connectivity: Connectivity, stream: &LiveStream, back_online: impl Fn() + 'static) {
    let reconnect = stream.clone();
    mounted::on_window(ev::online, move |_| {
        connectivity.browser_online.set(true);
        reconnect.reconnect_now();
        back_online();
    });
    let disconnect = stream.clone();
    mounted::on_window(ev::offline, move |_| {
        connectivity.browser_online.set(false);
        disconnect.went_offline();
    });
    let stream = StoredValue::new_local(stream.clone());
    on_cleanup(move || stream.with_value(LiveStream::stop));
}
