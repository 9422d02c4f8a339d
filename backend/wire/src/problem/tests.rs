use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use super::*;
use crate::Locale::{En, Id};

/// A plausible value of each parameter name.
fn sample(param: &str) -> Value {
    match param {
        "brands" => json!([{"tenant_id": "0190a0d0-0000-7000-8000-000000000001", "name": "Kopi Nusantara"}]),
        "item" | "group" | "detail" => json!("Es Teh"),
        "option_id" => json!("0190a0d0-0000-7000-8000-000000000002"),
        "from" => json!("placed"),
        "to" => json!("completed"),
        _ => json!(17),
    }
}

fn complete(code: Code) -> CodedError {
    code.params().iter().fold(CodedError::new(code), |e, p| e.with(p, sample(p)))
}

#[test]
fn wire_names_are_unique_snake_case_and_round_trip() {
    let mut seen = HashSet::new();
    for &code in Code::ALL {
        let name = code.as_str();
        assert!(seen.insert(name), "{name} twice");
        assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{name}");
        assert_eq!(Code::parse(name), Some(code));
        assert_eq!(serde_json::to_value(code).unwrap(), json!(name));
        assert_eq!(serde_json::from_value::<Code>(json!(name)).unwrap(), code);
        assert!(code.meaning().trim().ends_with('.'), "{name}: {:?}", code.meaning());
    }
    assert_eq!(Code::parse("not_a_code_yet"), None);
    assert!(serde_json::from_value::<Code>(json!("not_a_code_yet")).is_err());
}

#[test]
fn every_code_reads_in_both_languages_with_its_parameters() {
    for &code in Code::ALL {
        let error = complete(code);
        let (id, en) = (describe(&error, Id), describe(&error, En));
        assert!(!id.trim().is_empty() && !en.trim().is_empty(), "{code:?}");
        assert_ne!(id, en, "{code:?} is not translated");
        for text in [&id, &en] {
            assert!(!text.contains('?'), "{code:?} left a parameter out: {text}");
            assert!(!text.contains('{'), "{code:?}: {text}");
        }
        assert_eq!(error.to_string(), en, "Display is the English");
    }
}

#[test]
fn the_parameters_a_code_declares_are_the_ones_its_words_use() {
    for &code in Code::ALL {
        for &param in code.params() {
            let full = complete(code);
            let mut error = full.clone();
            error.params.remove(param);
            assert!(!error.is_complete());
            let used = |locale| describe(&error, locale) != describe(&full, locale);
            // Parser codes quote the parser's English only in English.
            assert!(used(En) || used(Id), "{code:?} never shows `{param}`");
        }
    }
}

#[test]
fn codes_read_differently_where_it_matters() {
    // Codes that deliberately share English with another (the words predate
    // codes): the parser's own message, and ranges.
    let shared_english = [Code::MissingField, Code::UnknownField, Code::InvalidValue, Code::QtyOutOfRange];
    let mut en_seen: BTreeMap<String, Code> = BTreeMap::new();
    let mut id_seen: BTreeMap<String, Code> = BTreeMap::new();
    for &code in Code::ALL {
        let error = complete(code);
        if let Some(other) = id_seen.insert(describe(&error, Id), code) {
            panic!("{code:?} and {other:?} read the same in Indonesian");
        }
        if shared_english.contains(&code) {
            continue;
        }
        if let Some(other) = en_seen.insert(describe(&error, En), code) {
            panic!("{code:?} and {other:?} read the same in English");
        }
    }
}

#[test]
fn parameters_fill_the_words() {
    assert_eq!(describe(&CodedError::too_long(60), Id), "paling banyak 60 karakter");
    assert_eq!(describe(&CodedError::too_long(60), En), "must be at most 60 characters");
    assert_eq!(describe(&CodedError::qty_out_of_range(1, 99), Id), "jumlahnya harus antara 1 dan 99");
    assert_eq!(describe(&CodedError::price_changed(20_000, 18_000), En), "the price is now 20000, not 18000");
    assert_eq!(
        describe(&CodedError::status_transition("ready", "placed"), Id),
        "pesanan berstatus siap tidak dapat menjadi baru"
    );
    let several = CodedError::email_in_several_brands([
        ("t1".to_owned(), "Kopi".to_owned()),
        ("t2".to_owned(), "Teh".to_owned()),
    ]);
    assert_eq!(several.brands(), [("t1".to_owned(), "Kopi".to_owned()), ("t2".to_owned(), "Teh".to_owned())]);
    assert!(describe(&several, En).ends_with("one of: t1 (Kopi), t2 (Teh)"));
    assert!(describe(&CodedError::price_not_offered("Es Teh", 0, 72), Id).contains("72 jam"));
    // A missing parameter shows, rather than failing.
    assert_eq!(describe(&CodedError::new(Code::TooLong), En), "must be at most ? characters");
}

#[test]
fn coded_errors_are_objects_with_params_on_the_wire() {
    let e = CodedError::too_long(60);
    assert_eq!(serde_json::to_value(&e).unwrap(), json!({"code": "too_long", "params": {"max": 60}}));
    assert_eq!(
        serde_json::to_value(CodedError::new(Code::Required)).unwrap(),
        json!({"code": "required", "params": {}})
    );
    let back: CodedError = serde_json::from_value(json!({"code": "required"})).unwrap();
    assert_eq!(back, Code::Required.into());
}

fn problem(value: Value) -> Problem {
    serde_json::from_value(value).expect("a problem document")
}

#[test]
fn documents_from_servers_before_codes_still_read() {
    let p = problem(json!({
        "type": "https://pos.example/problems/422", "title": "Unprocessable Entity", "status": 422,
        "detail": "Some fields are not valid.", "errors": {"name": ["is required"]}
    }));
    assert_eq!(p.code, None);
    assert_eq!(p.message(Id), "Some fields are not valid.");
    assert_eq!(p.field_messages(Id)["name"], ["is required"]);
}

#[test]
fn codes_are_translated_and_unknown_ones_fall_back_to_the_servers_words() {
    let p = problem(json!({
        "type": "t", "title": "Unprocessable Entity", "status": 422, "detail": "Some fields are not valid.",
        "code": "validation_failed", "params": {},
        "errors": {
            "name": ["is required", "must be at most 60 characters"],
            "future": ["a reason from a newer server"],
            "mixed": ["is required", "a newer reason"],
        },
        "error_codes": {
            "name": [{"code": "required", "params": {}}, {"code": "too_long", "params": {"max": 60}}],
            "future": [{"code": "some_new_code", "params": {}}],
            "mixed": [{"code": "required", "params": {}}, {"code": "some_new_code", "params": {}}],
        }
    }));
    assert_eq!(p.message(Id), "Beberapa isian tidak valid.");
    let fields = p.field_messages(Id);
    assert_eq!(fields["name"], ["wajib diisi", "paling banyak 60 karakter"]);
    assert_eq!(fields["future"], ["a reason from a newer server"]);
    assert_eq!(fields["mixed"], ["is required", "a newer reason"], "all or nothing per field");

    let newer = problem(json!({"type": "t", "title": "Conflict", "status": 409, "detail": "Newer words.",
                               "code": "a_code_from_the_future", "params": {"x": 1}}));
    assert_eq!(newer.code, None);
    assert_eq!(newer.message(Id), "Newer words.");
    // A known code whose parameters are missing (renamed since) uses the server's words too.
    let renamed = problem(json!({"type": "t", "title": "Payload Too Large", "status": 413,
                                 "detail": "Too big.", "code": "payload_too_large", "params": {}}));
    assert_eq!(renamed.message(En), "Too big.");
}

#[test]
fn problem_documents_serialise_codes_next_to_the_old_fields() {
    let mut p = problem(json!({"type": "t", "title": "Conflict", "status": 409}));
    p.code = Some(Code::CategoryHasItems);
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["code"], "category_has_items");
    assert_eq!(v["params"], json!({}));
    assert!(v.get("error_codes").is_none() && v.get("errors").is_none());
}

#[test]
fn the_readme_lists_every_code_with_its_parameters_and_meaning() {
    let readme = include_str!("../../../../README.md");
    for &code in Code::ALL {
        let params: Vec<String> = code.params().iter().map(|p| format!("`{p}`")).collect();
        let row = format!("| `{}` | {} | {} |", code.as_str(), params.join(", "), code.meaning().trim());
        let row = row.replace("|  |", "| |");
        assert!(readme.contains(&row), "README.md lacks (or has another wording of) the row\n{row}");
    }
}
