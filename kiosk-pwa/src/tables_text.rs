//! The table service's interface strings in Indonesian and English (kept
//! apart from `i18n` so the till's parts grow without touching each other;
//! the matches are exhaustive, so a missing translation fails to compile).

use leptos::prelude::*;

use crate::{i18n::Locale, locale::use_locale};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableText {
    Tables,
    CounterSale,
    Free,
    NoTables,
    Loading,
    SendRound,
    SendingTo,
    NotePlaceholder,
    Notes,
    AddRound,
    MoveCheck,
    MergeCheck,
    SplitByItem,
    SplitEvenly,
    PayCheck,
    Queued,
    QueuedRounds,
    PickFreeTable,
    PickCheckToMerge,
    PickLines,
    SplitOff,
    Ways,
    Cancel,
    Subtotal,
    Discount,
    ServiceCharge,
    Tax,
    Paid,
    RoundRefused,
    Guests,
    SaveGuests,
}

pub fn text(locale: Locale, key: TableText) -> &'static str {
    use TableText::*;
    match locale {
        Locale::Id => match key {
            Tables => "Meja",
            CounterSale => "Jual di kasir",
            Free => "Kosong",
            NoTables => "Belum ada meja. Atur area dan meja di admin.",
            Loading => "Memuat…",
            SendRound => "Kirim ke dapur",
            SendingTo => "Pesanan untuk meja",
            NotePlaceholder => "Catatan (mis. tanpa es)",
            Notes => "Catatan per item",
            AddRound => "Tambah pesanan",
            MoveCheck => "Pindah meja",
            MergeCheck => "Gabung meja",
            SplitByItem => "Pisah per item",
            SplitEvenly => "Bagi rata",
            PayCheck => "Bayar",
            Queued => "menunggu jaringan",
            QueuedRounds => "Pesanan yang menunggu jaringan",
            PickFreeTable => "Pilih meja kosong",
            PickCheckToMerge => "Pilih meja yang digabung ke sini",
            PickLines => "Pilih item yang dipisah, lalu bayar terpisah",
            SplitOff => "Pisahkan dan bayar",
            Ways => "Dibagi",
            Cancel => "Batal",
            Subtotal => "Subtotal",
            Discount => "Diskon",
            ServiceCharge => "Biaya layanan",
            Tax => "Pajak",
            Paid => "Dibayar",
            RoundRefused => "Pesanan ditolak server",
            Guests => "Jumlah tamu",
            SaveGuests => "Simpan",
        },
        Locale::En => match key {
            Tables => "Tables",
            CounterSale => "Counter sale",
            Free => "Free",
            NoTables => "No tables yet. Set up areas and tables in the admin.",
            Loading => "Loading…",
            SendRound => "Send to kitchen",
            SendingTo => "Order for table",
            NotePlaceholder => "Note (e.g. no ice)",
            Notes => "Notes per item",
            AddRound => "Add a round",
            MoveCheck => "Move table",
            MergeCheck => "Merge table",
            SplitByItem => "Split by item",
            SplitEvenly => "Split evenly",
            PayCheck => "Pay",
            Queued => "waiting for the network",
            QueuedRounds => "Rounds waiting for the network",
            PickFreeTable => "Choose a free table",
            PickCheckToMerge => "Choose the table to merge into this one",
            PickLines => "Choose the items to split off, then pay them apart",
            SplitOff => "Split off and pay",
            Ways => "Ways",
            Cancel => "Cancel",
            Subtotal => "Subtotal",
            Discount => "Discount",
            ServiceCharge => "Service charge",
            Tax => "Tax",
            Paid => "Paid",
            RoundRefused => "Round refused by the server",
            Guests => "Guests",
            SaveGuests => "Save",
        },
    }
}

/// `key` in the language shown, as a closure a view renders again on a switch.
pub fn tt(key: TableText) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = use_locale();
    move || text(locale.get(), key)
}

/// "Guests: 1 to 999".
pub fn guests_range(locale: Locale, max: i32) -> String {
    match locale {
        Locale::Id => format!("Jumlah tamu 1 sampai {max}."),
        Locale::En => format!("Guests: 1 to {max}."),
    }
}

/// "Round 2" (the lines a check opened with are round 1).
pub fn round_heading(locale: Locale, n: usize) -> String {
    match locale {
        Locale::Id => format!("Ronde {n}"),
        Locale::En => format!("Round {n}"),
    }
}
