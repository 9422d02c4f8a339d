//! The one Leptos app: picks the kiosk, kitchen display or pickup board
//! from the URL, and holds what they share (this device's pairing, and the
//! language, which it provides to every component through context).

use leptos::prelude::*;
use pos_wire::{DeviceKind, PairedDevice};

#[cfg(feature = "kiosk")]
use crate::components::KioskScreen;
#[cfg(feature = "kds")]
use crate::components::KitchenDisplay;
#[cfg(feature = "board")]
use crate::components::PickupBoard;
#[cfg(feature = "till")]
use crate::components::TillScreen;
use crate::components::{LanguageSwitch, PairingScreen};
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

    /// The screens compiled into this bundle (build.sh builds one per
    /// screen; a development build has them all).
    const BUILT: &[Surface] = &[
        #[cfg(feature = "kiosk")]
        Surface::Kiosk,
        #[cfg(feature = "kds")]
        Surface::Kds,
        #[cfg(feature = "board")]
        Surface::Board,
        #[cfg(feature = "till")]
        Surface::Till,
    ];

    /// The screen this page shows: the path's, when this bundle has it.
    /// The server hands each path its own screen's bundle, so otherwise
    /// (a page cached by an older service worker, say) the bundle's own.
    pub fn for_page(path: &str) -> Surface {
        let wanted = Surface::from_path(path);
        if Surface::BUILT.contains(&wanted) { wanted } else { Surface::BUILT[0] }
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
    let surface = Surface::for_page(&location().pathname().unwrap_or_default());
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
            Some(device) => screen(surface, device, on_unpaired),
        }}
    }
}

/// The paired device's screen. Only this bundle's screens are compiled in
/// (`for_page` never picks another), so a per-screen bundle carries none of
/// the others' code.
fn screen(surface: Surface, device: PairedDevice, on_unpaired: Callback<()>) -> AnyView {
    match surface {
        #[cfg(feature = "kiosk")]
        Surface::Kiosk => view! { <KioskScreen device on_unpaired /> }.into_any(),
        #[cfg(feature = "kds")]
        Surface::Kds => view! { <KitchenDisplay device on_unpaired /> }.into_any(),
        #[cfg(feature = "board")]
        Surface::Board => view! { <PickupBoard device on_unpaired /> }.into_any(),
        #[cfg(feature = "till")]
        Surface::Till => view! { <TillScreen device on_unpaired /> }.into_any(),
        #[allow(unreachable_patterns)]
        _ => ().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::Surface;

    #[test]
    fn the_path_picks_the_screen() {
        for (path, surface) in [
            ("/kiosk/", Surface::Kiosk),
            ("/kiosk/anything", Surface::Kiosk),
            ("/kds", Surface::Kds),
            ("/kds/", Surface::Kds),
            ("/kds/boards", Surface::Kds),
            ("/kds/board", Surface::Board),
            ("/kds/board/", Surface::Board),
            ("/pos", Surface::Till),
            ("/pos/tables", Surface::Till),
            ("/posx", Surface::Kiosk),
        ] {
            assert_eq!(Surface::from_path(path), surface, "{path}");
        }
    }

    #[test]
    #[cfg(all(feature = "kiosk", feature = "kds", feature = "board", feature = "till"))]
    fn with_every_screen_built_each_page_shows_its_own() {
        assert_eq!(Surface::for_page("/kds/board"), Surface::Board);
        assert_eq!(Surface::for_page("/pos/"), Surface::Till);
    }

    #[test]
    #[cfg(all(feature = "kds", not(feature = "board")))]
    fn a_bundle_without_the_pages_screen_shows_its_own() {
        assert_eq!(Surface::for_page("/kds/board"), Surface::Kds);
    }
}
