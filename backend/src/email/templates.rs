//! Mail bodies, rendered with askama (HTML and plain text), in Indonesian
//! or English: the recipient's language.

use askama::Template;
use pos_wire::Locale;

use crate::error::{Error, Result};

/// A mail whose point is one link: set a password (an invitation) or
/// choose a new one (a reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkMail {
    Invitation,
    PasswordReset,
    EmailVerification,
}

struct Words {
    lang: &'static str,
    subject: &'static str,
    greeting: &'static str,
    intro: &'static str,
    button: &'static str,
    expiry: &'static str,
    ignore: &'static str,
}

fn words(mail: LinkMail, locale: Locale) -> Words {
    match (mail, locale) {
        (LinkMail::Invitation, Locale::Id) => Words {
            lang: "id",
            subject: "Undangan ke {brand}",
            greeting: "Halo",
            intro: "Anda diundang bergabung dengan {brand} di POS. Buat kata sandi Anda untuk masuk:",
            button: "Buat kata sandi",
            expiry: "Tautan ini berlaku 7 hari dan hanya sekali pakai.",
            ignore: "Jika Anda tidak mengenal pengirimnya, abaikan email ini.",
        },
        (LinkMail::Invitation, Locale::En) => Words {
            lang: "en",
            subject: "Your invitation to {brand}",
            greeting: "Hello",
            intro: "You are invited to join {brand} on POS. Set your password to sign in:",
            button: "Set your password",
            expiry: "This link works once and for 7 days.",
            ignore: "If you do not know the sender, ignore this mail.",
        },
        (LinkMail::PasswordReset, Locale::Id) => Words {
            lang: "id",
            subject: "Atur ulang kata sandi {brand}",
            greeting: "Halo",
            intro: "Seseorang meminta pengaturan ulang kata sandi akun Anda di {brand}. Pilih kata sandi baru:",
            button: "Pilih kata sandi baru",
            expiry: "Tautan ini berlaku 1 jam dan hanya sekali pakai.",
            ignore: "Jika bukan Anda yang meminta, abaikan email ini: kata sandi Anda tidak berubah.",
        },
        (LinkMail::PasswordReset, Locale::En) => Words {
            lang: "en",
            subject: "Reset your {brand} password",
            greeting: "Hello",
            intro: "Someone asked to reset the password of your account at {brand}. Choose a new one:",
            button: "Choose a new password",
            expiry: "This link works once and for one hour.",
            ignore: "If it was not you, ignore this mail: your password stays as it is.",
        },
        (LinkMail::EmailVerification, Locale::Id) => Words {
            lang: "id",
            subject: "Konfirmasi email Anda untuk {brand}",
            greeting: "Halo",
            intro: "Terima kasih telah mendaftarkan {brand} di POS. Konfirmasi bahwa alamat ini milik Anda:",
            button: "Konfirmasi email",
            expiry: "Tautan ini berlaku 7 hari dan hanya sekali pakai.",
            ignore: "Jika Anda tidak mendaftar, abaikan email ini.",
        },
        (LinkMail::EmailVerification, Locale::En) => Words {
            lang: "en",
            subject: "Confirm your email for {brand}",
            greeting: "Hello",
            intro: "Thank you for signing {brand} up on POS. Confirm that this address is yours:",
            button: "Confirm my email",
            expiry: "This link works once and for 7 days.",
            ignore: "If you did not sign up, ignore this mail.",
        },
    }
}

#[derive(Template)]
#[template(path = "email/account_link.html")]
struct LinkHtml<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    name: &'a str,
    intro: &'a str,
    button: &'a str,
    link: &'a str,
    expiry: &'a str,
    ignore: &'a str,
}

#[derive(Template)]
#[template(path = "email/account_link.txt")]
struct LinkText<'a> {
    greeting: &'a str,
    name: &'a str,
    intro: &'a str,
    link: &'a str,
    expiry: &'a str,
    ignore: &'a str,
}

/// Subject, text and HTML of a link mail to `name` of `brand`.
pub fn link_mail(
    mail: LinkMail,
    locale: Locale,
    brand: &str,
    name: &str,
    link: &str,
) -> Result<(String, String, String)> {
    let w = words(mail, locale);
    let subject = w.subject.replace("{brand}", brand);
    let intro = w.intro.replace("{brand}", brand);
    let html = LinkHtml {
        lang: w.lang,
        subject: &subject,
        greeting: w.greeting,
        name,
        intro: &intro,
        button: w.button,
        link,
        expiry: w.expiry,
        ignore: w.ignore,
    }
    .render()
    .map_err(|e| Error::internal(format!("mail template: {e}")))?;
    let text = LinkText { greeting: w.greeting, name, intro: &intro, link, expiry: w.expiry, ignore: w.ignore }
        .render()
        .map_err(|e| Error::internal(format!("mail template: {e}")))?;
    Ok((subject, text, html))
}

/// The daily sales summary of one outlet's business day, to one person.
pub struct SummaryMail<'a> {
    pub locale: Locale,
    pub brand: &'a str,
    pub outlet: &'a str,
    pub name: &'a str,
    pub date: chrono::NaiveDate,
    pub currency: &'a str,
    pub summary: &'a pos_wire::SalesSummary,
}

/// What a rows mail says; rendered to (text, HTML).
pub struct RowsParts<'a> {
    pub locale: Locale,
    pub subject: &'a str,
    pub name: &'a str,
    pub intro: &'a str,
    pub rows: &'a [Row],
    pub mix_title: &'a str,
    pub mix: &'a [Row],
    pub footer: &'a str,
}

impl RowsParts<'_> {
    pub fn render(&self) -> Result<(String, String)> {
        let greeting = if self.locale == Locale::Id { "Halo" } else { "Hello" };
        let render_err = |e: askama::Error| Error::internal(format!("mail template: {e}"));
        let html = RowsHtml {
            lang: self.locale.as_str(),
            subject: self.subject,
            greeting,
            name: self.name,
            intro: self.intro,
            rows: self.rows,
            mix_title: self.mix_title,
            mix: self.mix,
            footer: self.footer,
        }
        .render()
        .map_err(render_err)?;
        let text = RowsText {
            greeting,
            name: self.name,
            intro: self.intro,
            rows: self.rows,
            mix_title: self.mix_title,
            mix: self.mix,
            footer: self.footer,
        }
        .render()
        .map_err(render_err)?;
        Ok((text, html))
    }
}

/// One labelled figure of the summary, formatted.
pub struct Row {
    pub label: &'static str,
    pub value: String,
}

/// A mail of labelled figures (and an optional second table): the daily
/// summary and the low-stock alert.
#[derive(Template)]
#[template(path = "email/rows.html")]
struct RowsHtml<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    name: &'a str,
    intro: &'a str,
    rows: &'a [Row],
    mix_title: &'a str,
    mix: &'a [Row],
    footer: &'a str,
}

#[derive(Template)]
#[template(path = "email/rows.txt")]
struct RowsText<'a> {
    greeting: &'a str,
    name: &'a str,
    intro: &'a str,
    rows: &'a [Row],
    mix_title: &'a str,
    mix: &'a [Row],
    footer: &'a str,
}

impl SummaryMail<'_> {
    /// Subject, text and HTML.
    pub fn render(&self) -> Result<(String, String, String)> {
        let id = self.locale == Locale::Id;
        let pick = |a: &'static str, b: &'static str| if id { a } else { b };
        let money = |minor: i64| pos_wire::money::format(minor, self.currency, self.locale);
        let date = if id { self.date.format("%d-%m-%Y").to_string() } else { self.date.format("%Y-%m-%d").to_string() };
        let subject =
            format!("{} {} · {} · {date}", pick("Ringkasan penjualan", "Sales summary"), self.brand, self.outlet);
        let intro = format!(
            "{} {} ({date}):",
            pick("Berikut penjualan hari kemarin di", "Here is how the day went at"),
            self.outlet
        );
        let f = &self.summary.totals;
        let rows = vec![
            Row { label: pick("Pesanan", "Orders"), value: f.orders.to_string() },
            Row { label: pick("Penjualan kotor", "Gross sales"), value: money(f.gross_minor) },
            Row { label: pick("Diskon", "Discounts"), value: money(f.discount_minor) },
            Row { label: pick("Refund", "Refunds"), value: money(f.refund_minor) },
            Row { label: pick("Penjualan bersih", "Net sales"), value: money(f.net_minor) },
            Row { label: pick("Biaya layanan", "Service charge"), value: money(f.service_charge_minor) },
            Row { label: pick("Pajak", "Tax"), value: money(f.tax_minor) },
            Row { label: pick("Rata-rata per pesanan", "Average order"), value: money(f.average_order_minor) },
        ];
        // Money taken by each method (tax included).
        let mix: Vec<Row> = self
            .summary
            .payment_mix
            .iter()
            .map(|m| Row {
                label: match m.key.as_str() {
                    "cash" => pick("Tunai", "Cash"),
                    "card" => pick("Kartu", "Card"),
                    "qris" => "QRIS",
                    _ => pick("Lainnya", "Other"),
                },
                value: money(m.gross_minor),
            })
            .collect();
        let footer = pick(
            "Email ini dikirim setiap hari kepada pemilik dan manajer outlet.",
            "This mail goes out daily to the outlet's owners and managers.",
        );
        let parts = RowsParts {
            locale: self.locale,
            subject: &subject,
            name: self.name,
            intro: &intro,
            rows: &rows,
            mix_title: pick("Pembayaran", "Payments"),
            mix: &mix,
            footer,
        };
        let (text, html) = parts.render()?;
        Ok((subject, text, html))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_brands_are_escaped_in_html_and_kept_in_text() {
        let (subject, text, html) =
            link_mail(LinkMail::Invitation, Locale::En, "Kopi <b>", "Ani <script>", "https://x/set?token=a&b").unwrap();
        assert_eq!(subject, "Your invitation to Kopi <b>");
        assert!(text.contains("Hello Ani <script>"), "{text}");
        assert!(text.contains("https://x/set?token=a&b"), "{text}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("Ani &#60;script&#62;") || html.contains("Ani &lt;script&gt;"), "{html}");
        let (subject, _, html) =
            link_mail(LinkMail::PasswordReset, Locale::Id, "Kopi", "Budi", "https://x/set?token=t").unwrap();
        assert_eq!(subject, "Atur ulang kata sandi Kopi");
        assert!(html.contains("lang=\"id\""));
    }

    #[test]
    fn the_summary_reads_in_the_recipients_language_with_the_outlets_money() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let totals = pos_wire::SalesTotals {
            orders: 2,
            gross_minor: 125_874,
            refund_minor: 10_000,
            net_minor: 115_874,
            average_order_minor: 62_937,
            ..Default::default()
        };
        let cash = pos_wire::SalesRow {
            key: "cash".into(),
            label: None,
            orders: 1,
            qty: None,
            gross_minor: 83_916,
            discount_minor: 0,
            refund_minor: 0,
            net_minor: 83_916,
            tax_minor: 0,
            service_charge_minor: 0,
        };
        let summary = pos_wire::SalesSummary {
            outlet_id: None,
            from: date,
            to: date,
            totals,
            payment_mix: vec![cash],
            top_items: vec![],
        };
        let mail = SummaryMail {
            locale: Locale::Id,
            brand: "Kopi <Nusantara>",
            outlet: "Sabang",
            name: "Ani",
            date,
            currency: "IDR",
            summary: &summary,
        };
        let (subject, text, html) = mail.render().unwrap();
        assert_eq!(subject, "Ringkasan penjualan Kopi <Nusantara> · Sabang · 02-12-2026");
        assert!(text.contains("Penjualan bersih: Rp 115.874"), "{text}");
        assert!(text.contains("Rata-rata per pesanan: Rp 62.937"), "{text}");
        assert!(text.contains("Tunai: Rp 83.916"), "{text}");
        assert!(!html.contains("<Nusantara>"), "escaped in HTML: {html}");
        let (_, text, _) = SummaryMail { locale: Locale::En, ..mail }.render().unwrap();
        let net = pos_wire::money::format(115_874, "IDR", Locale::En);
        assert!(text.contains(&format!("Net sales: {net}")), "{text}");
    }
}
