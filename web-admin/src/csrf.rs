//! Every state-changing admin request (all POSTs but the login) must echo
//! the session's CSRF token, in the `X-CSRF-Token` header (htmx sends it
//! from `hx-headers` on `<body>`) or the `csrf_token` form field (plain
//! forms). [`AdminForm`] checks it before the handler runs.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::StatusCode, web};
use pos_backend::auth::admin_session::csrf_matches;
use serde::{Deserialize, de::DeserializeOwned};

use crate::{error::AdminError, session::Admin};

/// The header htmx sends with every request.
pub const HEADER: &str = "X-CSRF-Token";
/// Admin forms are small; anything larger is not one of ours.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A signed-in admin's form submission whose CSRF token matched.
pub struct AdminForm<T> {
    pub admin: Admin,
    pub form: T,
}

/// A form with no fields besides the token (buttons such as "revoke").
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
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
            let admin = admin.await?;
            let tr = admin.ctx.tr;
            let body =
                body.await.map_err(|_| AdminError::page(tr, StatusCode::PAYLOAD_TOO_LARGE, "error.bad_request"))?;
            if !token_ok(&admin.ctx.csrf_token, header.as_deref(), &body) {
                return Err(AdminError::Csrf { tr });
            }
            // Forms hold strings (parsed by the handlers, with field errors),
            // so this fails only for requests no page of ours makes.
            let form = serde_html_form::from_bytes::<T>(&body)
                .map_err(|_| AdminError::page(tr, StatusCode::BAD_REQUEST, "error.bad_request"))?;
            Ok(AdminForm { admin, form })
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
