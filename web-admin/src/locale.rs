//! The language switch: stored per user, the page reloads in it.

use actix_web::HttpResponse;
use pos_backend::tenancy::users;
use pos_wire::Locale;
use serde::Deserialize;

use crate::{csrf::AdminForm, error::AdminError, htmx, login::safe_next};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LocaleForm {
    locale: String,
    /// The page to return to.
    back: String,
}

pub async fn switch(AdminForm { tx, actor, form, .. }: AdminForm<LocaleForm>) -> Result<HttpResponse, AdminError> {
    let locale = Locale::parse(&form.locale).ok_or_else(AdminError::bad_request)?;
    users::set_own_locale(&tx, &actor, locale).await?;
    tx.commit().await?;
    Ok(htmx::see_other(safe_next(&form.back)))
}
