//! Why the server refused an order, in words staff and customers can act on,
//! in the screen's language: each field error on a line (`items[2].qty`) is
//! put under the name of the item on that line. Codes are translated by
//! `pos_wire::describe`; a code this build does not know keeps the server's
//! own words.

use pos_wire::{Locale, Problem};

/// One reason per message: `"<item name>: <message>"` for a line's fields,
/// `"<field>: <message>"` for the order's; the problem's own message if
/// there are no field errors.
pub fn reasons(problem: &Problem, item_names: &[String], locale: Locale) -> Vec<String> {
    let mut out = Vec::new();
    for (field, messages) in problem.field_messages(locale) {
        let label = line_index(&field).and_then(|i| item_names.get(i)).map_or(field.as_str(), String::as_str);
        out.extend(messages.iter().map(|m| format!("{label}: {m}")));
    }
    if out.is_empty() {
        out.push(problem.message(locale));
    }
    out
}

/// `items[3].qty` → 3.
fn line_index(field: &str) -> Option<usize> {
    field.strip_prefix("items[")?.split_once(']')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use pos_wire::{Code, CodedError};

    use super::*;

    fn problem(errors: &[(&str, CodedError)]) -> Problem {
        let mut messages: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut codes: BTreeMap<String, Vec<CodedError>> = BTreeMap::new();
        for (f, e) in errors {
            messages.entry((*f).to_owned()).or_default().push(e.to_string());
            codes.entry((*f).to_owned()).or_default().push(e.clone());
        }
        Problem {
            kind: "about:blank".into(),
            title: "Unprocessable Entity".into(),
            status: 422,
            detail: Some("Not accepted".into()),
            errors: messages,
            code: Some(Code::ValidationFailed),
            params: Default::default(),
            error_codes: codes,
        }
    }

    fn refused() -> Problem {
        problem(&[
            ("items[1].menu_item_id", Code::ItemSoldOut.into()),
            ("outlet_id", Code::OutletClosed.into()),
            ("items[7].qty", CodedError::qty_out_of_range(1, 99)),
        ])
    }

    #[test]
    fn line_fields_carry_the_item_name_in_the_screens_language() {
        let names = ["Nasi Goreng".to_owned(), "Es Teh".to_owned()];
        assert_eq!(
            reasons(&refused(), &names, Locale::En),
            [
                "Es Teh: this item is sold out",
                "items[7].qty: must be between 1 and 99",
                "outlet_id: the outlet is closed"
            ]
        );
        assert_eq!(
            reasons(&refused(), &names, Locale::Id),
            [
                "Es Teh: item ini sedang habis",
                "items[7].qty: jumlahnya harus antara 1 dan 99",
                "outlet_id: outlet sedang tutup"
            ]
        );
        assert_eq!(reasons(&problem(&[]), &names, Locale::Id), ["Beberapa isian tidak valid."]);
    }

    #[test]
    fn what_the_build_cannot_translate_keeps_the_servers_words() {
        let names = ["Es Teh".to_owned()];
        // A document from before codes (kept in the queue), or with a code from a newer server.
        let mut old = refused();
        old.code = None;
        old.error_codes.clear();
        assert_eq!(reasons(&old, &names, Locale::Id)[1], "items[7].qty: must be between 1 and 99");
        let newer: Problem = serde_json::from_value(serde_json::json!({
            "type": "t", "title": "Conflict", "status": 409, "detail": "Something new.",
            "code": "a_newer_code", "params": {}
        }))
        .unwrap();
        assert_eq!(reasons(&newer, &names, Locale::Id), ["Something new."]);
    }
}
