//! The one Leptos app: picks the kiosk or KDS screen from the URL and holds
//! the state the screens share (this device's pairing and the language).

use leptos::prelude::*;
use pos_wire::{DeviceKind, PairedDevice};

use crate::components::{LanguageSwitch, PairedDeviceScreen, PairingScreen};
use crate::i18n::{Text, t};
use crate::storage;

/// Which screen this page is, decided by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Kiosk,
    Kds,
}

impl Surface {
    /// `/kds` and below is the kitchen display; any other path the kiosk.
    pub fn from_path(path: &str) -> Surface {
        let path = path.trim_end_matches('/');
        if path == "/kds" || path.starts_with("/kds/") { Surface::Kds } else { Surface::Kiosk }
    }

    pub fn for_device(kind: DeviceKind) -> Surface {
        match kind {
            DeviceKind::Kiosk => Surface::Kiosk,
            DeviceKind::Kds => Surface::Kds,
        }
    }

    /// Where the server serves this screen.
    pub fn path(self) -> &'static str {
        match self {
            Surface::Kiosk => "/kiosk/",
            Surface::Kds => "/kds/",
        }
    }

    pub fn title(self) -> Text {
        match self {
            Surface::Kiosk => Text::KioskTitle,
            Surface::Kds => Text::KdsTitle,
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let surface = Surface::from_path(&location().pathname().unwrap_or_default());
    let locale = RwSignal::new(storage::locale());
    let device = RwSignal::new(storage::paired_device());

    // Screen readers and the browser's own text handling follow the choice.
    Effect::new(move || {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.get().as_str());
        }
    });

    let on_paired = Callback::new(move |paired: PairedDevice| device.set(Some(paired)));
    let on_unpair = Callback::new(move |()| {
        storage::forget_device();
        device.set(None);
    });

    view! {
        <div class="app" class:kds=surface == Surface::Kds>
            <header class="top-bar">
                <h1>{move || t(locale.get(), surface.title())}</h1>
                <LanguageSwitch locale />
            </header>
            <main class="screen">
                {move || match device.get() {
                    None => view! { <PairingScreen surface locale on_paired /> }.into_any(),
                    Some(device) => {
                        view! { <PairedDeviceScreen device surface locale on_unpair /> }.into_any()
                    }
                }}
            </main>
        </div>
    }
}
