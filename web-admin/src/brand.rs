//! Brand settings: name, currency and default language (owners; managers
//! see them read-only).

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    Error,
    tenancy::brand::{self, Brand, UpdateBrand},
};
use pos_wire::Locale;
use pos_wire::money::CURRENCIES;
use serde::Deserialize;

use crate::{
    csrf::AdminForm,
    error::{AdminError, OrPage},
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

pub async fn show(admin: Admin, q: web::Query<NoticeQuery>) -> Result<BrandPage, AdminError> {
    let Admin { tx, ctx, .. } = admin;
    let tr = ctx.tr;
    let brand = brand::get(&tx).await.or_page(tr)?;
    tx.commit().await.or_page(tr)?;
    Ok(BrandPage { ctx: ctx.at("brand").with_notice(&q), form: BrandForm::of(&brand), errors: FormErrors::new(tr) })
}

pub async fn update(post: AdminForm<BrandForm>) -> Result<HttpResponse, AdminError> {
    let AdminForm { admin, form } = post;
    let Admin { tx, actor, ctx } = admin;
    let tr = ctx.tr;
    let mut page = BrandPage { ctx: ctx.at("brand"), form, errors: FormErrors::new(tr) };
    let locale = Locale::parse(&page.form.locale);
    if locale.is_none() {
        page.errors.add_key("locale", "field.choose_one");
        return invalid(&page, tr);
    }
    let req = UpdateBrand { name: Some(page.form.name.clone()), currency: Some(page.form.currency.clone()), locale };
    match brand::update(&tx, &actor, req).await {
        Ok(_) => {
            tx.commit().await.or_page(tr)?;
            Ok(htmx::see_other("/admin/brand?notice=brand_saved"))
        }
        Err(Error::Validation(fe)) => {
            page.errors.merge(fe);
            invalid(&page, tr)
        }
        Err(e) => Err(AdminError::domain(e, tr)),
    }
}
