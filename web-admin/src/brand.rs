//! Brand settings: name, currency and default language (owners; managers
//! see them read-only).

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::tenancy::brand::{self, Brand, UpdateBrand};
use pos_wire::Locale;
use pos_wire::money::CURRENCIES;
use serde::Deserialize;

use crate::{
    csrf::AdminForm,
    error::{AdminError, field_errors},
    fields::FormErrors,
    htmx,
    money::format_money,
    render::invalid,
    session::{Admin, Ctx, NoticeQuery},
};

/// The brand form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BrandForm {
    pub name: String,
    pub currency: String,
    pub locale: String,
}

impl BrandForm {
    fn of(b: &Brand) -> BrandForm {
        BrandForm { name: b.name.clone(), currency: b.currency.clone(), locale: b.locale.clone() }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/brand.html")]
pub(crate) struct BrandPage {
    ctx: Ctx,
    form: BrandForm,
    errors: FormErrors,
}

impl BrandPage {
    fn currencies(&self) -> Vec<&'static str> {
        CURRENCIES.iter().map(|c| c.code).collect()
    }

    fn other_errors(&self) -> Vec<&String> {
        self.errors.others(&["name", "currency", "locale"])
    }

    /// How a typical price looks in `code`.
    fn example(&self, code: &str) -> String {
        let major = if code == "IDR" { 25_000 } else { 25 };
        format_money(major * 10i64.pow(crate::money::minor_digits(code)), code, self.ctx.tr)
    }
}

pub async fn show(Admin { tx, ctx, .. }: Admin, q: web::Query<NoticeQuery>) -> Result<BrandPage, AdminError> {
    let brand = brand::get(&tx).await?;
    tx.commit().await?;
    let errors = FormErrors::new(ctx.tr);
    Ok(BrandPage { ctx: ctx.at("brand").with_notice(&q), form: BrandForm::of(&brand), errors })
}

pub async fn update(AdminForm { tx, actor, ctx, form }: AdminForm<BrandForm>) -> Result<HttpResponse, AdminError> {
    let mut page = BrandPage { errors: FormErrors::new(ctx.tr), ctx: ctx.at("brand"), form };
    let locale = Locale::parse(&page.form.locale);
    if locale.is_none() {
        page.errors.add_key("locale", "field.choose_one");
        return invalid(&page);
    }
    let req = UpdateBrand { name: Some(page.form.name.clone()), currency: Some(page.form.currency.clone()), locale };
    match brand::update(&tx, &actor, req).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(htmx::see_other("/admin/brand?notice=brand_saved"))
        }
        Err(e) => {
            page.errors.merge(field_errors(e)?);
            invalid(&page)
        }
    }
}
