//! The mail worker: every server process runs one. It claims due mails
//! (leased, so no other process sends them meanwhile), sends each, and
//! records the outcome; a failure is tried again with exponential backoff
//! (5 s, 10 s, 20 s ... at most an hour apart) until [`MAX_ATTEMPTS`], and a
//! permanent refusal (a bad address, a 5xx answer) is not tried again.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use tokio_util::sync::CancellationToken;

use super::transport::{Mailer, Outgoing};
use crate::{error::Result, state::AppState};

/// Mails claimed per round.
const BATCH: i32 = 20;
/// How long a claimed mail is left to its sender before another may take it.
const LEASE: Duration = Duration::from_secs(120);
/// Attempts before a mail is given up.
pub const MAX_ATTEMPTS: i32 = 12;

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// The wait before attempt `attempts + 1`.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    Duration::from_secs(5u64.saturating_mul(1 << exp.min(10))).min(Duration::from_secs(3600))
}

/// Sends what is due now, once.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> Result<Round> {
    send_due_for(state, mailer, None).await
}

/// [`send_due`], limited to one tenant's mails when `only` is given (tests
/// share one database between servers with different SMTP servers).
pub async fn send_due_for(state: &AppState, mailer: &Mailer, only: Option<uuid::Uuid>) -> Result<Round> {
    let mut round = Round::default();
    let xt = state.db.cross_tenant();
    for mail in xt.claim_emails(BATCH, LEASE, only).await? {
        let outgoing = Outgoing {
            id: mail.id,
            to: &mail.to_address,
            subject: &mail.subject,
            text: &mail.text_body,
            html: &mail.html_body,
        };
        match mailer.send(&outgoing).await {
            Ok(()) => {
                xt.email_attempted(mail.tenant_id, mail.id, None, None).await?;
                metrics::counter!("mails_sent_total", "outcome" => "sent").increment(1);
                round.sent += 1;
            }
            Err(e) if e.permanent || mail.attempts >= MAX_ATTEMPTS => {
                tracing::warn!(mail_id = %mail.id, attempts = mail.attempts, error = %e, "mail given up");
                xt.email_attempted(mail.tenant_id, mail.id, Some(&e.message), None).await?;
                metrics::counter!("mails_sent_total", "outcome" => "failed").increment(1);
                round.failed += 1;
            }
            Err(e) => {
                let wait = chrono::Duration::from_std(backoff(mail.attempts)).unwrap_or_default();
                tracing::info!(mail_id = %mail.id, attempts = mail.attempts, error = %e, "mail not sent; will retry");
                xt.email_attempted(mail.tenant_id, mail.id, Some(&e.message), Some(Utc::now() + wait)).await?;
                metrics::counter!("mails_sent_total", "outcome" => "retry").increment(1);
                round.retrying += 1;
            }
        }
    }
    Ok(round)
}

/// Runs [`send_due`] every `every` until `stop`; a round that found a full
/// batch goes again at once.
pub fn spawn(state: Arc<AppState>, mailer: Arc<Mailer>, every: Duration, stop: CancellationToken) {
    tokio::spawn(async move {
        loop {
            let full = match send_due(&state, &mailer).await {
                Ok(r) => r.sent + r.retrying + r.failed >= BATCH as usize,
                Err(e) => {
                    tracing::warn!(error = %e, "the mail worker could not reach the outbox");
                    false
                }
            };
            if full {
                continue;
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(5));
        assert_eq!(backoff(2), Duration::from_secs(10));
        assert_eq!(backoff(4), Duration::from_secs(40));
        assert_eq!(backoff(11), Duration::from_secs(3600));
        assert_eq!(backoff(MAX_ATTEMPTS), Duration::from_secs(3600));
    }
}
