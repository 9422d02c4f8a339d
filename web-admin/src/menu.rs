//! The catalogue: categories (in position order, with a kitchen station)
//! and their items, with the item form (price in major units, image,
//! modifier groups as editable rows). Owners edit; managers read.

use actix_web::{FromRequest, HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    Error,
    catalog::{categories, images, items},
    db::ScopedTx,
    tenancy::brand,
};
use pos_wire::{Category, CreateCategory, MenuItem, Outlet, UpdateCategory};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::{AdminForm, NoFields},
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    item_form::{GroupRow, ItemForm, OptionRow, RowAction, rename_domain_fields},
    money::format_money,
    outlets::all_outlets,
    posted,
    render::{invalid, render_with_status},
    session::{Admin, Ctx, NoticeQuery, state_of},
};

/// Every live item, in menu order (position, then name).
pub async fn all_items(tx: &ScopedTx) -> pos_backend::Result<Vec<MenuItem>> {
    let mut out = crate::paging::every(|q| async move { items::list(tx, None, &q).await }).await?;
    out.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The category form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    pub name: String,
    pub station: String,
    pub position: String,
}

impl CategoryForm {
    fn of(c: &Category) -> CategoryForm {
        CategoryForm {
            name: c.name.clone(),
            station: c.station.clone().unwrap_or_default(),
            position: c.position.to_string(),
        }
    }

    fn position(&self, errors: &mut FormErrors) -> Option<i32> {
        match self.position.trim() {
            "" => None,
            p => p.parse().map_err(|_| errors.add_key("position", "field.whole_number")).ok(),
        }
    }
}

/// An item as the menu lists it.
pub struct ItemLine {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub price: String,
    pub image_url: Option<String>,
    pub groups: usize,
}

pub struct CategoryView {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub station: Option<String>,
    pub items: Vec<ItemLine>,
    pub form: CategoryForm,
    pub errors: FormErrors,
    /// Why it could not be deleted.
    pub delete_error: Option<&'static str>,
}

impl CategoryView {
    /// The edit form starts open when it has something to say.
    pub fn open(&self) -> bool {
        !self.errors.is_empty() || self.delete_error.is_some()
    }

    pub fn other_errors(&self) -> Vec<&String> {
        self.errors.others(&["name", "station", "position"])
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/menu/index.html")]
pub(crate) struct MenuPage {
    ctx: Ctx,
    categories: Vec<CategoryView>,
    new_form: CategoryForm,
    new_errors: FormErrors,
    outlets: Vec<Outlet>,
}

impl MenuPage {
    fn new_other_errors(&self) -> Vec<&String> {
        self.new_errors.others(&["name", "station", "position"])
    }

    fn item_count(&self) -> usize {
        self.categories.iter().map(|c| c.items.len()).sum()
    }
}

/// What a re-rendered menu page should show besides the menu.
#[derive(Default)]
struct Pending {
    new_form: Option<(CategoryForm, FormErrors)>,
    edit: Option<(Uuid, CategoryForm, FormErrors)>,
    delete_error: Option<(Uuid, &'static str)>,
}

async fn menu_page(tx: &ScopedTx, ctx: Ctx, pending: Pending) -> Result<MenuPage, AdminError> {
    let tr = ctx.tr;
    let currency = brand::get(tx).await?.currency;
    let cats = categories::list(tx).await?;
    let all = all_items(tx).await?;
    let outlets = all_outlets(tx).await?;
    let Pending { new_form, mut edit, delete_error } = pending;
    let categories = cats
        .into_iter()
        .map(|c| {
            let (form, errors) = match edit.take_if(|(id, ..)| *id == c.id) {
                Some((_, form, errors)) => (form, errors),
                None => (CategoryForm::of(&c), FormErrors::new(tr)),
            };
            CategoryView {
                items: all
                    .iter()
                    .filter(|i| i.category_id == c.id)
                    .map(|i| ItemLine {
                        id: i.id,
                        name: i.name.clone(),
                        description: i.description.clone(),
                        price: format_money(i.price_minor, &currency, tr),
                        image_url: i.image_url.clone(),
                        groups: i.modifier_groups.len(),
                    })
                    .collect(),
                delete_error: delete_error.filter(|(id, _)| *id == c.id).map(|(_, m)| m),
                id: c.id,
                name: c.name,
                position: c.position,
                station: c.station,
                form,
                errors,
            }
        })
        .collect();
    let (new_form, new_errors) = new_form.unwrap_or_else(|| (CategoryForm::default(), FormErrors::new(tr)));
    Ok(MenuPage { ctx: ctx.at("menu"), categories, new_form, new_errors, outlets })
}

pub async fn show(Admin { tx, ctx, .. }: Admin, q: web::Query<NoticeQuery>) -> Result<MenuPage, AdminError> {
    let page = menu_page(&tx, ctx.with_notice(&q), Pending::default()).await?;
    tx.commit().await?;
    Ok(page)
}

/// The form's field errors from a refused write; other refusals are a page.
fn validation(e: Error, ctx: &Ctx) -> Result<FormErrors, AdminError> {
    Ok(FormErrors::from_domain(ctx.tr, field_errors(e)?))
}

pub async fn create_category(req: HttpRequest, post: AdminForm<CategoryForm>) -> Result<HttpResponse, AdminError> {
    save_category(&req, post, None).await
}

pub async fn update_category(
    req: HttpRequest,
    post: AdminForm<CategoryForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    save_category(&req, post, Some(parse_id(&id)?)).await
}

/// Create (`id` None) or update a category from the posted form; refused,
/// the menu page again with the form open and its errors.
async fn save_category(
    req: &HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<CategoryForm>,
    id: Option<Uuid>,
) -> Result<HttpResponse, AdminError> {
    let mut errors = FormErrors::new(ctx.tr);
    let position = form.position(&mut errors);
    if errors.is_empty() {
        let saved = match id {
            None => {
                let req = CreateCategory { name: form.name.clone(), position, station: Some(form.station.clone()) };
                categories::create(&tx, &actor, req).await
            }
            Some(id) => {
                let station = Some(Some(form.station.clone()).filter(|s| !s.trim().is_empty()));
                let req = UpdateCategory { name: Some(form.name.clone()), position, station };
                categories::update(&tx, &actor, id, req).await
            }
        };
        match saved {
            Ok(_) => {
                tx.commit().await?;
                let notice = if id.is_some() { "category_saved" } else { "category_created" };
                return Ok(htmx::see_other(&format!("/admin/menu?notice={notice}")));
            }
            Err(e) => errors = validation(e, &ctx)?,
        }
    }
    // A refused write (a unique name) aborts the transaction: the page is
    // read in a fresh one.
    drop(tx);
    let Admin { tx, .. } = Admin::extract(req).await?;
    let pending = match id {
        None => Pending { new_form: Some((form, errors)), ..Pending::default() },
        Some(id) => Pending { edit: Some((id, form, errors)), ..Pending::default() },
    };
    let page = menu_page(&tx, ctx, pending).await?;
    tx.commit().await?;
    invalid(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    dir: String,
}

/// Moves a category one place up or down, renumbering positions 0, 1, 2...
pub async fn move_category(
    AdminForm { tx, actor, form, .. }: AdminForm<MoveForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let mut cats = categories::list(&tx).await?;
    let at = cats.iter().position(|c| c.id == id).ok_or_else(AdminError::not_found)?;
    let to = match form.dir.as_str() {
        "up" => at.checked_sub(1),
        "down" => Some(at + 1).filter(|t| *t < cats.len()),
        _ => return Err(AdminError::bad_request()),
    };
    if let Some(to) = to {
        cats.swap(at, to);
        for (i, c) in cats.iter().enumerate() {
            let position = i32::try_from(i).unwrap_or(i32::MAX);
            if c.position != position {
                let req = UpdateCategory { position: Some(position), ..UpdateCategory::default() };
                categories::update(&tx, &actor, c.id, req).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(htmx::see_other("/admin/menu?notice=category_saved"))
}

pub async fn delete_category(
    AdminForm { tx, actor, ctx, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    match categories::delete(&tx, &actor, id).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(htmx::see_other("/admin/menu?notice=category_deleted"))
        }
        Err(Error::Conflict(_)) => {
            let pending = Pending { delete_error: Some((id, "menu.category_not_empty")), ..Pending::default() };
            let page = menu_page(&tx, ctx, pending).await?;
            tx.commit().await?;
            render_with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

// ----- Items -----

/// One field of a modifier row as the form shows it.
pub struct RowField {
    /// The posted name (`modifier_groups[0].name`), also the error's key.
    pub name: String,
    pub value: String,
    pub errors: Vec<String>,
}

impl RowField {
    fn new(name: String, value: &str, errors: &FormErrors) -> RowField {
        RowField { errors: errors.of(&name).to_vec(), value: value.to_string(), name }
    }

    pub fn invalid(&self) -> bool {
        !self.errors.is_empty()
    }
}

pub struct OptionView {
    pub index: String,
    pub group: String,
    pub id: RowField,
    pub name: RowField,
    pub price: RowField,
}

pub struct GroupView {
    pub index: String,
    pub id: RowField,
    pub name: RowField,
    pub min: RowField,
    pub max: RowField,
    /// Messages about the group as a whole ("add at least one option").
    pub errors: Vec<String>,
    pub options: Vec<OptionView>,
}

fn option_view(g: &str, o: &str, row: &OptionRow, errors: &FormErrors) -> OptionView {
    let field = |f: &str| format!("modifier_groups[{g}].options[{o}].{f}");
    OptionView {
        index: o.to_string(),
        group: g.to_string(),
        id: RowField::new(field("id"), &row.id, errors),
        name: RowField::new(field("name"), &row.name, errors),
        price: RowField::new(field("price"), &row.price, errors),
    }
}

fn group_view(g: &str, row: &GroupRow, errors: &FormErrors) -> GroupView {
    let field = |f: &str| format!("modifier_groups[{g}].{f}");
    let mut own = errors.of(&field("options")).to_vec();
    own.extend(errors.of(&field("id")).iter().cloned());
    GroupView {
        index: g.to_string(),
        id: RowField::new(field("id"), &row.id, errors),
        name: RowField::new(field("name"), &row.name, errors),
        min: RowField::new(field("min"), &row.min, errors),
        max: RowField::new(field("max"), &row.max, errors),
        errors: own,
        options: row.options.iter().enumerate().map(|(o, r)| option_view(g, &o.to_string(), r, errors)).collect(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/menu/item_form.html")]
pub(crate) struct ItemFormPage {
    ctx: Ctx,
    id: Option<Uuid>,
    form: ItemForm,
    errors: FormErrors,
    categories: Vec<Category>,
    currency: String,
    groups: Vec<GroupView>,
    /// Blank rows for `static/admin.js` to copy (`__G__`, `__O__` placeholders).
    group_template: GroupView,
    option_template: OptionView,
}

impl ItemFormPage {
    fn new(
        ctx: Ctx,
        id: Option<Uuid>,
        form: ItemForm,
        errors: FormErrors,
        categories: Vec<Category>,
        currency: String,
    ) -> ItemFormPage {
        let none = FormErrors::new(ctx.tr);
        let groups = form.groups.iter().enumerate().map(|(g, row)| group_view(&g.to_string(), row, &errors)).collect();
        ItemFormPage {
            group_template: group_view("__G__", &GroupRow::blank(), &none),
            option_template: option_view("__G__", "__O__", &OptionRow::default(), &none),
            ctx: ctx.at("menu"),
            id,
            form,
            errors,
            categories,
            currency,
            groups,
        }
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/menu/items/{id}"),
            None => "/admin/menu/items".into(),
        }
    }

    /// Messages of fields the form does not show next to a field.
    fn other_errors(&self) -> Vec<&String> {
        let mut shown: Vec<String> = ["category_id", "name", "description", "price", "position", "image", "image_url"]
            .map(String::from)
            .to_vec();
        for g in &self.groups {
            shown.extend([&g.id, &g.name, &g.min, &g.max].map(|f| f.name.clone()));
            shown.push(format!("modifier_groups[{}].options", g.index));
            for o in &g.options {
                shown.extend([&o.id, &o.name, &o.price].map(|f| f.name.clone()));
            }
        }
        self.errors.others(&shown.iter().map(String::as_str).collect::<Vec<_>>())
    }

    fn currency_hint(&self) -> String {
        format_money(
            if crate::money::minor_digits(&self.currency) == 0 { 25_000 } else { 1250 },
            &self.currency,
            self.ctx.tr,
        )
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewItemQuery {
    category: Option<String>,
}

fn require_owner(ctx: &Ctx) -> Result<(), AdminError> {
    if ctx.is_owner() { Ok(()) } else { Err(AdminError::forbidden()) }
}

pub async fn new_item(Admin { tx, ctx, .. }: Admin, q: web::Query<NewItemQuery>) -> Result<ItemFormPage, AdminError> {
    require_owner(&ctx)?;
    let currency = brand::get(&tx).await?.currency;
    let cats = categories::list(&tx).await?;
    tx.commit().await?;
    let category = q.category.as_deref().and_then(|c| Uuid::parse_str(c).ok()).or(cats.first().map(|c| c.id));
    let errors = FormErrors::new(ctx.tr);
    Ok(ItemFormPage::new(ctx, None, ItemForm::blank(category), errors, cats, currency))
}

pub async fn edit_item(Admin { tx, ctx, .. }: Admin, id: web::Path<String>) -> Result<ItemFormPage, AdminError> {
    require_owner(&ctx)?;
    let id = parse_id(&id)?;
    let item = items::get(&tx, id).await?;
    let currency = brand::get(&tx).await?.currency;
    let cats = categories::list(&tx).await?;
    tx.commit().await?;
    let form = ItemForm::of(&item, &currency);
    let errors = FormErrors::new(ctx.tr);
    Ok(ItemFormPage::new(ctx, Some(id), form, errors, cats, currency))
}

/// Create (`id` None) or update an item from the posted form.
async fn save_item(
    req: HttpRequest,
    admin: Admin,
    payload: web::Payload,
    id: Option<Uuid>,
) -> Result<HttpResponse, AdminError> {
    require_owner(&admin.ctx)?;
    // The form may carry an image that takes a while to arrive: the
    // session's transaction is given back before reading it, and the
    // session opened again once the whole form is here.
    let csrf_token = admin.ctx.csrf_token.clone();
    admin.tx.commit().await?;
    let posted = posted::read(&req, payload, &csrf_token, "image").await?;
    let Admin { tx, actor, ctx } = Admin::extract(&req).await?;
    require_owner(&ctx)?;
    let state = state_of(&req)?;
    let action = RowAction::parse(posted.get("action"));
    let mut form = ItemForm::from_fields(&posted.fields, action.is_some());
    let currency = brand::get(&tx).await?.currency;
    let mut errors = FormErrors::new(ctx.tr);

    // A new image is stored first, so a later error never asks for it again.
    if posted.file_too_large {
        errors.add_key("image", "items.image_too_large");
    } else if let Some(bytes) = &posted.file {
        match images::store(&state.settings.media_dir, &actor, bytes).await {
            Ok(img) => {
                form.image_url = img.url;
                form.remove_image = false;
            }
            Err(Error::Validation(fe)) => errors.merge(fe),
            Err(Error::PayloadTooLarge { .. }) => errors.add_key("image", "items.image_too_large"),
            Err(e) => return Err(e.into()),
        }
    }

    let status = if let Some(action) = action {
        form.apply(action);
        StatusCode::OK
    } else if let Some(parsed) = form.parse(&currency, &mut errors).filter(|_| errors.is_empty()) {
        let result = match id {
            None => items::create(&tx, &actor, parsed.create()).await,
            Some(id) => items::update(&tx, &actor, id, parsed.update()).await,
        };
        match result {
            Ok(_) => {
                tx.commit().await?;
                let notice = if id.is_some() { "item_saved" } else { "item_created" };
                return Ok(htmx::see_other(&format!("/admin/menu?notice={notice}")));
            }
            Err(e) => {
                errors = validation(e, &ctx)?;
                rename_domain_fields(&mut errors);
                StatusCode::UNPROCESSABLE_ENTITY
            }
        }
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let cats = categories::list(&tx).await?;
    let page = ItemFormPage::new(ctx, id, form, errors, cats, currency);
    render_with_status(&page, status)
}

pub async fn create_item(req: HttpRequest, admin: Admin, payload: web::Payload) -> Result<HttpResponse, AdminError> {
    save_item(req, admin, payload, None).await
}

pub async fn update_item(
    req: HttpRequest,
    admin: Admin,
    payload: web::Payload,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    save_item(req, admin, payload, Some(id)).await
}

pub async fn delete_item(
    AdminForm { tx, actor, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    items::delete(&tx, &actor, id).await?;
    tx.commit().await?;
    Ok(htmx::see_other("/admin/menu?notice=item_deleted"))
}
