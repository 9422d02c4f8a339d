use pos_tests::{PASSWORD, TestApp, fixtures, ids};
use pos_wire::{CreateUser, Locale, Role, UpdateOutlet, UpdateUser};
use serde_json::json;
use uuid::Uuid;

fn email() -> String {
    format!("staff-{}@test.example", Uuid::now_v7().simple())
}

#[tokio::test]
async fn owners_manage_staff_with_validation() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let a = app.create_outlet(&t.token, "A").await;

    let r = app
        .post("/api/v1/users", Some(&t.token), json!({"email": "bad", "name": "", "password": "x", "role": "cashier"}))
        .await
        .expect(422);
    for f in ["email", "name", "password", "outlet_ids"] {
        assert!(r.body["errors"][f].is_array(), "{f}: {}", r.text);
    }
    let r = app
        .post(
            "/api/v1/users",
            Some(&t.token),
            json!({"email": email(), "name": "X", "password": PASSWORD, "role": "chef", "outlet_ids": [a]}),
        )
        .await
        .expect(422);
    assert!(r.body["errors"]["role"].is_array());
    let r = app
        .post("/api/v1/users", Some(&t.token), fixtures::user(&email(), "X", Role::Cashier, &[Uuid::now_v7()]))
        .await
        .expect(422);
    assert!(r.body["errors"]["outlet_ids"].is_array());

    let e = email();
    let r = app
        .post(
            "/api/v1/users",
            Some(&t.token),
            CreateUser { locale: Some(Locale::En), ..fixtures::user(&e, "Budi", Role::Cashier, &[a]) },
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["outlet_ids"], json!([a]));
    assert_eq!(r.body["locale"], "en");
    assert!(r.body.get("password_hash").is_none());
    let r = app
        .post("/api/v1/users", Some(&t.token), fixtures::user(&e.to_uppercase(), "Dup", Role::Cashier, &[a]))
        .await
        .expect(422);
    assert!(r.body["errors"]["email"].is_array(), "emails are unique per brand");

    // A password change ends the user's sessions.
    let session = app.login(&e).await;
    app.patch(&format!("/api/v1/users/{id}"), &t.token, fixtures::user_password("a brand new secret"))
        .await
        .expect(200);
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(session["refresh_token"].as_str().unwrap()))
        .await
        .expect(401);
    app.post("/api/v1/auth/login", None, fixtures::login(&e, "a brand new secret")).await.expect(200);

    app.delete(&format!("/api/v1/users/{id}"), &t.token).await.expect(204);
    app.get(&format!("/api/v1/users/{id}"), &t.token).await.expect(404);
}

#[tokio::test]
async fn the_last_owner_stays() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let r = app
        .patch(
            &format!("/api/v1/users/{}", t.owner_id),
            &t.token,
            UpdateUser { role: Some(Role::Manager), ..Default::default() },
        )
        .await
        .expect(422);
    assert!(r.body["errors"]["role"].is_array());
    app.delete(&format!("/api/v1/users/{}", t.owner_id), &t.token).await.expect(409);
    let r =
        app.patch(&format!("/api/v1/users/{}", t.owner_id), &t.token, fixtures::user_active(false)).await.expect(422);
    assert!(r.body["errors"]["active"].is_array());
}

#[tokio::test]
async fn managers_manage_their_outlets_crew_only() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let a = app.create_outlet(&t.token, "A").await;
    let b = app.create_outlet(&t.token, "B").await;
    let (manager_id, manager) = app.create_staff(&t.token, "manager", &[a]).await;
    let (b_cashier, _) = app.create_staff(&t.token, "cashier", &[b]).await;
    let (ab_cook, _) = app.create_staff(&t.token, "kitchen", &[a, b]).await;

    // Managers create cashiers and cooks for their outlets only.
    let r =
        app.post("/api/v1/users", Some(&manager), fixtures::user(&email(), "C", Role::Cashier, &[a])).await.expect(201);
    let a_cashier: Uuid = r.body["id"].as_str().unwrap().parse().unwrap();
    app.post("/api/v1/users", Some(&manager), fixtures::user(&email(), "C", Role::Cashier, &[b])).await.expect(422);
    app.post("/api/v1/users", Some(&manager), fixtures::user(&email(), "M", Role::Manager, &[a])).await.expect(403);
    app.post("/api/v1/users", Some(&manager), fixtures::user(&email(), "O", Role::Owner, &[])).await.expect(403);

    // They see themselves and people of their outlets, and only those memberships.
    let listed = app.get("/api/v1/users", &manager).await.expect(200);
    let seen = ids(&listed);
    assert!(seen.contains(&manager_id) && seen.contains(&a_cashier) && seen.contains(&ab_cook));
    assert!(!seen.contains(&b_cashier) && !seen.contains(&t.owner_id));
    let cook = listed.body["items"].as_array().unwrap().iter().find(|u| u["id"] == ab_cook.to_string()).unwrap();
    assert_eq!(cook["outlet_ids"], json!([a]), "a sibling outlet's membership stays hidden");
    app.get(&format!("/api/v1/users/{b_cashier}"), &manager).await.expect(404);
    let rename = UpdateUser { name: Some("X".into()), ..Default::default() };
    app.patch(&format!("/api/v1/users/{b_cashier}"), &manager, &rename).await.expect(404);
    app.delete(&format!("/api/v1/users/{b_cashier}"), &manager).await.expect(404);

    // The cook who also works at B is the manager's to see, not to change: a
    // new password, say, would hand them the cook's account at B as well.
    let cook = format!("/api/v1/users/{ab_cook}");
    for change in
        [rename, fixtures::user_password("taken over at B"), fixtures::user_active(false), fixtures::user_outlets(&[a])]
    {
        let r = app.patch(&cook, &manager, &change).await.expect(403);
        assert!(r.text.contains("outlets you do not manage"), "{change:?}: {}", r.text);
    }
    app.delete(&cook, &manager).await.expect(403);
    let owner_view = app.get(&cook, &t.token).await.expect(200);
    let mut expected = vec![a, b];
    expected.sort();
    assert_eq!(owner_view.body["outlet_ids"], json!(expected));
    assert_eq!(owner_view.body["name"], "kitchen");
    assert_eq!(owner_view.body["active"], true);
    app.login(owner_view.body["email"].as_str().unwrap()).await;
    // Once the owner keeps them at A only, they are the manager's.
    app.patch(&cook, &t.token, fixtures::user_outlets(&[a])).await.expect(200);
    app.patch(&cook, &manager, UpdateUser { name: Some("Koki A".into()), ..Default::default() }).await.expect(200);

    // No promotions by managers; cashiers and cooks get no staff admin.
    app.patch(
        &format!("/api/v1/users/{a_cashier}"),
        &manager,
        UpdateUser { role: Some(Role::Manager), ..Default::default() },
    )
    .await
    .expect(403);
    let (_, cashier) = app.create_staff(&t.token, "cashier", &[a]).await;
    app.get("/api/v1/users", &cashier).await.expect(403);
}

#[tokio::test]
async fn owners_read_the_audit_log() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let a = app.create_outlet(&t.token, "Audited").await;
    app.patch(
        &format!("/api/v1/outlets/{a}"),
        &t.token,
        UpdateOutlet { tax_rate_bp: Some(1050), ..Default::default() },
    )
    .await
    .expect(200);
    let log = app.get("/api/v1/audit-log", &t.token).await.expect(200);
    let first = &log.body["items"][0];
    assert_eq!(first["action"], "outlet.update");
    assert_eq!(first["actor_id"], t.owner_id.to_string());
    assert_eq!(first["before"]["tax_rate_bp"], 1000);
    assert_eq!(first["after"]["tax_rate_bp"], 1050);
    assert!(first["request_id"].is_string());
    let (_, manager) = app.create_staff(&t.token, "manager", &[a]).await;
    app.get("/api/v1/audit-log", &manager).await.expect(403);
}
