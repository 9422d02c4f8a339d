//! Sending one mail over SMTP with lettre.

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use uuid::Uuid;

use crate::config::Settings;

/// Why a mail did not go out.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// The server refused it for good (a bad address, a 5xx): no retry.
    pub permanent: bool,
    pub message: String,
}

/// The SMTP connection pool and the sender every mail is from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// A claimed mail, as the worker sends it.
pub struct Outgoing<'a> {
    pub id: Uuid,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

impl Mailer {
    /// The mailer `POS_SMTP_URL` names; `None` when it is not set.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Option<Mailer>> {
        let Some(url) = &settings.smtp_url else { return Ok(None) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .map_err(|e| anyhow::anyhow!("POS_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = settings.mail_from.parse().map_err(|e| anyhow::anyhow!("POS_MAIL_FROM: {e}"))?;
        Ok(Some(Mailer { transport, from }))
    }

    pub async fn send(&self, mail: &Outgoing<'_>) -> Result<(), SendError> {
        let to: Mailbox =
            mail.to.parse().map_err(|e| SendError { permanent: true, message: format!("address: {e}") })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(Some(format!("<{}@pos.mail>", mail.id)))
            .multipart(MultiPart::alternative_plain_html(mail.text.to_string(), mail.html.to_string()))
            .map_err(|e| SendError { permanent: true, message: format!("message: {e}") })?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendError { permanent: e.is_permanent(), message: e.to_string() })
    }
}
