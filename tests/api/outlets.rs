use pos_tests::{TestApp, fixtures, ids};
use pos_wire::{CreateOutlet, UpdateOutlet};
use serde_json::json;

#[tokio::test]
async fn outlet_crud_with_validation() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;

    let r = app
        .post(
            "/api/v1/outlets",
            Some(&t.token),
            json!({"name": "  ", "timezone": "Mars/Olympus", "tax_rate_bp": 10001, "service_charge_bp": -1}),
        )
        .await
        .expect(422);
    for field in ["name", "timezone", "tax_rate_bp", "service_charge_bp"] {
        assert!(r.body["errors"][field].is_array(), "{field}: {}", r.text);
    }

    let r = app
        .post(
            "/api/v1/outlets",
            Some(&t.token),
            CreateOutlet {
                address: Some("Jl. Kemang Raya 8".into()),
                timezone: Some("Asia/Makassar".into()),
                tax_rate_bp: Some(1100),
                service_charge_bp: Some(500),
                ..fixtures::outlet("Kemang")
            },
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["timezone"], "Asia/Makassar");
    assert_eq!(r.body["is_open"], true);

    // Names are unique per brand.
    let r = app.post("/api/v1/outlets", Some(&t.token), fixtures::outlet("kemang")).await.expect(422);
    assert!(r.body["errors"]["name"].is_array());
    // ...but another brand may use the same name.
    let other = app.signup().await;
    app.post("/api/v1/outlets", Some(&other.token), fixtures::outlet("Kemang")).await.expect(201);

    let r = app
        .patch(
            &format!("/api/v1/outlets/{id}"),
            &t.token,
            UpdateOutlet { is_open: Some(false), tax_rate_bp: Some(1000), ..Default::default() },
        )
        .await
        .expect(200);
    assert_eq!((r.body["is_open"].as_bool(), r.body["tax_rate_bp"].as_i64()), (Some(false), Some(1000)));
    assert_eq!(r.body["name"], "Kemang", "absent fields stay");
    let r = app
        .patch(&format!("/api/v1/outlets/{id}"), &t.token, UpdateOutlet { tax_rate_bp: Some(-5), ..Default::default() })
        .await
        .expect(422);
    assert!(r.body["errors"]["tax_rate_bp"].is_array());
    assert_eq!(
        app.get(&format!("/api/v1/outlets/{id}"), &t.token).await.expect(200).body["tax_rate_bp"],
        1000,
        "a refused change stores nothing"
    );

    app.delete(&format!("/api/v1/outlets/{id}"), &t.token).await.expect(204);
    app.get(&format!("/api/v1/outlets/{id}"), &t.token).await.expect(404);
    // The name is free again once archived.
    app.post("/api/v1/outlets", Some(&t.token), fixtures::outlet("Kemang")).await.expect(201);
}

#[tokio::test]
async fn outlet_list_pages_with_a_cursor() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(app.create_outlet(&t.token, &format!("Outlet {i}")).await);
    }
    let first = app.get("/api/v1/outlets?limit=2", &t.token).await.expect(200);
    assert_eq!(ids(&first), created[..2]);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let second = app.get(&format!("/api/v1/outlets?limit=2&cursor={cursor}"), &t.token).await.expect(200);
    assert_eq!(ids(&second), created[2..4]);
    let cursor = second.body["next_cursor"].as_str().unwrap().to_string();
    let last = app.get(&format!("/api/v1/outlets?limit=2&cursor={cursor}"), &t.token).await.expect(200);
    assert_eq!(ids(&last), created[4..]);
    assert!(last.body["next_cursor"].is_null());
    let r = app.get("/api/v1/outlets?cursor=garbage", &t.token).await.expect(422);
    assert!(r.body["errors"]["cursor"].is_array());
}

#[tokio::test]
async fn roles_limit_outlet_changes() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let a = app.create_outlet(&t.token, "A").await;
    let b = app.create_outlet(&t.token, "B").await;
    let (_, manager) = app.create_staff(&t.token, "manager", &[a]).await;
    let (_, cashier) = app.create_staff(&t.token, "cashier", &[a]).await;

    app.patch(&format!("/api/v1/outlets/{a}"), &manager, fixtures::outlet_open(false)).await.expect(200);
    app.patch(&format!("/api/v1/outlets/{b}"), &manager, fixtures::outlet_open(false)).await.expect(404);
    app.post("/api/v1/outlets", Some(&manager), fixtures::outlet("C")).await.expect(403);
    app.delete(&format!("/api/v1/outlets/{a}"), &manager).await.expect(403);
    app.patch(&format!("/api/v1/outlets/{a}"), &cashier, fixtures::outlet_open(true)).await.expect(403);
    assert_eq!(ids(&app.get("/api/v1/outlets", &cashier).await.expect(200)), vec![a]);
}

/// The payment settings: restaurant tax by default, a cash rounding step of
/// a coin or note that exists, when kiosk orders reach the kitchen, and a
/// tax number for receipts that can be cleared.
#[tokio::test]
async fn outlet_payment_settings() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let r = app.post("/api/v1/outlets", Some(&t.token), fixtures::outlet("Kemang")).await.expect(201);
    assert_eq!(r.body["tax_rate_bp"], 1000, "PB1/PBJT, not VAT");
    assert_eq!(r.body["cash_rounding_step"], 0);
    assert_eq!(r.body["kiosk_kitchen_release"], "on_place");
    assert!(r.body["tax_number"].is_null());
    let path = format!("/api/v1/outlets/{}", r.body["id"].as_str().unwrap());

    let bad = json!({"cash_rounding_step": 250, "tax_number": "x".repeat(41), "kiosk_kitchen_release": "later"});
    let r = app.patch(&path, &t.token, bad).await.expect(422);
    assert!(r.body["errors"]["kiosk_kitchen_release"].is_array(), "{}", r.text);
    let r =
        app.patch(&path, &t.token, json!({"cash_rounding_step": 250, "tax_number": "x".repeat(41)})).await.expect(422);
    assert_eq!(r.body["error_codes"]["cash_rounding_step"][0]["code"], "cash_rounding_step_invalid", "{}", r.text);
    assert!(r.body["errors"]["tax_number"].is_array());

    let set =
        json!({"cash_rounding_step": 500, "tax_number": " 01.234.567.8-012.000 ", "kiosk_kitchen_release": "on_paid"});
    let r = app.patch(&path, &t.token, set).await.expect(200);
    assert_eq!(r.body["cash_rounding_step"], 500);
    assert_eq!(r.body["tax_number"], "01.234.567.8-012.000");
    assert_eq!(r.body["kiosk_kitchen_release"], "on_paid");
    let r = app.patch(&path, &t.token, json!({"is_open": false})).await.expect(200);
    assert_eq!(
        (r.body["cash_rounding_step"].as_i64(), r.body["tax_number"].as_str()),
        (Some(500), Some("01.234.567.8-012.000")),
        "absent fields stay"
    );
    let r = app.patch(&path, &t.token, json!({"tax_number": ""})).await.expect(200);
    assert!(r.body["tax_number"].is_null(), "an empty tax number clears it");
}
