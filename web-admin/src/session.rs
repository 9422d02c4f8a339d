//! The signed-in admin of a request: the [`Admin`] extractor opens the
//! session named by the cookie (its scoped transaction and actor), gathers
//! what every page's chrome shows ([`Ctx`]) and puts the user's language in
//! the request's extensions, for error pages (see `error.rs`). Handlers
//! take it apart in their signature: `Admin { tx, actor, ctx }: Admin`.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::Method, web};
use pos_backend::{
    Error,
    auth::{Actor, admin_session},
    db::ScopedTx,
    state::AppState,
    tenancy::brand,
};
use pos_wire::Role;
use tracing_actix_web::RequestId;

use crate::{error::AdminError, htmx, i18n::Tr};

/// A request of a signed-in owner or manager. Handlers must
/// `tx.commit()` after successful work (that also keeps the session alive).
pub struct Admin {
    pub tx: ScopedTx,
    pub actor: Actor,
    pub ctx: Ctx,
}

/// What the layout needs on every signed-in page.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub user_name: String,
    pub brand_name: String,
    /// The brand's currency (ISO 4217), for amounts typed and shown.
    pub currency: String,
    pub role: Role,
    pub csrf_token: String,
    /// The nav entry to highlight.
    pub section: &'static str,
    /// This page's path (and query), for the language switch to come back to.
    pub path: String,
    /// A translated one-line confirmation ("Outlet saved") after a redirect.
    pub notice: Option<&'static str>,
}

/// `?notice=` after a redirect: a key of a known message, nothing else.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

impl Ctx {
    pub fn t(&self, key: &str) -> &'static str {
        self.tr.t(key)
    }

    pub fn is_owner(&self) -> bool {
        self.role == Role::Owner
    }

    /// Owners and managers read reports.
    pub fn may_read_reports(&self) -> bool {
        matches!(self.role, Role::Owner | Role::Manager)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang()
    }

    pub fn role_label(&self) -> &'static str {
        self.t(crate::staff::role_key(self.role))
    }

    /// The same context, with `section` highlighted in the nav.
    pub fn at(mut self, section: &'static str) -> Ctx {
        self.section = section;
        self
    }

    /// Shows the notice named by `?notice=` when it is a known one.
    pub fn with_notice(mut self, q: &NoticeQuery) -> Ctx {
        self.notice = q.notice.as_deref().and_then(|k| self.tr.notice(k));
        self
    }
}

pub(crate) fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AdminError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AdminError::internal("no app state"))
}

impl FromRequest for Admin {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<Admin, AdminError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        let state = state_of(&req);
        let cookie = req.cookie(admin_session::COOKIE).map(|c| c.value().to_string());
        let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
        let path = req.uri().path_and_query().map_or("/admin".into(), |p| p.to_string());
        let sign_in = AdminError::SignIn {
            htmx: htmx::is_htmx(&req),
            // Back to the page asked for; after a refused POST, the dashboard.
            next: if req.method() == Method::GET { path.clone() } else { "/admin".into() },
        };
        Box::pin(async move {
            let state = state?;
            let session = match admin_session::open(&state, cookie.as_deref(), request_id).await {
                Ok(s) => s,
                Err(Error::Unauthorized(_) | Error::Forbidden(_)) => return Err(sign_in),
                Err(e) => return Err(e.into()),
            };
            tracing::Span::current().record("tenant_id", tracing::field::display(session.actor.tenant_id));
            let tr = Tr(session.locale);
            req.extensions_mut().insert(tr);
            let brand = brand::get(&session.tx).await?;
            let role = session.actor.role().unwrap_or(Role::Manager);
            Ok(Admin {
                tx: session.tx,
                actor: session.actor,
                ctx: Ctx {
                    tr,
                    user_name: session.user_name,
                    brand_name: brand.name,
                    currency: brand.currency,
                    role,
                    csrf_token: session.csrf_token,
                    section: "",
                    path,
                    notice: None,
                },
            })
        })
    }
}
