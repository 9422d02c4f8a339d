//! The stand-in speaks the protocol our gateway client relies on: basic
//! auth, QRIS charge, status, duplicate order ids, settlement with a signed
//! notification, refunds within the amount, cancel rules and expiry.

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_web::{App, HttpServer, web};
use pos_gateway_standin::{Config, notify::signature, spawn};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const KEY: &str = "SB-Mid-server-test";

/// A merchant webhook that records what it receives.
fn webhook() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let data = web::Data::new(got.clone());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).route(
            "/hook",
            web::post().to(|got: web::Data<Arc<Mutex<Vec<Value>>>>, body: web::Json<Value>| async move {
                got.lock().await.push(body.into_inner());
                "ok"
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (url, got)
}

async fn wait_for(got: &Arc<Mutex<Vec<Value>>>, n: usize) -> Vec<Value> {
    for _ in 0..100 {
        let v = got.lock().await.clone();
        if v.len() >= n {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {n} notifications, got {:?}", got.lock().await);
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn call(method: reqwest::Method, url: String, key: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = client().request(method, url).basic_auth(key, Some(""));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn check_signature(n: &Value) {
    let expected = signature(
        n["order_id"].as_str().unwrap(),
        n["status_code"].as_str().unwrap(),
        n["gross_amount"].as_str().unwrap(),
        KEY,
    );
    assert_eq!(n["signature_key"], json!(expected));
}

#[actix_web::test]
async fn charge_pay_refund_and_cancel_rules() {
    let (hook, got) = webhook();
    let mut config = Config::new(KEY);
    config.notification_url = Some(hook);
    let base = spawn(config).unwrap();
    let charge = json!({"payment_type": "qris", "transaction_details": {"order_id": "ord-1", "gross_amount": 41958},
                        "qris": {"acquirer": "gopay"}});

    let (status, _) = call(reqwest::Method::POST, format!("{base}/v2/charge"), "wrong", Some(charge.clone())).await;
    assert_eq!(status, 401);

    let (status, body) = call(reqwest::Method::POST, format!("{base}/v2/charge"), KEY, Some(charge.clone())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status_code"], "201");
    assert_eq!(body["transaction_status"], "pending");
    assert_eq!(body["gross_amount"], "41958.00");
    assert!(body["qr_string"].as_str().unwrap().starts_with("000201"));
    assert_eq!(body["actions"][0]["name"], "generate-qr-code");

    let (status, dup) = call(reqwest::Method::POST, format!("{base}/v2/charge"), KEY, Some(charge)).await;
    assert_eq!((status, dup["status_code"].as_str()), (406, Some("406")));

    let (status, body) = call(reqwest::Method::GET, format!("{base}/v2/ord-1/status"), KEY, None).await;
    assert_eq!((status, body["transaction_status"].as_str()), (200, Some("pending")));
    let (status, _) = call(reqwest::Method::GET, format!("{base}/v2/nope/status"), KEY, None).await;
    assert_eq!(status, 404);

    // The customer pays: a signed settlement notification arrives.
    let paid = client().post(format!("{base}/_standin/charges/ord-1/pay")).send().await.unwrap();
    assert_eq!(paid.status().as_u16(), 200);
    let notes = wait_for(&got, 1).await;
    assert_eq!(notes[0]["transaction_status"], "settlement");
    assert_eq!(notes[0]["status_code"], "200");
    check_signature(&notes[0]);

    let (status, _) = call(reqwest::Method::POST, format!("{base}/v2/ord-1/cancel"), KEY, None).await;
    assert_eq!(status, 412, "a settled charge cannot be cancelled");

    let refund = json!({"refund_key": "rf-1", "amount": 10000, "reason": "cold coffee"});
    let (status, body) =
        call(reqwest::Method::POST, format!("{base}/v2/ord-1/refund"), KEY, Some(refund.clone())).await;
    assert_eq!((status, body["transaction_status"].as_str()), (200, Some("partial_refund")), "{body}");
    // The same refund key again refunds nothing more.
    let (_, again) = call(reqwest::Method::POST, format!("{base}/v2/ord-1/refund"), KEY, Some(refund)).await;
    assert_eq!(again["refund_amount"], "10000.00");
    let too_much = json!({"refund_key": "rf-2", "amount": 31959, "reason": "x"});
    let (status, _) = call(reqwest::Method::POST, format!("{base}/v2/ord-1/refund"), KEY, Some(too_much)).await;
    assert_eq!(status, 400);
    let notes = wait_for(&got, 2).await;
    assert!(notes.iter().any(|n| n["transaction_status"] == "partial_refund"));
    notes.iter().for_each(check_signature);
}

#[actix_web::test]
async fn unpaid_codes_expire_and_can_be_cancelled_or_settled_silently() {
    let (hook, got) = webhook();
    let base = spawn(Config::new(KEY)).unwrap();
    let with_expiry = json!({"payment_type": "qris", "transaction_details": {"order_id": "ord-exp", "gross_amount": 5000},
                             "custom_expiry": {"expiry_duration": 1, "unit": "second"}});
    // The notification URL comes from the charge's X-Override-Notification.
    let res = client()
        .post(format!("{base}/v2/charge"))
        .basic_auth(KEY, Some(""))
        .header("X-Override-Notification", hook.clone())
        .json(&with_expiry)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let notes = wait_for(&got, 1).await;
    assert_eq!(notes[0]["transaction_status"], "expire");
    assert_eq!(notes[0]["status_code"], "202");
    check_signature(&notes[0]);

    let c = json!({"payment_type": "qris", "transaction_details": {"order_id": "ord-c", "gross_amount": 5000}});
    call(reqwest::Method::POST, format!("{base}/v2/charge"), KEY, Some(c)).await;
    let (status, body) = call(reqwest::Method::POST, format!("{base}/v2/ord-c/cancel"), KEY, None).await;
    assert_eq!((status, body["transaction_status"].as_str()), (200, Some("cancel")));

    // Settled without a notification (a lost webhook): only a status call tells.
    let c = json!({"payment_type": "qris", "transaction_details": {"order_id": "ord-s", "gross_amount": 7000}});
    call(reqwest::Method::POST, format!("{base}/v2/charge"), KEY, Some(c)).await;
    client().post(format!("{base}/_standin/charges/ord-s/pay?notify=false")).send().await.unwrap();
    let (_, body) = call(reqwest::Method::GET, format!("{base}/v2/ord-s/status"), KEY, None).await;
    assert_eq!(body["transaction_status"], "settlement");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(got.lock().await.len(), 1, "no notification for the silent settlement");

    let bad = json!({"payment_type": "qris", "transaction_details": {"order_id": "ord-d", "gross_amount": 10.5}});
    let (status, _) = call(reqwest::Method::POST, format!("{base}/v2/charge"), KEY, Some(bad)).await;
    assert_eq!(status, 400, "IDR has no decimals");
    let page = client().get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("ord-s") && page.contains("settlement"));
}
