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

/// `error` for people, in `locale`. A missing parameter shows as `?`.
pub fn describe(error: &CodedError, locale: Locale) -> String {
    let p = |name: &str| param(error, name);
    let en = locale == Locale::En;
    let pick = |id: &str, en_text: &str| if en { en_text.to_owned() } else { id.to_owned() };
    use Code as C;
    match error.code {
        C::NotFound => pick("Data ini tidak ditemukan.", "No such resource."),
        C::MethodNotAllowed => pick("Metode ini tidak diizinkan di sini.", "This method is not allowed here."),
        C::BadRequest => pick("Permintaan ini tidak valid.", "The request is not valid."),
        C::Unauthorized => pick("Perlu masuk terlebih dahulu.", "Authentication is required."),
        C::Forbidden => pick("Anda tidak diizinkan melakukan ini.", "You are not allowed to do this."),
        C::HttpError => {
            if en {
                format!("The request failed (HTTP {}).", p("status"))
            } else {
                format!("Permintaan gagal (HTTP {}).", p("status"))
            }
        }
        C::ValidationFailed => pick("Beberapa isian tidak valid.", "Some fields are not valid."),
        C::RequestTimeout => pick("Isi permintaan tidak tiba tepat waktu.", "The request body did not arrive in time."),
        C::PayloadTooLarge => {
            if en {
                format!("The request body is larger than {} bytes.", p("limit"))
            } else {
                format!("Isi permintaan lebih besar dari {} byte.", p("limit"))
            }
        }
        C::UnsupportedMediaType => {
            pick("Kirim isi permintaan sebagai application/json.", "Send the body as application/json.")
        }
        C::BodyUnreadable => pick("Isi permintaan tidak dapat dibaca.", "The request body could not be read."),
        C::JsonInvalid => {
            if en {
                format!("The body is not valid JSON: {}", p("detail"))
            } else {
                "Isi permintaan bukan JSON yang valid.".to_owned()
            }
        }
        C::MissingField => {
            if en {
                p("detail")
            } else {
                "wajib ada".to_owned()
            }
        }
        C::UnknownField => {
            if en {
                p("detail")
            } else {
                "isian ini tidak dikenal".to_owned()
            }
        }
        C::InvalidValue => {
            if en {
                p("detail")
            } else {
                "nilainya tidak valid".to_owned()
            }
        }
        C::RateLimited => {
            if en {
                format!("Too many attempts; try again in {} s.", p("retry_after_secs"))
            } else {
                format!("Terlalu banyak percobaan; coba lagi dalam {} detik.", p("retry_after_secs"))
            }
        }
        C::TooManyStreams => {
            if en {
                format!("Too many live streams are open; try again in {} s.", p("retry_after_secs"))
            } else {
                format!("Terlalu banyak siaran langsung yang terbuka; coba lagi dalam {} detik.", p("retry_after_secs"))
            }
        }
        C::DatabaseUnavailable => pick(
            "Basis data sedang tidak tersedia; coba lagi sebentar lagi.",
            "The database is unavailable; try again shortly.",
        ),
        C::Internal => pick("Terjadi kesalahan di sisi kami.", "Something went wrong on our side."),
        C::LastEventIdInvalid => pick("Last-Event-ID harus berupa angka", "Last-Event-ID must be a number"),

        C::SignInRequired => pick("silakan masuk", "please sign in"),
        C::BearerTokenRequired => pick("token bearer diperlukan", "a bearer token is required"),
        C::WrongCredentials => pick("email atau kata sandi salah", "wrong email or password"),
        C::AccountInactive => pick("akun ini sudah tidak aktif", "this account is no longer active"),
        C::SessionEnded => {
            pick("sesi ini telah berakhir; silakan masuk lagi", "this session has ended; please sign in again")
        }
        C::TokenWithoutSession => pick(
            "token ini tidak terkait dengan sesi mana pun; silakan masuk lagi",
            "this token belongs to no session; sign in again",
        ),
        C::TokenExpired => pick("token kedaluwarsa", "token expired"),
        C::TokenInvalid => pick("token tidak valid", "invalid token"),
        C::TokenKeyUnknown => {
            pick("token ditandatangani dengan kunci yang tidak dikenal", "token signed by an unknown key")
        }
        C::RefreshTokenRequired => {
            pick("kirim token bearer atau refresh_token", "send a bearer token or a refresh_token")
        }
        C::RefreshTokenInvalid => pick("refresh token tidak valid", "invalid refresh token"),
        C::RefreshTokenExpired => {
            pick("refresh token kedaluwarsa; silakan masuk lagi", "refresh token expired; sign in again")
        }
        C::RefreshTokenReused => pick(
            "refresh token dipakai ulang; semua sesi login ini telah diakhiri",
            "refresh token reuse detected; every session of this login has been ended",
        ),
        C::DeviceRevoked => pick("perangkat ini telah dicabut", "this device has been revoked"),
        C::DeviceTokenStale => pick("token perangkat ini sudah usang", "this device token is stale"),

        C::RoleNotAllowed => pick("peran Anda tidak mengizinkan ini", "your role does not allow this"),
        C::ManagersManageStaffOnly => {
            pick("manajer hanya mengelola kasir dan staf dapur", "managers manage cashiers and kitchen staff only")
        }
        C::StaffOutsideYourOutlets => pick(
            "orang ini juga bekerja di outlet yang tidak Anda kelola; pemilik dapat mengubahnya",
            "this person also works at outlets you do not manage; an owner can change them",
        ),
        C::LanguageStaffOnly => pick("hanya staf yang punya pengaturan bahasa", "only staff have a language setting"),
        C::NotADevice => pick("hanya perangkat yang punya profil perangkat", "only devices have a device profile"),
        C::AdminForManagers => pick(
            "admin untuk pemilik dan manajer; kasir dan staf dapur memakai perangkat",
            "the admin is for owners and managers; cashiers and kitchen staff use the devices",
        ),
        C::BoardReadOnly => {
            pick("papan pengambilan hanya menampilkan nomor pesanan", "the pickup board only shows order numbers")
        }
        C::KitchenDisplaysOnly => {
            pick("hanya layar dapur yang menangani tiket", "only kitchen displays handle tickets")
        }
        C::DevicesDoNotLogOut => {
            pick("perangkat tidak keluar; cabut perangkatnya", "devices do not log out; revoke them instead")
        }
        C::KiosksOnlyTakeOrders => pick("hanya kios yang menerima pesanan", "only kiosks take orders"),
        C::KitchenStaffTakeNoOrders => pick("staf dapur tidak menerima pesanan", "kitchen staff do not take orders"),
        C::KiosksDoNotMoveOrders => pick("kios tidak mengubah status pesanan", "kiosks do not move orders"),
        C::KiosksDoNotShowPickup => {
            pick("kios tidak menampilkan papan pengambilan", "kiosks do not show the pickup board")
        }
        C::PushKiosksOnly => pick("hanya kios yang mengirim pesanan antrean", "only kiosks push orders"),
        C::PushDeviceTokensOnly => pick(
            "sync/push hanya untuk token perangkat; staf membuat pesanan dengan POST /orders",
            "sync/push takes device tokens only; staff place orders with POST /orders",
        ),
        C::PushOwnOrdersOnly => pick("kios hanya mengirim pesanannya sendiri", "a kiosk pushes only its own orders"),

        C::EmailInSeveralBrands => {
            let brands: Vec<String> =
                error.brands().iter().map(|(tenant_id, name)| format!("{tenant_id} ({name})")).collect();
            if en {
                format!(
                    "This email opens accounts in several brands; log in again with tenant_id set to one of: {}",
                    brands.join(", ")
                )
            } else {
                format!(
                    "Email ini membuka akun di beberapa brand; masuk lagi dengan tenant_id salah satu dari: {}",
                    brands.join(", ")
                )
            }
        }
        C::CategoryHasItems => pick(
            "kategori ini masih berisi item: pindahkan atau hapus dulu",
            "this category still has items: move or delete them first",
        ),
        C::TicketNotOpen => pick("hanya tiket terbuka yang bisa diselesaikan", "only open tickets can be bumped"),
        C::TicketNotBumped => {
            pick("hanya tiket yang sudah selesai yang bisa dipanggil kembali", "only bumped tickets can be recalled")
        }
        C::OrderClosed => pick("pesanan ini sudah ditutup", "the order is already closed"),
        C::CannotDeleteSelf => pick("Anda tidak dapat menghapus akun sendiri", "you cannot delete your own account"),
        C::LastOwner => pick(
            "brand harus tetap memiliki minimal satu pemilik aktif",
            "the brand must keep at least one active owner",
        ),
        C::ClientOrderIdReused => pick(
            "client_order_id ini sudah dipakai untuk pesanan dengan isi yang berbeda",
            "this client_order_id was already used for an order with different content",
        ),
        C::StatusTransition => {
            let (from, to) = (p("from"), p("to"));
            if en {
                format!("an order that is {from} cannot become {to}")
            } else {
                format!("pesanan berstatus {} tidak dapat menjadi {}", status_id(&from), status_id(&to))
            }
        }

        C::Required => pick("wajib diisi", "is required"),
        C::TooLong => {
            if en {
                format!("must be at most {} characters", p("max"))
            } else {
                format!("paling banyak {} karakter", p("max"))
            }
        }
        C::TooShort => {
            if en {
                format!("must be at least {} characters", p("min"))
            } else {
                format!("paling sedikit {} karakter", p("min"))
            }
        }
        C::LengthOutOfRange => {
            if en {
                format!("must be {} to {} characters", p("min"), p("max"))
            } else {
                format!("harus {} sampai {} karakter", p("min"), p("max"))
            }
        }
        C::ControlCharacters => pick("tidak boleh berisi karakter kontrol", "must not contain control characters"),
        C::OutOfRange => {
            if en {
                format!("must be between {} and {}", p("min"), p("max"))
            } else {
                format!("harus antara {} dan {}", p("min"), p("max"))
            }
        }
        C::TooSmall => {
            if en {
                format!("must be at least {}", p("min"))
            } else {
                format!("minimal {}", p("min"))
            }
        }
        C::BasisPointsOutOfRange => pick("harus antara 0% dan 100%", "must be between 0 and 10000 (0% to 100%)"),
        C::EmailInvalid => pick("harus berbentuk nama@contoh.com", "must look like name@example.com"),
        C::EmailTaken => {
            pick("sudah dipakai akun lain di brand ini", "is already used by another account of this brand")
        }
        C::CategoryNameTaken => pick("kategori lain sudah memakai nama ini", "another category already has this name"),
        C::OutletNameTaken => pick(
            "outlet lain di brand ini sudah memakai nama ini",
            "another outlet of this brand already has this name",
        ),
        C::CategoryNotFound => pick("kategori tidak ditemukan", "no such category"),
        C::OutletNotFound => pick("outlet tidak ditemukan", "no such outlet"),
        C::UnknownOutlets => pick("berisi outlet yang tidak ada", "contains an outlet that does not exist"),
        C::OutletsRequired => pick("pilih minimal satu outlet", "choose at least one outlet"),
        C::CannotDeactivateSelf => {
            pick("Anda tidak dapat menonaktifkan akun sendiri", "you cannot deactivate yourself")
        }
        C::CurrencyUnsupported => pick("bukan mata uang yang didukung", "is not a supported currency"),
        C::TimezoneUnknown => pick(
            "bukan zona waktu yang dikenal (misalnya Asia/Jakarta)",
            "is not a known time zone (for example Asia/Jakarta)",
        ),
        C::ImageType => pick("harus gambar JPEG, PNG, atau WebP", "must be a JPEG, PNG or WebP image"),
        C::ImageUrl => pick(
            "harus gambar yang diunggah atau URL https://",
            "must be an uploaded image (/media/...) or an https:// URL",
        ),
        C::UnavailableUntilNeedsUnavailable => {
            pick("hanya berlaku bila item ditandai tidak tersedia", "only applies when available is false")
        }
        C::UnavailableUntilAmbiguous => {
            pick("isi waktu atau sampai akhir hari, jangan keduanya", "give a time or until_end_of_day, not both")
        }
        C::MustBeFuture => pick("harus di masa depan", "must be in the future"),
        C::NothingToChange => pick("kirim available dan/atau price_minor", "send available and/or price_minor"),
        C::TooManyGroups => {
            if en {
                format!("at most {} groups", p("max"))
            } else {
                format!("paling banyak {} grup", p("max"))
            }
        }
        C::TooManyOptions => {
            if en {
                format!("at most {} options", p("max"))
            } else {
                format!("paling banyak {} pilihan", p("max"))
            }
        }
        C::TooManyLines => {
            if en {
                format!("at most {} lines", p("max"))
            } else {
                format!("paling banyak {} baris", p("max"))
            }
        }
        C::TooManyOrders => {
            if en {
                format!("send at most {} orders per batch", p("max"))
            } else {
                format!("kirim paling banyak {} pesanan per kiriman", p("max"))
            }
        }
        C::OptionsRequired => pick("tambahkan minimal satu pilihan", "add at least one option"),
        C::MinAboveMax => pick("tidak boleh lebih dari maksimum", "cannot be more than max"),
        C::MaxAboveOptions => {
            pick("tidak boleh lebih dari jumlah pilihan", "cannot be more than the number of options")
        }
        C::UsedTwice => pick("dipakai dua kali", "is used twice"),
        C::CursorInvalid => pick("bukan kursor dari daftar ini", "is not a cursor from this list"),
        C::PullCursorInvalid => pick("bukan kursor dari sync/pull", "is not a cursor from sync/pull"),
        C::TicketStatusInvalid => pick("harus open, bumped, atau all", "must be open, bumped or all"),
        C::OrderStatusInvalid => pick("bukan status pesanan", "is not an order status"),
        C::ReasonRequired => pick("tuliskan alasan pembatalan", "say why the order is cancelled"),
        C::PairingCodeInvalid => pick(
            "tidak valid atau sudah kedaluwarsa; buat kode baru di admin",
            "is not valid or has expired; create a new one in the admin",
        ),

        C::OutletNotThisKiosk => pick("bukan outlet kios ini", "is not the outlet this kiosk belongs to"),
        C::KioskChannelOnly => pick("kios menerima pesanan kios", "a kiosk takes kiosk orders"),
        C::CounterChannelOnly => pick("staf menerima pesanan kasir", "staff take counter orders"),
        C::ItemsRequired => pick("pesanan perlu minimal satu item", "an order needs at least one item"),
        C::ClockAhead => pick("ada di masa depan: periksa jam perangkat", "is in the future: check the device's clock"),
        C::OrderTooOld => {
            let hours = p("hours");
            if en {
                format!("is more than {hours} h ago: too old to send to the kitchen; settle it at the counter")
            } else {
                format!("lebih dari {hours} jam yang lalu: terlalu lama untuk dikirim ke dapur; selesaikan di kasir")
            }
        }
        C::OutletClosed => pick("outlet sedang tutup", "the outlet is closed"),
        C::ItemNotFound => pick("item tidak ditemukan", "no such item"),
        C::ItemRemoved => pick("item ini sudah tidak ada di menu", "this item is no longer on the menu"),
        C::ItemSoldOut => pick("item ini sedang habis", "this item is sold out"),
        C::QtyOutOfRange => {
            if en {
                format!("must be between {} and {}", p("min"), p("max"))
            } else {
                format!("jumlahnya harus antara {} dan {}", p("min"), p("max"))
            }
        }
        C::PriceChanged => {
            let (price, shown) = (p("price_minor"), p("shown_minor"));
            if en {
                format!("the price is now {price}, not {shown}")
            } else {
                format!("harganya sekarang {price}, bukan {shown}")
            }
        }
        C::PriceNotOffered => {
            let (item, shown, hours) = (p("item"), p("shown_minor"), p("window_hours"));
            if en {
                format!(
                    "{item} with these options did not cost {shown} at this outlet at any time between the \
                     device's last menu update and the order's time (the last {hours} h count)"
                )
            } else {
                format!(
                    "{item} dengan pilihan ini tidak pernah berharga {shown} di outlet ini antara pembaruan menu \
                     terakhir perangkat dan waktu pesanan ({hours} jam terakhir yang dihitung)"
                )
            }
        }
        C::OptionChosenTwice => pick("ada pilihan yang dipilih dua kali", "an option is chosen twice"),
        C::OptionUnknown => {
            if en {
                format!("option {} is not an option of this item", p("option_id"))
            } else {
                format!("pilihan {} bukan pilihan item ini", p("option_id"))
            }
        }
        C::ChooseAtLeast => {
            if en {
                format!("choose at least {} of {}", p("min"), p("group"))
            } else {
                format!("pilih minimal {} dari {}", p("min"), p("group"))
            }
        }
        C::ChooseAtMost => {
            if en {
                format!("choose at most {} of {}", p("max"), p("group"))
            } else {
                format!("pilih paling banyak {} dari {}", p("max"), p("group"))
            }
        }

        C::MoneyFormat => pick("tulis jumlah uang, misalnya 25000", "enter an amount, for example 25000"),
        C::MoneyWhole => pick("tanpa angka desimal, misalnya 25000", "whole amounts only, for example 25000"),
        C::MoneyNegative => pick("tidak boleh negatif", "must not be negative"),
        C::MoneyRange => pick("jumlahnya terlalu besar", "the amount is too large"),
        C::PercentFormat => pick("tulis persentase, misalnya 11 atau 2,5", "enter a percentage, for example 11 or 2.5"),
        C::PercentDecimals => pick("paling banyak dua angka di belakang koma", "at most two decimal places"),
        C::ChooseOne => pick("pilih salah satu", "choose one of the options"),
        C::WholeNumber => pick("tulis bilangan bulat, misalnya 1", "enter a whole number, for example 1"),
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
