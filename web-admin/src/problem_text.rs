//! The domain's refusals in the user's language: field errors next to
//! their field, conflicts on the page. The one place the admin puts them
//! into words: by their problem code, through pos-wire's one table
//! (`describe`), never by matching the English the API also sends.
//!
//! MERGE (issue 10, codes branch): import `CodedError` and `describe` from
//! `pos_wire::problem` instead of `problem_standin`, make [`Refusal`] that
//! `CodedError` (the backend's `FieldErrors` and `Error::Conflict` hold it),
//! make [`coded`] return the refusal itself, and delete `problem_standin.rs`.

use crate::{
    i18n::Tr,
    problem_standin::{CodedError, describe, recognise},
};

/// Why the domain refused something: one error of a field in its
/// `Error::Validation`, or what its `Error::Conflict` says.
pub type Refusal = String;

/// The refusal's code and parameters.
pub fn coded(refusal: &Refusal) -> CodedError {
    recognise(refusal)
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

#[cfg(test)]
mod tests {
    use pos_wire::Locale;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn refusals_read_as_sentences_in_both_languages() {
        let (id, en) = (Tr(Locale::Id), Tr(Locale::En));
        assert_eq!(refusal_message(id, &"is required".into()), "Wajib diisi");
        assert_eq!(refusal_message(en, &"is required".into()), "This field is required");
        assert_eq!(refusal_message(id, &"must be at most 120 characters".into()), "Paling banyak 120 karakter");
        assert_eq!(
            refusal_message(en, &"must be at least 8 characters".into()),
            "This field must be at least 8 characters"
        );
        assert_eq!(
            refusal_message(id, &"the brand must keep at least one active owner".into()),
            "Brand harus tetap memiliki minimal satu pemilik aktif"
        );
        assert_eq!(
            refusal_message(en, &"you cannot delete your own account".into()),
            "You cannot delete your own account"
        );
    }

    #[test]
    fn brand_choices_come_from_the_refusals_parameters() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let refusal = format!(
            "This email opens accounts in several brands; log in again with tenant_id set to one of: {a} (Kopi (Pusat), Jakarta), {b} (Teh)"
        );
        assert_eq!(brand_choices(&refusal), vec![(a, "Kopi (Pusat), Jakarta".to_string()), (b, "Teh".to_string())]);
        assert!(brand_choices(&"something else".to_string()).is_empty());
    }
}
