//! The domain's refusals in the user's language: field errors next to
//! their field, conflicts on the page. The one place the admin puts them
//! into words: by their problem code, through pos-wire's table
//! (`describe`), never by matching the English the API also sends.
//!
//! MERGE (issue 10, codes branch): import `CodedError` and `describe` from
//! `pos_wire::problem` instead of `problem_standin`, make [`Refusal`] (and
//! [`FieldError`], if the backend's field errors hold more than the coded
//! error) the backend's coded types, describe them in [`refusal_message`]
//! and [`field_message`] without `recognise`, and delete `problem_standin.rs`.

use crate::{
    i18n::Tr,
    problem_standin::{CodedError, describe, recognise},
};

/// Why the domain refused something: what `Error::Conflict` says.
pub type Refusal = String;
/// One error of a field in the domain's `Error::Validation`.
pub type FieldError = Refusal;

/// A field error, as a sentence in the user's language.
pub fn field_message(tr: Tr, error: &FieldError) -> String {
    refusal_message(tr, error)
}

/// A refusal, as a sentence in the user's language.
pub fn refusal_message(tr: Tr, refusal: &Refusal) -> String {
    let coded: CodedError = recognise(refusal);
    describe(&coded, tr.0)
}

#[cfg(test)]
mod tests {
    use pos_wire::Locale;

    use super::*;

    #[test]
    fn refusals_read_as_sentences_in_both_languages() {
        let (id, en) = (Tr(Locale::Id), Tr(Locale::En));
        assert_eq!(field_message(id, &"is required".into()), "Wajib diisi");
        assert_eq!(field_message(en, &"is required".into()), "This field is required");
        assert_eq!(field_message(id, &"must be at most 120 characters".into()), "Paling banyak 120 karakter");
        assert_eq!(
            field_message(en, &"must be at least 8 characters".into()),
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
}
