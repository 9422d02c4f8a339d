//! Pages without a session for passwords: "forgot password" (asks for a
//! mail with a link) and the page such a link, or a staff invitation's,
//! opens to set a password. Both forms carry the sign-in form's CSRF token.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use pos_backend::{Error, auth::account_links, http::client_ip::client_ip};
use pos_wire::problem::Code;
use serde::Deserialize;

use crate::{
    csrf::LoginCsrf,
    error::AdminError,
    fields::FormErrors,
    i18n::Tr,
    login::{tr_of, with_cookie},
    render::render_with_status,
    session::state_of,
};

/// Which form the page shows, or what it says once done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Type your email.
    Forgot,
    /// "If an account exists, a link is on its way."
    Sent,
    /// Choose a password (the link's token rides along).
    Set,
    /// Done: sign in.
    Done,
    /// Confirm an email (a sign-up's verification link).
    Verify,
    /// The email is confirmed.
    Verified,
}

#[derive(Template)]
#[template(path = "admin/password.html")]
pub(crate) struct PasswordPage {
    tr: Tr,
    step: Step,
    email: String,
    token: String,
    /// An i18n key of the message above the form.
    message: Option<&'static str>,
    errors: FormErrors,
    csrf_token: String,
}

impl PasswordPage {
    fn new(tr: Tr, step: Step, csrf_token: String) -> PasswordPage {
        PasswordPage {
            tr,
            step,
            email: String::new(),
            token: String::new(),
            message: None,
            errors: FormErrors::new(tr),
            csrf_token,
        }
    }

    fn is(&self, step: &str) -> bool {
        matches!(
            (self.step, step),
            (Step::Forgot, "forgot")
                | (Step::Sent, "sent")
                | (Step::Set, "set")
                | (Step::Done, "done")
                | (Step::Verify, "verify")
                | (Step::Verified, "verified")
        )
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
    token: Option<String>,
}

fn show(mut page: PasswordPage, status: StatusCode, csrf: LoginCsrf) -> Result<HttpResponse, AdminError> {
    page.csrf_token = csrf.token;
    with_cookie(render_with_status(&page, status)?, csrf.new_cookie)
}

/// `GET /admin/password/forgot`.
pub async fn forgot_form(req: HttpRequest, q: web::Query<PageQuery>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, q.lang.as_deref());
    let csrf = LoginCsrf::for_request(&req, &state);
    show(PasswordPage::new(tr, Step::Forgot, String::new()), StatusCode::OK, csrf)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
    lang: Option<String>,
    csrf_token: Option<String>,
}

/// `POST /admin/password/forgot`: the same answer whether or not the email
/// has an account.
pub async fn forgot(req: HttpRequest, form: web::Form<ForgotForm>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, form.lang.as_deref());
    let token_ok = LoginCsrf::matches(&req, &state, form.csrf_token.as_deref());
    let csrf = if token_ok { LoginCsrf::for_request(&req, &state) } else { LoginCsrf::fresh(&state) };
    let mut page = PasswordPage::new(tr, Step::Forgot, String::new());
    page.email = form.email.trim().to_string();
    if !token_ok {
        page.message = Some("login.expired");
        return show(page, StatusCode::FORBIDDEN, csrf);
    }
    let client = client_ip(&req, &state.settings.trusted_proxies);
    let status = match account_links::request_reset(&state, &form.email, &client).await {
        Ok(()) => {
            page.step = Step::Sent;
            StatusCode::OK
        }
        Err(Error::Validation(errors)) => {
            page.errors = FormErrors::from_domain(tr, errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Error::RateLimited { .. }) => {
            page.message = Some("login.rate_limited");
            StatusCode::TOO_MANY_REQUESTS
        }
        Err(e) => return Err(e.into()),
    };
    show(page, status, csrf)
}

/// `GET /admin/password/set?token=`: the page a mailed link opens.
pub async fn set_form(req: HttpRequest, q: web::Query<PageQuery>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, q.lang.as_deref());
    let csrf = LoginCsrf::for_request(&req, &state);
    let mut page = PasswordPage::new(tr, Step::Set, String::new());
    page.token = q.token.clone().unwrap_or_default();
    show(page, StatusCode::OK, csrf)
}

#[derive(Deserialize)]
pub struct SetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
    lang: Option<String>,
    csrf_token: Option<String>,
}

/// `POST /admin/password/set`.
pub async fn set(req: HttpRequest, form: web::Form<SetForm>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, form.lang.as_deref());
    let token_ok = LoginCsrf::matches(&req, &state, form.csrf_token.as_deref());
    let csrf = if token_ok { LoginCsrf::for_request(&req, &state) } else { LoginCsrf::fresh(&state) };
    let mut page = PasswordPage::new(tr, Step::Set, String::new());
    page.token = form.token.clone();
    if !token_ok {
        page.message = Some("login.expired");
        return show(page, StatusCode::FORBIDDEN, csrf);
    }
    if form.password != form.confirm {
        page.errors.add_key("confirm", "password.mismatch");
        return show(page, StatusCode::UNPROCESSABLE_ENTITY, csrf);
    }
    let status = match account_links::set_password(&state, &form.token, &form.password).await {
        Ok(()) => {
            page.step = Step::Done;
            StatusCode::OK
        }
        Err(Error::Validation(errors))
            if errors.0.get("token").is_some_and(|e| e.iter().any(|c| c.code == Code::LinkInvalid)) =>
        {
            page.message = Some("password.link_invalid");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Error::Validation(errors)) => {
            page.errors = FormErrors::from_domain(tr, errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    show(page, status, csrf)
}

/// `GET /admin/verify-email?token=`: the page a verification link opens (a
/// button, so a mail scanner following links does not use it up).
pub async fn verify_form(req: HttpRequest, q: web::Query<PageQuery>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, q.lang.as_deref());
    let csrf = LoginCsrf::for_request(&req, &state);
    let mut page = PasswordPage::new(tr, Step::Verify, String::new());
    page.token = q.token.clone().unwrap_or_default();
    show(page, StatusCode::OK, csrf)
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
    lang: Option<String>,
    csrf_token: Option<String>,
}

/// `POST /admin/verify-email`.
pub async fn verify(req: HttpRequest, form: web::Form<VerifyForm>) -> Result<HttpResponse, AdminError> {
    let state = state_of(&req)?;
    let tr = tr_of(&req, form.lang.as_deref());
    let token_ok = LoginCsrf::matches(&req, &state, form.csrf_token.as_deref());
    let csrf = if token_ok { LoginCsrf::for_request(&req, &state) } else { LoginCsrf::fresh(&state) };
    let mut page = PasswordPage::new(tr, Step::Verify, String::new());
    page.token = form.token.clone();
    if !token_ok {
        page.message = Some("login.expired");
        return show(page, StatusCode::FORBIDDEN, csrf);
    }
    let status = match account_links::verify_email(&state, &form.token).await {
        Ok(()) => {
            page.step = Step::Verified;
            StatusCode::OK
        }
        Err(Error::Validation(_)) => {
            page.message = Some("password.link_invalid");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e.into()),
    };
    show(page, status, csrf)
}
