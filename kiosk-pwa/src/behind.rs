//! What runs behind a screen that takes orders (the kiosk, the till) for as
//! long as it is mounted: the order queue sending, the menu downloaded,
//! polled and caught up when the network returns, back to pairing once the
//! server no longer accepts the device, and the cart following the menu (a
//! sold-out item leaves it at once, and the screen says which).

use leptos::prelude::*;

use crate::{
    cart::{self, CartLine},
    events::LiveStream,
    menu::{self, MenuSync},
    mounted,
    net::{self, Connectivity},
    queue::OrderQueue,
};

pub fn run(
    connectivity: Connectivity,
    sync: &MenuSync,
    queue: &OrderQueue,
    stream: &LiveStream,
    cart: RwSignal<Vec<CartLine>>,
    removed_notice: RwSignal<Vec<String>>,
    on_unpaired: Callback<()>,
) {
    queue.start();
    {
        let sync = sync.clone();
        leptos::task::spawn_local(async move { sync.start().await });
    }
    let (queue_for_online, sync_for_online) = (queue.clone(), sync.clone());
    net::follow_network(connectivity, stream, move || {
        queue_for_online.send_now();
        let sync = sync_for_online.clone();
        leptos::task::spawn_local(async move { sync.pull().await });
    });
    let sync_for_poll = sync.clone();
    mounted::every(menu::POLL_MS, move || sync_for_poll.poll());
    // Revoked (seen by the menu, the queue or the live stream): back to pairing.
    let (sync_revoked, queue_revoked) = (sync.revoked, queue.revoked);
    Effect::new(move || {
        if sync_revoked.get() || queue_revoked.get() {
            on_unpaired.run(());
        }
    });
    let menu = sync.menu;
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
}
