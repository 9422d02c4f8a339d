//! STAND-IN: delete when issue 10's codes branch is merged.
//!
//! The shape of `pos_wire::problem::{Code, CodedError, describe}` (the
//! interface shared in issue 10), for the refusals the admin shows, and
//! [`recognise`], which reads a code from the English message that the
//! backend's `FieldErrors` and `Error::Conflict` carry until that branch
//! makes them carry the code itself. Nothing outside `problem_text.rs`
//! uses this module; see the MERGE note there.

use std::collections::BTreeMap;

use pos_wire::Locale;
use serde_json::Value;

/// A refusal's machine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Required,
    /// `max` (characters), when the domain says.
    TooLong,
    /// `min` (characters).
    TooShort,
    /// `min` and `max` (characters).
    LengthOutOfRange,
    ControlCharacters,
    /// `min` and `max`, when the domain says.
    OutOfRange,
    /// `min`.
    TooSmall,
    RateOutOfRange,
    PriceOutOfRange,
    UnknownTimezone,
    OutletNameTaken,
    EmailInvalid,
    EmailTaken,
    OutletsRequired,
    UnknownOutlet,
    LastOwner,
    CannotDeactivateSelf,
    CannotDeleteSelf,
    UnsupportedCurrency,
    CategoryNameTaken,
    UnknownCategory,
    OptionsRequired,
    MinAboveMax,
    MaxAboveOptions,
    UsedTwice,
    ImageType,
    ImageUrl,
    CancelReasonRequired,
    NotInFuture,
    /// Stand-in only: a message with no code known here (`message`).
    Unrecognised,
}

/// A code and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedError {
    pub code: Code,
    pub params: BTreeMap<String, Value>,
}

impl CodedError {
    fn new(code: Code) -> CodedError {
        CodedError { code, params: BTreeMap::new() }
    }

    fn with(mut self, name: &str, value: impl Into<Value>) -> CodedError {
        self.params.insert(name.to_string(), value.into());
        self
    }

    fn param(&self, name: &str) -> String {
        match self.params.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        }
    }
}

/// The sentence of `e` in `locale`.
pub fn describe(e: &CodedError, locale: Locale) -> String {
    let p = |name: &str| e.param(name);
    let (id, en) = match e.code {
        Code::Required => ("Wajib diisi".into(), "This field is required".into()),
        Code::TooLong if e.params.contains_key("max") => (
            format!("Paling banyak {} karakter", p("max")),
            format!("This field must be at most {} characters", p("max")),
        ),
        Code::TooLong => ("Terlalu panjang".into(), "This field is too long".into()),
        Code::TooShort => (
            format!("Paling sedikit {} karakter", p("min")),
            format!("This field must be at least {} characters", p("min")),
        ),
        Code::LengthOutOfRange => (
            format!("Harus {} sampai {} karakter", p("min"), p("max")),
            format!("This field must be {} to {} characters", p("min"), p("max")),
        ),
        Code::ControlCharacters => {
            ("Tidak boleh berisi karakter kontrol".into(), "This field must not contain control characters".into())
        }
        Code::OutOfRange if e.params.contains_key("max") => (
            format!("Harus antara {} dan {}", p("min"), p("max")),
            format!("This field must be between {} and {}", p("min"), p("max")),
        ),
        Code::OutOfRange => ("Di luar batas".into(), "This field is out of range".into()),
        Code::TooSmall => (format!("Minimal {}", p("min")), format!("This field must be at least {}", p("min"))),
        Code::RateOutOfRange => ("Harus antara 0% dan 100%".into(), "This field must be between 0% and 100%".into()),
        Code::PriceOutOfRange => ("Di luar batas harga".into(), "This price is out of range".into()),
        Code::UnknownTimezone => (
            "Bukan zona waktu yang dikenal (misalnya Asia/Jakarta)".into(),
            "This field is not a known time zone (for example Asia/Jakarta)".into(),
        ),
        Code::OutletNameTaken => (
            "Outlet lain di brand ini sudah memakai nama ini".into(),
            "Another outlet of this brand already has this name".into(),
        ),
        Code::EmailInvalid => {
            ("Harus berbentuk nama@contoh.com".into(), "This field must look like name@example.com".into())
        }
        Code::EmailTaken => (
            "Sudah dipakai akun lain di brand ini".into(),
            "This field is already used by another account of this brand".into(),
        ),
        Code::OutletsRequired => ("Pilih minimal satu outlet".into(), "Choose at least one outlet".into()),
        Code::UnknownOutlet => {
            ("Berisi outlet yang tidak ada".into(), "This field contains an outlet that does not exist".into())
        }
        Code::LastOwner => (
            "Brand harus tetap memiliki minimal satu pemilik aktif".into(),
            "The brand must keep at least one active owner".into(),
        ),
        Code::CannotDeactivateSelf => {
            ("Anda tidak dapat menonaktifkan akun sendiri".into(), "You cannot deactivate yourself".into())
        }
        Code::CannotDeleteSelf => {
            ("Anda tidak dapat menghapus akun sendiri".into(), "You cannot delete your own account".into())
        }
        Code::UnsupportedCurrency => {
            ("Bukan mata uang yang didukung".into(), "This field is not a supported currency".into())
        }
        Code::CategoryNameTaken => {
            ("Kategori lain sudah memakai nama ini".into(), "Another category already has this name".into())
        }
        Code::UnknownCategory => ("Kategori tidak ditemukan".into(), "No such category".into()),
        Code::OptionsRequired => ("Tambahkan minimal satu pilihan".into(), "Add at least one option".into()),
        Code::MinAboveMax => ("Tidak boleh lebih dari maksimum".into(), "Cannot be more than max".into()),
        Code::MaxAboveOptions => {
            ("Tidak boleh lebih dari jumlah pilihan".into(), "Cannot be more than the number of options".into())
        }
        Code::UsedTwice => ("Dipakai dua kali".into(), "This field is used twice".into()),
        Code::ImageType => {
            ("Harus gambar JPEG, PNG, atau WebP".into(), "This field must be a JPEG, PNG or WebP image".into())
        }
        Code::ImageUrl => (
            "Harus gambar yang diunggah atau URL https://".into(),
            "This field must be an uploaded image (/media/...) or an https:// URL".into(),
        ),
        Code::CancelReasonRequired => ("Tuliskan alasan pembatalan".into(), "Say why the order is cancelled".into()),
        Code::NotInFuture => ("Harus di masa depan".into(), "This field must be in the future".into()),
        Code::Unrecognised => {
            let message = p("message");
            let subjectless = ["is ", "must ", "contains "].iter().any(|s| message.starts_with(s));
            let en = if subjectless { format!("This field {message}") } else { capitalise(&message) };
            (capitalise(&message), en)
        }
    };
    match locale {
        Locale::Id => id,
        Locale::En => en,
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The code of one of the backend's English messages.
pub fn recognise(message: &str) -> CodedError {
    let fixed = match message {
        "is required" => Some(Code::Required),
        "is too long" => Some(Code::TooLong),
        "must not contain control characters" => Some(Code::ControlCharacters),
        "must be between 0 and 10000 (0% to 100%)" => Some(Code::RateOutOfRange),
        "must be between 0 and 10000000000" => Some(Code::PriceOutOfRange),
        "is out of range" => Some(Code::OutOfRange),
        "is not a known time zone (for example Asia/Jakarta)" => Some(Code::UnknownTimezone),
        "another outlet of this brand already has this name" => Some(Code::OutletNameTaken),
        "must look like name@example.com" => Some(Code::EmailInvalid),
        "is already used by another account of this brand" => Some(Code::EmailTaken),
        "choose at least one outlet" => Some(Code::OutletsRequired),
        "contains an outlet that does not exist" => Some(Code::UnknownOutlet),
        "the brand must keep at least one active owner" => Some(Code::LastOwner),
        "you cannot deactivate yourself" => Some(Code::CannotDeactivateSelf),
        "you cannot delete your own account" => Some(Code::CannotDeleteSelf),
        "is not a supported currency" => Some(Code::UnsupportedCurrency),
        "another category already has this name" => Some(Code::CategoryNameTaken),
        "no such category" => Some(Code::UnknownCategory),
        "add at least one option" => Some(Code::OptionsRequired),
        "cannot be more than max" => Some(Code::MinAboveMax),
        "cannot be more than the number of options" => Some(Code::MaxAboveOptions),
        "is used twice" => Some(Code::UsedTwice),
        "must be a JPEG, PNG or WebP image" => Some(Code::ImageType),
        "must be an uploaded image (/media/...) or an https:// URL" => Some(Code::ImageUrl),
        "say why the order is cancelled" => Some(Code::CancelReasonRequired),
        "must be in the future" => Some(Code::NotInFuture),
        _ => None,
    };
    if let Some(code) = fixed {
        return CodedError::new(code);
    }
    let number = |s: &str| s.parse::<u64>().ok();
    let chars = |prefix: &str| number(message.strip_prefix(prefix)?.strip_suffix(" characters")?);
    let pair = |prefix: &str, between: &str, suffix: &str| {
        let (a, b) = message.strip_prefix(prefix)?.strip_suffix(suffix)?.split_once(between)?;
        Some((number(a)?, number(b)?))
    };
    if let Some(max) = chars("must be at most ") {
        CodedError::new(Code::TooLong).with("max", max)
    } else if let Some(min) = chars("must be at least ") {
        CodedError::new(Code::TooShort).with("min", min)
    } else if let Some((min, max)) = pair("must be ", " to ", " characters") {
        CodedError::new(Code::LengthOutOfRange).with("min", min).with("max", max)
    } else if let Some((min, max)) = pair("must be between ", " and ", "") {
        CodedError::new(Code::OutOfRange).with("min", min).with("max", max)
    } else if let Some(min) = message.strip_prefix("must be at least ").and_then(number) {
        CodedError::new(Code::TooSmall).with("min", min)
    } else {
        CodedError::new(Code::Unrecognised).with("message", message)
    }
}
