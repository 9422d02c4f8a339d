//! The domain's refusals in the user's language: field errors next to
//! their field, conflicts on the page. The one place the admin puts them
//! into words: by their problem code, through pos-wire's one table
//! (`describe`), never by matching the English the API also sends.

use pos_wire::problem::{CodedError, describe};

use crate::i18n::Tr;

/// Why the domain refused something: one error of a field in its
/// `Error::Validation`, or what its `Error::Conflict` says.
pub type Refusal = CodedError;

/// The refusal's code and parameters.
pub fn coded(refusal: &Refusal) -> CodedError {
    refusal.clone()
}

/// A refusal, as a sentence in the user's language.
pub fn refusal_message(tr: Tr, refusal: &Refusal) -> String {
    sentence(tr, &describe(&coded(refusal), tr.0))
}

/// `describe` writes a field's error as a phrase that follows the field's
/// name ("is required"); under the field it becomes a sentence ("This
/// field is required", "Wajib diisi").
fn sentence(tr: Tr, phrase: &str) -> String {
    let needs_subject = ["is ", "must ", "contains "].iter().any(|verb| phrase.starts_with(verb));
    if tr.0 == pos_wire::Locale::En && needs_subject {
        return format!("This field {phrase}");
    }
    let mut chars = phrase.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The brands an email opens, from the refusal of a sign-in without one:
/// (tenant id, name) each.
pub fn brand_choices(refusal: &Refusal) -> Vec<(uuid::Uuid, String)> {
    coded(refusal).brands().into_iter().filter_map(|(id, name)| Some((id.parse().ok()?, name))).collect()
}

/// Refusals as the backend makes them, for tests.
#[cfg(test)]
pub mod test_refusal {
    pub use pos_wire::problem::{Code, CodedError};

    pub fn refusal(coded: CodedError) -> super::Refusal {
        coded
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::Locale;
    use serde_json::json;
    use uuid::Uuid;

    use super::{
        test_refusal::{Code, CodedError, refusal},
        *,
    };

    #[test]
    fn refusals_read_as_sentences_in_both_languages() {
        let (id, en) = (Tr(Locale::Id), Tr(Locale::En));
        let required = refusal(CodedError::new(Code::Required));
        assert_eq!(refusal_message(id, &required), "Wajib diisi");
        assert_eq!(refusal_message(en, &required), "This field is required");
        let too_long = refusal(CodedError::new(Code::TooLong).with("max", 120));
        assert_eq!(refusal_message(id, &too_long), "Paling banyak 120 karakter");
        assert_eq!(refusal_message(en, &too_long), "This field must be at most 120 characters");
        let last_owner = refusal(CodedError::new(Code::LastOwner));
        assert_eq!(refusal_message(id, &last_owner), "Brand harus tetap memiliki minimal satu pemilik aktif");
        assert_eq!(refusal_message(en, &last_owner), "The brand must keep at least one active owner");
    }

    #[test]
    fn brand_choices_come_from_the_refusals_parameters() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let brands = json!([{"tenant_id": a, "name": "Kopi (Pusat), Jakarta"}, {"tenant_id": b, "name": "Teh"}]);
        let several = refusal(CodedError::new(Code::EmailInSeveralBrands).with("brands", brands));
        assert_eq!(brand_choices(&several), vec![(a, "Kopi (Pusat), Jakarta".to_string()), (b, "Teh".to_string())]);
        assert!(brand_choices(&refusal(CodedError::new(Code::LastOwner))).is_empty());
    }
}
