//! The brand (tenant) itself: its name, currency and default language.

use chrono::{DateTime, Utc};
use pos_wire::{Locale, Role};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    audit::{self, snapshot},
    names::Name,
};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, FieldErrors, Result},
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, FromQueryResult, utoipa::ToSchema)]
pub struct Brand {
    pub id: Uuid,
    pub name: String,
    /// ISO 4217 code; amounts are integers of its minor unit.
    pub currency: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBrand {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub locale: Option<Locale>,
}

/// The caller's brand.
pub async fn get(tx: &ScopedTx) -> Result<Brand> {
    tx.query_one("SELECT id, name, currency::text AS currency, locale, created_at FROM tenants", [])
        .await?
        .ok_or(Error::NotFound)
}

/// Owners only.
pub async fn update(tx: &ScopedTx, actor: &Actor, req: UpdateBrand) -> Result<Brand> {
    actor.require_role(&[Role::Owner])?;
    let before = get(tx).await?;
    let mut errors = FieldErrors::new();
    let name = req.name.as_deref().and_then(|n| errors.take("name", Name::parse(n, 120)));
    let currency = req.currency.as_deref().map(|c| c.trim().to_ascii_uppercase());
    if let Some(c) = &currency
        && pos_wire::money::Currency::of(c).is_none()
    {
        errors.add("currency", Code::CurrencyUnsupported);
    }
    errors.finish()?;
    tx.execute(
        "UPDATE tenants SET name = coalesce($1, name), currency = coalesce($2, currency), \
                locale = coalesce($3, locale), updated_at = now()",
        [
            name.map(|n| n.as_str().to_string()).into(),
            currency.into(),
            req.locale.map(|l| l.as_str().to_string()).into(),
        ],
    )
    .await?;
    let after = get(tx).await?;
    if after.currency != before.currency {
        super::outlets::touch_all(tx).await?;
    }
    audit::record(tx, actor, "brand.update", "brand", Some(after.id), None, snapshot(&before), snapshot(&after))
        .await?;
    Ok(after)
}

pub mod http {
    //! `GET|PATCH /api/v1/brand`.

    use actix_web::web;

    use super::{Brand, UpdateBrand};
    use crate::{auth::principal::Scoped, error::Result, http::json::Json};

    pub fn routes(cfg: &mut web::ServiceConfig) {
        cfg.service(web::resource("/brand").route(web::get().to(get_brand)).route(web::patch().to(update_brand)));
    }

    #[utoipa::path(get, path = "/api/v1/brand", tag = "brand",
        responses((status = 200, body = Brand)), security(("bearer" = [])))]
    pub async fn get_brand(s: Scoped) -> Result<web::Json<Brand>> {
        let brand = super::get(&s.tx).await?;
        s.tx.commit().await?;
        Ok(web::Json(brand))
    }

    #[utoipa::path(patch, path = "/api/v1/brand", tag = "brand", request_body = UpdateBrand,
        responses((status = 200, body = Brand), (status = 403), (status = 422, body = pos_wire::Problem)),
        security(("bearer" = [])))]
    pub async fn update_brand(s: Scoped, body: Json<UpdateBrand>) -> Result<web::Json<Brand>> {
        let brand = super::update(&s.tx, &s.actor, body.into_inner()).await?;
        s.tx.commit().await?;
        Ok(web::Json(brand))
    }
}
