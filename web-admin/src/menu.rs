//! The catalogue: categories (in position order, with a kitchen station)
//! and their items, with the item form (price in major units, image,
//! modifier groups as editable rows). Owners edit; managers read.
//!
//! The menu page lists categories closed, with their item counts: an
//! opened category fetches its items and edit form (a fragment), so the
//! page costs the same for 20 items or 2,000. `?open=` shows one category
//! open (links without JavaScript, and the way back after a save), `?q=`
//! finds items across categories.

use actix_web::{FromRequest, HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    Error,
    catalog::{categories, images, items},
    db::ScopedTx,
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

/// The live items of one category, in menu order (position, then name).
async fn items_of(tx: &ScopedTx, category: Uuid) -> pos_backend::Result<Vec<MenuItem>> {
    let mut out = crate::paging::every(|q| async move { items::list(tx, Some(category), &q).await }).await?;
    out.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The most items a search lists.
const SEARCH_LIMIT: u32 = 50;

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
    /// Its category (id, name), where a list mixes categories (search results).
    pub category: Option<(Uuid, String)>,
}

impl ItemLine {
    fn of(i: MenuItem, ctx: &Ctx) -> ItemLine {
        ItemLine {
            price: format_money(i.price_minor, &ctx.currency, ctx.tr),
            groups: i.modifier_groups.len(),
            id: i.id,
            name: i.name,
            description: i.description,
            image_url: i.image_url,
            category: None,
        }
    }
}

/// The menu page's link that shows `category` open, its items listed.
fn open_url(category: Uuid) -> String {
    format!("/admin/menu?open={category}#category-{category}")
}

/// Back to the menu page after a save, with `category` open and a notice.
fn notice_url(notice: &str, category: Uuid) -> String {
    format!("/admin/menu?notice={notice}&open={category}#category-{category}")
}

pub struct CategoryView {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub station: Option<String>,
    /// Live items in it.
    pub item_count: i64,
    /// Its items and edit form when the page shows it open; else they are
    /// fetched when it is opened.
    pub body: Option<CategoryBody>,
    /// Why it could not be deleted.
    pub delete_error: Option<&'static str>,
}

/// What an open category shows: its items and its edit form.
pub struct CategoryBody {
    pub items: Vec<ItemLine>,
    pub form: CategoryForm,
    pub errors: FormErrors,
    /// The edit form starts open when it has something to say.
    pub edit_open: bool,
}

impl CategoryBody {
    pub fn other_errors(&self) -> Vec<&String> {
        self.errors.others(&["name", "station", "position"])
    }
}

impl CategoryView {
    fn of(c: Category, item_count: i64) -> CategoryView {
        CategoryView {
            id: c.id,
            name: c.name,
            position: c.position,
            station: c.station,
            item_count,
            body: None,
            delete_error: None,
        }
    }

    fn open_url(&self) -> String {
        open_url(self.id)
    }
}

/// Items found by the page's search, across categories.
pub struct SearchView {
    pub text: String,
    pub items: Vec<ItemLine>,
    /// More matched than are listed.
    pub more: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/menu/index.html")]
pub(crate) struct MenuPage {
    ctx: Ctx,
    categories: Vec<CategoryView>,
    new_form: CategoryForm,
    new_errors: FormErrors,
    outlets: Vec<Outlet>,
    search: Option<SearchView>,
}

impl MenuPage {
    fn new_other_errors(&self) -> Vec<&String> {
        self.new_errors.others(&["name", "station", "position"])
    }

    fn item_count(&self) -> i64 {
        self.categories.iter().map(|c| c.item_count).sum()
    }

    fn search_text(&self) -> &str {
        self.search.as_ref().map_or("", |s| s.text.as_str())
    }
}

/// One category's items and edit form: what an opened category fetches.
#[derive(Template, WebTemplate)]
#[template(path = "admin/menu/category_items.html")]
pub(crate) struct CategoryItems {
    ctx: Ctx,
    c: CategoryView,
}

/// What a re-rendered menu page should show besides the menu.
#[derive(Default)]
struct Pending {
    new_form: Option<(CategoryForm, FormErrors)>,
    edit: Option<(Uuid, CategoryForm, FormErrors)>,
    delete_error: Option<(Uuid, &'static str)>,
    /// A category to show open (`?open=`).
    open: Option<Uuid>,
    /// Text to look items up by (`?q=`).
    search: Option<String>,
}

impl Pending {
    /// The one category the page shows open, with its items: the one being
    /// edited or refused, else the one asked for.
    fn open_category(&self) -> Option<Uuid> {
        self.edit.as_ref().map(|(id, ..)| *id).or(self.delete_error.map(|(id, _)| id)).or(self.open)
    }
}

/// An open category's body: its items (read here) and its edit form, as
/// typed when `edit` holds a refused one.
async fn category_body(
    tx: &ScopedTx,
    ctx: &Ctx,
    c: &Category,
    edit: Option<(CategoryForm, FormErrors)>,
    refused_delete: bool,
) -> Result<CategoryBody, AdminError> {
    let items = items_of(tx, c.id).await?.into_iter().map(|i| ItemLine::of(i, ctx)).collect();
    let (form, errors) = edit.unwrap_or_else(|| (CategoryForm::of(c), FormErrors::new(ctx.tr)));
    Ok(CategoryBody { edit_open: !errors.is_empty() || refused_delete, items, form, errors })
}

/// The menu page: every category with its item count, closed (an opened
/// one fetches its items, see [`category_items`]) but for the one
/// [`Pending::open_category`] names.
async fn menu_page(tx: &ScopedTx, ctx: Ctx, pending: Pending) -> Result<MenuPage, AdminError> {
    let tr = ctx.tr;
    let cats = categories::list(tx).await?;
    let counts = items::count_by_category(tx).await?;
    let outlets = all_outlets(tx).await?;
    let open = pending.open_category();
    let Pending { new_form, edit, delete_error, search, .. } = pending;
    let mut edit = edit.map(|(_, form, errors)| (form, errors));
    let mut categories = Vec::with_capacity(cats.len());
    for c in cats {
        let body = if open == Some(c.id) {
            Some(category_body(tx, &ctx, &c, edit.take(), delete_error.is_some()).await?)
        } else {
            None
        };
        let count = counts.get(&c.id).copied().unwrap_or(0);
        let mut view = CategoryView::of(c, count);
        view.body = body;
        view.delete_error = delete_error.filter(|(id, _)| *id == view.id).map(|(_, m)| m);
        categories.push(view);
    }
    let search = match search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Some(search_items(tx, &ctx, text, &categories).await?),
        None => None,
    };
    let (new_form, new_errors) = new_form.unwrap_or_else(|| (CategoryForm::default(), FormErrors::new(tr)));
    Ok(MenuPage { ctx: ctx.at("menu"), categories, new_form, new_errors, outlets, search })
}

async fn search_items(
    tx: &ScopedTx,
    ctx: &Ctx,
    text: &str,
    categories: &[CategoryView],
) -> Result<SearchView, AdminError> {
    let mut found = items::search(tx, text, SEARCH_LIMIT + 1).await?;
    let more = found.len() > SEARCH_LIMIT as usize;
    found.truncate(SEARCH_LIMIT as usize);
    let items = found
        .into_iter()
        .map(|i| {
            let category = categories.iter().find(|c| c.id == i.category_id).map(|c| (c.id, c.name.clone()));
            ItemLine { category, ..ItemLine::of(i, ctx) }
        })
        .collect();
    Ok(SearchView { text: text.to_string(), items, more })
}

/// `?notice=` after a redirect, `?open=` a category to show open, `?q=` a search.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MenuQuery {
    notice: Option<String>,
    open: Option<String>,
    q: Option<String>,
}

pub async fn show(Admin { tx, ctx, .. }: Admin, q: web::Query<MenuQuery>) -> Result<MenuPage, AdminError> {
    let MenuQuery { notice, open, q } = q.into_inner();
    let ctx = ctx.with_notice(&NoticeQuery { notice });
    // An id that is not one opens nothing, as one of another brand.
    let pending = Pending { open: open.and_then(|o| Uuid::parse_str(&o).ok()), search: q, ..Pending::default() };
    let page = menu_page(&tx, ctx, pending).await?;
    tx.commit().await?;
    Ok(page)
}

/// `GET /admin/menu/categories/{id}/items`: the items and edit form of one
/// category, which the menu page fetches when the category is opened.
/// Asked for outside htmx, the menu page with that category open.
pub async fn category_items(
    req: HttpRequest,
    Admin { tx, ctx, .. }: Admin,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    // Row security hides other brands' categories: theirs is not found.
    let category = categories::get(&tx, id).await?;
    if !htmx::wants_fragment(&req) {
        tx.commit().await?;
        return Ok(htmx::see_other(&open_url(id)));
    }
    let body = category_body(&tx, &ctx, &category, None, false).await?;
    tx.commit().await?;
    let count = i64::try_from(body.items.len()).unwrap_or(i64::MAX);
    let mut c = CategoryView::of(category, count);
    c.body = Some(body);
    render_with_status(&CategoryItems { ctx, c }, StatusCode::OK)
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
            Ok(saved) => {
                tx.commit().await?;
                let notice = if id.is_some() { "category_saved" } else { "category_created" };
                return Ok(htmx::see_other(&notice_url(notice, saved.id)));
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
    let cats = categories::list(&tx).await?;
    tx.commit().await?;
    let category = q.category.as_deref().and_then(|c| Uuid::parse_str(c).ok()).or(cats.first().map(|c| c.id));
    let errors = FormErrors::new(ctx.tr);
    let currency = ctx.currency.clone();
    Ok(ItemFormPage::new(ctx, None, ItemForm::blank(category), errors, cats, currency))
}

pub async fn edit_item(Admin { tx, ctx, .. }: Admin, id: web::Path<String>) -> Result<ItemFormPage, AdminError> {
    require_owner(&ctx)?;
    let id = parse_id(&id)?;
    let item = items::get(&tx, id).await?;
    let cats = categories::list(&tx).await?;
    tx.commit().await?;
    let currency = ctx.currency.clone();
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
    let currency = ctx.currency.clone();
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
            Ok(saved) => {
                tx.commit().await?;
                let notice = if id.is_some() { "item_saved" } else { "item_created" };
                return Ok(htmx::see_other(&notice_url(notice, saved.category_id)));
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
    let category = items::get(&tx, id).await?.category_id;
    items::delete(&tx, &actor, id).await?;
    tx.commit().await?;
    Ok(htmx::see_other(&notice_url("item_deleted", category)))
}
