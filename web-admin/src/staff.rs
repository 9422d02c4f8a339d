//! Staff accounts: list, create, edit (role, outlets, password, the PIN
//! for approvals and till sign-in), activate or deactivate, delete.
//! Managers get the cashiers and kitchen staff of their outlets, and may
//! change only those who work at none but theirs;
//! the domain and the database enforce it, the pages only avoid offering
//! what would be refused.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{Error, db::ScopedTx, state::AppState, tenancy::users};
use pos_wire::{CreateUser, Role, UpdateUser, User};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::{AdminForm, NoFields},
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    outlets::all_outlets,
    problem_text::refusal_message,
    render::{invalid, render_with_status},
    session::{Admin, Ctx, NoticeQuery},
};

/// The roles an owner may give, and the ones a manager may.
const OWNER_ROLES: &[Role] = &[Role::Owner, Role::Manager, Role::Cashier, Role::Kitchen];
const MANAGER_ROLES: &[Role] = &[Role::Cashier, Role::Kitchen];

fn assignable(ctx: &Ctx) -> &'static [Role] {
    if ctx.is_owner() { OWNER_ROLES } else { MANAGER_ROLES }
}

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Owner => "role.owner",
        Role::Manager => "role.manager",
        Role::Cashier => "role.cashier",
        Role::Kitchen => "role.kitchen",
    }
}

/// A staff member as the list shows them.
pub struct StaffView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub outlets: Vec<String>,
    pub all_outlets: bool,
    pub active: bool,
    /// A PIN is set (never the PIN itself).
    pub has_pin: bool,
    /// The signed-in user may edit this account.
    pub manageable: bool,
    pub is_self: bool,
}

impl StaffView {
    /// `elsewhere`: people who also work at outlets the signed-in manager
    /// does not manage (theirs to see, not to change).
    fn new(
        u: User,
        ctx: &Ctx,
        me: Option<Uuid>,
        names: &HashMap<Uuid, String>,
        elsewhere: &HashSet<Uuid>,
    ) -> StaffView {
        StaffView {
            manageable: assignable(ctx).contains(&u.role) && !elsewhere.contains(&u.id),
            is_self: Some(u.id) == me,
            id: u.id,
            role: role_key(u.role),
            all_outlets: u.role == Role::Owner,
            outlets: u.outlet_ids.iter().filter_map(|id| names.get(id).cloned()).collect(),
            name: u.name,
            email: u.email,
            active: u.active,
            has_pin: u.has_pin,
        }
    }
}

pub(crate) async fn all_users(tx: &ScopedTx, actor: &pos_backend::auth::Actor) -> pos_backend::Result<Vec<User>> {
    crate::paging::every(|q| async move { users::list(tx, actor, &q).await }).await
}

async fn outlet_names(tx: &ScopedTx) -> pos_backend::Result<Vec<(Uuid, String)>> {
    Ok(all_outlets(tx).await?.into_iter().map(|o| (o.id, o.name)).collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/staff/list.html")]
pub(crate) struct StaffList {
    ctx: Ctx,
    staff: Vec<StaffView>,
    /// Rows render the same template as a single swapped row, which may
    /// carry an error; the full list never does.
    row_error: Option<String>,
}

pub async fn list(Admin { tx, actor, ctx }: Admin, q: web::Query<NoticeQuery>) -> Result<StaffList, AdminError> {
    let names: HashMap<_, _> = outlet_names(&tx).await?.into_iter().collect();
    let users = all_users(&tx, &actor).await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let elsewhere = users::working_beyond_scope(&tx, &ids).await?;
    tx.commit().await?;
    let staff = users.into_iter().map(|u| StaffView::new(u, &ctx, actor.user_id(), &names, &elsewhere)).collect();
    Ok(StaffList { ctx: ctx.at("staff").with_notice(&q), staff, row_error: None })
}

/// The staff form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: String,
    pub outlet_ids: Vec<String>,
    /// A new PIN (4 to 6 digits); empty keeps the current one.
    pub pin: String,
}

impl StaffForm {
    fn of(u: &User) -> StaffForm {
        StaffForm {
            email: u.email.clone(),
            name: u.name.clone(),
            password: String::new(),
            role: u.role.as_str().into(),
            outlet_ids: u.outlet_ids.iter().map(Uuid::to_string).collect(),
            pin: String::new(),
        }
    }

    fn parse(&self, errors: &mut FormErrors) -> (Option<Role>, Vec<Uuid>) {
        let role = Role::parse(&self.role);
        if role.is_none() {
            errors.add_key("role", "field.choose_one");
        }
        let mut ids = Vec::new();
        for raw in &self.outlet_ids {
            match Uuid::parse_str(raw) {
                Ok(id) => ids.push(id),
                Err(_) => errors.add_key("outlet_ids", "field.unknown_outlet"),
            }
        }
        (role, ids)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/staff/form.html")]
pub(crate) struct StaffFormPage {
    ctx: Ctx,
    /// `None` while creating.
    id: Option<Uuid>,
    is_self: bool,
    form: StaffForm,
    errors: FormErrors,
    roles: &'static [Role],
    outlets: Vec<(Uuid, String)>,
    /// A problem with the whole account (the last owner, oneself...).
    problem: Option<String>,
    /// The account has a PIN (editing only).
    has_pin: bool,
}

impl StaffFormPage {
    fn new(ctx: Ctx, id: Option<Uuid>, form: StaffForm, outlets: Vec<(Uuid, String)>) -> StaffFormPage {
        StaffFormPage {
            errors: FormErrors::new(ctx.tr),
            roles: assignable(&ctx),
            ctx: ctx.at("staff"),
            id,
            is_self: false,
            form,
            outlets,
            problem: None,
            has_pin: false,
        }
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/staff/{id}"),
            None => "/admin/staff".into(),
        }
    }

    fn checked(&self, id: &Uuid) -> bool {
        let id = id.to_string();
        self.form.outlet_ids.contains(&id)
    }

    fn role_label(&self, role: &Role) -> &'static str {
        self.ctx.t(role_key(*role))
    }

    fn role_value(&self, role: &Role) -> &'static str {
        role.as_str()
    }

    fn other_errors(&self) -> Vec<&String> {
        self.errors.others(&["email", "name", "password", "role", "outlet_ids", "pin"])
    }
}

pub async fn new_form(Admin { tx, ctx, .. }: Admin) -> Result<StaffFormPage, AdminError> {
    let outlets = outlet_names(&tx).await?;
    tx.commit().await?;
    let form = StaffForm { role: "cashier".into(), ..StaffForm::default() };
    Ok(StaffFormPage::new(ctx, None, form, outlets))
}

pub async fn create(state: web::Data<AppState>, post: AdminForm<StaffForm>) -> Result<HttpResponse, AdminError> {
    save(&state, post, None).await
}

pub async fn edit_form(Admin { tx, actor, ctx }: Admin, id: web::Path<String>) -> Result<StaffFormPage, AdminError> {
    let id = parse_id(&id)?;
    let user = users::get(&tx, &actor, id).await?;
    let outlets = outlet_names(&tx).await?;
    let elsewhere = users::working_beyond_scope(&tx, &[id]).await?;
    tx.commit().await?;
    if !assignable(&ctx).contains(&user.role) || !elsewhere.is_empty() {
        return Err(AdminError::forbidden());
    }
    let mut page = StaffFormPage::new(ctx, Some(id), StaffForm::of(&user), outlets);
    page.is_self = actor.user_id() == Some(id);
    page.has_pin = user.has_pin;
    Ok(page)
}

pub async fn update(
    state: web::Data<AppState>,
    post: AdminForm<StaffForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    save(&state, post, Some(parse_id(&id)?)).await
}

/// Create (`id` None) or update an account from the posted form.
async fn save(
    state: &AppState,
    AdminForm { tx, actor, ctx, form }: AdminForm<StaffForm>,
    id: Option<Uuid>,
) -> Result<HttpResponse, AdminError> {
    // Read before any write: a refused insert spoils the transaction.
    let outlets = outlet_names(&tx).await?;
    let has_pin = match id {
        Some(id) => users::get(&tx, &actor, id).await?.has_pin,
        None => false,
    };
    let mut page = StaffFormPage::new(ctx, id, form, outlets);
    page.is_self = id.is_some() && actor.user_id() == id;
    page.has_pin = has_pin;
    let (role, outlet_ids) = page.form.parse(&mut page.errors);
    let Some(role) = role.filter(|_| page.errors.is_empty()) else {
        return invalid(&page);
    };
    let f = &page.form;
    let saved = match id {
        None => {
            let req = CreateUser {
                email: f.email.clone(),
                name: f.name.clone(),
                // Left empty: the new member is invited by mail to set one.
                password: Some(f.password.clone()).filter(|p| !p.is_empty()),
                role,
                outlet_ids,
                locale: None,
            };
            users::create(&tx, &actor, state.salt_key(), users::PublicUrl(&state.settings.public_url), req).await
        }
        Some(id) => {
            let req = UpdateUser {
                email: Some(f.email.clone()),
                name: Some(f.name.clone()),
                password: Some(f.password.clone()).filter(|p| !p.is_empty()),
                role: Some(role),
                outlet_ids: Some(outlet_ids),
                locale: None,
                active: None,
                pin: Some(f.pin.clone()).filter(|p| !p.is_empty()),
            };
            users::update(&tx, &actor, state.salt_key(), id, req).await
        }
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            let notice = if id.is_some() { "staff_saved" } else { "staff_created" };
            Ok(htmx::see_other(&format!("/admin/staff?notice={notice}")))
        }
        Err(e) => {
            page.errors.merge(field_errors(e)?);
            page.form.password.clear();
            page.form.pin.clear();
            invalid(&page)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/staff/row.html")]
pub(crate) struct StaffRow {
    ctx: Ctx,
    s: StaffView,
    /// Why the last change was refused, shown in the row.
    row_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ActiveForm {
    active: Option<String>,
}

/// Activates or deactivates an account; htmx swaps its row.
pub async fn set_active(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminForm { tx, actor, ctx, form }: AdminForm<ActiveForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let names: HashMap<_, _> = outlet_names(&tx).await?.into_iter().collect();
    let before = users::get(&tx, &actor, id).await?;
    let change = UpdateUser { active: Some(form.active.as_deref() == Some("true")), ..UpdateUser::default() };
    let (user, row_error) = match users::update(&tx, &actor, state.salt_key(), id, change).await {
        Ok(user) => {
            tx.commit().await?;
            (user, None)
        }
        Err(e) => {
            // "You cannot deactivate yourself": the field is the button.
            let refused = field_errors(e)?.0.into_values().flatten().next();
            (before, Some(refused.ok_or_else(AdminError::bad_request)?))
        }
    };
    if !htmx::wants_fragment(&req) {
        return match row_error {
            None => Ok(htmx::see_other("/admin/staff?notice=staff_saved")),
            Some(detail) => {
                Err(AdminError::Page { status: StatusCode::CONFLICT, message: "error.conflict", detail: Some(detail) })
            }
        };
    }
    let row_error = row_error.map(|r| refusal_message(ctx.tr, &r));
    let s = StaffView::new(user, &ctx, actor.user_id(), &names, &HashSet::new());
    render_with_status(&StaffRow { ctx, s, row_error }, StatusCode::OK)
}

/// Deletes an account; a refusal (oneself, the last owner) is shown on
/// the account's page.
pub async fn delete(
    AdminForm { tx, actor, ctx, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let user = users::get(&tx, &actor, id).await?;
    let outlets = outlet_names(&tx).await?;
    match users::delete(&tx, &actor, id).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(htmx::see_other("/admin/staff?notice=staff_deleted"))
        }
        Err(Error::Conflict(detail)) => {
            let mut page = StaffFormPage::new(ctx, Some(id), StaffForm::of(&user), outlets);
            page.is_self = actor.user_id() == Some(id);
            page.problem = Some(refusal_message(page.ctx.tr, &detail));
            render_with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}
