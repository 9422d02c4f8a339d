//! From a bearer token to a scoped transaction: the [`Scoped`] extractor.
//!
//! The token is verified without the database; then one transaction is
//! opened with the token's tenant, and the principal is re-read inside it
//! (a deactivated user, a revoked device, or a staff token whose session
//! ended gets 401 on its next request, and role or membership changes apply
//! at once). The outlet scope of the
//! transaction is set from what the database says: every outlet for owners,
//! the memberships of other staff, the bound outlet of a device.
//!
//! Most requests skip that re-read: [`Authenticated`] takes the principal
//! from this process's [`super::principal_cache`] while the tenant's auth
//! epoch in Redis says nothing has ended or narrowed a principal since it
//! was read, and opens the transaction with the cached scope.
//!
//! No transaction is opened for a request whose body has not been read
//! first (see [`crate::http::body`]): otherwise the transaction, and its
//! pooled connection, would wait on however slowly the client sends.

use std::{future::Future, pin::Pin, time::Instant};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use pos_wire::{DeviceKind, Role};
use sea_orm::FromQueryResult;
use tracing_actix_web::RequestId;
use uuid::Uuid;

use super::{
    Actor, ActorKind,
    actor::TillBinding,
    jwt::{Claims, TokenType},
    principal_cache::Known,
};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx, epochs::TenantEpochs},
    error::{Code, Error, Result},
    http::body::BodyState,
    state::AppState,
};

/// The request's scoped transaction and who is acting.
pub struct Scoped {
    pub tx: ScopedTx,
    pub actor: Actor,
}

/// The verified claims of the request's bearer token, without the database.
pub struct BearerClaims(pub Claims);

/// The token from `Authorization: Bearer`. (`?access_token=` is for the
/// event stream only; see [`super::query_token`].)
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

fn claims_of(req: &HttpRequest) -> Result<Claims> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| Error::internal("no app state"))?;
    let token = bearer_token(req).ok_or(Error::Unauthorized(Code::BearerTokenRequired))?;
    state.keyring.verify(&token)
}

impl FromRequest for BearerClaims {
    type Error = Error;
    type Future = std::future::Ready<Result<Self>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(claims_of(req).map(BearerClaims))
    }
}

/// Who is acting, checked against the database or the principal cache;
/// the scoped transaction is opened only when asked for (a request that
/// both caches answer needs no database round trip).
pub struct Authenticated {
    pub actor: Actor,
    /// The outlets the principal may see.
    pub outlets: OutletScope,
    /// The tenant's epochs as read before anything else, when confirmed.
    pub epochs: Option<TenantEpochs>,
    /// When the request began resolving its principal (before the epochs
    /// and anything from the database were read).
    pub started: Instant,
    /// Already open when the principal was read from the database.
    tx: Option<ScopedTx>,
}

impl Authenticated {
    /// The request's scoped transaction: the one the principal was read in,
    /// or a new one opened with the cached scope.
    pub async fn into_scoped(self, state: &AppState) -> Result<Scoped> {
        let tx = match self.tx {
            Some(tx) => tx,
            None => state.db.begin_scoped(self.actor.tenant_id, self.outlets, self.actor.principal_id()).await?,
        };
        Ok(Scoped { tx, actor: self.actor })
    }

    /// Ends a request that needed no transaction of its own: commits the
    /// one the principal was read in, if any (it may have recorded the
    /// device's use).
    pub async fn finish(self) -> Result<()> {
        match self.tx {
            Some(tx) => tx.commit().await,
            None => Ok(()),
        }
    }
}

impl FromRequest for Authenticated {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let body_read = body_read_first(req);
        let claims = claims_of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
        let (method, route) = (req.method().clone(), req.match_pattern());
        Box::pin(async move {
            body_read?;
            let claims = claims?;
            let state = state.ok_or_else(|| Error::internal("no app state"))?;
            let who = authenticate(&state, &claims, request_id).await?;
            if let ActorKind::Device { kind: DeviceKind::Board, .. } = who.actor.kind {
                crate::tenancy::devices::board::may_use(&method, route.as_deref())?;
            }
            tracing::Span::current().record("tenant_id", tracing::field::display(claims.tid));
            Ok(who)
        })
    }
}

impl FromRequest for Scoped {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let who = Authenticated::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let who = who.await?;
            let state = state.ok_or_else(|| Error::internal("no app state"))?;
            who.into_scoped(&state).await
        })
    }
}

/// The principal of verified `claims`: from the cache when the tenant's
/// auth epoch confirms it, else from the database (see [`open_for`]),
/// remembered under the epoch read before that.
async fn authenticate(state: &AppState, claims: &Claims, request_id: Option<String>) -> Result<Authenticated> {
    let started = Instant::now();
    let epochs = state.db.epochs().read(claims.tid).await;
    let actor = |kind| Actor { tenant_id: claims.tid, kind, request_id };
    if let Some(Known { kind, outlets }) = epochs.as_ref().and_then(|e| state.principals.get(claims, &e.auth)) {
        return Ok(Authenticated { actor: actor(kind), outlets, epochs, started, tx: None });
    }
    let (tx, kind, use_recorded) = open_recording_use(state, claims).await?;
    let outlets = tx.outlets().clone();
    if let Some(e) = &epochs {
        state.principals.put(claims, &e.auth, Known { kind: kind.clone(), outlets: outlets.clone() }, use_recorded);
    }
    Ok(Authenticated { actor: actor(kind), outlets, epochs, started, tx: Some(tx) })
}

/// Refuses (as a server fault) a request whose body the body middleware has
/// not dealt with: a route mounted outside it would hold a transaction open
/// while the client sends its body.
pub fn body_read_first(req: &HttpRequest) -> Result<()> {
    match req.extensions().get::<BodyState>() {
        Some(_) => Ok(()),
        None => Err(Error::internal("a transaction was asked for before the request body was read")),
    }
}

#[derive(FromQueryResult)]
struct StaffRow {
    role: String,
    outlet_ids: Vec<Uuid>,
    /// What the statement set `app.outlet_ids` to.
    scope: String,
}

#[derive(FromQueryResult)]
struct DeviceRow {
    outlet_id: Uuid,
}

#[derive(FromQueryResult)]
struct DeviceUse {
    outlet_id: Uuid,
    kind: String,
    /// The device's use is recorded as of now (by this statement, or less
    /// than a minute ago).
    use_recorded: bool,
}

/// Reads the staff member's current role and memberships inside `tx` (whose
/// `app.user_id` is already `user_id`) and narrows the outlet scope to them:
/// every outlet for owners, their memberships for everyone else.
pub async fn attach_staff(tx: &mut ScopedTx, user_id: Uuid) -> Result<Role> {
    let row: StaffRow = tx
        .query_one(&staff_sql("u.id = $1 AND u.active"), [user_id.into()])
        .await?
        .ok_or(Error::Unauthorized(Code::AccountInactive))?;
    scope_to(tx, row)
}

/// The staff member matching `filter` (on `users u`): role and memberships,
/// and in the same statement, the outlet scope they give (`app.outlet_ids`,
/// as [`OutletScope`] writes it). The memberships are read first (the
/// materialised CTE), under the scope the transaction began with: a user
/// sees their own memberships whatever the scope.
fn staff_sql(filter: &str) -> String {
    format!(
        "WITH s AS MATERIALIZED (SELECT u.role, ARRAY(SELECT m.outlet_id FROM user_outlets m \
                                                      WHERE m.user_id = u.id ORDER BY m.outlet_id) AS outlet_ids \
                                   FROM users u WHERE {filter}) \
         SELECT role, outlet_ids, \
                set_config('app.outlet_ids', \
                           CASE WHEN role = 'owner' THEN '*' ELSE array_to_string(outlet_ids, ',') END, true) AS scope \
           FROM s"
    )
}

/// [`attach_staff`] for an access token of session `session_id` (its
/// refresh token): 401 once that session has ended.
async fn attach_staff_session(tx: &mut ScopedTx, user_id: Uuid, session_id: Uuid) -> Result<Role> {
    let filter = "u.id = $1 AND u.active AND EXISTS \
                  (SELECT 1 FROM refresh_tokens r WHERE r.id = $2 AND r.user_id = u.id AND r.revoked_at IS NULL)";
    let row: StaffRow = tx
        .query_one(&staff_sql(filter), [user_id.into(), session_id.into()])
        .await?
        .ok_or(Error::Unauthorized(Code::SessionEnded))?;
    scope_to(tx, row)
}

/// Records the scope the staff statement set (see [`staff_sql`]).
fn scope_to(tx: &mut ScopedTx, row: StaffRow) -> Result<Role> {
    let role = Role::parse(&row.role).ok_or_else(|| Error::internal("unknown role in database"))?;
    let outlets = if role == Role::Owner { OutletScope::All } else { OutletScope::Only(row.outlet_ids) };
    tx.outlets_were_set(outlets, &row.scope)?;
    Ok(role)
}

/// Narrows a till-bound staff token's scope to the till's outlet: 401 once
/// the till is revoked, or the person no longer works at its outlet.
async fn bind_to_till(tx: &mut ScopedTx, role: Role, till_id: Uuid) -> Result<TillBinding> {
    let row: Option<DeviceRow> = tx
        .query_one(
            "SELECT outlet_id FROM devices \
              WHERE id = $1 AND kind = 'till' AND paired_at IS NOT NULL AND revoked_at IS NULL",
            [till_id.into()],
        )
        .await?;
    let row = row.ok_or(Error::Unauthorized(Code::TillBindingEnded))?;
    let works_there = role == Role::Owner || tx.outlets().contains(row.outlet_id);
    if !works_there {
        return Err(Error::Unauthorized(Code::TillBindingEnded));
    }
    tx.set_outlets(OutletScope::Only(vec![row.outlet_id])).await?;
    Ok(TillBinding { device_id: till_id, outlet_id: row.outlet_id })
}

/// The role a staff token acts with: at a till nobody acts as more than a
/// manager. A till token comes from a short PIN typed on a shared device;
/// the brand-wide powers only owners have (the catalogue, managers and
/// owners, the brand) need a signed-in owner, not a PIN.
fn at_till(role: Role, till: &Option<TillBinding>) -> Role {
    match (role, till) {
        (Role::Owner, Some(_)) => Role::Manager,
        (role, _) => role,
    }
}

/// Opens the scoped transaction for a verified token.
pub async fn open_for(state: &AppState, claims: &Claims) -> Result<(ScopedTx, ActorKind)> {
    let (tx, kind, _) = open_recording_use(state, claims).await?;
    Ok((tx, kind))
}

/// [`open_for`], and whether a device's use is recorded as of now (always
/// true for staff).
async fn open_recording_use(state: &AppState, claims: &Claims) -> Result<(ScopedTx, ActorKind, bool)> {
    match claims.typ {
        TokenType::Staff => {
            let session = claims.sid.ok_or(Error::Unauthorized(Code::TokenWithoutSession))?;
            let mut tx =
                state.db.begin_scoped(claims.tid, OutletScope::Only(vec![]), PrincipalId::User(claims.sub)).await?;
            let role = attach_staff_session(&mut tx, claims.sub, session).await?;
            let till = match claims.till {
                Some(till_id) => Some(bind_to_till(&mut tx, role, till_id).await?),
                None => None,
            };
            Ok((tx, ActorKind::Staff { user_id: claims.sub, role: at_till(role, &till), till }, true))
        }
        TokenType::Device => {
            let bound = claims.oid.ok_or(Error::Unauthorized(Code::TokenInvalid))?;
            let tx = state
                .db
                .begin_scoped(claims.tid, OutletScope::Only(vec![bound]), PrincipalId::Device(claims.sub))
                .await?;
            // Its last use is recorded at most once a minute, and skipped
            // rather than waited for while another of its requests holds
            // the row.
            let row: DeviceUse = tx
                .query_one(
                    "WITH d AS (SELECT id, outlet_id, kind, last_seen_at FROM devices \
                                 WHERE id = $1 AND paired_at IS NOT NULL AND revoked_at IS NULL), \
                          touch AS (UPDATE devices SET last_seen_at = now() WHERE id IN \
                                     (SELECT l.id FROM devices l JOIN d ON d.id = l.id \
                                       WHERE l.last_seen_at IS NULL OR l.last_seen_at < now() - interval '60 seconds' \
                                         FOR UPDATE OF l SKIP LOCKED) RETURNING id) \
                     SELECT outlet_id, kind, \
                            (last_seen_at >= now() - interval '60 seconds' OR EXISTS (SELECT 1 FROM touch)) IS TRUE \
                              AS use_recorded \
                       FROM d",
                    [claims.sub.into()],
                )
                .await?
                .ok_or(Error::Unauthorized(Code::DeviceRevoked))?;
            if row.outlet_id != bound {
                return Err(Error::Unauthorized(Code::DeviceTokenStale));
            }
            let kind = DeviceKind::parse(&row.kind).ok_or_else(|| Error::internal("unknown device kind"))?;
            Ok((tx, ActorKind::Device { device_id: claims.sub, outlet_id: bound, kind }, row.use_recorded))
        }
    }
}
