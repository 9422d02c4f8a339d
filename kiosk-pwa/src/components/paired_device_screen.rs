use leptos::prelude::*;
use pos_wire::{DeviceKind, PairedDevice};

use crate::app::Surface;
use crate::i18n::{Locale, Text, t};

/// Shown once paired, until the real kiosk and KDS screens exist: what this
/// device is, where it belongs, and a way to unpair it.
#[component]
pub fn PairedDeviceScreen(
    device: PairedDevice,
    surface: Surface,
    #[prop(into)] locale: Signal<Locale>,
    on_unpair: Callback<()>,
) -> impl IntoView {
    let (kind, coming_next) = match device.kind {
        DeviceKind::Kiosk => (Text::KindKiosk, Text::KioskComingNext),
        DeviceKind::Kds => (Text::KindKds, Text::KdsComingNext),
    };
    let own_surface = Surface::for_device(device.kind);
    let unpair = move |_| {
        let question = t(locale.get_untracked(), Text::UnpairConfirm);
        if window().confirm_with_message(question).unwrap_or(false) {
            on_unpair.run(());
        }
    };

    view! {
        <section class="paired">
            <p class="eyebrow">{move || t(locale.get(), Text::PairedAs)}</p>
            <h2 class="device-kind">{move || t(locale.get(), kind)}</h2>
            <dl class="facts">
                <dt>{move || t(locale.get(), Text::OutletLabel)}</dt>
                <dd>
                    <code>{device.outlet_id.to_string()}</code>
                </dd>
                <dt>{move || t(locale.get(), Text::DeviceLabel)}</dt>
                <dd>
                    <code>{device.device_id.to_string()}</code>
                </dd>
            </dl>
            <Show when=move || own_surface != surface>
                <p class="alert" role="alert">
                    {move || t(locale.get(), Text::PairedForOtherScreen)} " "
                    <a href=own_surface.path()>{move || t(locale.get(), Text::OpenItsScreen)}</a>
                </p>
            </Show>
            <p class="placeholder">{move || t(locale.get(), coming_next)}</p>
            <button type="button" class="secondary" on:click=unpair>
                {move || t(locale.get(), Text::UnpairButton)}
            </button>
        </section>
    }
}
