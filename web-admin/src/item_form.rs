//! The menu item form as typed: every field a string (so nothing typed is
//! lost on an error), modifier groups as rows named like the domain's error
//! paths (`modifier_groups[0].options[1].name`), so a domain error lands
//! next to its field. Prices are typed in the currency's major units.

use std::collections::BTreeMap;

use pos_wire::{CreateMenuItem, MenuItem, ModifierGroup, ModifierOption, UpdateMenuItem};
use uuid::Uuid;

use crate::{
    fields::FormErrors,
    money::{amount_input, parse_money},
};

/// More rows than this is not a person typing.
const MAX_ROWS: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OptionRow {
    pub id: String,
    pub name: String,
    pub price: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub min: String,
    pub max: String,
    pub options: Vec<OptionRow>,
}

impl GroupRow {
    /// A new group as "add a group" shows it: one empty option, pick one.
    pub fn blank() -> GroupRow {
        GroupRow { min: "0".into(), max: "1".into(), options: vec![OptionRow::default()], ..GroupRow::default() }
    }

    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.options.iter().all(OptionRow::is_blank)
    }
}

impl OptionRow {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.price.trim().is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemForm {
    pub category_id: String,
    pub name: String,
    /// The item's code (SKU/PLU); empty: none.
    pub code: String,
    pub description: String,
    pub price: String,
    pub position: String,
    /// The stored image (`/media/...`), kept across re-renders.
    pub image_url: String,
    pub remove_image: bool,
    pub groups: Vec<GroupRow>,
}

/// A row button pressed without JavaScript: change the rows, save nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    AddGroup,
    AddOption(usize),
    RemoveGroup(usize),
    RemoveOption(usize, usize),
}

impl RowAction {
    pub fn parse(raw: &str) -> Option<RowAction> {
        let mut parts = raw.split(':');
        let verb = parts.next()?;
        let mut n = || parts.next().and_then(|p| p.parse::<usize>().ok());
        Some(match verb {
            "add_group" => RowAction::AddGroup,
            "add_option" => RowAction::AddOption(n()?),
            "remove_group" => RowAction::RemoveGroup(n()?),
            "remove_option" => {
                let g = n()?;
                RowAction::RemoveOption(g, n()?)
            }
            _ => return None,
        })
    }
}

/// `modifier_groups[3].name` -> (3, None, "name");
/// `modifier_groups[3].options[0].price` -> (3, Some(0), "price").
fn row_key(key: &str) -> Option<(u32, Option<u32>, &str)> {
    let rest = key.strip_prefix("modifier_groups[")?;
    let (g, rest) = rest.split_once("].")?;
    let g = g.parse::<u32>().ok().filter(|g| *g < MAX_ROWS)?;
    match rest.strip_prefix("options[") {
        Some(rest) => {
            let (o, field) = rest.split_once("].")?;
            let o = o.parse::<u32>().ok().filter(|o| *o < MAX_ROWS)?;
            Some((g, Some(o), field))
        }
        None => Some((g, None, rest)),
    }
}

impl ItemForm {
    /// A new item in `category`.
    pub fn blank(category: Option<Uuid>) -> ItemForm {
        ItemForm { category_id: category.map(|c| c.to_string()).unwrap_or_default(), ..ItemForm::default() }
    }

    pub fn of(item: &MenuItem, currency: &str) -> ItemForm {
        ItemForm {
            category_id: item.category_id.to_string(),
            name: item.name.clone(),
            code: item.code.clone().unwrap_or_default(),
            description: item.description.clone(),
            price: amount_input(item.price_minor, currency),
            position: item.position.to_string(),
            image_url: item.image_url.clone().unwrap_or_default(),
            remove_image: false,
            groups: item
                .modifier_groups
                .iter()
                .map(|g| GroupRow {
                    id: g.id.map(|i| i.to_string()).unwrap_or_default(),
                    name: g.name.clone(),
                    min: g.min.to_string(),
                    max: g.max.to_string(),
                    options: g
                        .options
                        .iter()
                        .map(|o| OptionRow {
                            id: o.id.map(|i| i.to_string()).unwrap_or_default(),
                            name: o.name.clone(),
                            price: amount_input(o.price_minor, currency),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The posted fields, rows in the order of their numbers (gaps, from
    /// rows removed in the browser, close up). Rows left wholly empty are
    /// dropped unless `keep_blank` (re-rendering after "add a group").
    pub fn from_fields(fields: &[(String, String)], keep_blank: bool) -> ItemForm {
        let mut form = ItemForm::default();
        let mut groups: BTreeMap<u32, (GroupRow, BTreeMap<u32, OptionRow>)> = BTreeMap::new();
        for (key, value) in fields {
            let value = value.clone();
            match key.as_str() {
                "category_id" => form.category_id = value,
                "name" => form.name = value,
                "code" => form.code = value,
                "description" => form.description = value,
                "price" => form.price = value,
                "position" => form.position = value,
                "image_url" => form.image_url = value,
                "remove_image" => form.remove_image = true,
                _ => {
                    let Some((g, o, field)) = row_key(key) else { continue };
                    let (group, options) = groups.entry(g).or_default();
                    match (o, field) {
                        (None, "id") => group.id = value,
                        (None, "name") => group.name = value,
                        (None, "min") => group.min = value,
                        (None, "max") => group.max = value,
                        (Some(o), field) => {
                            let option = options.entry(o).or_default();
                            match field {
                                "id" => option.id = value,
                                "name" => option.name = value,
                                "price" => option.price = value,
                                _ => {}
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        form.groups = groups
            .into_values()
            .map(|(mut g, options)| {
                g.options = options.into_values().filter(|o| keep_blank || !o.is_blank()).collect();
                g
            })
            .filter(|g| keep_blank || !g.is_blank())
            .collect();
        form
    }

    /// Applies a row button (indices as rendered).
    pub fn apply(&mut self, action: RowAction) {
        match action {
            RowAction::AddGroup => self.groups.push(GroupRow::blank()),
            RowAction::AddOption(g) => {
                if let Some(g) = self.groups.get_mut(g) {
                    g.options.push(OptionRow::default());
                }
            }
            RowAction::RemoveGroup(g) if g < self.groups.len() => {
                self.groups.remove(g);
            }
            RowAction::RemoveOption(g, o) => {
                if let Some(g) = self.groups.get_mut(g)
                    && o < g.options.len()
                {
                    g.options.remove(o);
                }
            }
            RowAction::RemoveGroup(_) => {}
        }
    }

    /// The admin's own checks (numbers and amounts); the domain checks the
    /// rest. Errors are keyed by the form's field names.
    pub fn parse(&self, currency: &str, errors: &mut FormErrors) -> Option<Parsed> {
        let category_id = Uuid::parse_str(self.category_id.trim()).ok();
        if category_id.is_none() {
            errors.add_key("category_id", "field.choose_one");
        }
        let price = match parse_money(&self.price, currency, false) {
            Ok(p) => Some(p),
            Err(key) => {
                errors.add_key("price", key);
                None
            }
        };
        let position = match self.position.trim() {
            "" => None,
            p => match p.parse::<i32>() {
                Ok(p) => Some(p),
                Err(_) => {
                    errors.add_key("position", "field.whole_number");
                    None
                }
            },
        };
        let mut groups = Vec::with_capacity(self.groups.len());
        for (gi, g) in self.groups.iter().enumerate() {
            let mut count = |field: &str, raw: &str| match raw.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.add_key(&format!("modifier_groups[{gi}].{field}"), "field.whole_number");
                    0
                }
            };
            let min = count("min", &g.min);
            let max = count("max", &g.max);
            let mut options = Vec::with_capacity(g.options.len());
            for (oi, o) in g.options.iter().enumerate() {
                let price = if o.price.trim().is_empty() {
                    0
                } else {
                    parse_money(&o.price, currency, true).unwrap_or_else(|key| {
                        errors.add_key(&format!("modifier_groups[{gi}].options[{oi}].price"), key);
                        0
                    })
                };
                options.push(ModifierOption {
                    id: Uuid::parse_str(&o.id).ok(),
                    name: o.name.clone(),
                    price_minor: price,
                });
            }
            groups.push(ModifierGroup { id: Uuid::parse_str(&g.id).ok(), name: g.name.clone(), min, max, options });
        }
        if !errors.is_empty() {
            return None;
        }
        Some(Parsed {
            category_id: category_id?,
            name: self.name.clone(),
            code: self.code.clone(),
            description: self.description.clone(),
            price_minor: price?,
            position,
            image_url: (!self.image_url.trim().is_empty() && !self.remove_image)
                .then(|| self.image_url.trim().to_string()),
            modifier_groups: groups,
        })
    }
}

/// The form's values as the domain takes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub category_id: Uuid,
    pub name: String,
    /// As typed: the domain checks it (empty: none).
    pub code: String,
    pub description: String,
    pub price_minor: i64,
    pub position: Option<i32>,
    pub image_url: Option<String>,
    pub modifier_groups: Vec<ModifierGroup>,
}

impl Parsed {
    pub fn create(self) -> CreateMenuItem {
        CreateMenuItem {
            category_id: self.category_id,
            name: self.name,
            code: Some(self.code),
            description: self.description,
            price_minor: self.price_minor,
            image_url: self.image_url,
            position: self.position,
            modifier_groups: self.modifier_groups,
        }
    }

    pub fn update(self) -> UpdateMenuItem {
        UpdateMenuItem {
            category_id: Some(self.category_id),
            name: Some(self.name),
            code: Some(Some(self.code)),
            description: Some(self.description),
            price_minor: Some(self.price_minor),
            image_url: Some(self.image_url),
            position: self.position,
            modifier_groups: Some(self.modifier_groups),
        }
    }
}

/// The domain names amounts `price_minor`; the form says `price`.
pub fn rename_domain_fields(errors: &mut FormErrors) {
    errors.rename_suffix(".price_minor", ".price");
    errors.rename("price_minor", "price");
}

#[cfg(test)]
mod tests {
    use pos_wire::Locale;

    use super::*;
    use crate::i18n::Tr;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rows_are_read_in_order_and_gaps_close_up() {
        let form = ItemForm::from_fields(
            &fields(&[
                ("name", "Es Kopi"),
                ("price", "25.000"),
                ("modifier_groups[4].name", "Gula"),
                ("modifier_groups[4].min", "1"),
                ("modifier_groups[4].max", "1"),
                ("modifier_groups[4].options[7].name", "Normal"),
                ("modifier_groups[4].options[2].name", "Sedikit"),
                ("modifier_groups[4].options[2].price", "0"),
                ("modifier_groups[1].name", "Ukuran"),
                ("modifier_groups[1].options[0].name", "Besar"),
                ("modifier_groups[1].options[0].price", "5.000"),
                ("modifier_groups[1].options[1].name", ""),
                ("modifier_groups[1].options[1].price", ""),
                ("modifier_groups[9].name", ""),
                ("modifier_groups[9].options[0].name", ""),
                ("modifier_groups[x].name", "ignored"),
                ("modifier_groups[99999].name", "ignored"),
                ("remove_image", "on"),
            ]),
            false,
        );
        assert_eq!(form.name, "Es Kopi");
        assert!(form.remove_image);
        assert_eq!(form.groups.len(), 2, "the blank group is dropped");
        assert_eq!(form.groups[0].name, "Ukuran");
        assert_eq!(form.groups[0].options.len(), 1, "the blank option is dropped");
        assert_eq!(form.groups[1].name, "Gula");
        let names: Vec<_> = form.groups[1].options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Sedikit", "Normal"]);
    }

    #[test]
    fn blank_rows_stay_while_editing_rows() {
        let mut form = ItemForm::from_fields(&fields(&[("modifier_groups[0].name", "")]), true);
        assert_eq!(form.groups.len(), 1);
        form.apply(RowAction::AddOption(0));
        form.apply(RowAction::AddGroup);
        assert_eq!(form.groups[0].options.len(), 1);
        assert_eq!(form.groups[1], GroupRow::blank());
        form.apply(RowAction::RemoveOption(0, 0));
        form.apply(RowAction::RemoveGroup(5));
        form.apply(RowAction::RemoveGroup(0));
        assert_eq!(form.groups, vec![GroupRow::blank()]);
        assert_eq!(RowAction::parse("remove_option:2:3"), Some(RowAction::RemoveOption(2, 3)));
        assert_eq!(RowAction::parse("add_option:x"), None);
        assert_eq!(RowAction::parse("save"), None);
    }

    #[test]
    fn parses_amounts_and_counts_into_the_domain_request() {
        let category = Uuid::now_v7();
        let option_id = Uuid::now_v7();
        let form = ItemForm {
            category_id: category.to_string(),
            name: "Es Kopi".into(),
            price: "25.000".into(),
            image_url: "/media/x/y.png".into(),
            groups: vec![GroupRow {
                id: String::new(),
                name: "Ukuran".into(),
                min: "1".into(),
                max: " 1 ".into(),
                options: vec![
                    OptionRow { id: option_id.to_string(), name: "Besar".into(), price: "5.000".into() },
                    OptionRow { id: String::new(), name: "Kecil".into(), price: "-2000".into() },
                    OptionRow { id: String::new(), name: "Biasa".into(), price: String::new() },
                ],
            }],
            ..ItemForm::default()
        };
        let mut errors = FormErrors::new(Tr(Locale::En));
        let parsed = form.parse("IDR", &mut errors).expect("valid");
        assert!(errors.is_empty());
        assert_eq!(parsed.price_minor, 25_000);
        assert_eq!(parsed.image_url.as_deref(), Some("/media/x/y.png"));
        let g = &parsed.modifier_groups[0];
        assert_eq!((g.min, g.max), (1, 1));
        let prices: Vec<_> = g.options.iter().map(|o| o.price_minor).collect();
        assert_eq!(prices, [5_000, -2_000, 0]);
        assert_eq!(g.options[0].id, Some(option_id));
        let update = parsed.update();
        assert_eq!(update.image_url, Some(Some("/media/x/y.png".into())));
    }

    #[test]
    fn bad_numbers_are_reported_under_their_row() {
        let form = ItemForm {
            category_id: "nope".into(),
            price: "25,5".into(),
            remove_image: true,
            image_url: "/media/x/y.png".into(),
            groups: vec![GroupRow {
                min: "one".into(),
                max: "1".into(),
                options: vec![OptionRow { name: "A".into(), price: "1.2.3".into(), ..OptionRow::default() }],
                ..GroupRow::default()
            }],
            ..ItemForm::default()
        };
        let mut errors = FormErrors::new(Tr(Locale::En));
        assert!(form.parse("IDR", &mut errors).is_none());
        for field in ["category_id", "price", "modifier_groups[0].min", "modifier_groups[0].options[0].price"] {
            assert!(errors.has(field), "{field}");
        }
        assert!(!errors.has("modifier_groups[0].max"));
    }

    #[test]
    fn a_removed_image_is_cleared() {
        let form = ItemForm {
            category_id: Uuid::now_v7().to_string(),
            price: "1".into(),
            image_url: "/media/x/y.png".into(),
            remove_image: true,
            ..ItemForm::default()
        };
        let mut errors = FormErrors::new(Tr(Locale::En));
        let update = form.parse("IDR", &mut errors).unwrap().update();
        assert_eq!(update.image_url, Some(None));
    }
}
