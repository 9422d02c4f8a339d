//! Mail through the outbox to a real SMTP sink (Debian's aiosmtpd, started
//! by the test command; its maildir is `POS_TEST_MAILDIR`): a staff
//! invitation and a password reset, each link working once; the same answer
//! for an unknown address; SMTP down for a while, then every mail sent once.

use std::time::Duration;

use pos_tests::{TestApp, deliver_mail, fixtures, paying::count};
use pos_wire::{CreateUser, Role};
use serde_json::json;
use uuid::Uuid;

/// The raw mails delivered to `to` so far.
fn mails_to(to: &str) -> Vec<String> {
    let dir = std::env::var("POS_TEST_MAILDIR").expect("POS_TEST_MAILDIR (the SMTP sink's maildir)");
    let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join("new")) else { return Vec::new() };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|m| m.lines().any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to)))
        .collect()
}

/// Waits (at most `secs`) for `n` mails to `to`.
async fn wait_for_mails(to: &str, n: usize, secs: u64) -> Vec<String> {
    for _ in 0..secs * 10 {
        let found = mails_to(to);
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{n} mail(s) to {to} never arrived (got {})", mails_to(to).len());
}

/// `raw` with quoted-printable undone (soft line breaks and `=XX` bytes):
/// good enough to read a link out of any part of a mail.
fn unquote(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16).ok())
            .flatten();
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The token of the set-password link in `mail`.
fn link_token(mail: &str) -> String {
    let mail = unquote(mail);
    let at = mail.find("/admin/password/set?token=").expect("a set-password link") + "/admin/password/set?token=".len();
    mail[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

fn address() -> String {
    format!("staff-{}@example.com", Uuid::now_v7().simple())
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> u16 {
    let body = json!({"email": email, "password": password});
    app.post("/api/v1/auth/login", None, body).await.status.as_u16()
}

#[tokio::test]
async fn an_invited_member_sets_a_password_through_the_mailed_link_once() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Kopi").await;
    let email = address();
    let invite = CreateUser { password: None, ..fixtures::user(&email, "Ani", Role::Manager, &[outlet]) };
    app.post("/api/v1/users", Some(&t.token), invite).await.expect(201);
    assert_eq!(login_status(&app, &email, "anything at all").await, 401, "no password opens it yet");

    let queued = "SELECT count(*)::bigint AS n FROM email_outbox WHERE kind = 'staff_invitation'";
    assert_eq!(count(&app, t.tenant_id, queued, vec![]).await, 1, "the invitation is in the outbox");
    let round = deliver_mail(&app, t.tenant_id).await;
    assert_eq!(round, pos_backend::email::worker::Round { sent: 1, ..Default::default() });
    let mail = wait_for_mails(&email, 1, 10).await.remove(0);
    assert!(mail.contains("Undangan ke"), "in the member's language (Indonesian by default): {mail}");
    assert!(mail.contains("Message-ID: <"), "{mail}");
    let token = link_token(&mail);
    assert!(token.len() >= 40, "{token}");

    let set = |password: &str| json!({"token": token, "password": password});
    let r = app.post("/api/v1/auth/password", None, set("short")).await.expect(422);
    assert_eq!(r.body["error_codes"]["password"][0]["code"], "too_short");
    app.post("/api/v1/auth/password", None, set("a good long password")).await.expect(204);
    assert_eq!(login_status(&app, &email, "a good long password").await, 200);
    // Once only.
    let r = app.post("/api/v1/auth/password", None, set("another long password")).await.expect(422);
    assert_eq!(r.body["error_codes"]["token"][0]["code"], "link_invalid");
    assert_eq!(login_status(&app, &email, "a good long password").await, 200);
    let r = app.post("/api/v1/auth/password", None, json!({"token": "made-up", "password": "whatever123"})).await;
    assert_eq!(r.expect(422).body["error_codes"]["token"][0]["code"], "link_invalid");
}

#[tokio::test]
async fn a_reset_link_works_once_and_the_answer_never_tells_who_has_an_account() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Kopi").await;
    let email = address();
    app.post("/api/v1/users", Some(&t.token), fixtures::user(&email, "Budi", Role::Cashier, &[outlet]))
        .await
        .expect(201);
    let session = app.login(&email).await;

    let known = app.post("/api/v1/auth/password-reset", None, json!({"email": email})).await.expect(202);
    let unknown = app.post("/api/v1/auth/password-reset", None, json!({"email": address()})).await.expect(202);
    assert_eq!(known.body, unknown.body);
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 1);
    let mail = wait_for_mails(&email, 1, 10).await.remove(0);
    let token = link_token(&mail);
    assert_eq!(login_status(&app, &email, pos_tests::PASSWORD).await, 200, "nothing changes until the link is used");

    app.post("/api/v1/auth/password", None, json!({"token": token, "password": "my new password"})).await.expect(204);
    assert_eq!(login_status(&app, &email, pos_tests::PASSWORD).await, 401);
    assert_eq!(login_status(&app, &email, "my new password").await, 200);
    let r = app.post("/api/v1/auth/password", None, json!({"token": token, "password": "yet another one"})).await;
    assert_eq!(r.expect(422).body["error_codes"]["token"][0]["code"], "link_invalid");
    // Sessions from before the reset are over.
    let refresh = json!({"refresh_token": session["refresh_token"]});
    app.post("/api/v1/auth/refresh", None, refresh).await.expect(401);

    // A newer link ends the older one; past three a hour, nothing more is sent.
    for _ in 0..4 {
        app.post("/api/v1/auth/password-reset", None, json!({"email": email})).await.expect(202);
    }
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 2, "at most three reset mails an hour");
    wait_for_mails(&email, 3, 10).await;
    let tokens: Vec<String> = mails_to(&email).iter().map(|m| link_token(m)).collect();
    let older = tokens.iter().find(|tk| **tk != token).unwrap();
    let latest_ok = {
        let mut ok = 0;
        for tk in &tokens {
            let r =
                app.post("/api/v1/auth/password", None, json!({"token": tk, "password": "the latest password"})).await;
            if r.status == 204 {
                ok += 1;
            }
        }
        ok
    };
    assert_eq!(latest_ok, 1, "only the newest link works (older: {older})");
}

#[tokio::test]
async fn mails_wait_while_smtp_is_down_and_go_out_once_after() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Kopi").await;
    let email = address();
    let invite = CreateUser { password: None, ..fixtures::user(&email, "Citra", Role::Cashier, &[outlet]) };
    app.post("/api/v1/users", Some(&t.token), invite).await.expect(201);

    // The SMTP server is not there: the mail waits, with the error noted.
    let mut settings = pos_backend::config::Settings::from_env().unwrap();
    settings.smtp_url = Some(pos_backend::config::Secret::new(format!("smtp://127.0.0.1:{}", pos_tests::free_port())));
    let down = pos_backend::email::transport::Mailer::from_settings(&settings).unwrap().unwrap();
    let round = pos_backend::email::worker::send_due_for(&app.state, &down, Some(t.tenant_id)).await.unwrap();
    assert_eq!((round.sent, round.retrying, round.failed), (0, 1, 0));
    let waiting = "SELECT count(*)::bigint AS n FROM email_outbox \
                   WHERE status = 'pending' AND attempts = 1 AND last_error IS NOT NULL";
    assert_eq!(count(&app, t.tenant_id, waiting, vec![]).await, 1);
    // It is back, but the mail waits for its retry (5 s), then goes once.
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 0, "not due yet");
    tokio::time::sleep(pos_backend::email::worker::backoff(1) + Duration::from_millis(300)).await;
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 1);
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 0);
    assert_eq!(wait_for_mails(&email, 1, 10).await.len(), 1, "sent once");
    let sent = "SELECT count(*)::bigint AS n FROM email_outbox WHERE status = 'sent' AND attempts = 2";
    assert_eq!(count(&app, t.tenant_id, sent, vec![]).await, 1);
}
