//! "Email me the receipt", at the till's sale-complete screen and the
//! kiosk's confirmation of a paid order: a light check of the address
//! before asking the server (which checks it properly), what the form
//! shows, and its strings in Indonesian and English. Sending needs the
//! network: a receipt is never queued (the customer is gone by the time
//! the queue would send it, and would not know whether it went).

use pos_wire::{Locale, Problem};

use crate::api::ApiError;

/// Longest address the server accepts.
const MAX_LEN: usize = 254;

/// Whether `address` is worth sending to the server: one `@` with
/// something before it, a dotted domain after it, no spaces. The server's
/// check is the real one; this only catches typos on the spot.
pub fn looks_like_email(address: &str) -> bool {
    let address = address.trim();
    let Some((local, domain)) = address.split_once('@') else { return false };
    let dotted = domain.split('.').count() >= 2 && domain.split('.').all(|part| !part.is_empty());
    address.len() <= MAX_LEN
        && !local.is_empty()
        && dotted
        && !domain.contains('@')
        && !address.chars().any(char::is_whitespace)
}

/// Where the form stands.
#[derive(Debug, Clone, PartialEq)]
pub enum MailState {
    Idle,
    /// Asked the server; waiting for its answer.
    Sending,
    /// The server accepted: the receipt is on its way to this address.
    Sent(String),
    /// Not sent, and why (worded when shown, in the screen's language).
    NotSent(Why),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// The address does not look like one (checked here).
    AddressInvalid,
    /// No network: it needs one (nothing is queued).
    Offline,
    /// The server refused, with its reasons.
    Refused(Problem),
    /// No answer, or an answer that is no problem document.
    Failed(ApiError),
}

impl Why {
    /// The server's answer to a request that did not succeed.
    pub fn from_error(error: ApiError) -> Why {
        match error {
            ApiError::Problem(problem) => Why::Refused(problem),
            ApiError::Unreachable => Why::Offline,
            other => Why::Failed(other),
        }
    }

    /// What the customer or cashier reads, in `locale`: a field's own
    /// message (the address refused), else the problem's (not paid yet, too
    /// many receipts), both through the codes' translations.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Why::AddressInvalid => text(locale, MailText::AddressInvalid).to_owned(),
            Why::Offline => text(locale, MailText::NeedsNetwork).to_owned(),
            Why::Refused(problem) => {
                let fields: Vec<String> = problem.field_messages(locale).into_values().flatten().collect();
                if fields.is_empty() { problem.message(locale) } else { fields.join(" · ") }
            }
            Why::Failed(e) => e.message(locale),
        }
    }
}

/// What the form may do next with `address`, before asking the server:
/// `None` when it may send.
pub fn refuse_before_sending(address: &str, online: bool) -> Option<Why> {
    if !online {
        Some(Why::Offline)
    } else if !looks_like_email(address) {
        Some(Why::AddressInvalid)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailText {
    Label,
    Placeholder,
    Send,
    Sending,
    AddressInvalid,
    NeedsNetwork,
}

pub fn text(locale: Locale, key: MailText) -> &'static str {
    match (locale, key) {
        (Locale::Id, MailText::Label) => "Kirim struk ke email (opsional)",
        (Locale::Id, MailText::Placeholder) => "nama@contoh.com",
        (Locale::Id, MailText::Send) => "Kirim struk",
        (Locale::Id, MailText::Sending) => "Mengirim…",
        (Locale::Id, MailText::AddressInvalid) => "Alamat email belum benar (contoh: nama@contoh.com).",
        (Locale::Id, MailText::NeedsNetwork) => "Mengirim struk lewat email perlu koneksi internet. Coba lagi nanti.",
        (Locale::En, MailText::Label) => "Email me the receipt (optional)",
        (Locale::En, MailText::Placeholder) => "name@example.com",
        (Locale::En, MailText::Send) => "Send receipt",
        (Locale::En, MailText::Sending) => "Sending…",
        (Locale::En, MailText::AddressInvalid) => "That email address does not look right (e.g. name@example.com).",
        (Locale::En, MailText::NeedsNetwork) => "Emailing the receipt needs the network. Try again once online.",
    }
}

/// "Receipt sent to a@b.co".
pub fn sent_to(locale: Locale, address: &str) -> String {
    match locale {
        Locale::Id => format!("Struk dikirim ke {address}."),
        Locale::En => format!("Receipt sent to {address}."),
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::{Code, CodedError};

    use super::*;

    #[test]
    fn typos_are_caught_before_asking_the_server() {
        for good in ["siti@example.com", " budi.s+kopi@mail.co.id ", "a@b.io"] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in
            ["", "siti", "siti@", "@example.com", "siti@example", "siti@example.", "si ti@example.com", "a@b@c.io"]
        {
            assert!(!looks_like_email(bad), "{bad}");
        }
        assert!(!looks_like_email(&format!("{}@example.com", "a".repeat(250))));
    }

    #[test]
    fn offline_it_says_it_needs_the_network_whatever_was_typed() {
        assert_eq!(refuse_before_sending("siti@example.com", false), Some(Why::Offline));
        assert_eq!(refuse_before_sending("siti", false), Some(Why::Offline));
        assert_eq!(refuse_before_sending("siti", true), Some(Why::AddressInvalid));
        assert_eq!(refuse_before_sending("siti@example.com", true), None);
        assert_eq!(Why::from_error(ApiError::Unreachable), Why::Offline);
        assert!(Why::Offline.message(Locale::En).contains("needs the network"));
    }

    fn problem(status: u16, code: Code, fields: &[(&str, Code)]) -> Problem {
        let mut problem: Problem = serde_json::from_value(serde_json::json!({
            "type": "about:blank", "title": "t", "status": status, "detail": "server words",
            "code": code.as_str(), "params": {}
        }))
        .unwrap();
        for (field, code) in fields {
            problem.errors.entry((*field).into()).or_default().push("server words".into());
            problem.error_codes.entry((*field).into()).or_default().push(CodedError::new(*code));
        }
        problem
    }

    #[test]
    fn the_servers_refusals_are_translated() {
        let not_paid = Why::Refused(problem(409, Code::ReceiptNotPaid, &[]));
        assert_ne!(not_paid.message(Locale::Id), not_paid.message(Locale::En));
        assert!(!not_paid.message(Locale::En).contains("server words"));
        let bad = Why::Refused(problem(422, Code::ValidationFailed, &[("email", Code::EmailInvalid)]));
        assert_eq!(bad.message(Locale::En), "must look like name@example.com");
        assert_eq!(bad.message(Locale::Id), "harus berbentuk nama@contoh.com");
    }
}
