//! Problem documents (RFC 9457) and the codes that say why a request was
//! refused, with their one Indonesian/English table ([`describe`]).

mod code;
mod describe;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

pub use code::{Code, CodedError, Params};
pub use describe::describe;

use crate::Locale;

/// An RFC 9457 problem document, as every API error is sent.
///
/// `code` and `params` say why in a form clients translate; `error_codes`
/// does the same for each field in `errors`, entry for entry. `detail` and
/// `errors` keep the server's English for clients that predate codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Field name -> messages (English), for validation errors.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, Vec<String>>,
    /// Why, as a code. Absent from servers that predate codes, and read as
    /// absent when this build does not know the code.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "known_code")]
    pub code: Option<Code>,
    /// The code's parameters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub params: Params,
    /// Field name -> codes, in the order of that field's `errors`. A field
    /// with a code this build does not know is left out (its `errors` stay).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "known_field_codes")]
    pub error_codes: BTreeMap<String, Vec<CodedError>>,
}

impl Problem {
    /// The problem's top-level code with its parameters, when it has one this build knows.
    pub fn coded(&self) -> Option<CodedError> {
        self.code.map(|code| CodedError { code, params: self.params.clone() })
    }

    /// What went wrong, in `locale`: the code translated; for a code this
    /// build cannot translate, the server's `detail` (else its `title`).
    pub fn message(&self, locale: Locale) -> String {
        match self.coded().filter(CodedError::is_complete) {
            Some(coded) => describe(&coded, locale),
            None => self.detail.clone().unwrap_or_else(|| self.title.clone()),
        }
    }

    /// Each field's messages in `locale`: its codes translated when this
    /// build knows them all, else the server's own words.
    pub fn field_messages(&self, locale: Locale) -> BTreeMap<String, Vec<String>> {
        let mut out = self.errors.clone();
        for (field, codes) in &self.error_codes {
            let fits = self.errors.get(field).is_none_or(|messages| messages.len() == codes.len());
            if fits && codes.iter().all(CodedError::is_complete) {
                out.insert(field.clone(), codes.iter().map(|c| describe(c, locale)).collect());
            }
        }
        out
    }
}

/// An unknown code (from a newer server) reads as none, never as a broken document.
fn known_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Code>, D::Error> {
    let raw = Option::<String>::deserialize(deserializer)?;
    Ok(raw.as_deref().and_then(Code::parse))
}

/// Keeps the fields whose codes this build knows, all of them.
fn known_field_codes<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Vec<CodedError>>, D::Error> {
    let raw = BTreeMap::<String, serde_json::Value>::deserialize(deserializer)?;
    Ok(raw.into_iter().filter_map(|(field, codes)| Some((field, serde_json::from_value(codes).ok()?))).collect())
}

#[cfg(test)]
mod tests;
