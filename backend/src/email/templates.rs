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
}
