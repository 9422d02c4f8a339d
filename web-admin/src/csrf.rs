//! Every state-changing admin request must echo a CSRF token: the session's
//! one, in the `X-CSRF-Token` header (htmx sends it from `hx-headers` on
//! `<body>`) or the `csrf_token` form field (plain forms); [`AdminForm`]
//! checks it before the handler runs, `posted.rs` for file forms and the
//! logout handler for itself. The sign-in form, which has no session yet,
//! uses [`LoginCsrf`]: a seed in a `__Host-` cookie and its MAC in the form.

use std::{future::Future, pin::Pin};

use actix_web::{
    FromRequest, HttpRequest,
    cookie::{Cookie, SameSite, time::Duration},
    dev::Payload,
    http::StatusCode,
    web,
};
use pos_backend::{
    auth::{
        Actor,
        admin_session::{csrf_matches, login_csrf_token, new_login_seed},
    },
    db::ScopedTx,
    state::AppState,
};
use serde::{Deserialize, de::DeserializeOwned};

use crate::{
    error::AdminError,
    session::{Admin, Ctx},
};

/// The header htmx sends with every request.
pub const HEADER: &str = "X-CSRF-Token";
/// Admin forms are small; anything larger is not one of ours.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A signed-in admin's form submission whose CSRF token matched: the
/// [`Admin`] request and its form, taken apart in the handler's signature
/// (`AdminForm { tx, actor, ctx, form }: AdminForm<OutletForm>`).
pub struct AdminForm<T> {
    pub tx: ScopedTx,
    pub actor: Actor,
    pub ctx: Ctx,
    pub form: T,
}

/// A form with no fields besides the token (buttons such as "revoke").
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

/// The cookie holding the sign-in form's CSRF seed.
pub const LOGIN_COOKIE: &str = "__Host-pos_login";

/// The sign-in form's CSRF token, and the cookie to set when the browser
/// had no seed yet.
pub struct LoginCsrf {
    pub token: String,
    pub new_cookie: Option<Cookie<'static>>,
}

impl LoginCsrf {
    /// The token for this browser's seed, or a new seed and its token.
    pub fn for_request(req: &HttpRequest, state: &AppState) -> LoginCsrf {
        match req.cookie(LOGIN_COOKIE).map(|c| c.value().to_string()).filter(|v| !v.is_empty()) {
            Some(seed) => LoginCsrf { token: login_csrf_token(state, &seed), new_cookie: None },
            None => Self::fresh(state),
        }
    }

    /// A new seed (after a refused sign-in: the form's token will match it).
    pub fn fresh(state: &AppState) -> LoginCsrf {
        let seed = new_login_seed();
        let cookie = Cookie::build(LOGIN_COOKIE, seed.clone())
            .path("/")
            .secure(true)
            .http_only(true)
            .same_site(SameSite::Strict)
            .max_age(Duration::hours(12))
            .finish();
        LoginCsrf { token: login_csrf_token(state, &seed), new_cookie: Some(cookie) }
    }

    /// True when `submitted` is the token of the seed the browser sent.
    pub fn matches(req: &HttpRequest, state: &AppState, submitted: Option<&str>) -> bool {
        req.cookie(LOGIN_COOKIE).is_some_and(|seed| csrf_matches(&login_csrf_token(state, seed.value()), submitted))
    }
}

/// True when the header or the form field carries the expected token.
pub fn token_ok(expected: &str, header: Option<&str>, body: &[u8]) -> bool {
    let field = serde_html_form::from_bytes::<TokenField>(body).ok().and_then(|f| f.csrf_token);
    csrf_matches(expected, header) || csrf_matches(expected, field.as_deref())
}

impl<T: DeserializeOwned + 'static> FromRequest for AdminForm<T> {
    type Error = AdminError;
    type Future = Pin<Box<dyn Future<Output = Result<AdminForm<T>, AdminError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let admin = Admin::from_request(req, payload);
        // The `/admin` scope sets a small `PayloadConfig` (see `lib.rs`).
        let body = web::Bytes::from_request(req, payload);
        let header = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
        Box::pin(async move {
            let Admin { tx, actor, ctx } = admin.await?;
            let body = body.await.map_err(|_| AdminError::page(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"))?;
            if !token_ok(&ctx.csrf_token, header.as_deref(), &body) {
                return Err(AdminError::Csrf);
            }
            // Forms hold strings (parsed by the handlers, with field errors),
            // so this fails only for requests no page of ours makes.
            let form = serde_html_form::from_bytes::<T>(&body).map_err(|_| AdminError::bad_request())?;
            Ok(AdminForm { tx, actor, ctx, form })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::token_ok;

    #[test]
    fn header_or_field_must_match() {
        assert!(token_ok("abc", Some("abc"), b""));
        assert!(token_ok("abc", None, b"name=x&csrf_token=abc"));
        assert!(token_ok("abc", Some("wrong"), b"csrf_token=abc"));
        assert!(!token_ok("abc", None, b"name=x"));
        assert!(!token_ok("abc", Some("abd"), b"csrf_token=abx"));
        assert!(!token_ok("abc", None, b"csrf_token="));
        assert!(!token_ok("abc", None, b"\xff\xfe"));
    }
}
