//! The receipt's words in Indonesian and English.

use pos_wire::Locale;

pub struct Words {
    pub title: &'static str,
    pub receipt_no: &'static str,
    pub not_paid: &'static str,
    pub not_paid_note: &'static str,
    pub pickup: &'static str,
    pub date: &'static str,
    pub customer: &'static str,
    pub table: &'static str,
    pub tax_number: &'static str,
    pub subtotal: &'static str,
    pub service_charge: &'static str,
    /// The restaurant tax (PB1/PBJT).
    pub tax: &'static str,
    pub total: &'static str,
    pub rounding: &'static str,
    pub payments: &'static str,
    pub cash: &'static str,
    pub card: &'static str,
    pub tendered: &'static str,
    pub change: &'static str,
    pub reference: &'static str,
    pub refunds: &'static str,
    pub refund: &'static str,
    pub pending: &'static str,
    pub voided: &'static str,
    pub cancelled: &'static str,
    pub print: &'static str,
    pub thanks: &'static str,
}

const ID: Words = Words {
    title: "Struk",
    receipt_no: "No. Struk",
    not_paid: "BELUM LUNAS",
    not_paid_note: "Bukan bukti pembayaran",
    pickup: "No. Antrean",
    date: "Tanggal",
    customer: "Pelanggan",
    table: "Meja",
    tax_number: "NPWP",
    subtotal: "Subtotal",
    service_charge: "Biaya layanan",
    tax: "PB1",
    total: "Total",
    rounding: "Pembulatan",
    payments: "Pembayaran",
    cash: "Tunai",
    card: "Kartu",
    tendered: "Diterima",
    change: "Kembali",
    reference: "Ref.",
    refunds: "Pengembalian dana",
    refund: "Refund",
    pending: " (diproses)",
    voided: "DIBATALKAN (VOID)",
    cancelled: "DIBATALKAN",
    print: "Cetak",
    thanks: "Terima kasih!",
};

const EN: Words = Words {
    title: "Receipt",
    receipt_no: "Receipt no.",
    not_paid: "NOT PAID",
    not_paid_note: "Not a proof of payment",
    pickup: "Pickup no.",
    date: "Date",
    customer: "Customer",
    table: "Table",
    tax_number: "Tax ID",
    subtotal: "Subtotal",
    service_charge: "Service charge",
    tax: "Tax (PB1)",
    total: "Total",
    rounding: "Rounding",
    payments: "Payments",
    cash: "Cash",
    card: "Card",
    tendered: "Tendered",
    change: "Change",
    reference: "Ref.",
    refunds: "Refunds",
    refund: "Refund",
    pending: " (pending)",
    voided: "VOIDED",
    cancelled: "CANCELLED",
    print: "Print",
    thanks: "Thank you!",
};

impl Words {
    pub fn of(locale: Locale) -> &'static Words {
        match locale {
            Locale::Id => &ID,
            Locale::En => &EN,
        }
    }
}
