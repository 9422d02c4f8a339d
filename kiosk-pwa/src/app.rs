//! The one Leptos app: picks the kiosk, kitchen display or pickup board
//! from the URL, and holds what they share (this device's pairing, and the
//! language, which it provides to every component through context).

use leptos::prelude::*;
use pos_wire::{DeviceKind, PairedDevice};

use crate::components::{KioskScreen, KitchenDisplay, LanguageSwitch, PairingScreen, PickupBoard, TillScreen};
use crate::i18n::{Text, t};
use crate::{
    locale::{self, tr},
    storage,
};

/// Which screen this page is, decided by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Kiosk,
    Kds,
    /// `/kds/board`: the numbers being prepared and ready (a pickup board
    /// device of its own: read-only, it sees numbers and states only).
    Board,
    /// `/pos`: the counter till, where cashiers sign in with their PIN.
    Till,
}

impl Surface {
    /// `/kds/board` is the pickup board, `/kds` and below the kitchen
    /// display, `/pos` and below the till; any other path the kiosk.
    pub fn from_path(path: &str) -> Surface {
        let path = path.trim_end_matches('/');
        if path == "/pos" || path.starts_with("/pos/") {
            Surface::Till
        } else if path == "/kds/board" || path.starts_with("/kds/board/") {
            Surface::Board
        } else if path == "/kds" || path.starts_with("/kds/") {
            Surface::Kds
        } else {
            Surface::Kiosk
        }
    }

    /// The kind of device that may show this screen.
    pub fn device_kind(self) -> DeviceKind {
        match self {
            Surface::Kiosk => DeviceKind::Kiosk,
            Surface::Kds => DeviceKind::Kds,
            Surface::Board => DeviceKind::Board,
            Surface::Till => DeviceKind::Till,
        }
    }

    pub fn title(self) -> Text {
        match self {
            Surface::Kiosk => Text::KioskTitle,
            Surface::Kds => Text::KdsTitle,
            Surface::Board => Text::BoardTitle,
            Surface::Till => Text::TillTitle,
        }
    }
}

/// Where a device of `kind` has its screen.
pub fn home_path(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Kiosk => "/kiosk/",
        DeviceKind::Kds => "/kds/",
        DeviceKind::Board => "/kds/board",
        DeviceKind::Till => "/pos/",
    }
}

#[component]
pub fn App() -> impl IntoView {
    storage::migrate_legacy_pairing();
    let surface = Surface::from_path(&location().pathname().unwrap_or_default());
    let kind = surface.device_kind();
    let locale = locale::provide_locale();
    let device = RwSignal::new(storage::paired_device(kind));
    crate::pwa::keep_storage();

    // Screen readers and the browser's own text handling follow the choice.
    Effect::new(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.get().as_str());
        }
    });
    Effect::new(move || {
        document().set_title(&format!("POS · {}", t(locale.get(), surface.title())));
    });

    let on_paired = Callback::new(move |paired: PairedDevice| device.set(Some(paired)));
    // Revoked on the server, or unpaired by staff: back to pairing. Queued
    // orders stay in IndexedDB and are sent once the device is paired again.
    let on_unpaired = Callback::new(move |()| {
        storage::forget_device(kind);
        device.set(None);
    });

    view! {
        {move || match device.get() {
            None => {
                view! {
                    <div class="app" class:kds=kind != DeviceKind::Kiosk>
                        <header class="top-bar">
                            <h1>{tr(surface.title())}</h1>
                            <LanguageSwitch />
                        </header>
                        <main class="screen">
                            <PairingScreen kind on_paired />
                        </main>
                    </div>
                }
                    .into_any()
            }
            Some(device) => {
                match surface {
                    Surface::Kiosk => view! { <KioskScreen device on_unpaired /> }.into_any(),
                    Surface::Kds => view! { <KitchenDisplay device on_unpaired /> }.into_any(),
                    Surface::Board => view! { <PickupBoard device on_unpaired /> }.into_any(),
                    Surface::Till => view! { <TillScreen device on_unpaired /> }.into_any(),
                }
            }
        }}
    }
}
