//! The one translation table of refusals: every [`Code`] in Indonesian and
//! English, with its parameters filled in. The match is exhaustive, so a
//! code without both languages does not compile.
//!
//! Field messages are phrases that follow the field's name ("is required",
//! "wajib diisi"); the others are sentences. The English is what the server
//! writes in `detail` and `errors`, so clients that predate codes read the
//! same words as before.

use serde_json::Value;

use super::{Code, CodedError};
use crate::Locale;

/// The Indonesian or the English words, formatted with the arguments.
/// Words without arguments are only copied: every such arm then compiles to
/// picking two string constants, not to two formatting calls.
macro_rules! w {
    ($en:expr, $id:literal, $english:literal $(,)?) => {
        if $en { $english } else { $id }.to_owned()
    };
    ($en:expr, $id:literal, $english:literal $(, $arg:expr)+ $(,)?) => {
        if $en { format!($english $(, $arg)*) } else { format!($id $(, $arg)*) }
    };
}

/// `error` for people, in `locale`. A missing parameter shows as `?`.
pub fn describe(error: &CodedError, locale: Locale) -> String {
    let p = |name: &str| param(error, name);
    let en = locale == Locale::En;
    use Code as C;
    match error.code {
        C::NotFound => w!(en, "Data ini tidak ditemukan.", "No such resource."),
        C::MethodNotAllowed => w!(en, "Metode ini tidak diizinkan di sini.", "This method is not allowed here."),
        C::BadRequest => w!(en, "Permintaan ini tidak valid.", "The request is not valid."),
        C::Unauthorized => w!(en, "Perlu masuk terlebih dahulu.", "Authentication is required."),
        C::Forbidden => w!(en, "Anda tidak diizinkan melakukan ini.", "You are not allowed to do this."),
        C::HttpError => w!(en, "Permintaan gagal (HTTP {}).", "The request failed (HTTP {}).", p("status")),
        C::ValidationFailed => w!(en, "Beberapa isian tidak valid.", "Some fields are not valid."),
        C::RequestTimeout => {
            w!(en, "Isi permintaan tidak tiba tepat waktu.", "The request body did not arrive in time.")
        }
        C::PayloadTooLarge => {
            w!(en, "Isi permintaan lebih besar dari {} byte.", "The request body is larger than {} bytes.", p("limit"))
        }
        C::UnsupportedMediaType => {
            w!(en, "Kirim isi permintaan sebagai application/json.", "Send the body as application/json.")
        }
        C::BodyUnreadable => w!(en, "Isi permintaan tidak dapat dibaca.", "The request body could not be read."),
        // The parser's own words are English only.
        C::JsonInvalid if en => format!("The body is not valid JSON: {}", p("detail")),
        C::JsonInvalid => "Isi permintaan bukan JSON yang valid.".to_owned(),
        C::BodyNotObject => w!(en, "Isi permintaan harus berupa objek JSON.", "The body must be a JSON object."),
        C::MissingField | C::UnknownField | C::InvalidValue if en => p("detail"),
        C::MissingField => "wajib ada".to_owned(),
        C::UnknownField => "isian ini tidak dikenal".to_owned(),
        C::InvalidValue => "nilainya tidak valid".to_owned(),
        C::RateLimited => {
            w!(
                en,
                "Terlalu banyak percobaan; coba lagi dalam {} detik.",
                "Too many attempts; try again in {} s.",
                p("retry_after_secs")
            )
        }
        C::TooManyStreams => {
            w!(
                en,
                "Terlalu banyak siaran langsung yang terbuka; coba lagi dalam {} detik.",
                "Too many live streams are open; try again in {} s.",
                p("retry_after_secs")
            )
        }
        C::DatabaseUnavailable => w!(
            en,
            "Basis data sedang tidak tersedia; coba lagi sebentar lagi.",
            "The database is unavailable; try again shortly.",
        ),
        C::Internal => w!(en, "Terjadi kesalahan di sisi kami.", "Something went wrong on our side."),
        C::LastEventIdInvalid => w!(en, "Last-Event-ID harus berupa angka", "Last-Event-ID must be a number"),

        C::SignInRequired => w!(en, "silakan masuk", "please sign in"),
        C::BearerTokenRequired => w!(en, "token bearer diperlukan", "a bearer token is required"),
        C::WrongCredentials => w!(en, "email atau kata sandi salah", "wrong email or password"),
        C::AccountInactive => w!(en, "akun ini sudah tidak aktif", "this account is no longer active"),
        C::SessionEnded => {
            w!(en, "sesi ini telah berakhir; silakan masuk lagi", "this session has ended; please sign in again")
        }
        C::TokenWithoutSession => w!(
            en,
            "token ini tidak terkait dengan sesi mana pun; silakan masuk lagi",
            "this token belongs to no session; sign in again",
        ),
        C::TokenExpired => w!(en, "token kedaluwarsa", "token expired"),
        C::TokenInvalid => w!(en, "token tidak valid", "invalid token"),
        C::TokenKeyUnknown => {
            w!(en, "token ditandatangani dengan kunci yang tidak dikenal", "token signed by an unknown key")
        }
        C::RefreshTokenRequired => {
            w!(en, "kirim token bearer atau refresh_token", "send a bearer token or a refresh_token")
        }
        C::RefreshTokenInvalid => w!(en, "refresh token tidak valid", "invalid refresh token"),
        C::RefreshTokenExpired => {
            w!(en, "refresh token kedaluwarsa; silakan masuk lagi", "refresh token expired; sign in again")
        }
        C::RefreshTokenReused => w!(
            en,
            "refresh token dipakai ulang; semua sesi login ini telah diakhiri",
            "refresh token reuse detected; every session of this login has been ended",
        ),
        C::DeviceRevoked => w!(en, "perangkat ini telah dicabut", "this device has been revoked"),
        C::DeviceTokenStale => w!(en, "token perangkat ini sudah usang", "this device token is stale"),

        C::RoleNotAllowed => w!(en, "peran Anda tidak mengizinkan ini", "your role does not allow this"),
        C::ManagersManageStaffOnly => {
            w!(en, "manajer hanya mengelola kasir dan staf dapur", "managers manage cashiers and kitchen staff only")
        }
        C::StaffOutsideYourOutlets => w!(
            en,
            "orang ini juga bekerja di outlet yang tidak Anda kelola; pemilik dapat mengubahnya",
            "this person also works at outlets you do not manage; an owner can change them",
        ),
        C::LanguageStaffOnly => w!(en, "hanya staf yang punya pengaturan bahasa", "only staff have a language setting"),
        C::VerificationStaffOnly => {
            w!(en, "hanya akun staf yang punya email untuk dikonfirmasi", "only staff accounts have an email to verify")
        }
        C::NotADevice => w!(en, "hanya perangkat yang punya profil perangkat", "only devices have a device profile"),
        C::AdminForManagers => w!(
            en,
            "admin untuk pemilik dan manajer; kasir dan staf dapur memakai perangkat",
            "the admin is for owners and managers; cashiers and kitchen staff use the devices",
        ),
        C::BoardReadOnly => {
            w!(en, "papan pengambilan hanya menampilkan nomor pesanan", "the pickup board only shows order numbers")
        }
        C::KitchenDisplaysOnly => {
            w!(en, "hanya layar dapur yang menangani tiket", "only kitchen displays handle tickets")
        }
        C::DevicesDoNotLogOut => {
            w!(en, "perangkat tidak keluar; cabut perangkatnya", "devices do not log out; revoke them instead")
        }
        C::KiosksOnlyTakeOrders => w!(en, "hanya kios yang menerima pesanan", "only kiosks take orders"),
        C::KitchenStaffTakeNoOrders => w!(en, "staf dapur tidak menerima pesanan", "kitchen staff do not take orders"),
        C::KiosksDoNotMoveOrders => w!(en, "kios tidak mengubah status pesanan", "kiosks do not move orders"),
        C::KiosksDoNotShowPickup => {
            w!(en, "kios tidak menampilkan papan pengambilan", "kiosks do not show the pickup board")
        }
        C::PushKiosksOnly => w!(en, "hanya kios yang mengirim pesanan antrean", "only kiosks push orders"),
        C::PushDeviceTokensOnly => w!(
            en,
            "sync/push hanya untuk token perangkat; staf membuat pesanan dengan POST /orders",
            "sync/push takes device tokens only; staff place orders with POST /orders",
        ),
        C::PushOwnOrdersOnly => w!(en, "kios hanya mengirim pesanannya sendiri", "a kiosk pushes only its own orders"),

        C::EmailInSeveralBrands => {
            let brands: Vec<String> =
                error.brands().iter().map(|(tenant_id, name)| format!("{tenant_id} ({name})")).collect();
            w!(
                en,
                "Email ini membuka akun di beberapa brand; masuk lagi dengan tenant_id salah satu dari: {}",
                "This email opens accounts in several brands; log in again with tenant_id set to one of: {}",
                brands.join(", ")
            )
        }
        C::CategoryHasItems => w!(
            en,
            "kategori ini masih berisi item: pindahkan atau hapus dulu",
            "this category still has items: move or delete them first",
        ),
        C::TicketNotOpen => w!(en, "hanya tiket terbuka yang bisa diselesaikan", "only open tickets can be bumped"),
        C::TicketNotBumped => {
            w!(en, "hanya tiket yang sudah selesai yang bisa dipanggil kembali", "only bumped tickets can be recalled")
        }
        C::OrderClosed => w!(en, "pesanan ini sudah ditutup", "the order is already closed"),
        C::CannotDeleteSelf => w!(en, "Anda tidak dapat menghapus akun sendiri", "you cannot delete your own account"),
        C::LastOwner => w!(
            en,
            "brand harus tetap memiliki minimal satu pemilik aktif",
            "the brand must keep at least one active owner",
        ),
        C::ClientOrderIdReused => w!(
            en,
            "client_order_id ini sudah dipakai untuk pesanan dengan isi yang berbeda",
            "this client_order_id was already used for an order with different content",
        ),
        C::StatusTransition => {
            let (from, to) = (p("from"), p("to"));
            let (from, to) = if en { (from, to) } else { (status_id(&from), status_id(&to)) };
            w!(en, "pesanan berstatus {} tidak dapat menjadi {}", "an order that is {} cannot become {}", from, to)
        }

        C::Required => w!(en, "wajib diisi", "is required"),
        C::TooLong => w!(en, "paling banyak {} karakter", "must be at most {} characters", p("max")),
        C::TooShort => w!(en, "paling sedikit {} karakter", "must be at least {} characters", p("min")),
        C::LengthOutOfRange => w!(en, "harus {} sampai {} karakter", "must be {} to {} characters", p("min"), p("max")),
        C::ControlCharacters => w!(en, "tidak boleh berisi karakter kontrol", "must not contain control characters"),
        C::OutOfRange => w!(en, "harus antara {} dan {}", "must be between {} and {}", p("min"), p("max")),
        C::TooSmall => w!(en, "minimal {}", "must be at least {}", p("min")),
        C::CashRoundingStepInvalid => {
            w!(en, "harus 0 (tanpa pembulatan), 100, 500 atau 1000", "must be 0 (no rounding), 100, 500 or 1000")
        }
        C::BasisPointsOutOfRange => w!(en, "harus antara 0% dan 100%", "must be between 0 and 10000 (0% to 100%)"),
        C::EmailInvalid => w!(en, "harus berbentuk nama@contoh.com", "must look like name@example.com"),
        C::EmailTaken => {
            w!(en, "sudah dipakai akun lain di brand ini", "is already used by another account of this brand")
        }
        C::CategoryNameTaken => {
            w!(en, "kategori lain sudah memakai nama ini", "another category already has this name")
        }
        C::GuestCountTablesOnly => {
            w!(en, "hanya tagihan meja yang punya jumlah tamu", "only a table's check has a number of guests")
        }
        C::CodeTaken => {
            w!(en, "item lain di brand ini sudah memakai kode ini", "another item of this brand has this code")
        }
        C::ItemCodeInvalid => {
            w!(en, "kode 1–32 karakter: huruf, angka, -, _ atau .", "a code is 1–32 letters, digits, -, _ or .")
        }
        C::OutletNameTaken => w!(
            en,
            "outlet lain di brand ini sudah memakai nama ini",
            "another outlet of this brand already has this name",
        ),
        C::CategoryNotFound => w!(en, "kategori tidak ditemukan", "no such category"),
        C::OutletNotFound => w!(en, "outlet tidak ditemukan", "no such outlet"),
        C::UnknownOutlets => w!(en, "berisi outlet yang tidak ada", "contains an outlet that does not exist"),
        C::OutletsRequired => w!(en, "pilih minimal satu outlet", "choose at least one outlet"),
        C::CannotDeactivateSelf => {
            w!(en, "Anda tidak dapat menonaktifkan akun sendiri", "you cannot deactivate yourself")
        }
        C::CurrencyUnsupported => w!(en, "bukan mata uang yang didukung", "is not a supported currency"),
        C::TimezoneUnknown => w!(
            en,
            "bukan zona waktu yang dikenal (misalnya Asia/Jakarta)",
            "is not a known time zone (for example Asia/Jakarta)",
        ),
        C::ImageType => w!(en, "harus gambar JPEG, PNG, atau WebP", "must be a JPEG, PNG or WebP image"),
        C::ImageUrl => w!(
            en,
            "harus gambar yang diunggah atau URL https://",
            "must be an uploaded image (/media/...) or an https:// URL",
        ),
        C::UnavailableUntilNeedsUnavailable => {
            w!(en, "hanya berlaku bila item ditandai tidak tersedia", "only applies when available is false")
        }
        C::UnavailableUntilAmbiguous => {
            w!(en, "isi waktu atau sampai akhir hari, jangan keduanya", "give a time or until_end_of_day, not both")
        }
        C::MustBeFuture => w!(en, "harus di masa depan", "must be in the future"),
        C::NothingToChange => w!(en, "kirim available dan/atau price_minor", "send available and/or price_minor"),
        C::TooManyGroups => w!(en, "paling banyak {} grup", "at most {} groups", p("max")),
        C::TooManyOptions => w!(en, "paling banyak {} pilihan", "at most {} options", p("max")),
        C::TooManyLines => w!(en, "paling banyak {} baris", "at most {} lines", p("max")),
        C::TooManyOrders => {
            w!(en, "kirim paling banyak {} pesanan per kiriman", "send at most {} orders per batch", p("max"))
        }
        C::OptionsRequired => w!(en, "tambahkan minimal satu pilihan", "add at least one option"),
        C::MinAboveMax => w!(en, "tidak boleh lebih dari maksimum", "cannot be more than max"),
        C::MaxAboveOptions => {
            w!(en, "tidak boleh lebih dari jumlah pilihan", "cannot be more than the number of options")
        }
        C::UsedTwice => w!(en, "dipakai dua kali", "is used twice"),
        C::CursorInvalid => w!(en, "bukan kursor dari daftar ini", "is not a cursor from this list"),
        C::PullCursorInvalid => w!(en, "bukan kursor dari sync/pull", "is not a cursor from sync/pull"),
        C::TicketStatusInvalid => w!(en, "harus open, bumped, atau all", "must be open, bumped or all"),
        C::OrderStatusInvalid => w!(en, "bukan status pesanan", "is not an order status"),
        C::ReasonRequired => w!(en, "tuliskan alasan pembatalan", "say why the order is cancelled"),
        C::PairingCodeInvalid => w!(
            en,
            "tidak valid atau sudah kedaluwarsa; buat kode baru di admin",
            "is not valid or has expired; create a new one in the admin",
        ),

        C::OutletNotThisKiosk => w!(en, "bukan outlet kios ini", "is not the outlet this kiosk belongs to"),
        C::KioskChannelOnly => w!(en, "kios menerima pesanan kios", "a kiosk takes kiosk orders"),
        C::CounterChannelOnly => w!(en, "staf menerima pesanan kasir dan meja", "staff take counter and table orders"),
        C::ItemsRequired => w!(en, "pesanan perlu minimal satu item", "an order needs at least one item"),
        C::ClockAhead => {
            w!(en, "ada di masa depan: periksa jam perangkat", "is in the future: check the device's clock")
        }
        C::OrderTooOld => {
            w!(
                en,
                "lebih dari {} jam yang lalu: terlalu lama untuk dikirim ke dapur; selesaikan di kasir",
                "is more than {} h ago: too old to send to the kitchen; settle it at the counter",
                p("hours")
            )
        }
        C::OutletClosed => w!(en, "outlet sedang tutup", "the outlet is closed"),
        C::ItemNotFound => w!(en, "item tidak ditemukan", "no such item"),
        C::ItemRemoved => w!(en, "item ini sudah tidak ada di menu", "this item is no longer on the menu"),
        C::ItemSoldOut => w!(en, "item ini sedang habis", "this item is sold out"),
        C::QtyOutOfRange => w!(en, "jumlahnya harus antara {} dan {}", "must be between {} and {}", p("min"), p("max")),
        C::PriceChanged => {
            w!(en, "harganya sekarang {}, bukan {}", "the price is now {}, not {}", p("price_minor"), p("shown_minor"))
        }
        C::PriceNotOffered => {
            w!(
                en,
                "{} dengan pilihan ini tidak pernah berharga {} di outlet ini antara pembaruan menu \
                     terakhir perangkat dan waktu pesanan ({} jam terakhir yang dihitung)",
                "{} with these options did not cost {} at this outlet at any time between the \
                     device's last menu update and the order's time (the last {} h count)",
                p("item"),
                p("shown_minor"),
                p("window_hours")
            )
        }
        C::OptionChosenTwice => w!(en, "ada pilihan yang dipilih dua kali", "an option is chosen twice"),
        C::OptionUnknown => {
            w!(en, "pilihan {} bukan pilihan item ini", "option {} is not an option of this item", p("option_id"))
        }
        C::ChooseAtLeast => w!(en, "pilih minimal {} dari {}", "choose at least {} of {}", p("min"), p("group")),
        C::ChooseAtMost => w!(en, "pilih paling banyak {} dari {}", "choose at most {} of {}", p("max"), p("group")),

        C::ApprovalRequired => w!(
            en,
            "Kasir memerlukan persetujuan manajer atau pemilik untuk ini.",
            "A cashier needs a manager's or owner's approval for this."
        ),
        C::ApproverNotAllowed => w!(
            en,
            "Pemberi persetujuan harus pemilik, atau manajer outlet ini, yang aktif dan sudah memiliki PIN.",
            "The approver must be an active owner, or manager of this outlet, with a PIN set."
        ),
        C::ApprovalPinWrong => w!(en, "PIN pemberi persetujuan salah.", "The approver's PIN is wrong."),
        C::PinFormat => w!(en, "harus 4 sampai 6 angka", "must be 4 to 6 digits"),
        C::RefundExceedsPayment => {
            w!(
                en,
                "melebihi sisa yang bisa dikembalikan (paling banyak {})",
                "is more than is left to refund (at most {})",
                p("max")
            )
        }
        C::PaymentNotRefundable => {
            w!(en, "Hanya pembayaran yang sudah lunas yang bisa dikembalikan.", "Only a paid payment can be refunded.")
        }
        C::ClientRefundIdReused => w!(
            en,
            "client_refund_id ini sudah dipakai untuk pengembalian dana lain.",
            "This client_refund_id was already used for another refund."
        ),
        C::RefundRefusedByGateway => {
            w!(en, "Gateway pembayaran menolak pengembalian dana ini.", "The payment gateway refused the refund.")
        }
        C::RefundGatewayUnavailable => w!(
            en,
            "Gateway pembayaran sedang tidak bisa dihubungi; pengembalian dana menunggu. Kirim lagi nanti dengan client_refund_id yang sama.",
            "The payment gateway cannot be reached; the refund is pending. Send it again later with the same client_refund_id."
        ),
        C::OrderHasPayments => w!(
            en,
            "Pesanan yang sudah (atau sedang) dibayar tidak bisa dibatalkan; kembalikan dananya.",
            "An order with payments cannot be voided; refund them instead."
        ),
        C::TillTokenRequired => w!(
            en,
            "Hanya token perangkat kasir (till) yang bisa melakukan ini.",
            "Only a till's own device token can do this."
        ),
        C::TillSignInRefused => w!(en, "Nama atau PIN salah.", "The name or the PIN is wrong."),
        C::TillBindingEnded => w!(
            en,
            "Sesi kasir ini sudah berakhir di perangkat ini; masuk lagi dengan PIN.",
            "This cashier session has ended on this till; sign in again with the PIN."
        ),
        C::PushTillCashierOnly => w!(
            en,
            "Hanya kios, atau kasir yang masuk di kasir ini, yang mengirim pesanan antrean perangkat ini.",
            "Only a kiosk, or a cashier signed in on this till, pushes this device's queued orders."
        ),
        C::ShiftNotOpen => w!(
            en,
            "Kasir ini belum membuka shift: buka shift (dengan modal awal) sebelum berjualan.",
            "This till has no open shift: open one (with its float) before selling."
        ),
        C::ReceiptWidthInvalid => w!(en, "harus 80 atau 58", "must be 80 or 58"),
        C::ReceiptNotPaid => {
            w!(en, "struk dikirim setelah pesanan lunas", "a receipt is mailed once the order is fully paid")
        }
        C::LinkInvalid => w!(
            en,
            "Tautan ini tidak dikenal, sudah dipakai atau kedaluwarsa. Minta tautan baru.",
            "This link is unknown, was used already or has expired. Ask for a new one."
        ),
        C::LanguageInvalid => w!(en, "harus id atau en", "must be id or en"),

        // Discounts, tables and checks.
        C::OrderNotOpen => w!(
            en,
            "Pesanan sudah (atau sedang) dibayar, dibatalkan atau void: tidak bisa diubah lagi.",
            "The order is paid, being paid, cancelled or void: it can no longer change."
        ),
        C::ClientDiscountIdReused => w!(
            en,
            "client_discount_id ini sudah dipakai untuk diskon lain.",
            "This client_discount_id was already used for another discount."
        ),
        C::DiscountLineUnknown => w!(en, "bukan baris pesanan ini", "is not a line of this order"),
        C::DiscountAboveLimit => w!(
            en,
            "Diskon di atas batas outlet: perlu persetujuan manajer.",
            "The discount is above the outlet's limit: a manager's approval is needed."
        ),
        C::TableRequired => w!(en, "wajib untuk pesanan meja", "is required for a table order"),
        C::TableChecksOnly => w!(en, "hanya pesanan meja yang punya meja", "only table orders have a table"),
        C::TableUnknown => w!(en, "tidak ada meja ini di outlet ini", "no such table at this outlet"),
        C::TableHasOpenCheck => {
            w!(en, "Meja ini sudah punya tagihan yang terbuka.", "The table already has an open check.")
        }
        C::NotACheck => w!(
            en,
            "Hanya tagihan meja yang bisa ditambah ronde, dipindah atau digabung.",
            "Only a table check takes rounds, moves and merges."
        ),
        C::ClientRoundIdReused => w!(
            en,
            "client_round_id ini sudah dipakai untuk ronde lain.",
            "This client_round_id was already used for another round."
        ),
        C::CheckHasDiscounts => w!(
            en,
            "Tagihan berdiskon tidak bisa digabung atau dipecah: hapus diskonnya dulu.",
            "A check with discounts cannot be merged or split: remove the discounts first."
        ),
        C::MergeSameCheck => w!(en, "tidak bisa digabung dengan dirinya sendiri", "cannot be merged with itself"),
        C::ChecksOfOtherOutlets => w!(
            en,
            "hanya tagihan dari outlet yang sama yang bisa digabung",
            "only checks of the same outlet can be merged"
        ),
        C::SplitLineUnknown => {
            w!(en, "bukan baris tagihan ini, atau disebut dua kali", "is not a line of this check, or is named twice")
        }
        C::SplitQtyTooLarge => {
            w!(en, "melebihi jumlah di baris: paling banyak {}", "is more than the line has: at most {}", p("max"))
        }
        C::SplitTakesEverything => {
            w!(en, "pemecahan harus menyisakan sesuatu di tagihan", "a split must leave something on the check")
        }
        C::AreaNameTaken => {
            w!(en, "nama area ini sudah dipakai di outlet ini", "is already the name of an area of this outlet")
        }
        C::AreaUnknown => w!(en, "tidak ada area ini di outlet ini", "no such area at this outlet"),
        C::AreaHasTables => w!(
            en,
            "Area ini masih punya meja: pindahkan atau hapus dulu.",
            "The area still has tables: move or delete them first."
        ),
        C::TableLabelTaken => {
            w!(en, "nama meja ini sudah dipakai di outlet ini", "is already the name of a table of this outlet")
        }

        C::MoneyFormat => w!(en, "tulis jumlah uang, misalnya 25000", "enter an amount, for example 25000"),
        C::MoneyWhole => w!(en, "tanpa angka desimal, misalnya 25000", "whole amounts only, for example 25000"),
        C::MoneyNegative => w!(en, "tidak boleh negatif", "must not be negative"),
        C::MoneyRange => w!(en, "jumlahnya terlalu besar", "the amount is too large"),
        C::PercentFormat => {
            w!(en, "tulis persentase, misalnya 11 atau 2,5", "enter a percentage, for example 11 or 2.5")
        }
        C::PercentDecimals => w!(en, "paling banyak dua angka di belakang koma", "at most two decimal places"),
        C::KiosksPayByQrisOnly => w!(
            en,
            "kios hanya bisa memulai pembayaran QRIS; tunai dan kartu dibayar di kasir",
            "a kiosk starts QRIS payments only; cash and card are taken at the counter",
        ),
        C::DevicesRecordNoPayments => {
            w!(
                en,
                "layar dapur dan papan antrean tidak mencatat pembayaran",
                "kitchen displays and boards record no payments"
            )
        }
        C::ClientPaymentIdReused => w!(
            en,
            "client_payment_id ini sudah dipakai untuk pembayaran dengan isi yang berbeda",
            "this client_payment_id was already used for a payment with different content",
        ),
        C::OrderAlreadyPaid => w!(en, "pesanan ini sudah lunas", "the order is already fully paid"),
        C::OrderNotPayable => {
            w!(en, "pesanan ini dibatalkan: tidak ada yang bisa dibayar", "the order is cancelled: nothing can be paid")
        }
        C::QrisPaymentPending => w!(
            en,
            "pembayaran QRIS pesanan ini masih menunggu; tunggu sebentar",
            "a QRIS payment of this order is still pending; wait for it",
        ),
        C::AmountAboveBalance => {
            w!(en, "melebihi sisa tagihan ({})", "is more than the balance due ({})", p("balance_minor"))
        }
        C::TenderedBelowDue => {
            w!(en, "kurang dari jumlah yang harus dibayar ({})", "is less than the cash due ({})", p("due_minor"))
        }
        C::CardDetailsRequired => w!(
            en,
            "pembayaran kartu memerlukan kode persetujuan dari struk EDC",
            "card payments need the approval code from the terminal's slip",
        ),
        C::CardDetailsCardOnly => w!(en, "hanya untuk pembayaran kartu", "is only for card payments"),
        C::TenderedCashOnly => w!(en, "hanya untuk pembayaran tunai", "is only for cash payments"),
        C::ApprovalCodeInvalid => w!(en, "harus 1 sampai 12 huruf dan angka", "must be 1 to 12 letters and digits"),
        C::CardLastFourInvalid => w!(en, "harus tepat 4 angka", "must be exactly 4 digits"),
        C::ShiftUnknown => w!(en, "shift ini tidak ada atau sudah ditutup", "no such open shift"),
        C::TillUnknown => {
            w!(en, "bukan kasir (till) di outlet tempat Anda bekerja", "is not a till of an outlet you work at",)
        }
        C::ShiftAlreadyOpen => w!(
            en,
            "Kasir ini masih punya shift yang terbuka ({}); tutup dulu.",
            "This till already has an open shift ({}); close it first.",
            p("shift_id"),
        ),
        C::ClientShiftIdReused => w!(
            en,
            "client_shift_id ini sudah dipakai untuk shift lain.",
            "The client_shift_id was already used for another shift.",
        ),
        C::ShiftClosed => {
            w!(
                en,
                "Shift ini sudah ditutup; tidak bisa diubah lagi.",
                "The shift is closed; it cannot change any more."
            )
        }
        C::ClientMovementIdReused => w!(
            en,
            "client_movement_id ini sudah dipakai untuk pergerakan kas lain.",
            "The client_movement_id was already used for another cash movement.",
        ),
        C::CashOutExceedsDrawer => w!(
            en,
            "melebihi uang di laci (paling banyak {})",
            "is more than the drawer holds (at most {})",
            p("available_minor"),
        ),
        C::CountRequired => w!(
            en,
            "hitung laci: isi total atau jumlah per pecahan",
            "count the drawer: give the total or the count by denomination",
        ),
        C::DenominationUnknown => {
            w!(en, "{} bukan pecahan rupiah", "{} is not a rupiah note or coin", p("value_minor"))
        }
        C::DenominationTwice => w!(en, "pecahan tercantum dua kali", "lists a denomination twice"),
        C::CountMismatch => w!(
            en,
            "tidak sama dengan jumlah per pecahan ({})",
            "does not match the denominations ({})",
            p("denominations_minor"),
        ),
        C::DenominationsRupiahOnly => {
            w!(en, "hanya untuk laci rupiah; isi total", "is for rupiah drawers only; give the total")
        }
        C::QrisRupiahOnly => w!(en, "QRIS hanya dalam rupiah", "QRIS is paid in rupiah only"),
        C::PaymentGatewayUnavailable => w!(
            en,
            "Gerbang pembayaran QRIS tidak tersedia saat ini; terima tunai atau kartu.",
            "The QRIS payment gateway is not available now; take cash or card.",
        ),
        C::NotificationSignatureInvalid => {
            w!(en, "Tanda tangan notifikasi tidak valid.", "The notification's signature is not valid.")
        }
        C::NotificationAmountMismatch => w!(
            en,
            "jumlah notifikasi tidak sama dengan jumlah tagihan",
            "the notification's amount is not the charge's amount",
        ),
        C::PaymentNotPending => w!(
            en,
            "hanya pembayaran QRIS yang masih menunggu yang bisa dibatalkan",
            "only a pending QRIS payment can be cancelled",
        ),
        C::QrisOnlineOnly => w!(
            en,
            "QRIS hanya dibayar secara online; tidak bisa diantrekan",
            "QRIS is paid online only; it never rides in an offline queue",
        ),
        C::ReportDateInvalid => w!(en, "tulis tanggal sebagai TTTT-BB-HH", "write the date as YYYY-MM-DD"),
        C::ReportRangeReversed => {
            w!(en, "harus sama dengan atau sebelum tanggal akhir", "must be on or before the end date")
        }
        C::ReportRangeTooLong => {
            w!(en, "laporan mencakup paling lama {} hari", "a report covers at most {} days", p("max_days"))
        }
        C::ReportFormatInvalid => w!(en, "pilih json atau csv", "choose json or csv"),
        C::ReportGroupInvalid => w!(
            en,
            "harus day, hour, item, modifier, payment_method, outlet atau channel",
            "must be day, hour, item, modifier, payment_method, outlet or channel"
        ),
        C::IngredientNameTaken => {
            w!(en, "sudah ada bahan dengan nama ini", "the brand already has an ingredient of this name")
        }
        C::IngredientUnknown => w!(en, "bahan ini tidak ada", "no such ingredient"),
        C::IngredientInRecipes => w!(
            en,
            "Bahan ini masih dipakai di resep; hapus dari resep dulu.",
            "The ingredient is in recipes: take it out of them first."
        ),
        C::StockMovementKindInvalid => w!(
            en,
            "harus receive, waste, count, transfer_out atau transfer_in",
            "must be receive, waste, count, transfer_out or transfer_in"
        ),
        C::StockInsufficient => w!(en, "melebihi stok yang ada ({})", "is more than is on hand ({})", p("on_hand")),
        C::TransferSameOutlet => w!(en, "harus outlet lain dari brand ini", "must be another outlet of the brand"),
        C::TransferOutletArchived => {
            w!(
                en,
                "outlet ini sudah diarsipkan; kirim ke outlet yang aktif",
                "that outlet is archived; send to a live one"
            )
        }
        C::TransferUnknown => w!(
            en,
            "tidak ada transfer tertunda bahan ini ke outlet ini",
            "no such pending transfer of this ingredient to this outlet"
        ),
        C::TransferAlreadyReceived => w!(en, "Transfer ini sudah diterima.", "The transfer was received already."),
        C::TransferQtyExceeded => {
            w!(en, "melebihi yang dikirim (paling banyak {})", "is more than was sent (at most {})", p("max"))
        }
        C::ClientStockMovementIdReused => w!(
            en,
            "client_movement_id ini sudah dipakai untuk pergerakan stok lain.",
            "The client_movement_id was already used for another stock movement."
        ),
        C::ChooseOne => w!(en, "pilih salah satu", "choose one of the options"),
        C::WholeNumber => w!(en, "tulis bilangan bulat, misalnya 1", "enter a whole number, for example 1"),
    }
}

/// A parameter as text: strings as they are, numbers as written, `?` when absent.
fn param(error: &CodedError, name: &str) -> String {
    match error.params.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => "?".to_owned(),
        Some(other) => other.to_string(),
    }
}

/// An order status (as on the wire) in Indonesian, as the screens name it.
fn status_id(status: &str) -> String {
    match status {
        "placed" => "baru",
        "accepted" => "diterima",
        "preparing" => "disiapkan",
        "ready" => "siap",
        "completed" => "selesai",
        "cancelled" => "dibatalkan",
        other => other,
    }
    .to_owned()
}
