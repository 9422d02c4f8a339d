//! Writing a mail to the outbox, inside the caller's transaction.

use uuid::Uuid;

use crate::{auth::Email, db::ScopedTx, error::Result};

/// What a mail is for (the outbox's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    StaffInvitation,
    PasswordReset,
    EmailVerification,
    DailySummary,
    EReceipt,
    LowStock,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::StaffInvitation => "staff_invitation",
            MailKind::PasswordReset => "password_reset",
            MailKind::EmailVerification => "email_verification",
            MailKind::DailySummary => "daily_summary",
            MailKind::EReceipt => "e_receipt",
            MailKind::LowStock => "low_stock",
        }
    }
}

/// A rendered mail.
#[derive(Debug, Clone)]
pub struct Mail {
    pub kind: MailKind,
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Puts `mail` in the outbox of the transaction's tenant: it is sent once
/// the transaction commits, and never if it rolls back.
pub async fn enqueue(tx: &ScopedTx, mail: &Mail) -> Result<Uuid> {
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO email_outbox (tenant_id, id, kind, to_address, subject, text_body, html_body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            tx.tenant_id().into(),
            id.into(),
            mail.kind.as_str().into(),
            mail.to.as_str().into(),
            mail.subject.clone().into(),
            mail.text.clone().into(),
            mail.html.clone().into(),
        ],
    )
    .await?;
    metrics::counter!("mails_queued_total", "kind" => mail.kind.as_str()).increment(1);
    Ok(id)
}
