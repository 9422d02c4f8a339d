//! Field errors as forms show them: next to their field, in the user's
//! language, from the domain's `Error::Validation` or the admin's own parsing.

use std::collections::BTreeMap;

use pos_backend::error::FieldErrors;

use crate::{i18n::Tr, problem_text::refusal_message};

/// Field name -> messages, ready to show.
#[derive(Debug, Clone)]
pub struct FormErrors {
    tr: Tr,
    fields: BTreeMap<String, Vec<String>>,
}

impl FormErrors {
    pub fn new(tr: Tr) -> FormErrors {
        FormErrors { tr, fields: BTreeMap::new() }
    }

    /// The domain's field errors, in the user's language.
    pub fn from_domain(tr: Tr, errors: FieldErrors) -> FormErrors {
        let mut out = FormErrors::new(tr);
        out.merge(errors);
        out
    }

    pub fn merge(&mut self, errors: FieldErrors) {
        for (field, messages) in errors.0 {
            let shown = messages.iter().map(|m| refusal_message(self.tr, m));
            self.fields.entry(field).or_default().extend(shown);
        }
    }

    /// Adds the message of i18n `key` to `field`.
    pub fn add_key(&mut self, field: &str, key: &str) {
        self.fields.entry(field.to_string()).or_default().push(self.tr.t(key).to_string());
    }

    /// Adds a message already in the user's language to `field`.
    pub fn add_text(&mut self, field: &str, text: String) {
        self.fields.entry(field.to_string()).or_default().push(text);
    }

    /// Moves the messages of the domain's `from` field to the form's `to`
    /// (the form asks for a percent where the domain takes basis points).
    pub fn rename(&mut self, from: &str, to: &str) {
        if let Some(messages) = self.fields.remove(from) {
            self.fields.entry(to.to_string()).or_default().extend(messages);
        }
    }

    /// Renames every field ending in `from` to end in `to` instead
    /// (`modifier_groups[0].options[1].price_minor` -> `...price`).
    pub fn rename_suffix(&mut self, from: &str, to: &str) {
        let keys: Vec<String> = self.fields.keys().filter(|k| k.ends_with(from)).cloned().collect();
        for key in keys {
            let renamed = format!("{}{to}", &key[..key.len() - from.len()]);
            self.rename(&key, &renamed);
        }
    }

    pub fn of(&self, field: &str) -> &[String] {
        self.fields.get(field).map_or(&[], Vec::as_slice)
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Messages of fields the form does not show, so none is ever lost.
    pub fn others(&self, shown: &[&str]) -> Vec<&String> {
        self.fields.iter().filter(|(f, _)| !shown.contains(&f.as_str())).flat_map(|(_, m)| m).collect()
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::Locale;

    use super::*;
    use crate::problem_text::test_refusal::{Code, CodedError, refusal};

    #[test]
    fn domain_errors_are_translated_and_renamed() {
        let mut fe = FieldErrors::new();
        fe.add("name", refusal(CodedError::new(Code::Required)));
        fe.add("tax_rate_bp", refusal(CodedError::new(Code::BasisPointsOutOfRange)));
        fe.add("mystery", refusal(CodedError::new(Code::UsedTwice)));
        let mut errors = FormErrors::from_domain(Tr(Locale::Id), fe);
        errors.rename("tax_rate_bp", "tax_percent");
        assert_eq!(errors.of("name"), ["Wajib diisi"]);
        assert!(errors.has("tax_percent") && !errors.has("tax_rate_bp"));
        assert!(errors.of("address").is_empty());
        assert_eq!(errors.of("tax_percent"), ["Harus antara 0% dan 100%"]);
        assert_eq!(errors.others(&["name", "tax_percent"]), vec!["Dipakai dua kali"]);
    }
}
