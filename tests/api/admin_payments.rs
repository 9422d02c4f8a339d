//! The admin's payment pages stay inside the signed-in user's brand: another
//! brand's order page, its live body, its receipt and a refund of its
//! payment are 404 and change nothing; the brand's own owner refunds through
//! the same form.

use pos_tests::{
    PASSWORD, TestApp, csrf_field,
    paying::{COFFEE, cash, order, pay, shop},
};
use uuid::Uuid;

async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn refund(app: &TestApp, cookie: &str, payment: Uuid) -> u16 {
    let (_, html) = get(app, cookie, "/admin").await;
    let token = csrf_field(&html).expect("a page carries the CSRF token");
    let id = Uuid::now_v7().to_string();
    let form = [("csrf_token", token.as_str()), ("client_refund_id", &id), ("amount", "1000"), ("reason", "Salah")];
    let path = format!("/admin/payments/{payment}/refunds");
    let res = app.client.post(app.url(&path)).header("cookie", cookie).form(&form).send().await.unwrap();
    res.status().as_u16()
}

#[tokio::test]
async fn another_brands_payments_are_not_found_in_the_admin() {
    let app = TestApp::spawn().await;
    let victim = shop(&app, 0).await;
    let o = victim.counter_order(&app, 1).await;
    let p: pos_wire::Payment = pay(&app, &victim.cashier, o.id, cash(COFFEE, None)).await.expect(201).json();
    let attacker = shop(&app, 0).await;
    let cookie = app.admin_sign_in(&attacker.t.email, PASSWORD).await.expect("signed in");

    for path in [
        format!("/admin/orders/{}", o.id),
        format!("/admin/orders/{}/body", o.id),
        format!("/admin/orders/{}/receipt", o.id),
        format!("/admin/outlets/{}/orders/rows", victim.outlet),
    ] {
        let (status, html) = get(&app, &cookie, &path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!html.contains("Kopi susu oat"), "{path} shows nothing of the order");
    }
    assert_eq!(refund(&app, &cookie, p.id).await, 404);
    assert_eq!(order(&app, &victim.t.token, o.id).await.refunded_minor, 0, "nothing refunded");

    // The brand's own owner refunds through the same form.
    let own = app.admin_sign_in(&victim.t.email, PASSWORD).await.expect("signed in");
    assert_eq!(refund(&app, &own, p.id).await, 303);
    assert_eq!(order(&app, &victim.t.token, o.id).await.refunded_minor, 1000);
    let (status, html) = get(&app, &own, &format!("/admin/orders/{}/receipt?lang=en&width=58", o.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Kopi susu oat"));
}
