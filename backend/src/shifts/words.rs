//! The shift report's words in Indonesian and English.

use pos_wire::Locale;

pub struct Words {
    pub x_title: &'static str,
    pub z_title: &'static str,
    pub x_note: &'static str,
    pub till: &'static str,
    pub opened: &'static str,
    pub closed: &'static str,
    pub printed: &'static str,
    pub sales: &'static str,
    pub total: &'static str,
    pub refunds: &'static str,
    pub discounts: &'static str,
    pub unverified: &'static str,
    pub voids: &'static str,
    pub rounding: &'static str,
    pub movements: &'static str,
    pub cash_in: &'static str,
    pub cash_out: &'static str,
    pub drawer: &'static str,
    pub float: &'static str,
    pub cash_sales: &'static str,
    pub cash_refunds: &'static str,
    pub expected: &'static str,
    pub counted: &'static str,
    pub variance: &'static str,
    pub denominations: &'static str,
    pub none: &'static str,
    pub cash: &'static str,
    pub card: &'static str,
    pub qris: &'static str,
    pub print: &'static str,
}

const ID: Words = Words {
    x_title: "Laporan X",
    z_title: "Laporan Z",
    x_note: "Shift masih berjalan",
    till: "Kasir",
    opened: "Dibuka",
    closed: "Ditutup",
    printed: "Dicetak",
    sales: "Penjualan",
    total: "Total",
    refunds: "Pengembalian dana",
    discounts: "Diskon",
    unverified: "Diskon offline, PIN manajer tidak terverifikasi",
    voids: "Void",
    rounding: "Pembulatan tunai",
    movements: "Kas masuk/keluar",
    cash_in: "Kas masuk",
    cash_out: "Kas keluar",
    drawer: "Laci kas",
    float: "Modal awal",
    cash_sales: "Penjualan tunai",
    cash_refunds: "Refund tunai",
    expected: "Seharusnya",
    counted: "Dihitung",
    variance: "Selisih",
    denominations: "Pecahan",
    none: "Tidak ada",
    cash: "Tunai",
    card: "Kartu",
    qris: "QRIS",
    print: "Cetak",
};

const EN: Words = Words {
    x_title: "X report",
    z_title: "Z report",
    x_note: "Shift still open",
    till: "Till",
    opened: "Opened",
    closed: "Closed",
    printed: "Printed",
    sales: "Sales",
    total: "Total",
    refunds: "Refunds",
    discounts: "Discounts",
    unverified: "Offline discounts, manager's PIN unverified",
    voids: "Voids",
    rounding: "Cash rounding",
    movements: "Cash in/out",
    cash_in: "Cash in",
    cash_out: "Cash out",
    drawer: "Cash drawer",
    float: "Opening float",
    cash_sales: "Cash sales",
    cash_refunds: "Cash refunds",
    expected: "Expected",
    counted: "Counted",
    variance: "Variance",
    denominations: "Denominations",
    none: "None",
    cash: "Cash",
    card: "Card",
    qris: "QRIS",
    print: "Print",
};

impl Words {
    pub fn of(locale: Locale) -> &'static Words {
        match locale {
            Locale::Id => &ID,
            Locale::En => &EN,
        }
    }

    pub fn method(&self, method: pos_wire::PaymentMethod) -> &'static str {
        match method {
            pos_wire::PaymentMethod::Cash => self.cash,
            pos_wire::PaymentMethod::Card => self.card,
            pos_wire::PaymentMethod::Qris => self.qris,
        }
    }
}
