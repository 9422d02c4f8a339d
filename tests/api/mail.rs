//! Mail through the outbox to a real SMTP sink (Debian's aiosmtpd, started
//! by the test command; its maildir is `POS_TEST_MAILDIR`): a staff
//! invitation and a password reset, each link working once; the same answer
//! for an unknown address; SMTP down for a while, then every mail sent once;
//! sign-up email verification; e-receipts.

use std::time::Duration;

use pos_tests::paying::count;
use pos_tests::{Tenant, TestApp, deliver_mail, fixtures, paying};
use pos_wire::{CreateUser, Role};
use serde_json::json;
use uuid::Uuid;

/// A new brand whose owner's verification mail is already out of the way.
async fn brand(app: &TestApp) -> Tenant {
    let t = app.signup().await;
    assert_eq!(deliver_mail(app, t.tenant_id).await.sent, 1, "the sign-up's verification mail");
    t
}

/// The raw mails delivered to `to` so far.
pub(crate) fn mails_to(to: &str) -> Vec<String> {
    let dir = std::env::var("POS_TEST_MAILDIR").expect("POS_TEST_MAILDIR (the SMTP sink's maildir)");
    let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join("new")) else { return Vec::new() };
    entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|m| m.lines().any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to)))
        .collect()
}

/// Waits (at most `secs`) for `n` mails to `to`.
pub(crate) async fn wait_for_mails(to: &str, n: usize, secs: u64) -> Vec<String> {
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
pub(crate) fn unquote(raw: &str) -> String {
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
    token_after(mail, "/admin/password/set?token=")
}

/// The token of the link to `path` in `mail`.
fn token_after(mail: &str, path: &str) -> String {
    let mail = unquote(mail);
    let at = mail.find(path).unwrap_or_else(|| panic!("a link to {path} in {mail}")) + path.len();
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
    let t = brand(&app).await;
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
    let t = brand(&app).await;
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
    let t = brand(&app).await;
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

async fn email_verified(app: &TestApp, t: &Tenant) -> bool {
    let me = app.get(&format!("/api/v1/users/{}", t.owner_id), &t.token).await.expect(200);
    me.body["email_verified"].as_bool().expect("email_verified")
}

#[tokio::test]
async fn a_new_owner_verifies_their_email_through_the_mailed_link_once() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    assert!(!email_verified(&app, &t).await, "not verified at sign-up");
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 1);
    let mail = wait_for_mails(&t.email, 1, 10).await.remove(0);
    assert!(mail.contains("Konfirmasi email"), "{mail}");
    let token = token_after(&mail, "/admin/verify-email?token=");
    assert!(token.len() >= 40, "{token}");

    // It proves an address; it never sets a password.
    let set = json!({"token": token, "password": "a password of mine"});
    let r = app.post("/api/v1/auth/password", None, set).await.expect(422);
    assert_eq!(r.body["error_codes"]["token"][0]["code"], "link_invalid");
    assert_eq!(login_status(&app, &t.email, "a password of mine").await, 401);

    app.post("/api/v1/auth/verify-email", None, json!({"token": token})).await.expect(204);
    assert!(email_verified(&app, &t).await);
    let r = app.post("/api/v1/auth/verify-email", None, json!({"token": token})).await.expect(422);
    assert_eq!(r.body["error_codes"]["token"][0]["code"], "link_invalid");
    app.post("/api/v1/auth/verify-email", None, json!({"token": "made-up"})).await.expect(422);

    // Verified: asking again sends nothing.
    app.post("/api/v1/auth/verify-email/resend", Some(&t.token), json!({})).await.expect(202);
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 0);
}

#[tokio::test]
async fn resending_the_verification_is_limited_and_ends_the_older_link() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    for _ in 0..3 {
        app.post("/api/v1/auth/verify-email/resend", Some(&t.token), json!({})).await.expect(202);
    }
    let r = app.post("/api/v1/auth/verify-email/resend", Some(&t.token), json!({})).await.expect(429);
    assert_eq!(paying::code(&r), "rate_limited");
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 4, "the sign-up's and three more");
    let mails = wait_for_mails(&t.email, 4, 10).await;
    let mut ok = 0;
    for m in &mails {
        let token = token_after(m, "/admin/verify-email?token=");
        if app.post("/api/v1/auth/verify-email", None, json!({"token": token})).await.status == 204 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1, "only the newest link works");
    // A device has no email to verify.
    let outlet = app.create_outlet(&t.token, "Kopi").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let r = app.post("/api/v1/auth/verify-email/resend", Some(&kiosk), json!({})).await.expect(403);
    assert_eq!(paying::code(&r), "verification_staff_only");
}

#[tokio::test]
async fn an_unverified_sign_up_with_someone_elses_address_does_not_get_in_their_way() {
    let app = TestApp::spawn().await;
    let real = app.signup().await;
    deliver_mail(&app, real.tenant_id).await;
    let mail = wait_for_mails(&real.email, 1, 10).await.remove(0);
    let token = token_after(&mail, "/admin/verify-email?token=");
    app.post("/api/v1/auth/verify-email", None, json!({"token": token})).await.expect(204);

    // A stranger signs a brand up with the same address and password.
    let stranger = fixtures::signup(&real.email, pos_tests::PASSWORD);
    let r = app.post("/api/v1/auth/signup", None, stranger).await.expect(201);
    let stranger_tenant = r.body["tenant_id"].as_str().unwrap().to_string();

    // The address's owner still signs straight into their own brand.
    let body = json!({"email": real.email, "password": pos_tests::PASSWORD});
    let r = app.post("/api/v1/auth/login", None, body).await.expect(200);
    let token = r.body["access_token"].as_str().unwrap();
    app.get(&format!("/api/v1/users/{}", real.owner_id), token).await.expect(200);
    // The stranger can still reach theirs by naming it.
    let body = json!({"email": real.email, "password": pos_tests::PASSWORD, "tenant_id": stranger_tenant});
    app.post("/api/v1/auth/login", None, body).await.expect(200);
}

/// A shop with one fully paid cash order; (shop, order id, its total).
async fn paid_order(app: &TestApp) -> (paying::Shop, uuid::Uuid, i64) {
    let shop = paying::shop(app, 0).await;
    deliver_mail(app, shop.t.tenant_id).await;
    let order = shop.counter_order(app, 2).await;
    paying::pay(app, &shop.cashier, order.id, paying::cash(order.total_minor, None)).await.expect(201);
    (shop, order.id, order.total_minor)
}

#[tokio::test]
async fn a_customer_gets_the_receipt_of_a_paid_order_by_mail() {
    let app = TestApp::spawn().await;
    let (shop, order, total) = paid_order(&app).await;
    let customer = address();
    let path = format!("/api/v1/orders/{order}/receipt/email");
    app.post(&path, Some(&shop.cashier), json!({"email": customer, "lang": "en"})).await.expect(202);
    assert_eq!(deliver_mail(&app, shop.t.tenant_id).await.sent, 1);
    let mail = unquote(&wait_for_mails(&customer, 1, 10).await.remove(0));
    assert!(mail.contains("Your receipt from"), "{mail}");
    assert!(mail.contains("000001"), "the receipt number: {mail}");
    assert!(mail.contains("Kopi susu oat"), "{mail}");
    let amount = pos_wire::money::format(total, "IDR", pos_wire::Locale::En);
    assert!(mail.contains(&amount), "the total {amount}: {mail}");

    // Bad input, and the limits.
    let r = app.post(&path, Some(&shop.cashier), json!({"email": "not-an-address"})).await.expect(422);
    assert_eq!(paying::field_code(&r, "email"), "email_invalid");
    app.post(&path, Some(&shop.cashier), json!({"email": customer, "lang": "fr"})).await.expect(422);
    app.post(&path, Some(&shop.cashier), json!({"email": customer})).await.expect(202);
    app.post(&path, Some(&shop.cashier), json!({"email": customer})).await.expect(202);
    let r = app.post(&path, Some(&shop.cashier), json!({"email": address()})).await.expect(429);
    assert_eq!(paying::code(&r), "rate_limited", "three mails per order");

    // An order not paid yet has no receipt to mail.
    let unpaid = shop.counter_order(&app, 1).await;
    let r = app
        .post(&format!("/api/v1/orders/{}/receipt/email", unpaid.id), Some(&shop.cashier), json!({"email": customer}))
        .await
        .expect(409);
    assert_eq!(paying::code(&r), "receipt_not_paid");

    // Kitchen staff may not; another brand cannot even see the order.
    let (_, cook) = app.create_staff(&shop.t.token, "kitchen", &[shop.outlet]).await;
    app.post(&path, Some(&cook), json!({"email": customer})).await.expect(403);
    let other = app.signup().await;
    app.post(&path, Some(&other.token), json!({"email": customer})).await.expect(404);
}

#[tokio::test]
async fn the_low_stock_hook_mails_the_outlets_owners_and_managers_once_each() {
    let app = TestApp::spawn().await;
    let t = brand(&app).await;
    let outlet = app.create_outlet(&t.token, "Sabang").await;
    let elsewhere = app.create_outlet(&t.token, "Menteng").await;
    let (manager, _) = app.create_staff(&t.token, "manager", &[outlet]).await;
    let (other, _) = app.create_staff(&t.token, "manager", &[elsewhere]).await;
    let (cashier, _) = app.create_staff(&t.token, "cashier", &[outlet]).await;
    let email = |id: uuid::Uuid| {
        let app = &app;
        let token = t.token.clone();
        async move { app.get(&format!("/api/v1/users/{id}"), &token).await.expect(200).body["email"].to_string() }
    };
    let (manager, other, cashier) = (email(manager).await, email(other).await, email(cashier).await);
    let tx = app.tenant_tx(t.tenant_id).await;
    let low = pos_backend::email::low_stock::LowStock {
        outlet: "Sabang",
        ingredient: "Susu oat",
        on_hand: "350 ml",
        threshold: "1000 ml",
    };
    assert_eq!(pos_backend::email::low_stock::alert(&tx, outlet, &low).await.unwrap(), 2, "the owner and the manager");
    tx.commit().await.unwrap();
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 2);
    let to_manager = unquote(&wait_for_mails(manager.trim_matches('"'), 1, 10).await.remove(0));
    assert!(to_manager.contains("Stok menipis: Susu oat"), "{to_manager}");
    assert!(to_manager.contains("350 ml"), "{to_manager}");
    wait_for_mails(&t.email, 2, 10).await;
    assert!(mails_to(other.trim_matches('"')).is_empty() && mails_to(cashier.trim_matches('"')).is_empty());
}
