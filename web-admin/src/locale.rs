//! The language switch: stored per user, the page reloads in it.

use actix_web::HttpResponse;
use pos_backend::tenancy::users;
use pos_wire::Locale;
use serde::Deserialize;

use crate::{
    csrf::AdminForm,
    error::{AdminError, OrPage},
    htmx,
    login::safe_next,
    session::Admin,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocaleForm {
    locale: String,
    /// The page to return to.
    back: String,
}

pub async fn switch(post: AdminForm<LocaleForm>) -> Result<HttpResponse, AdminError> {
    let AdminForm { admin, form } = post;
    let Admin { tx, actor, ctx } = admin;
    let tr = ctx.tr;
    let locale = Locale::parse(&form.locale)
        .ok_or_else(|| AdminError::page(tr, actix_web::http::StatusCode::BAD_REQUEST, "error.bad_request"))?;
    users::set_own_locale(&tx, &actor, locale).await.or_page(tr)?;
    tx.commit().await.or_page(tr)?;
    Ok(htmx::see_other(safe_next(&form.back)))
}
