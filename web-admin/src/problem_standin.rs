//! STAND-IN: delete when issue 10's codes branch is merged.
//!
//! The part of `pos_wire::problem::{Code, CodedError, describe}` that the
//! admin meets (same names, parameters and phrases as the codes branch), and
//! [`recognise`], which reads the code back from the English phrase that the
//! backend's `FieldErrors` and `Error::Conflict` carry until that branch
//! makes them carry the code itself. Nothing outside `problem_text.rs` uses
//! this module; see the MERGE note there.

use std::collections::BTreeMap;

use pos_wire::Locale;
use serde_json::{Value, json};

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Required,
    TooLong,
    TooShort,
    LengthOutOfRange,
    ControlCharacters,
    OutOfRange,
    TooSmall,
    BasisPointsOutOfRange,
    EmailInvalid,
    EmailTaken,
    CategoryNameTaken,
    OutletNameTaken,
    CategoryNotFound,
    UnknownOutlets,
    OutletsRequired,
    CannotDeactivateSelf,
    CurrencyUnsupported,
    TimezoneUnknown,
    ImageType,
    ImageUrl,
    MustBeFuture,
    OptionsRequired,
    MinAboveMax,
    MaxAboveOptions,
    UsedTwice,
    ReasonRequired,
    EmailInSeveralBrands,
    CannotDeleteSelf,
    LastOwner,
    /// Stand-in only: a phrase with no code known here (`message`).
    Unrecognised,
}

/// A refusal: its code and parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedError {
    pub code: Code,
    pub params: BTreeMap<String, Value>,
}

impl CodedError {
    pub fn new(code: Code) -> CodedError {
        CodedError { code, params: BTreeMap::new() }
    }

    pub fn with(mut self, name: &str, value: impl Into<Value>) -> CodedError {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// `email_in_several_brands`: (tenant id, name) of each brand.
    pub fn brands(&self) -> Vec<(String, String)> {
        let Some(Value::Array(brands)) = self.params.get("brands") else { return Vec::new() };
        brands
            .iter()
            .filter_map(|b| Some((b.get("tenant_id")?.as_str()?.to_owned(), b.get("name")?.as_str()?.to_owned())))
            .collect()
    }

    fn param(&self, name: &str) -> String {
        match self.params.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => "?".into(),
        }
    }
}

/// `error` for people, in `locale`: field errors are phrases that follow
/// the field's name ("wajib diisi", "is required").
pub fn describe(error: &CodedError, locale: Locale) -> String {
    let p = |name: &str| error.param(name);
    let (id, en): (String, String) = match error.code {
        Code::Required => ("wajib diisi".into(), "is required".into()),
        Code::TooLong => {
            (format!("paling banyak {} karakter", p("max")), format!("must be at most {} characters", p("max")))
        }
        Code::TooShort => {
            (format!("paling sedikit {} karakter", p("min")), format!("must be at least {} characters", p("min")))
        }
        Code::LengthOutOfRange => (
            format!("harus {} sampai {} karakter", p("min"), p("max")),
            format!("must be {} to {} characters", p("min"), p("max")),
        ),
        Code::ControlCharacters => {
            ("tidak boleh berisi karakter kontrol".into(), "must not contain control characters".into())
        }
        Code::OutOfRange => (
            format!("harus antara {} dan {}", p("min"), p("max")),
            format!("must be between {} and {}", p("min"), p("max")),
        ),
        Code::TooSmall => (format!("minimal {}", p("min")), format!("must be at least {}", p("min"))),
        Code::BasisPointsOutOfRange => {
            ("harus antara 0% dan 100%".into(), "must be between 0 and 10000 (0% to 100%)".into())
        }
        Code::EmailInvalid => ("harus berbentuk nama@contoh.com".into(), "must look like name@example.com".into()),
        Code::EmailTaken => {
            ("sudah dipakai akun lain di brand ini".into(), "is already used by another account of this brand".into())
        }
        Code::CategoryNameTaken => {
            ("kategori lain sudah memakai nama ini".into(), "another category already has this name".into())
        }
        Code::OutletNameTaken => (
            "outlet lain di brand ini sudah memakai nama ini".into(),
            "another outlet of this brand already has this name".into(),
        ),
        Code::CategoryNotFound => ("kategori tidak ditemukan".into(), "no such category".into()),
        Code::UnknownOutlets => {
            ("berisi outlet yang tidak ada".into(), "contains an outlet that does not exist".into())
        }
        Code::OutletsRequired => ("pilih minimal satu outlet".into(), "choose at least one outlet".into()),
        Code::CannotDeactivateSelf => {
            ("Anda tidak dapat menonaktifkan akun sendiri".into(), "you cannot deactivate yourself".into())
        }
        Code::CurrencyUnsupported => ("bukan mata uang yang didukung".into(), "is not a supported currency".into()),
        Code::TimezoneUnknown => (
            "bukan zona waktu yang dikenal (misalnya Asia/Jakarta)".into(),
            "is not a known time zone (for example Asia/Jakarta)".into(),
        ),
        Code::ImageType => ("harus gambar JPEG, PNG, atau WebP".into(), "must be a JPEG, PNG or WebP image".into()),
        Code::ImageUrl => (
            "harus gambar yang diunggah atau URL https://".into(),
            "must be an uploaded image (/media/...) or an https:// URL".into(),
        ),
        Code::MustBeFuture => ("harus di masa depan".into(), "must be in the future".into()),
        Code::OptionsRequired => ("tambahkan minimal satu pilihan".into(), "add at least one option".into()),
        Code::MinAboveMax => ("tidak boleh lebih dari maksimum".into(), "cannot be more than max".into()),
        Code::MaxAboveOptions => {
            ("tidak boleh lebih dari jumlah pilihan".into(), "cannot be more than the number of options".into())
        }
        Code::UsedTwice => ("dipakai dua kali".into(), "is used twice".into()),
        Code::ReasonRequired => ("tuliskan alasan pembatalan".into(), "say why the order is cancelled".into()),
        Code::EmailInSeveralBrands => {
            let brands: Vec<String> = error.brands().iter().map(|(id, name)| format!("{id} ({name})")).collect();
            (
                format!(
                    "Email ini membuka akun di beberapa brand; masuk lagi dengan tenant_id salah satu dari: {}",
                    brands.join(", ")
                ),
                format!(
                    "This email opens accounts in several brands; log in again with tenant_id set to one of: {}",
                    brands.join(", ")
                ),
            )
        }
        Code::CannotDeleteSelf => {
            ("Anda tidak dapat menghapus akun sendiri".into(), "you cannot delete your own account".into())
        }
        Code::LastOwner => (
            "brand harus tetap memiliki minimal satu pemilik aktif".into(),
            "the brand must keep at least one active owner".into(),
        ),
        Code::Unrecognised => (p("message"), p("message")),
    };
    if locale == Locale::En { en } else { id }
}

/// The code of one of the backend's English phrases: the phrase that
/// `describe(code, Locale::En)` writes.
pub fn recognise(phrase: &str) -> CodedError {
    let fixed = [
        Code::Required,
        Code::ControlCharacters,
        Code::BasisPointsOutOfRange,
        Code::EmailInvalid,
        Code::EmailTaken,
        Code::CategoryNameTaken,
        Code::OutletNameTaken,
        Code::CategoryNotFound,
        Code::UnknownOutlets,
        Code::OutletsRequired,
        Code::CannotDeactivateSelf,
        Code::CurrencyUnsupported,
        Code::TimezoneUnknown,
        Code::ImageType,
        Code::ImageUrl,
        Code::MustBeFuture,
        Code::OptionsRequired,
        Code::MinAboveMax,
        Code::MaxAboveOptions,
        Code::UsedTwice,
        Code::ReasonRequired,
        Code::CannotDeleteSelf,
        Code::LastOwner,
    ];
    if let Some(code) = fixed.into_iter().find(|c| describe(&CodedError::new(*c), Locale::En) == phrase) {
        return CodedError::new(code);
    }
    let number = |s: &str| s.parse::<u64>().ok();
    let chars = |prefix: &str| number(phrase.strip_prefix(prefix)?.strip_suffix(" characters")?);
    let pair = |prefix: &str, between: &str, suffix: &str| {
        let (a, b) = phrase.strip_prefix(prefix)?.strip_suffix(suffix)?.split_once(between)?;
        Some((number(a)?, number(b)?))
    };
    if let Some(max) = chars("must be at most ") {
        CodedError::new(Code::TooLong).with("max", max)
    } else if phrase == "is too long" {
        // The email's bound, which the backend does not name.
        CodedError::new(Code::TooLong).with("max", 254)
    } else if let Some(min) = chars("must be at least ") {
        CodedError::new(Code::TooShort).with("min", min)
    } else if let Some((min, max)) = pair("must be ", " to ", " characters") {
        CodedError::new(Code::LengthOutOfRange).with("min", min).with("max", max)
    } else if let Some((min, max)) = pair("must be between ", " and ", "") {
        CodedError::new(Code::OutOfRange).with("min", min).with("max", max)
    } else if phrase == "is out of range" {
        // A modifier option's price change (`catalog::modifiers`).
        CodedError::new(Code::OutOfRange).with("min", -1_000_000_000i64).with("max", 1_000_000_000i64)
    } else if let Some(min) = phrase.strip_prefix("must be at least ").and_then(number) {
        CodedError::new(Code::TooSmall).with("min", min)
    } else if let Some(list) = phrase.split_once("set to one of: ").map(|(_, list)| list) {
        CodedError::new(Code::EmailInSeveralBrands).with("brands", brand_list(list))
    } else {
        CodedError::new(Code::Unrecognised).with("message", phrase)
    }
}

/// "<uuid> (<name>), <uuid> (<name>)" as `[{tenant_id, name}]`; a name ends
/// at the ")" followed by the end or by the next entry, so names with
/// parentheses or commas survive.
fn brand_list(mut rest: &str) -> Value {
    let entry_start = |s: &str| -> Option<(String, usize)> {
        let id = uuid::Uuid::parse_str(s.get(..36)?).ok()?;
        s.get(36..)?.starts_with(" (").then_some((id.to_string(), 38))
    };
    let mut brands = Vec::new();
    while let Some((id, skip)) = entry_start(rest) {
        let after = &rest[skip..];
        let end = after.match_indices(')').map(|(i, _)| i).find(|&i| {
            let tail = &after[i + 1..];
            tail.is_empty() || tail.strip_prefix(", ").and_then(entry_start).is_some()
        });
        let Some(end) = end else { break };
        brands.push(json!({"tenant_id": id, "name": &after[..end]}));
        rest = after[end + 1..].strip_prefix(", ").unwrap_or("");
    }
    Value::Array(brands)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_with_parameters_are_read_back() {
        let coded = [
            CodedError::new(Code::TooLong).with("max", 120),
            CodedError::new(Code::TooShort).with("min", 8),
            CodedError::new(Code::LengthOutOfRange).with("min", 1).with("max", 60),
            CodedError::new(Code::OutOfRange).with("min", 0).with("max", 100_000),
            CodedError::new(Code::TooSmall).with("min", 1),
            CodedError::new(Code::LastOwner),
        ];
        for c in coded {
            assert_eq!(recognise(&describe(&c, Locale::En)), c);
        }
        assert_eq!(recognise("brand new words").code, Code::Unrecognised);
    }
}
