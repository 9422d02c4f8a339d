//! E-receipts: a customer who asks at the till or kiosk gets the receipt
//! of a fully paid order by mail (through the outbox). Each order can be
//! mailed a few times and each device or person can mail a bounded number
//! an hour, so a kiosk token cannot turn our SMTP into a spam relay.

use std::time::Duration;

use pos_wire::{Locale, SendReceipt};
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind, Email},
    db::ScopedTx,
    email::{Mail, MailKind, enqueue},
    error::{Code, Error, Result},
    state::AppState,
};

/// Mails per order, ever (a day's window is as good as ever here).
const PER_ORDER: u32 = 3;
/// Mails per device or person, per hour.
const PER_SENDER: u32 = 60;

/// Queues the receipt of `order_id` to `req.email`.
pub async fn send_receipt(
    state: &AppState,
    tx: &ScopedTx,
    actor: &Actor,
    order_id: Uuid,
    req: &SendReceipt,
) -> Result<()> {
    let to = Email::parse(&req.email).map_err(|e| Error::field("email", e))?;
    let locale = match req.lang.as_deref() {
        None => Locale::Id,
        Some(l) => Locale::parse(l).ok_or_else(|| Error::field("lang", Code::LanguageInvalid))?,
    };
    let (number, brand, html, text) = super::render_for_mail(tx, actor, order_id, locale).await?;
    let Some(number) = number else { return Err(Error::conflict(Code::ReceiptNotPaid)) };
    let sender = match actor.kind {
        ActorKind::Device { device_id, .. } => format!("device:{device_id}"),
        ActorKind::Staff { .. } => format!("user:{}", actor.user_id().unwrap_or_default()),
    };
    let limiter = &state.limiter;
    limiter.check_and_hit(&format!("receipt:sender:{sender}"), PER_SENDER, Duration::from_secs(3600)).await?;
    limiter.check_and_hit(&format!("receipt:order:{order_id}"), PER_ORDER, Duration::from_secs(86_400)).await?;
    let subject = match locale {
        Locale::Id => format!("Struk {brand} no. {number}"),
        Locale::En => format!("Your receipt from {brand}, no. {number}"),
    };
    enqueue(tx, &Mail { kind: MailKind::EReceipt, to, subject, text, html }).await?;
    crate::tenancy::audit::record(
        tx,
        actor,
        "order.receipt_mailed",
        "order",
        Some(order_id),
        None,
        None,
        Some(serde_json::json!({ "receipt_number": number })),
    )
    .await?;
    Ok(())
}
