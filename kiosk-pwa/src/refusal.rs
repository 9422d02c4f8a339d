//! Why the server refused an order, in words staff and customers can act on:
//! each field error on a line (`items[2].qty`) is put under the name of the
//! item on that line.

use pos_wire::Problem;

/// One reason per message: `"<item name>: <message>"` for a line's fields,
/// `"<field>: <message>"` for the order's; the detail (or title) if there
/// are no field errors.
pub fn reasons(problem: &Problem, item_names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (field, messages) in &problem.errors {
        let label = line_index(field).and_then(|i| item_names.get(i)).map_or(field.as_str(), String::as_str);
        out.extend(messages.iter().map(|m| format!("{label}: {m}")));
    }
    if out.is_empty() {
        out.push(problem.detail.clone().unwrap_or_else(|| problem.title.clone()));
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

    use super::*;

    fn problem(errors: &[(&str, &str)]) -> Problem {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (f, m) in errors {
            map.entry((*f).to_owned()).or_default().push((*m).to_owned());
        }
        Problem {
            kind: "about:blank".into(),
            title: "Unprocessable Entity".into(),
            status: 422,
            detail: Some("Not accepted".into()),
            errors: map,
        }
    }

    #[test]
    fn line_fields_carry_the_item_name() {
        let names = ["Nasi Goreng".to_owned(), "Es Teh".to_owned()];
        let p = problem(&[
            ("items[1].menu_item_id", "this item is sold out"),
            ("outlet_id", "the outlet is closed"),
            ("items[7].qty", "must be between 1 and 99"),
        ]);
        assert_eq!(
            reasons(&p, &names),
            [
                "Es Teh: this item is sold out",
                "items[7].qty: must be between 1 and 99",
                "outlet_id: the outlet is closed"
            ]
        );
        assert_eq!(reasons(&problem(&[]), &names), ["Not accepted"]);
    }
}
