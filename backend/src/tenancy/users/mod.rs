//! Staff accounts with a role and outlet memberships.
//!
//! Owners manage everyone. Managers manage cashiers and kitchen staff whose
//! outlets all lie within their own; the database only shows them
//! memberships of their outlets, so they cannot see or touch the rest, and
//! someone who also works at another outlet is theirs to see, not to edit
//! (a new password would hand them that person's account elsewhere).
//!
//! A new password, deactivation or deletion ends every session of the
//! account: its API sessions and their access tokens, its admin sessions,
//! and (within seconds) its open event streams.

pub mod http;

use chrono::{DateTime, Utc};
use pos_wire::{CreateUser, Locale, Page, PageQuery, Role, UpdateUser, User};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{
    audit::{self, snapshot},
    names::Name,
    paging::PageRequest,
};
use crate::{
    auth::{Actor, Email, Password, password::SaltKey, pin::Pin, sessions::end_all_sessions},
    db::ScopedTx,
    error::{Code, Error, FieldErrors, Result},
};

#[derive(Debug, Clone, FromQueryResult)]
struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    locale: String,
    active: bool,
    outlet_ids: Vec<Uuid>,
    has_pin: bool,
    email_verified: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl UserRow {
    fn into_user(self) -> Result<User> {
        Ok(User {
            id: self.id,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role).ok_or_else(|| Error::internal("unknown role"))?,
            locale: Locale::parse(&self.locale).unwrap_or(Locale::Id),
            active: self.active,
            outlet_ids: self.outlet_ids,
            has_pin: self.has_pin,
            email_verified: self.email_verified,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Users the caller may see: owners see all; managers see themselves and
/// everyone with a membership in one of their outlets.
const SELECT_VISIBLE: &str = "SELECT u.id, u.email, u.name, u.role, u.locale, u.active, \
        ARRAY(SELECT m.outlet_id FROM user_outlets m WHERE m.user_id = u.id ORDER BY m.outlet_id) AS outlet_ids, \
        u.pin_hash IS NOT NULL AS has_pin, u.email_verified_at IS NOT NULL AS email_verified, u.created_at, u.updated_at \
   FROM users u \
  WHERE ($1 OR u.id = $2 OR EXISTS (SELECT 1 FROM user_outlets m WHERE m.user_id = u.id))";

fn may_manage(actor: &Actor, target_role: Role) -> Result<()> {
    match actor.require_role(&[Role::Owner, Role::Manager])? {
        Role::Owner => Ok(()),
        _ if matches!(target_role, Role::Cashier | Role::Kitchen) => Ok(()),
        _ => Err(Error::Forbidden(Code::ManagersManageStaffOnly)),
    }
}

fn is_owner(actor: &Actor) -> bool {
    actor.role() == Some(Role::Owner)
}

/// The users among `ids` with a membership outside the caller's outlets
/// (none for owners, who have every outlet).
pub async fn working_beyond_scope(tx: &ScopedTx, ids: &[Uuid]) -> Result<std::collections::HashSet<Uuid>> {
    if ids.is_empty() || *tx.outlets() == crate::db::OutletScope::All {
        return Ok(Default::default());
    }
    let rows = tx
        .query_raw("SELECT id FROM unnest($1::uuid[]) AS id WHERE app.works_beyond_scope(id)", [ids.to_vec().into()])
        .await?;
    Ok(crate::db::rows::<Uuid>(&rows, "id")?.into_iter().collect())
}

/// Managers may change only people whose outlets all lie within their own.
async fn within_reach(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    if is_owner(actor) || working_beyond_scope(tx, &[id]).await?.is_empty() {
        return Ok(());
    }
    Err(Error::Forbidden(Code::StaffOutsideYourOutlets))
}

pub async fn list(tx: &ScopedTx, actor: &Actor, q: &PageQuery) -> Result<Page<User>> {
    actor.require_role(&[Role::Owner, Role::Manager])?;
    let page = PageRequest::parse(q)?;
    let rows: Vec<UserRow> = tx
        .query_all(
            &format!("{SELECT_VISIBLE} AND ($3::uuid IS NULL OR u.id > $3) ORDER BY u.id LIMIT $4"),
            [is_owner(actor).into(), actor.user_id().into(), page.after.into(), page.fetch().into()],
        )
        .await?;
    let users = rows.into_iter().map(UserRow::into_user).collect::<Result<Vec<_>>>()?;
    Ok(page.page(users, |u| u.id))
}

/// Owners and managers read the staff they see; everyone reads themselves.
pub async fn get(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<User> {
    if actor.user_id() != Some(id) {
        actor.require_role(&[Role::Owner, Role::Manager])?;
    }
    tx.query_one::<UserRow>(
        &format!("{SELECT_VISIBLE} AND u.id = $3"),
        [is_owner(actor).into(), actor.user_id().into(), id.into()],
    )
    .await?
    .ok_or(Error::NotFound)?
    .into_user()
}

/// Every id must be an outlet the caller can see; non-owners need at least one.
async fn check_outlets(tx: &ScopedTx, role: Role, ids: &[Uuid], errors: &mut FieldErrors) -> Result<Vec<Uuid>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    if role != Role::Owner && ids.is_empty() {
        errors.add("outlet_ids", Code::OutletsRequired);
    }
    if !ids.is_empty() {
        let found = tx
            .query_raw(
                "SELECT count(*) AS n FROM outlets WHERE id = ANY($1) AND archived_at IS NULL",
                [ids.clone().into()],
            )
            .await?;
        let n: i64 = crate::db::opt_row(&found, "n")?.unwrap_or(0);
        if n as usize != ids.len() {
            errors.add("outlet_ids", Code::UnknownOutlets);
        }
    }
    Ok(ids)
}

async fn set_memberships(tx: &ScopedTx, user_id: Uuid, ids: &[Uuid]) -> Result<()> {
    // Only memberships in the caller's scope are visible, so only those are replaced.
    tx.execute("DELETE FROM user_outlets WHERE user_id = $1", [user_id.into()]).await?;
    tx.narrows_principals();
    if !ids.is_empty() {
        tx.execute(
            "INSERT INTO user_outlets (tenant_id, user_id, outlet_id) SELECT $1, $2, unnest($3::uuid[])",
            [tx.tenant_id().into(), user_id.into(), ids.to_vec().into()],
        )
        .await?;
    }
    Ok(())
}

fn email_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("email", Code::EmailTaken) } else { e }
}

/// Where links in mails point (the server's public address).
#[derive(Clone, Copy)]
pub struct PublicUrl<'a>(pub &'a str);

/// Adds a member of staff; without a password, mails them an invitation
/// to set one (in this transaction's outbox).
pub async fn create(
    tx: &ScopedTx,
    actor: &Actor,
    salt: SaltKey<'_>,
    public_url: PublicUrl<'_>,
    req: CreateUser,
) -> Result<User> {
    may_manage(actor, req.role)?;
    let mut errors = FieldErrors::new();
    let email = errors.take("email", Email::parse(&req.email));
    let name = errors.take("name", Name::parse(&req.name, 120));
    let password = match req.password.as_deref() {
        Some(p) => errors.take("password", Password::parse(p)),
        None => None,
    };
    let outlet_ids = check_outlets(tx, req.role, &req.outlet_ids, &mut errors).await?;
    errors.finish()?;

    let email = email.unwrap();
    let invited = password.is_none();
    let hash = match password {
        Some(p) => p.hash_for(&email, salt).await?,
        // No password opens this account until the invitation's link sets one.
        None => format!("!invited:{}", Uuid::new_v4()),
    };
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO users (tenant_id, id, email, name, password_hash, role, locale) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            tx.tenant_id().into(),
            id.into(),
            email.as_str().into(),
            name.unwrap().as_str().into(),
            hash.into(),
            req.role.as_str().into(),
            req.locale.unwrap_or(Locale::Id).as_str().into(),
        ],
    )
    .await
    .map_err(email_taken)?;
    set_memberships(tx, id, &outlet_ids).await?;
    if invited {
        crate::auth::account_links::issue(tx, public_url.0, id, crate::auth::account_links::Purpose::Invitation)
            .await?;
    }
    let user = get(tx, actor, id).await?;
    audit::record(tx, actor, "user.create", "user", Some(id), None, None, snapshot(&user)).await?;
    Ok(user)
}

async fn active_owners(tx: &ScopedTx) -> Result<i64> {
    let rows = tx.query_raw("SELECT count(*) AS n FROM users WHERE role = 'owner' AND active", []).await?;
    Ok(crate::db::opt_row(&rows, "n")?.unwrap_or(0))
}

pub async fn update(tx: &ScopedTx, actor: &Actor, salt: SaltKey<'_>, id: Uuid, req: UpdateUser) -> Result<User> {
    if Some(id) == actor.user_id() && only_pin(&req) {
        return set_own_pin(tx, actor, id, req.pin.as_deref().unwrap_or_default()).await;
    }
    let before = get(tx, actor, id).await?;
    may_manage(actor, before.role)?;
    let new_role = req.role.unwrap_or(before.role);
    may_manage(actor, new_role)?;
    within_reach(tx, actor, id).await?;

    let mut errors = FieldErrors::new();
    let email = req.email.as_deref().and_then(|e| errors.take("email", Email::parse(e)));
    let name = req.name.as_deref().and_then(|n| errors.take("name", Name::parse(n, 120)));
    let password = req.password.as_deref().and_then(|p| errors.take("password", Password::parse(p)));
    let pin = req.pin.as_deref().and_then(|p| errors.take("pin", Pin::parse(p)));
    let outlet_ids = match &req.outlet_ids {
        Some(ids) => Some(check_outlets(tx, new_role, ids, &mut errors).await?),
        None => None,
    };
    let stops_owning = before.role == Role::Owner && (new_role != Role::Owner || req.active == Some(false));
    if stops_owning && before.active && active_owners(tx).await? <= 1 {
        errors.add(if new_role != Role::Owner { "role" } else { "active" }, Code::LastOwner);
    }
    if Some(id) == actor.user_id() && req.active == Some(false) {
        errors.add("active", Code::CannotDeactivateSelf);
    }
    errors.finish()?;

    let hash = match password {
        Some(p) => {
            let login_email = match &email {
                Some(e) => e.clone(),
                None => Email::parse(&before.email).map_err(|_| Error::internal("stored email does not parse"))?,
            };
            Some(p.hash_for(&login_email, salt).await?)
        }
        None => None,
    };
    let pin_hash = match pin {
        Some(pin) => Some(pin.hash().await?),
        None => None,
    };
    tx.execute(
        "UPDATE users SET email = coalesce($2, email), name = coalesce($3, name), password_hash = coalesce($4, password_hash), \
                role = $5, locale = coalesce($6, locale), active = coalesce($7, active), \
                pin_hash = coalesce($8, pin_hash), updated_at = now() \
          WHERE id = $1",
        [
            id.into(),
            email.map(|e| e.as_str().to_string()).into(),
            name.map(|n| n.as_str().to_string()).into(),
            hash.clone().into(),
            new_role.as_str().into(),
            req.locale.map(|l| l.as_str().to_string()).into(),
            req.active.into(),
            pin_hash.clone().into(),
        ],
    )
    .await
    .map_err(email_taken)?;
    // Role, activity, password or memberships may have changed.
    tx.narrows_principals();
    if let Some(ids) = &outlet_ids {
        set_memberships(tx, id, ids).await?;
    }
    if hash.is_some() || req.active == Some(false) {
        end_all_sessions(tx, id).await?;
    }
    let after = get(tx, actor, id).await?;
    audit::record(tx, actor, "user.update", "user", Some(id), None, snapshot(&before), snapshot(&after)).await?;
    if pin_hash.is_some() {
        audit::record(tx, actor, "user.pin_set", "user", Some(id), None, None, None).await?;
    }
    Ok(after)
}

pub async fn delete(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    let before = get(tx, actor, id).await?;
    may_manage(actor, before.role)?;
    within_reach(tx, actor, id).await?;
    if Some(id) == actor.user_id() {
        return Err(Error::conflict(Code::CannotDeleteSelf));
    }
    if before.role == Role::Owner && before.active && active_owners(tx).await? <= 1 {
        return Err(Error::conflict(Code::LastOwner));
    }
    // Its refresh tokens and admin sessions go with it (ON DELETE CASCADE).
    tx.execute("DELETE FROM users WHERE id = $1", [id.into()]).await?;
    tx.narrows_principals();
    audit::record(tx, actor, "user.delete", "user", Some(id), None, snapshot(&before), None).await?;
    Ok(())
}

fn only_pin(req: &UpdateUser) -> bool {
    let UpdateUser { email, name, password, role, outlet_ids, locale, active, pin } = req;
    pin.is_some()
        && email.is_none()
        && name.is_none()
        && password.is_none()
        && role.is_none()
        && outlet_ids.is_none()
        && locale.is_none()
        && active.is_none()
}

/// Every staff member may set their own PIN (cashiers too: the till signs
/// them in with it). Audited without the PIN.
async fn set_own_pin(tx: &ScopedTx, actor: &Actor, id: Uuid, raw: &str) -> Result<User> {
    let pin = Pin::parse(raw).map_err(|e| Error::field("pin", e))?;
    let hash = pin.hash().await?;
    tx.execute("UPDATE users SET pin_hash = $2, updated_at = now() WHERE id = $1", [id.into(), hash.into()]).await?;
    audit::record(tx, actor, "user.pin_set", "user", Some(id), None, None, None).await?;
    get(tx, actor, id).await
}

/// Anyone signed in may choose their own interface language.
pub async fn set_own_locale(tx: &ScopedTx, actor: &Actor, locale: Locale) -> Result<()> {
    let id = actor.user_id().ok_or(Error::Forbidden(Code::LanguageStaffOnly))?;
    tx.execute("UPDATE users SET locale = $2, updated_at = now() WHERE id = $1", [id.into(), locale.as_str().into()])
        .await?;
    Ok(())
}
