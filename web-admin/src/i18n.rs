//! The admin's words in Indonesian (the default) and English.
//!
//! Templates call `ctx.t("key")` (or `tr.t("key")` on pages without a
//! session). A unit test checks that every key used in a template or in
//! the code has both languages.

use std::{collections::HashMap, sync::LazyLock};

use chrono::{DateTime, Utc};
use pos_wire::Locale;

/// The interface language of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Locale);

impl Default for Tr {
    fn default() -> Tr {
        Tr(Locale::Id)
    }
}

impl Tr {
    /// The text of `key`; a visible marker for a key nobody wrote.
    pub fn t(&self, key: &str) -> &'static str {
        self.try_t(key).unwrap_or("⟨?⟩")
    }

    pub fn try_t(&self, key: &str) -> Option<&'static str> {
        t_opt(self.0, key)
    }

    /// The text of a `?notice=` name, only for known notices.
    pub fn notice(&self, name: &str) -> Option<&'static str> {
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return None;
        }
        self.try_t(&format!("notice.{name}"))
    }

    /// The `lang` attribute value.
    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }
}

/// The text of `key` in `locale`.
pub fn t(locale: Locale, key: &str) -> &'static str {
    Tr(locale).t(key)
}

fn t_opt(locale: Locale, key: &str) -> Option<&'static str> {
    static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
        STRINGS.iter().chain(crate::stock_i18n::STRINGS).map(|(k, id, en)| (*k, (*id, *en))).collect()
    });
    TABLE.get(key).map(|(id, en)| match locale {
        Locale::Id => *id,
        Locale::En => *en,
    })
}

/// A time for people who have not set up time zones: UTC, stated as such.
/// (`static/admin.js` rewrites `<time datetime>` to the browser's zone.)
pub fn format_utc(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// key, Indonesian, English.
const STRINGS: &[(&str, &str, &str)] = &[
    // Navigation and chrome
    ("nav.label", "Menu utama", "Main menu"),
    ("nav.skip", "Langsung ke isi", "Skip to content"),
    ("nav.dashboard", "Beranda", "Dashboard"),
    ("nav.outlets", "Outlet", "Outlets"),
    ("nav.menu", "Menu", "Menu"),
    ("nav.orders", "Pesanan", "Orders"),
    ("nav.devices", "Perangkat", "Devices"),
    ("nav.shifts", "Shift kasir", "Shifts"),
    ("nav.reports", "Laporan", "Reports"),
    ("nav.staff", "Staf", "Staff"),
    ("nav.brand", "Brand", "Brand"),
    ("nav.audit", "Log audit", "Audit log"),
    ("nav.logout", "Keluar", "Sign out"),
    ("role.owner", "Pemilik", "Owner"),
    ("role.manager", "Manajer", "Manager"),
    ("role.cashier", "Kasir", "Cashier"),
    ("role.kitchen", "Dapur", "Kitchen"),
    // Forms
    ("form.save", "Simpan", "Save"),
    ("form.cancel", "Batal", "Cancel"),
    ("form.edit", "Ubah", "Edit"),
    ("form.actions", "Tindakan", "Actions"),
    ("form.fix_errors", "Periksa kembali isian yang ditandai.", "Please correct the marked fields."),
    ("field.email", "Email", "Email"),
    ("field.password", "Kata sandi", "Password"),
    ("field.required", "Wajib diisi", "This field is required"),
    ("field.percent_format", "Tulis persentase, misalnya 11 atau 2,5", "Enter a percentage, for example 11 or 2.5"),
    ("field.percent_decimals", "Paling banyak dua angka di belakang koma", "At most two decimal places"),
    ("field.percent_range", "Harus antara 0% dan 100%", "Must be between 0% and 100%"),
    ("field.choose_one", "Pilih salah satu", "Choose one of the options"),
    ("field.whole_number", "Tulis bilangan bulat, misalnya 1", "Enter a whole number, for example 1"),
    ("field.money_format", "Tulis jumlah uang, misalnya 25000", "Enter an amount, for example 25000"),
    ("field.money_whole", "Tanpa angka desimal, misalnya 25000", "Whole amounts only, for example 25000"),
    ("field.money_negative", "Tidak boleh negatif", "Must not be negative"),
    ("field.money_range", "Jumlah terlalu besar", "The amount is too large"),
    ("field.unknown_outlet", "Berisi outlet yang tidak ada", "Contains an outlet that does not exist"),
    // Sign in
    ("login.title", "Masuk ke admin", "Sign in to the admin"),
    ("login.intro", "Untuk pemilik dan manajer brand.", "For brand owners and managers."),
    ("login.submit", "Masuk", "Sign in"),
    ("login.forgot", "Lupa kata sandi?", "Forgot your password?"),
    ("password.forgot_title", "Lupa kata sandi", "Forgot your password"),
    (
        "password.forgot_intro",
        "Tulis email akun Anda; kami kirim tautan untuk memilih kata sandi baru.",
        "Type your account's email; we will send a link to choose a new password.",
    ),
    ("password.send_link", "Kirim tautan", "Send the link"),
    (
        "password.sent",
        "Jika ada akun dengan email itu, tautannya sedang dikirim. Periksa kotak masuk Anda (berlaku 1 jam).",
        "If an account has that email, the link is on its way. Check your inbox (it works for one hour).",
    ),
    ("password.set_title", "Pilih kata sandi", "Choose a password"),
    ("password.rule", "Minimal 8 karakter.", "At least 8 characters."),
    ("password.confirm", "Ulangi kata sandi", "Type it again"),
    ("password.mismatch", "Kedua kata sandi tidak sama.", "The two passwords differ."),
    ("password.save", "Simpan kata sandi", "Save the password"),
    (
        "password.link_invalid",
        "Tautan ini tidak dikenal, sudah dipakai atau kedaluwarsa.",
        "This link is unknown, was used already or has expired.",
    ),
    ("password.ask_again", "Minta tautan baru", "Ask for a new link"),
    ("password.done", "Kata sandi tersimpan. Silakan masuk.", "Your password is saved. You can sign in now."),
    ("verify.title", "Konfirmasi email", "Confirm your email"),
    ("verify.intro", "Konfirmasi bahwa alamat email ini milik Anda.", "Confirm that this email address is yours."),
    ("verify.submit", "Konfirmasi email saya", "Confirm my email"),
    ("verify.done", "Email Anda sudah dikonfirmasi.", "Your email is confirmed."),
    ("login.brand", "Brand", "Brand"),
    ("login.wrong", "Email atau kata sandi salah.", "Wrong email or password."),
    (
        "login.staff_only",
        "Admin hanya untuk pemilik dan manajer. Kasir dan staf dapur memakai kiosk dan layar dapur.",
        "The admin is for owners and managers. Cashiers and kitchen staff use the kiosk and the kitchen display.",
    ),
    ("login.rate_limited", "Terlalu banyak percobaan masuk.", "Too many sign-in attempts."),
    (
        "login.expired",
        "Formulir masuk ini sudah kedaluwarsa. Silakan masuk lagi.",
        "This sign-in form has expired. Please sign in again.",
    ),
    ("login.retry_in", "Coba lagi dalam", "Try again in"),
    ("login.minutes", "menit", "minutes"),
    (
        "login.choose_brand",
        "Email ini terdaftar di beberapa brand. Pilih brand, lalu masukkan kata sandi lagi.",
        "This email opens several brands. Choose one and enter your password again.",
    ),
    // Errors
    ("error.title", "Tidak dapat ditampilkan", "Cannot show this"),
    ("error.back", "Kembali ke beranda", "Back to the dashboard"),
    ("error.not_found", "Halaman atau data ini tidak ditemukan.", "This page or item was not found."),
    ("error.forbidden", "Anda tidak diizinkan melakukan ini.", "You are not allowed to do this."),
    (
        "error.signed_out",
        "Sesi Anda sudah berakhir. Silakan masuk lagi.",
        "Your session has ended. Please sign in again.",
    ),
    ("error.conflict", "Perubahan ini tidak dapat dilakukan.", "This change cannot be made."),
    ("error.bad_request", "Permintaan ini tidak valid.", "This request is not valid."),
    (
        "error.too_slow",
        "Formulir tidak terkirim utuh tepat waktu. Periksa koneksi lalu kirim lagi.",
        "The form did not arrive in time. Check the connection and send it again.",
    ),
    (
        "error.too_large",
        "Yang dikirim terlalu besar. Kirim berkas yang lebih kecil.",
        "What was sent is too large. Send a smaller file.",
    ),
    (
        "error.rate_limited",
        "Terlalu banyak permintaan. Coba lagi sebentar lagi.",
        "Too many requests. Please try again shortly.",
    ),
    (
        "error.unavailable",
        "Layanan sedang tidak tersedia. Coba lagi sebentar lagi.",
        "The service is unavailable. Please try again shortly.",
    ),
    (
        "error.internal",
        "Terjadi kesalahan di server. Coba lagi; jika berulang, hubungi dukungan.",
        "Something went wrong on the server. Try again; if it keeps happening, contact support.",
    ),
    ("error.csrf_title", "Permintaan ditolak", "Request refused"),
    (
        "error.csrf",
        "Formulir ini kedaluwarsa atau tidak berasal dari halaman admin. Muat ulang halaman lalu coba lagi.",
        "This form has expired or did not come from an admin page. Reload the page and try again.",
    ),
    // Notices after a redirect
    ("notice.refund_recorded", "Pengembalian dana dicatat.", "Refund recorded."),
    (
        "notice.refund_pending",
        "Pengembalian dana dikirim ke gateway pembayaran dan sedang diproses.",
        "The refund was sent to the payment gateway and is being processed.",
    ),
    (
        "notice.refund_gateway_unavailable",
        "Gateway pembayaran tidak dapat dihubungi; pengembalian dana menunggu. Coba lagi nanti.",
        "The payment gateway could not be reached; the refund is waiting. Try again later.",
    ),
    (
        "notice.refund_refused",
        "Gateway pembayaran menolak pengembalian dana ini.",
        "The payment gateway refused this refund.",
    ),
    ("notice.outlet_created", "Outlet dibuat.", "Outlet created."),
    ("notice.outlet_saved", "Outlet disimpan.", "Outlet saved."),
    ("notice.floor_saved", "Denah disimpan.", "Floor saved."),
    ("notice.outlet_archived", "Outlet diarsipkan.", "Outlet archived."),
    ("notice.device_revoked", "Perangkat dicabut.", "Device revoked."),
    ("notice.staff_created", "Akun staf dibuat.", "Staff account created."),
    ("notice.staff_saved", "Akun staf disimpan.", "Staff account saved."),
    ("notice.staff_deleted", "Akun staf dihapus.", "Staff account deleted."),
    ("notice.brand_saved", "Pengaturan brand disimpan.", "Brand settings saved."),
    ("notice.category_created", "Kategori dibuat.", "Category created."),
    ("notice.category_saved", "Kategori disimpan.", "Category saved."),
    ("notice.category_deleted", "Kategori dihapus.", "Category deleted."),
    ("notice.item_created", "Menu dibuat.", "Item created."),
    ("notice.item_saved", "Menu disimpan.", "Item saved."),
    ("notice.item_deleted", "Menu dihapus.", "Item deleted."),
    ("notice.availability_saved", "Ketersediaan disimpan.", "Availability saved."),
    // Dashboard
    ("dashboard.welcome", "Selamat datang", "Welcome"),
    ("dashboard.open_now", "buka", "open"),
    ("dashboard.active", "aktif", "active"),
    ("dashboard.paired", "terhubung", "paired"),
    ("dashboard.quick", "Pintasan", "Quick links"),
    ("dashboard.pair_device", "Hubungkan kiosk atau layar dapur", "Pair a kiosk or kitchen display"),
    ("dashboard.open_kiosk", "Buka aplikasi kiosk", "Open the kiosk app"),
    ("dashboard.open_kds", "Buka layar dapur", "Open the kitchen display"),
    ("dashboard.menu", "Kelola menu dan ketersediaan", "Manage the menu and availability"),
    ("dashboard.orders", "Lihat pesanan", "See orders"),
    // Brand
    ("brand.title", "Pengaturan brand", "Brand settings"),
    ("brand.name", "Nama brand", "Brand name"),
    ("brand.currency", "Mata uang", "Currency"),
    (
        "brand.currency_hint",
        "Semua harga brand memakai mata uang ini.",
        "Every price of the brand is in this currency.",
    ),
    ("brand.locale", "Bahasa bawaan", "Default language"),
    (
        "brand.locale_hint",
        "Bahasa utama brand; setiap pengguna admin dapat memilih bahasanya sendiri.",
        "The brand's main language; every admin user can choose their own.",
    ),
    (
        "brand.owners_only",
        "Hanya pemilik yang dapat mengubah pengaturan brand.",
        "Only owners can change the brand settings.",
    ),
    // Outlets
    ("outlets.new", "Outlet baru", "New outlet"),
    ("outlets.edit", "Ubah outlet", "Edit outlet"),
    ("outlets.create", "Buat outlet", "Create outlet"),
    ("outlets.none", "Belum ada outlet.", "No outlets yet."),
    ("outlets.name", "Nama", "Name"),
    ("outlets.address", "Alamat", "Address"),
    ("outlets.timezone", "Zona waktu", "Time zone"),
    ("outlets.tax", "Pajak", "Tax"),
    ("outlets.service", "Biaya layanan", "Service charge"),
    ("outlets.status", "Status", "Status"),
    ("outlets.is_open", "Buka untuk pesanan", "Open for orders"),
    ("outlets.open", "Buka", "Open"),
    ("outlets.closed", "Tutup", "Closed"),
    ("outlets.open_now", "Buka sekarang", "Open now"),
    ("outlets.close_now", "Tutup sekarang", "Close now"),
    ("outlets.manage_devices", "Kelola perangkat outlet ini", "Manage this outlet's devices"),
    ("outlets.manage_tables", "Kelola area dan meja outlet ini", "Manage this outlet's areas and tables"),
    ("nav.tables", "Meja", "Tables"),
    ("floor.title", "Area dan meja", "Areas and tables"),
    (
        "floor.intro",
        "Kasir membuka tagihan di meja ini dari kasir (till). Meja dengan tagihan terbuka tidak bisa dihapus.",
        "Cashiers open checks at these tables on the till. A table with an open check cannot be deleted.",
    ),
    ("floor.no_areas", "Belum ada area. Tambahkan satu di bawah.", "No areas yet. Add one below."),
    ("floor.no_tables", "Belum ada meja di area ini.", "No tables in this area yet."),
    ("floor.area", "Area", "Area"),
    ("floor.area_name", "Nama area", "Area name"),
    ("floor.area_example", "misalnya Teras", "for example Terrace"),
    ("floor.new_area", "Area baru", "New area"),
    ("floor.add_area", "Tambah area", "Add area"),
    ("floor.delete_area", "Hapus area", "Delete area"),
    ("floor.table", "Meja", "Table"),
    ("floor.table_example", "misalnya T1", "for example T1"),
    ("floor.seats", "Kursi", "Seats"),
    ("floor.check", "Tagihan", "Check"),
    ("floor.open_check", "Tagihan terbuka", "Open check"),
    ("floor.free", "Kosong", "Free"),
    ("floor.new_table", "Meja baru", "New table"),
    ("floor.add_table", "Tambah meja", "Add table"),
    ("floor.delete_table", "Hapus", "Delete"),
    ("outlets.archive", "Arsipkan outlet", "Archive outlet"),
    (
        "outlets.archive_warning",
        "Outlet hilang dari daftar dan semua perangkatnya dicabut. Riwayatnya tetap tersimpan.",
        "The outlet leaves the list and all its devices are revoked. Its history is kept.",
    ),
    ("outlets.tax_number", "NPWP", "Tax number (NPWP)"),
    ("outlets.discount_limit", "Batas diskon tanpa manajer", "Discount limit without a manager"),
    (
        "outlets.discount_limit_hint",
        "Diskon di atas persentase ini perlu PIN manajer.",
        "Discounts above this share need a manager's PIN.",
    ),
    ("outlets.tax_number_hint", "Dicetak di struk. Boleh kosong.", "Printed on receipts. May be left empty."),
    ("outlets.rounding", "Pembulatan tunai", "Cash rounding"),
    ("outlets.rounding_none", "Tanpa pembulatan", "No rounding"),
    (
        "outlets.rounding_hint",
        "Tagihan yang dilunasi tunai dibulatkan ke kelipatan ini; selisihnya tercatat sebagai baris pembulatan.",
        "Bills settled in cash are rounded to this step; the difference shows as its own rounding line.",
    ),
    ("outlets.release", "Pesanan kiosk masuk ke dapur", "Kiosk orders reach the kitchen"),
    ("outlets.release_on_place", "Saat dipesan", "When placed"),
    (
        "outlets.release_on_place_hint",
        "pelanggan bisa membayar di kasir nanti",
        "customers may pay at the counter later",
    ),
    ("outlets.release_on_paid", "Setelah dibayar", "Once paid"),
    ("outlets.release_on_paid_hint", "dapur hanya melihat pesanan yang lunas", "the kitchen sees only paid orders"),
    ("outlets.release_invalid", "Pilih salah satu pilihan", "Choose one of the options"),
    ("outlets.archive_confirm", "Ya, arsipkan outlet ini", "Yes, archive this outlet"),
    // Menu: categories
    (
        "menu.none",
        "Belum ada kategori. Buat kategori pertama di bawah.",
        "No categories yet. Create the first one below.",
    ),
    ("menu.categories_count", "kategori", "categories"),
    ("menu.items_count", "menu", "items"),
    ("menu.no_items", "Belum ada menu di kategori ini.", "No items in this category yet."),
    ("menu.show_items", "Tampilkan menu", "Show items"),
    ("menu.search", "Cari menu", "Find items"),
    ("menu.search_placeholder", "Nama atau kode menu", "Item name or code"),
    ("menu.search_results", "Hasil pencarian", "Search results"),
    ("menu.search_none", "Tidak ada menu yang cocok.", "No items match."),
    ("menu.search_more", "Masih ada menu lain yang cocok: perjelas pencarian.", "More items match: narrow the search."),
    ("menu.search_clear", "Tutup pencarian", "Clear the search"),
    ("menu.new_category", "Kategori baru", "New category"),
    ("menu.create_category", "Buat kategori", "Create category"),
    ("menu.edit_category", "Ubah kategori", "Edit category"),
    ("menu.delete_category", "Hapus kategori", "Delete category"),
    ("menu.category_name", "Nama kategori", "Category name"),
    ("menu.station", "Stasiun dapur", "Kitchen station"),
    ("menu.station_example", "misalnya bar", "for example bar"),
    (
        "menu.station_hint",
        "Pesanan dari kategori ini tampil di layar dapur stasiun tersebut.",
        "Orders from this category show on that station's kitchen display.",
    ),
    ("menu.position", "Urutan", "Position"),
    ("menu.move_up", "Naikkan", "Move up"),
    ("menu.move_down", "Turunkan", "Move down"),
    (
        "menu.category_not_empty",
        "Kategori ini masih berisi menu. Pindahkan atau hapus menunya terlebih dahulu.",
        "This category still has items. Move or delete them first.",
    ),
    // Menu: items
    ("items.new", "Menu baru", "New item"),
    ("items.edit", "Ubah menu", "Edit item"),
    ("items.create", "Buat menu", "Create item"),
    ("items.add_here", "Tambah menu", "Add an item"),
    ("items.category", "Kategori", "Category"),
    ("items.name", "Nama menu", "Item name"),
    ("items.code", "Kode (SKU/PLU, opsional)", "Code (SKU/PLU, optional)"),
    (
        "items.code_hint",
        "Untuk mencari di kasir. Huruf, angka, - _ . (maks. 32).",
        "For searching at the till. Letters, digits, - _ . (max. 32).",
    ),
    ("items.description", "Deskripsi", "Description"),
    ("items.price", "Harga", "Price"),
    ("items.price_hint", "Dalam satuan mata uang, misalnya", "In the currency's units, for example"),
    ("items.image", "Foto", "Photo"),
    ("items.image_preview", "Pratinjau foto", "Photo preview"),
    ("items.image_hint", "JPEG, PNG, atau WebP, paling besar 2 MB.", "JPEG, PNG or WebP, at most 2 MB."),
    ("items.image_too_large", "Foto terlalu besar (paling besar 2 MB)", "The photo is too large (at most 2 MB)"),
    ("items.remove_image", "Hapus foto", "Remove the photo"),
    ("items.groups", "Pilihan tambahan", "Modifier groups"),
    (
        "items.groups_hint",
        "Misalnya Ukuran atau Gula. Min 0 berarti opsional; harga pilihan ditambahkan ke harga menu (boleh negatif).",
        "For example Size or Sugar. Min 0 makes it optional; an option's price is added to the item's (it may be negative).",
    ),
    ("items.groups_count", "grup pilihan", "modifier groups"),
    ("items.group", "Grup pilihan", "Modifier group"),
    ("items.group_name", "Nama grup", "Group name"),
    ("items.group_example", "misalnya Ukuran", "for example Size"),
    ("items.min", "Min", "Min"),
    ("items.max", "Maks", "Max"),
    ("items.option_name", "Pilihan", "Option"),
    ("items.option_price", "Tambahan harga", "Price change"),
    ("items.add_group", "Tambah grup pilihan", "Add a modifier group"),
    ("items.add_option", "Tambah pilihan", "Add an option"),
    ("items.remove_group", "Hapus grup", "Remove group"),
    ("items.remove_option", "Hapus pilihan", "Remove option"),
    ("items.delete", "Hapus menu", "Delete item"),
    (
        "items.delete_warning",
        "Menu hilang dari semua outlet dan kiosk. Pesanan lama tetap tersimpan.",
        "The item leaves every outlet and kiosk. Past orders are kept.",
    ),
    ("items.delete_confirm", "Ya, hapus menu ini", "Yes, delete this item"),
    // Availability and outlet prices
    ("avail.title", "Ketersediaan dan harga", "Availability and prices"),
    (
        "avail.intro",
        "Satu klik menandai menu habis di outlet ini; kiosk langsung menampilkannya. Harga outlet kosong berarti harga brand.",
        "One click marks an item sold out at this outlet; kiosks show it at once. An empty outlet price means the brand price.",
    ),
    ("avail.available", "Tersedia", "Available"),
    ("avail.on", "Tersedia", "Available"),
    ("avail.off", "Habis", "Sold out"),
    ("avail.turn_off", "Tandai habis", "Mark sold out"),
    ("avail.turn_on", "Tersedia lagi", "Make available again"),
    ("avail.when_off", "Habis sampai", "Sold out until"),
    ("avail.until_manual", "sampai dinyalakan lagi", "until turned back on"),
    ("avail.until_eod", "sampai akhir hari", "until the end of the day"),
    ("avail.until_turned_on", "Sampai dinyalakan lagi", "Until turned back on"),
    ("avail.back_at", "Tersedia lagi pukul", "Back at"),
    ("avail.outlet_price", "Harga outlet", "Outlet price"),
    ("avail.brand_price", "Harga brand", "Brand price"),
    ("avail.price_not_saved", "Harga outlet tidak dapat disimpan.", "The outlet price could not be saved."),
    // Orders
    ("orders.list", "Daftar pesanan", "Order list"),
    ("orders.order", "Pesanan", "Order"),
    ("orders.none", "Belum ada pesanan.", "No orders yet."),
    ("orders.number", "Nomor", "Number"),
    ("orders.time", "Waktu", "Time"),
    ("orders.status", "Status", "Status"),
    ("orders.all_statuses", "Semua status", "All statuses"),
    ("orders.filter", "Tampilkan", "Show"),
    ("orders.total", "Total", "Total"),
    ("orders.subtotal", "Subtotal", "Subtotal"),
    ("orders.flags", "Perlu dicek", "Needs a look"),
    ("orders.newest", "Terbaru", "Newest"),
    ("orders.older", "Pesanan lebih lama", "Older orders"),
    ("orders.channel", "Saluran", "Channel"),
    ("orders.channel_kiosk", "Kiosk", "Kiosk"),
    ("orders.channel_counter", "Kasir", "Counter"),
    ("orders.channel_table", "Meja", "Table"),
    ("orders.customer", "Pelanggan", "Customer"),
    ("orders.table", "Meja", "Table"),
    ("orders.cancel_reason", "Alasan batal", "Cancel reason"),
    ("orders.qty", "Jml", "Qty"),
    ("orders.item", "Menu", "Item"),
    ("orders.amount", "Jumlah", "Amount"),
    ("orders.payment", "Pembayaran", "Payment"),
    ("orders.receipt_number", "Nomor struk", "Receipt number"),
    ("orders.paid_at", "Lunas pada", "Paid at"),
    ("orders.cash_rounding", "Pembulatan tunai", "Cash rounding"),
    ("orders.collected", "Dibayar tunai termasuk pembulatan", "Collected with rounding"),
    ("orders.paid", "Dibayar", "Paid"),
    ("orders.refunded", "Dikembalikan", "Refunded"),
    ("orders.balance", "Sisa tagihan", "Balance due"),
    ("orders.payments", "Pembayaran", "Payments"),
    ("orders.no_payments", "Belum ada pembayaran.", "No payments yet."),
    ("orders.tendered", "Uang diterima", "Tendered"),
    ("orders.change", "Kembalian", "Change"),
    ("orders.card", "Kartu", "Card"),
    ("orders.card_other", "Kartu lain", "Other card"),
    ("orders.approval_code", "Kode persetujuan", "Approval code"),
    ("orders.gateway_ref", "Referensi gateway", "Gateway reference"),
    ("orders.qr_expires", "QR berlaku sampai", "QR code valid until"),
    ("orders.refunds", "Pengembalian dana", "Refunds"),
    ("orders.refund_reason", "Alasan", "Reason"),
    ("orders.refund_by", "Oleh", "By"),
    ("orders.approved_by", "disetujui", "approved by"),
    ("orders.discount", "Diskon", "Discount"),
    ("orders.discounts", "Diskon", "Discounts"),
    ("orders.discount_for", "Untuk", "On"),
    ("orders.whole_order", "Seluruh pesanan", "Whole order"),
    ("orders.discount_removed", "dihapus", "removed"),
    ("orders.refund", "Kembalikan dana", "Refund"),
    ("orders.receipt", "Struk", "Receipt"),
    ("orders.receipt_58", "Struk 58 mm", "58 mm receipt"),
    ("orders.receipt_other", "Struk dalam bahasa Inggris", "Receipt in Indonesian"),
    ("orders.refund_amount", "Jumlah dikembalikan", "Amount to refund"),
    ("orders.refund_at_most", "Paling banyak", "At most"),
    ("orders.refund_positive", "Harus lebih dari nol", "Must be more than zero"),
    ("orders.refund_reason_example", "misalnya pesanan salah", "for example wrong order"),
    ("orders.refund_confirm", "Kembalikan dana sekarang", "Refund now"),
    ("method.cash", "Tunai", "Cash"),
    ("method.card", "Kartu (EDC)", "Card (EDC)"),
    ("method.qris", "QRIS", "QRIS"),
    ("payment.pending", "Menunggu", "Pending"),
    ("payment.paid", "Berhasil", "Paid"),
    ("payment.failed", "Ditolak", "Declined"),
    ("payment.expired", "Kedaluwarsa", "Expired"),
    ("payment.cancelled", "Dibatalkan", "Cancelled"),
    ("refund.pending", "Diproses", "Processing"),
    ("refund.succeeded", "Berhasil", "Done"),
    ("refund.failed", "Gagal", "Failed"),
    ("pay.unpaid", "Belum dibayar", "Unpaid"),
    ("pay.partially_paid", "Dibayar sebagian", "Partially paid"),
    ("pay.paid", "Lunas", "Paid"),
    ("pay.partially_refunded", "Dikembalikan sebagian", "Partially refunded"),
    ("pay.refunded", "Dikembalikan", "Refunded"),
    ("pay.void", "Dibatalkan (void)", "Void"),
    ("status.placed", "Baru", "New"),
    ("status.accepted", "Diterima", "Accepted"),
    ("status.preparing", "Disiapkan", "Preparing"),
    ("status.ready", "Siap", "Ready"),
    ("status.completed", "Selesai", "Completed"),
    ("status.cancelled", "Dibatalkan", "Cancelled"),
    ("flag.price_changed", "Harga berubah", "Price changed"),
    ("flag.item_unavailable", "Menu sedang habis", "Item sold out"),
    ("flag.item_deleted", "Menu sudah dihapus", "Item deleted"),
    ("flag.outlet_closed", "Outlet tutup", "Outlet closed"),
    ("flag.late_sync", "Terkirim terlambat", "Sent late"),
    ("flag.refund_due", "Dibayar lebih: kembalikan dana", "Paid twice: refund due"),
    ("payments.surplus", "Tidak diperlukan pesanan: kembalikan dana ini", "Not needed by the order: refund this"),
    // The live board
    ("board.title", "Papan pesanan langsung", "Live order board"),
    ("board.live", "Langsung", "Live"),
    ("board.connecting", "Menghubungkan…", "Connecting…"),
    ("board.empty", "Kosong", "Empty"),
    ("board.accept", "Terima", "Accept"),
    ("board.start", "Mulai siapkan", "Start preparing"),
    ("board.ready", "Siap", "Ready"),
    ("board.complete", "Selesai", "Complete"),
    ("board.cancel", "Batalkan", "Cancel"),
    ("board.reason", "Alasan pembatalan", "Reason for cancelling"),
    ("board.reason_example", "misalnya stok habis", "for example out of stock"),
    ("board.cancel_confirm", "Batalkan pesanan", "Cancel the order"),
    ("board.reason_required", "tidak dibatalkan: tuliskan alasannya.", "was not cancelled: give a reason."),
    ("board.conflict", "Tidak dapat diubah: pesanan", "Could not move it: order"),
    ("board.conflict_now", "sudah", "is already"),
    // Devices
    (
        "devices.intro",
        "Kiosk menerima pesanan pelanggan; layar dapur (KDS) menampilkan pesanan ke dapur. Setiap perangkat terhubung ke satu outlet dengan kode sekali pakai.",
        "Kiosks take customers' orders; kitchen displays (KDS) show them to the kitchen. Each device is paired to one outlet with a single-use code.",
    ),
    ("devices.all_outlets", "Semua outlet", "All outlets"),
    ("devices.no_outlets", "Buat outlet terlebih dahulu.", "Create an outlet first."),
    ("devices.none", "Belum ada perangkat.", "No devices yet."),
    ("devices.name", "Nama perangkat", "Device name"),
    ("devices.name_example", "misalnya Kiosk depan", "for example Front kiosk"),
    ("devices.kind", "Jenis", "Type"),
    ("devices.status", "Status", "Status"),
    ("devices.last_seen", "Terakhir aktif", "Last seen"),
    ("devices.new", "Tambah perangkat", "Add a device"),
    ("devices.create", "Buat dan tampilkan kode", "Create and show the pairing code"),
    ("devices.revoke", "Cabut", "Revoke"),
    ("device.kiosk", "Kiosk", "Kiosk"),
    ("device.kds", "Layar dapur", "Kitchen display"),
    ("device.board", "Papan pengambilan", "Pickup board"),
    ("device.till", "Kasir", "Counter till"),
    ("device.status_pending", "Menunggu", "Waiting to pair"),
    ("device.status_paired", "Terhubung", "Paired"),
    ("device.status_expired", "Kode kedaluwarsa", "Code expired"),
    ("device.status_revoked", "Dicabut", "Revoked"),
    ("pairing.title", "Kode pemasangan", "Pairing code"),
    ("pairing.qr_alt", "Kode QR pemasangan", "Pairing QR code"),
    ("pairing.valid_for", "Berlaku", "Valid for"),
    ("pairing.minutes", "menit", "minutes"),
    (
        "pairing.single_use",
        "Hanya sekali pakai; kode ini tidak ditampilkan lagi.",
        "Single use; this code is not shown again.",
    ),
    ("pairing.step_open", "Di tablet, pindai kode QR atau buka", "On the tablet, scan the QR code or open"),
    ("pairing.step_enter", "Masukkan kode di atas bila diminta.", "Enter the code above when asked."),
    ("pairing.done", "Selesai", "Done"),
    // Staff
    ("staff.new", "Tambah staf", "Add staff"),
    ("staff.edit", "Ubah staf", "Edit staff"),
    ("staff.create", "Buat akun", "Create account"),
    ("staff.name", "Nama", "Name"),
    ("staff.role", "Peran", "Role"),
    ("staff.status", "Status", "Status"),
    ("staff.you", "Anda", "you"),
    ("staff.all_outlets", "Semua outlet", "All outlets"),
    ("staff.active", "Aktif", "Active"),
    ("staff.inactive", "Nonaktif", "Inactive"),
    ("staff.activate", "Aktifkan", "Activate"),
    ("staff.deactivate", "Nonaktifkan", "Deactivate"),
    ("staff.new_password", "Kata sandi baru", "New password"),
    (
        "staff.password_keep",
        "Kosongkan untuk tetap memakai kata sandi lama.",
        "Leave empty to keep the current password.",
    ),
    (
        "staff.password_hint",
        "Minimal 8 karakter. Kosongkan untuk mengirim undangan lewat email agar ia membuat kata sandinya sendiri.",
        "At least 8 characters. Leave it empty to send an invitation by email to set their own.",
    ),
    ("staff.pin", "PIN persetujuan", "Approval PIN"),
    ("staff.pin_set", "PIN sudah diatur", "PIN set"),
    ("staff.pin_none", "Belum ada PIN", "No PIN yet"),
    ("staff.pin_keep", "Kosongkan untuk tetap memakai PIN lama.", "Leave empty to keep the current PIN."),
    (
        "staff.pin_hint",
        "4 sampai 6 angka, untuk menyetujui pengembalian dana dan pembatalan serta masuk di kasir. Jangan bagikan PIN.",
        "4 to 6 digits, to approve refunds and voids and to sign in at a till. Never share a PIN.",
    ),
    ("staff.own_role", "Anda tidak dapat mengubah peran Anda sendiri.", "You cannot change your own role."),
    (
        "staff.outlets_hint",
        "Manajer, kasir, dan staf dapur hanya melihat outlet yang dicentang. Pemilik melihat semua outlet.",
        "Managers, cashiers and kitchen staff see only the ticked outlets. Owners see every outlet.",
    ),
    ("staff.delete", "Hapus akun", "Delete account"),
    (
        "staff.delete_warning",
        "Akun ini tidak dapat masuk lagi. Riwayat perubahannya tetap ada di log audit.",
        "This account can no longer sign in. Its changes stay in the audit log.",
    ),
    ("staff.delete_confirm", "Ya, hapus akun ini", "Yes, delete this account"),
    // Reports
    (
        "reports.intro",
        "Tanggal dan jam menurut zona waktu tiap outlet. Pesanan batal dan void tidak dihitung; refund dihitung pada tanggal pesanannya.",
        "Dates and hours are each outlet's local time. Cancelled and voided orders do not count; refunds count on their order's date.",
    ),
    ("reports.from", "Dari tanggal", "From"),
    ("reports.to", "Sampai tanggal", "To"),
    ("reports.csv", "Unduh CSV", "Download CSV"),
    ("reports.summary", "Ringkasan penjualan", "Sales summary"),
    ("reports.net", "Penjualan bersih", "Net sales"),
    ("reports.gross", "Penjualan kotor", "Gross sales"),
    ("reports.discounts", "Diskon", "Discounts"),
    ("reports.refunds", "Refund", "Refunds"),
    ("reports.tax", "Pajak", "Tax"),
    ("reports.service_charge", "Biaya layanan", "Service charge"),
    ("reports.orders", "Pesanan", "Orders"),
    ("reports.average", "Rata-rata per pesanan", "Average order"),
    ("reports.by_day", "Penjualan per hari", "Sales by day"),
    ("reports.by_hour", "Penjualan per jam", "Sales by hour"),
    ("reports.net_caption", "Penjualan bersih (kotor − diskon − refund).", "Net sales (gross − discounts − refunds)."),
    ("reports.nothing", "Tidak ada data pada rentang ini.", "Nothing in this range."),
    ("reports.qty", "Jumlah", "Qty"),
    ("reports.share", "Porsi", "Share"),
    ("reports.best", "terlaris", "best seller"),
    ("reports.worst", "paling sepi", "slowest"),
    ("reports.items", "Menu terjual", "Item mix"),
    ("reports.item", "Menu", "Item"),
    ("reports.modifiers", "Pilihan tambahan", "Modifiers"),
    ("reports.modifier", "Pilihan", "Modifier"),
    ("reports.payments", "Metode pembayaran", "Payment mix"),
    (
        "reports.payments_note",
        "Uang yang diterima per metode (termasuk pajak dan biaya layanan) pada tanggal pembayaran.",
        "Money taken per method (tax and service charge included), on the day it was paid.",
    ),
    ("reports.method", "Metode", "Method"),
    ("reports.outlets", "Perbandingan outlet", "Outlet comparison"),
    ("reports.channels", "Saluran", "Channels"),
    ("reports.channel", "Saluran", "Channel"),
    ("reports.kitchen", "Waktu dapur", "Kitchen times"),
    (
        "reports.kitchen_note",
        "Dari tiket masuk ke stasiun sampai siap (menit:detik): median (p50) dan p90.",
        "From a ticket reaching its station to ready (minutes:seconds): median (p50) and p90.",
    ),
    ("reports.station", "Stasiun", "Station"),
    ("reports.tickets", "Tiket", "Tickets"),
    ("reports.adjustments", "Void, refund dan diskon", "Voids, refunds and discounts"),
    ("reports.when", "Waktu", "When"),
    ("reports.kind", "Jenis", "Kind"),
    ("reports.order", "Pesanan", "Order"),
    ("reports.amount", "Jumlah", "Amount"),
    ("reports.reason", "Alasan", "Reason"),
    ("reports.by", "Oleh", "By"),
    ("reports.approved_by", "Disetujui oleh", "Approved by"),
    ("reports.void", "Void", "Void"),
    ("reports.refund", "Refund", "Refund"),
    ("reports.discount", "Diskon", "Discount"),
    ("reports.shifts_link", "Shift kasir dan laporan X/Z", "Till shifts and their X/Z reports"),
    ("dashboard.today_sales", "Penjualan hari ini", "Today's sales"),
    (
        "dashboard.today_note",
        "Penjualan bersih per outlet hari ini, diperbarui langsung.",
        "Net sales per outlet today, updated live.",
    ),
    ("dashboard.orders_today", "pesanan", "orders"),
    ("dashboard.all_reports", "Semua laporan", "All reports"),
    // Shifts and the cash drawer
    (
        "shifts.intro",
        "Shift tiap kasir (till): modal awal, uang yang seharusnya ada, hasil hitung dan selisihnya.",
        "Each till's shifts: the float, the cash expected, the count and the variance.",
    ),
    ("shifts.outlet", "Outlet", "Outlet"),
    ("shifts.all_outlets", "Semua outlet", "All outlets"),
    ("shifts.status", "Status", "Status"),
    ("shifts.any_status", "Semua", "Any"),
    ("shifts.open", "Berjalan", "Open"),
    ("shifts.closed", "Ditutup", "Closed"),
    ("shifts.filter", "Tampilkan", "Show"),
    ("shifts.none", "Belum ada shift.", "No shifts yet."),
    ("shifts.older", "Shift lebih lama", "Older shifts"),
    ("shifts.opened", "Dibuka", "Opened"),
    ("shifts.till", "Kasir (till)", "Till"),
    ("shifts.cashier", "Dibuka oleh", "Opened by"),
    ("shifts.float", "Modal awal", "Float"),
    ("shifts.expected", "Seharusnya", "Expected"),
    ("shifts.counted", "Dihitung", "Counted"),
    ("shifts.variance", "Selisih", "Variance"),
    ("shifts.x_report", "Laporan X", "X report"),
    ("shifts.z_report", "Laporan Z", "Z report"),
    (
        "shifts.x_note",
        "Shift masih berjalan: angka ini masih bisa berubah.",
        "The shift is still open: these figures can still change.",
    ),
    ("shifts.print", "Cetak laporan (80 mm)", "Print report (80 mm)"),
    ("shifts.sales", "Penjualan per metode", "Sales by method"),
    ("shifts.total", "Total", "Total"),
    ("shifts.refunds", "Pengembalian dana", "Refunds"),
    ("shifts.discounts", "Diskon", "Discounts"),
    (
        "shifts.unverified_discounts",
        "Diskon offline, PIN manajer tidak terverifikasi",
        "Offline discounts, manager's PIN unverified",
    ),
    ("shifts.voids", "Void", "Voids"),
    ("shifts.rounding", "Pembulatan tunai", "Cash rounding"),
    ("shifts.movements", "Kas masuk dan keluar", "Cash in and out"),
    ("shifts.no_movements", "Tidak ada kas masuk atau keluar.", "No cash in or out."),
    ("shifts.cash_in", "Kas masuk", "Cash in"),
    ("shifts.cash_out", "Kas keluar", "Cash out"),
    ("shifts.drawer", "Laci kas", "Cash drawer"),
    ("shifts.cash_sales", "Penjualan tunai", "Cash sales"),
    ("shifts.cash_refunds", "Refund tunai", "Cash refunds"),
    ("shifts.denominations", "Pecahan", "Denominations"),
    // Audit log
    ("audit.intro", "Siapa mengubah apa dan kapan, terbaru di atas.", "Who changed what and when, newest first."),
    ("audit.none", "Belum ada catatan.", "No entries yet."),
    ("audit.changes", "Perubahan", "Changes"),
    ("audit.before", "Sebelum", "Before"),
    ("audit.after", "Sesudah", "After"),
    ("audit.request", "Permintaan", "Request"),
    ("audit.older", "Catatan lebih lama", "Older entries"),
    ("audit.actor_user", "Pengguna", "User"),
    ("audit.actor_device", "Perangkat", "Device"),
    ("audit.actor_system", "Sistem", "System"),
    ("audit.tenant.signup", "mendaftarkan brand", "signed the brand up"),
    ("audit.brand.update", "mengubah pengaturan brand", "changed the brand settings"),
    ("audit.outlet.create", "membuat outlet", "created an outlet"),
    ("audit.outlet.update", "mengubah outlet", "changed an outlet"),
    ("audit.outlet.archive", "mengarsipkan outlet", "archived an outlet"),
    ("audit.user.create", "membuat akun staf", "created a staff account"),
    ("audit.user.update", "mengubah akun staf", "changed a staff account"),
    ("audit.user.delete", "menghapus akun staf", "deleted a staff account"),
    ("audit.user.pin_set", "mengatur PIN staf", "set a staff PIN"),
    ("audit.refund.create", "mengembalikan dana", "refunded a payment"),
    (
        "audit.refund.gateway",
        "mencatat jawaban gateway atas pengembalian dana",
        "recorded the gateway's answer to a refund",
    ),
    ("audit.approval.grant", "memberi persetujuan", "gave an approval"),
    ("audit.order.void", "membatalkan (void) pesanan", "voided an order"),
    ("audit.device.create", "membuat perangkat", "created a device"),
    ("audit.device.revoke", "mencabut perangkat", "revoked a device"),
    ("audit.device.pair", "memasangkan perangkat", "paired a device"),
    ("audit.shift.open", "membuka shift", "opened a shift"),
    ("audit.shift.cash_in", "memasukkan kas ke laci", "put cash into a drawer"),
    ("audit.shift.cash_out", "mengeluarkan kas dari laci", "took cash out of a drawer"),
    ("audit.shift.close", "menutup shift", "closed a shift"),
    // Stock reports (issue 14)
    ("nav.stock_reports", "Laporan stok", "Stock reports"),
    (
        "stock_reports.intro",
        "Bahan dinilai dengan harga saat bergerak; tanggal mengikuti zona waktu tiap outlet.",
        "Ingredients are valued at their cost when they moved; dates are each outlet's own.",
    ),
    ("stock_reports.food_cost", "Food cost per menu", "Food cost per item"),
    (
        "stock_reports.food_cost_note",
        "HPP = bahan yang benar-benar terpakai oleh resep tiap penjualan (dikurangi yang dikembalikan); food cost = HPP / penjualan bersih.",
        "COGS = what each sale's recipes actually took (less what was put back); food cost = COGS / net sales.",
    ),
    ("stock_reports.cogs", "HPP", "COGS"),
    ("stock_reports.food_cost_pct", "Food cost", "Food cost"),
    ("stock_reports.total", "Total", "Total"),
    ("stock_reports.usage", "Pemakaian teoretis vs hasil hitung", "Theoretical vs counted usage"),
    (
        "stock_reports.usage_note",
        "Hitung = awal + diterima + transfer − stok hasil hitung terakhir; selisih = hitung − teoretis (termasuk yang dibuang).",
        "Counted = opening + received + transfers − the last count; variance = counted − theoretical (waste included).",
    ),
    ("stock_reports.ingredient", "Bahan", "Ingredient"),
    ("stock_reports.opening", "Awal", "Opening"),
    ("stock_reports.received", "Diterima", "Received"),
    ("stock_reports.transfers", "Transfer", "Transfers"),
    ("stock_reports.wasted", "Dibuang", "Wasted"),
    ("stock_reports.theoretical", "Teoretis", "Theoretical"),
    ("stock_reports.counted", "Hasil hitung", "Counted"),
    ("stock_reports.variance", "Selisih", "Variance"),
    ("stock_reports.variance_value", "Nilai selisih", "Variance value"),
    ("stock_reports.on_hand", "Stok", "On hand"),
    (
        "stock_reports.on_hand_note",
        "Di akhir tanggal terakhir, nilai total:",
        "At the end of the last date, worth in all:",
    ),
    ("stock_reports.value", "Nilai", "Value"),
    ("stock_reports.movements", "Pergerakan stok", "Stock movements"),
    ("stock_reports.count", "Kali", "Times"),
    ("stock_reports.kind_sale", "Penjualan", "Sale"),
    ("stock_reports.kind_refund", "Refund", "Refund"),
    ("stock_reports.kind_cancel", "Batal", "Cancellation"),
    ("stock_reports.kind_receive", "Diterima", "Received"),
    ("stock_reports.kind_waste", "Dibuang", "Waste"),
    ("stock_reports.kind_count", "Stok opname", "Count"),
    ("stock_reports.kind_transfer_out", "Transfer keluar", "Transfer out"),
    ("stock_reports.kind_transfer_in", "Transfer masuk", "Transfer in"),
];

#[cfg(test)]
mod tests {
    use std::{collections::HashSet, fs, path::Path};

    use super::*;

    /// Every `t("...")` in the templates and every i18n key named in the code.
    fn used_keys() -> HashSet<String> {
        let mut keys = HashSet::new();
        let mut files = Vec::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        collect(&root.join("../templates/admin"), &mut files);
        collect(&root.join("src"), &mut files);
        let prefixes = [
            "nav.",
            "role.",
            "form.",
            "field.",
            "login.",
            "error.",
            "dashboard.",
            "menu.",
            "items.",
            "avail.",
            "orders.",
            "board.",
            "status.",
            "flag.",
            "pay.",
            "payment.",
            "method.",
            "refund.",
            "notice.",
            "brand.",
            "outlets.",
            "devices.",
            "device.",
            "pairing.",
            "staff.",
            "audit.",
            "shifts.",
            "reports.",
            "stock.",
        ];
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for piece in text.split('"').skip(1).step_by(2) {
                let is_key = prefixes.iter().any(|p| piece.starts_with(p))
                    && piece.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_');
                if is_key {
                    keys.insert(piece.to_string());
                }
            }
        }
        keys
    }

    fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.file_name().unwrap() != "i18n.rs" {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_used_key_has_both_languages() {
        let keys = used_keys();
        assert!(keys.len() > 100, "found only {} keys", keys.len());
        let missing: Vec<_> =
            keys.iter().filter(|k| t_opt(Locale::Id, k).is_none() || t_opt(Locale::En, k).is_none()).collect();
        assert!(missing.is_empty(), "keys without text: {missing:?}");
    }

    #[test]
    fn no_key_is_written_twice() {
        let mut seen = HashSet::new();
        for (k, id, en) in STRINGS.iter().chain(crate::stock_i18n::STRINGS) {
            assert!(seen.insert(k), "{k} twice");
            assert!(!id.is_empty() && !en.is_empty(), "{k} empty");
        }
    }

    #[test]
    fn notices_are_known_names_only() {
        let tr = Tr(Locale::En);
        assert_eq!(tr.notice("outlet_saved"), Some("Outlet saved."));
        assert_eq!(tr.notice("nav.label"), None);
        assert_eq!(tr.notice("<script>"), None);
        assert_eq!(t(Locale::Id, "nav.staff"), "Staf");
    }
}
