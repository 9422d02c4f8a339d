//! Signing in and out. The session lives server-side; the browser holds an
//! HttpOnly, SameSite=Lax, `__Host-` cookie (so `Secure`, with no `Domain`)
//! for the whole site (path `/`), so the admin's live board can open the
//! outlet's event stream under `/api/v1`, the one API endpoint that accepts
//! it. Browsers keep `Secure` cookies only over HTTPS, or plain HTTP to
//! `localhost` / `127.0.0.1`. The sign-in form carries a CSRF token of its
//! own (see [`LoginCsrf`]), so no other site can sign a browser in.

use actix_web::{
    HttpMessage, HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time::Duration},
    http::StatusCode,
    web,
};
use askama::Template;
use pos_backend::{
    Error,
    auth::admin_session::{self, COOKIE},
    http::client_ip::client_ip,
    state::AppState,
};
use pos_wire::{Locale, LoginRequest};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::{self, LoginCsrf},
    error::AdminError,
    fields::FormErrors,
    htmx,
    i18n::Tr,
    problem_text::brand_choices,
    render::render_with_status,
    session::state_of,
};

/// `/admin/login?next=...`, for a page that needs a session.
pub fn login_url(next: &str) -> String {
    let query = serde_html_form::to_string([("next", safe_next(next))]).unwrap_or_default();
    format!("/admin/login?{query}")
}

/// Where to go after signing in: only admin pages of this site.
pub fn safe_next(next: &str) -> &str {
    let ok = (next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?"))
        && !next.starts_with("/admin/login")
        && !next.starts_with("/admin/logout")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok { next } else { "/admin" }
}

#[derive(Template)]
#[template(path = "admin/login.html")]
pub(crate) struct LoginPage {
    tr: Tr,
    email: String,
    next: String,
    /// An i18n key of the message above the form.
    message: Option<&'static str>,
    /// Minutes to wait, for the rate-limit message.
    retry_minutes: Option<u64>,
    errors: FormErrors,
    /// Brands to choose from when the email opens several.
    brands: Vec<(Uuid, String)>,
    csrf_token: String,
}

impl LoginPage {
    /// The form, with nothing to say yet.
    fn new(tr: Tr, email: String, next: &str, csrf_token: String) -> LoginPage {
        LoginPage {
            tr,
            email,
            next: safe_next(next).to_string(),
            message: None,
            retry_minutes: None,
            errors: FormErrors::new(tr),
            brands: Vec::new(),
            csrf_token,
        }
    }

    fn other_lang(&self) -> (&'static str, &'static str) {
        match self.tr.0 {
            Locale::Id => ("en", "English"),
            Locale::En => ("id", "Bahasa Indonesia"),
        }
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// The sign-in page's language (`?lang=`), also for its error pages.
/// The language a public page (no session yet) speaks: `lang`, else Indonesian.
pub(crate) fn tr_of(req: &HttpRequest, lang: Option<&str>) -> Tr {
    let tr = Tr(lang.and_then(Locale::parse).unwrap_or(Locale::Id));
    req.extensions_mut().insert(tr);
    tr
}

pub async fn login_form(req: HttpRequest, q: web::Query<LoginQuery>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, q.lang.as_deref());
    let csrf = LoginCsrf::for_request(&req, &state);
    let page = LoginPage::new(tr, String::new(), q.next.as_deref().unwrap_or("/admin"), csrf.token);
    with_cookie(render_with_status(&page, StatusCode::OK)?, csrf.new_cookie)
}

/// `res` with the CSRF cookie a public form needs, when it is new.
pub(crate) fn with_cookie(mut res: HttpResponse, cookie: Option<Cookie<'static>>) -> Result<HttpResponse, AdminError> {
    if let Some(c) = cookie {
        res.add_cookie(&c).map_err(|e| AdminError::internal(format!("cookie: {e}")))?;
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    tenant_id: Option<String>,
    next: Option<String>,
    lang: Option<String>,
    csrf_token: Option<String>,
}

pub async fn login(req: HttpRequest, form: web::Form<LoginForm>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let form = form.into_inner();
    let tr = tr_of(&req, form.lang.as_deref());
    let next = safe_next(form.next.as_deref().unwrap_or("/admin")).to_string();
    let token_ok = LoginCsrf::matches(&req, &state, form.csrf_token.as_deref());
    let csrf = if token_ok { LoginCsrf::for_request(&req, &state) } else { LoginCsrf::fresh(&state) };
    let login = LoginRequest {
        email: form.email.trim().to_string(),
        password: form.password,
        tenant_id: form.tenant_id.as_deref().and_then(|t| Uuid::parse_str(t).ok()),
    };
    let mut page = LoginPage::new(tr, login.email.clone(), &next, csrf.token);
    if !token_ok {
        // Posted from elsewhere, or the form outlived its cookie: nothing is
        // checked; a fresh form (with a fresh token) asks to try again.
        page.message = Some("login.expired");
        return with_cookie(render_with_status(&page, StatusCode::FORBIDDEN)?, csrf.new_cookie);
    }
    let client = client_ip(&req, &state.settings.trusted_proxies);
    let status = match admin_session::sign_in(&state, &login, client).await {
        Ok(cookie) => {
            let mut res = HttpResponse::SeeOther();
            res.cookie(session_cookie(&state, cookie));
            for gone in legacy_cookies_gone() {
                res.cookie(gone);
            }
            return Ok(res.insert_header(("Location", next)).finish());
        }
        Err(Error::Unauthorized(_)) => {
            page.message = Some("login.wrong");
            StatusCode::UNAUTHORIZED
        }
        Err(Error::Forbidden(_)) => {
            page.message = Some("login.staff_only");
            StatusCode::FORBIDDEN
        }
        Err(Error::RateLimited { retry_after_secs, .. }) => {
            page.message = Some("login.rate_limited");
            page.retry_minutes = Some(retry_after_secs.div_ceil(60).max(1));
            StatusCode::TOO_MANY_REQUESTS
        }
        Err(Error::Validation(errors)) => {
            page.errors = FormErrors::from_domain(tr, errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Error::Conflict(detail)) => {
            page.brands = brand_choices(&detail);
            page.message = Some("login.choose_brand");
            StatusCode::CONFLICT
        }
        Err(e) => return Err(e.into()),
    };
    with_cookie(render_with_status(&page, status)?, csrf.new_cookie)
}

/// Ends the session (a CSRF-checked POST) and forgets the cookie.
pub async fn logout(req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let cookie = req.cookie(COOKIE).map(|c| c.value().to_string());
    let request_id = None;
    if let Ok(session) = admin_session::open(&state, cookie.as_deref(), request_id).await {
        let header = req.headers().get(csrf::HEADER).and_then(|v| v.to_str().ok());
        if !csrf::token_ok(&session.csrf_token, header, &body) {
            req.extensions_mut().insert(Tr(session.locale));
            return Err(AdminError::Csrf);
        }
        drop(session);
        admin_session::sign_out(&state, cookie.as_deref()).await?;
    }
    let mut gone = session_cookie(&state, String::new());
    gone.set_max_age(Duration::ZERO);
    let mut res = htmx::full_redirect(&req, "/admin/login");
    res.add_cookie(&gone).ok();
    for legacy in legacy_cookies_gone() {
        res.add_cookie(&legacy).ok();
    }
    Ok(res)
}

/// The session cookie: `__Host-` (Secure, path `/`, no Domain), HttpOnly,
/// SameSite=Lax, kept by the browser no longer than the session can live.
fn session_cookie(state: &AppState, value: String) -> Cookie<'static> {
    let lifetime = state.settings.admin_session_lifetime.as_secs() as i64;
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(true)
        .max_age(Duration::seconds(lifetime))
        .finish()
}

/// Sessions used to live in `pos_admin` (scoped to `/admin` at first, then
/// `/`); signing in or out removes what is left of them.
fn legacy_cookies_gone() -> [Cookie<'static>; 2] {
    ["/", "/admin"].map(|path| Cookie::build("pos_admin", "").path(path).max_age(Duration::ZERO).finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_inside_the_admin() {
        assert_eq!(safe_next("/admin/outlets?x=1"), "/admin/outlets?x=1");
        assert_eq!(safe_next("/admin"), "/admin");
        for bad in [
            "https://evil.example/admin",
            "//evil",
            "/administrator",
            "/admin/login",
            "/admin/logout",
            "/admin/\\evil",
            "",
        ] {
            assert_eq!(safe_next(bad), "/admin", "{bad}");
        }
        assert_eq!(login_url("/admin/staff?a=b"), "/admin/login?next=%2Fadmin%2Fstaff%3Fa%3Db");
    }
}
