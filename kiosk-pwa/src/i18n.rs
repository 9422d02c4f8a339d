//! Interface strings in Indonesian and English. Every [`Text`] must have both
//! translations: the matches below are exhaustive, so a missing one fails to
//! compile.

pub use pos_wire::Locale;

pub const DEFAULT_LOCALE: Locale = Locale::Id;

/// Locales the language switch offers, in display order.
pub const LOCALES: [Locale; 2] = [Locale::Id, Locale::En];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    KioskTitle,
    KdsTitle,
    LanguageLabel,
    PairKioskHeading,
    PairKdsHeading,
    PairHint,
    PairingCodeLabel,
    PairButton,
    Pairing,
    ServerUnreachable,
    PairingFailed,
    StorageUnavailable,
    PairedAs,
    KindKiosk,
    KindKds,
    OutletLabel,
    DeviceLabel,
    KioskComingNext,
    KdsComingNext,
    PairedForOtherScreen,
    OpenItsScreen,
    UnpairButton,
    UnpairConfirm,
}

/// The string for `text` in `locale`.
pub fn t(locale: Locale, text: Text) -> &'static str {
    match locale {
        Locale::Id => indonesian(text),
        Locale::En => english(text),
    }
}

/// The language's own name, for the language switch.
pub fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::Id => "Bahasa Indonesia",
        Locale::En => "English",
    }
}

fn indonesian(text: Text) -> &'static str {
    match text {
        Text::KioskTitle => "Kios",
        Text::KdsTitle => "Layar Dapur",
        Text::LanguageLabel => "Bahasa",
        Text::PairKioskHeading => "Pasangkan kios ini",
        Text::PairKdsHeading => "Pasangkan layar dapur ini",
        Text::PairHint => "Masukkan kode pemasangan yang dibuat di halaman admin untuk outlet ini.",
        Text::PairingCodeLabel => "Kode pemasangan",
        Text::PairButton => "Pasangkan",
        Text::Pairing => "Memasangkan…",
        Text::ServerUnreachable => "Server tidak dapat dihubungi. Periksa koneksi internet, lalu coba lagi.",
        Text::PairingFailed => "Pemasangan gagal",
        Text::StorageUnavailable => {
            "Browser ini tidak dapat menyimpan pemasangan. Izinkan penyimpanan situs, lalu coba lagi."
        }
        Text::PairedAs => "Terpasang sebagai",
        Text::KindKiosk => "Kios",
        Text::KindKds => "Layar dapur (KDS)",
        Text::OutletLabel => "Outlet",
        Text::DeviceLabel => "Perangkat",
        Text::KioskComingNext => "Menu dan pemesanan akan tampil di sini.",
        Text::KdsComingNext => "Tiket dapur akan tampil di sini.",
        Text::PairedForOtherScreen => "Perangkat ini dipasangkan untuk layar lain.",
        Text::OpenItsScreen => "Buka layarnya",
        Text::UnpairButton => "Lepas pemasangan",
        Text::UnpairConfirm => "Lepas pemasangan perangkat ini? Untuk memakainya lagi diperlukan kode pemasangan baru.",
    }
}

fn english(text: Text) -> &'static str {
    match text {
        Text::KioskTitle => "Kiosk",
        Text::KdsTitle => "Kitchen Display",
        Text::LanguageLabel => "Language",
        Text::PairKioskHeading => "Pair this kiosk",
        Text::PairKdsHeading => "Pair this kitchen display",
        Text::PairHint => "Enter the pairing code created in the admin for this outlet.",
        Text::PairingCodeLabel => "Pairing code",
        Text::PairButton => "Pair",
        Text::Pairing => "Pairing…",
        Text::ServerUnreachable => "The server cannot be reached. Check the internet connection and try again.",
        Text::PairingFailed => "Pairing failed",
        Text::StorageUnavailable => "This browser cannot save the pairing. Allow site storage and try again.",
        Text::PairedAs => "Paired as",
        Text::KindKiosk => "Kiosk",
        Text::KindKds => "Kitchen display (KDS)",
        Text::OutletLabel => "Outlet",
        Text::DeviceLabel => "Device",
        Text::KioskComingNext => "The menu and ordering will appear here.",
        Text::KdsComingNext => "Kitchen tickets will appear here.",
        Text::PairedForOtherScreen => "This device is paired for the other screen.",
        Text::OpenItsScreen => "Open its screen",
        Text::UnpairButton => "Unpair",
        Text::UnpairConfirm => "Unpair this device? Using it again needs a new pairing code.",
    }
}
