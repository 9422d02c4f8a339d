//! Every refusal carries a stable code and its parameters, next to the
//! English old clients read: validation fields, the framework's own errors
//! (404, 405, 400, 413, 415), conflicts, rate limits, order intake and the
//! per-order results of `sync/push`.

use chrono::{Duration, Utc};
use pos_tests::{Reply, TestApp, plain_menu_item};
use pos_wire::{Code, CodedError, Locale, Problem};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// The problem document of `r`, checked to be one.
#[track_caller]
fn problem(r: &Reply) -> Problem {
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text);
    let p: Problem = r.json();
    assert_eq!(p.status, r.status.as_u16());
    p
}

/// The codes of `field`, and that the English `errors` say the same, entry for entry.
#[track_caller]
fn field_codes(p: &Problem, field: &str) -> Vec<CodedError> {
    let codes = p.error_codes.get(field).cloned().unwrap_or_else(|| panic!("no codes for {field}: {p:?}"));
    let english: Vec<String> = codes.iter().map(ToString::to_string).collect();
    assert_eq!(p.errors[field], english, "`errors` keeps the English of each code");
    codes
}

#[tokio::test]
async fn validation_errors_carry_a_code_per_field_next_to_the_english() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let long = "x".repeat(121);
    let r = app
        .post(
            "/api/v1/outlets",
            Some(&t.token),
            json!({"name": long, "tax_rate_bp": 20000, "timezone": "Mars/Olympus"}),
        )
        .await
        .expect(422);
    let p = problem(&r);
    assert_eq!(p.code, Some(Code::ValidationFailed));
    assert_eq!(p.detail.as_deref(), Some("Some fields are not valid."), "detail stays");
    assert_eq!(field_codes(&p, "name"), [CodedError::too_long(120)]);
    assert_eq!(r.body["error_codes"]["name"], json!([{"code": "too_long", "params": {"max": 120}}]));
    assert_eq!(p.errors["name"], ["must be at most 120 characters"]);
    assert_eq!(field_codes(&p, "tax_rate_bp")[0].code, Code::BasisPointsOutOfRange);
    assert_eq!(field_codes(&p, "timezone")[0].code, Code::TimezoneUnknown);
    // The client's translation of the same document.
    let id = p.field_messages(Locale::Id);
    assert_eq!(id["name"], ["paling banyak 120 karakter"]);
    assert_eq!(id["tax_rate_bp"], ["harus antara 0% dan 100%"]);

    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": "  "})).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "name"), [CodedError::new(Code::Required)]);
    // Unique names: the same shape, its own code.
    app.create_outlet(&t.token, "Main").await;
    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": "Main"})).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "name")[0].code, Code::OutletNameTaken);
}

#[tokio::test]
async fn the_frameworks_own_refusals_carry_codes() {
    let app = TestApp::spawn_with(|s| s.json_body_limit = 1024).await;
    let t = app.signup().await;

    let r = app.get("/api/v1/no-such-thing", &t.token).await.expect(404);
    assert_eq!(problem(&r).code, Some(Code::NotFound));
    let r = app.get(&format!("/api/v1/outlets/{}", Uuid::now_v7()), &t.token).await.expect(404);
    assert_eq!(problem(&r).code, Some(Code::NotFound));
    let r = app.call(Method::PUT, "/api/v1/outlets", Some(&t.token), Some(json!({}))).await.expect(405);
    assert_eq!(problem(&r).code, Some(Code::MethodNotAllowed));

    let raw = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/outlets"))
            .bearer_auth(&t.token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let r = TestApp::read(raw("{not json", "application/json").await.unwrap()).await.expect(400);
    let p = problem(&r);
    assert_eq!(p.code, Some(Code::JsonInvalid));
    assert!(p.params["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p:?}");
    let r = TestApp::read(raw("name=x", "application/x-www-form-urlencoded").await.unwrap()).await.expect(415);
    assert_eq!(problem(&r).code, Some(Code::UnsupportedMediaType));

    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"address": "Jl. Sudirman"})).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "name")[0].code, Code::MissingField);
    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": "A", "evil": 1})).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "evil")[0].code, Code::UnknownField);
    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": "A", "tax_rate_bp": "lots"})).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "tax_rate_bp")[0].code, Code::InvalidValue);
    let r = app.get("/api/v1/outlets?limit=lots", &t.token).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "query")[0].code, Code::InvalidValue);
    let r = app.get("/api/v1/outlets?limit=0", &t.token).await.expect(422);
    assert_eq!(field_codes(&problem(&r), "limit"), [CodedError::out_of_range(1, 200)]);

    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": "x".repeat(2000)})).await.expect(413);
    let p = problem(&r);
    assert_eq!(p.coded(), Some(CodedError::payload_too_large(1024)));
    assert_eq!(p.detail.as_deref(), Some("The request body is larger than 1024 bytes."));

    let r = app.call(Method::GET, "/api/v1/outlets", None, None).await.expect(401);
    assert_eq!(problem(&r).code, Some(Code::BearerTokenRequired));
    let r = app.get("/api/v1/outlets", "not-a-token").await.expect(401);
    assert_eq!(problem(&r).code, Some(Code::TokenInvalid));
}

#[tokio::test]
async fn conflicts_and_refusals_of_roles_carry_codes_and_parameters() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = plain_menu_item(&app, &t.token, "Teh", 5_000, None).await;
    let category = app.get(&format!("/api/v1/menu-items/{item}"), &t.token).await.expect(200).body["category_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.delete(&format!("/api/v1/categories/{category}"), &t.token).await.expect(409);
    let p = problem(&r);
    assert_eq!(p.code, Some(Code::CategoryHasItems));
    assert_eq!(p.detail.as_deref(), Some("this category still has items: move or delete them first"));

    let order = json!({"client_order_id": Uuid::now_v7(), "outlet_id": outlet, "channel": "counter",
                       "created_at_client": Utc::now(), "items": [{"menu_item_id": item, "qty": 1}]});
    let id =
        app.post("/api/v1/orders", Some(&t.token), order).await.expect(201).body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/orders/{id}/status");
    app.post(&path, Some(&t.token), json!({"status": "cancelled", "reason": "test"})).await.expect(200);
    let r = app.post(&path, Some(&t.token), json!({"status": "ready"})).await.expect(409);
    let p = problem(&r);
    assert_eq!(p.coded(), Some(CodedError::status_transition("cancelled", "ready")));
    assert_eq!(p.detail.as_deref(), Some("an order that is cancelled cannot become ready"));
    assert_eq!(p.message(Locale::Id), "pesanan berstatus dibatalkan tidak dapat menjadi siap");

    let (_, kitchen) = app.create_staff(&t.token, "kitchen", &[outlet]).await;
    let r = app.post("/api/v1/outlets", Some(&kitchen), json!({"name": "Mine"})).await.expect(403);
    assert_eq!(problem(&r).code, Some(Code::RoleNotAllowed));
    let r = app.delete(&format!("/api/v1/users/{}", t.owner_id), &t.token).await.expect(409);
    assert_eq!(problem(&r).code, Some(Code::CannotDeleteSelf));
}

#[tokio::test]
async fn rate_limits_say_when_to_retry_in_the_code_too() {
    let app = TestApp::spawn_with(|s| {
        s.login_limit_per_account = 2;
    })
    .await;
    let t = app.signup().await;
    let wrong = json!({"email": t.email, "password": "not the password"});
    let r = app.post("/api/v1/auth/login", None, wrong.clone()).await.expect(401);
    assert_eq!(problem(&r).code, Some(Code::WrongCredentials));
    app.post("/api/v1/auth/login", None, wrong.clone()).await.expect(401);
    let r = app.post("/api/v1/auth/login", None, wrong).await.expect(429);
    let p = problem(&r);
    assert_eq!(p.code, Some(Code::RateLimited));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(p.params["retry_after_secs"], json!(retry), "the header and the parameter agree");
    assert!(p.message(Locale::Id).contains(&format!("{retry} detik")), "{}", p.message(Locale::Id));
}

/// A brand with one outlet selling Pisang Goreng (18,000), a paired kiosk and the owner's token.
struct Shop {
    app: TestApp,
    owner: String,
    outlet: Uuid,
    snack: Uuid,
    device: Uuid,
    kiosk: String,
}

async fn shop() -> Shop {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let snack = plain_menu_item(&app, &t.token, "Pisang Goreng", 18_000, None).await;
    let (device, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    Shop { app, owner: t.token, outlet, snack, device, kiosk }
}

impl Shop {
    fn kiosk_order(&self, line: Value) -> Value {
        json!({"client_order_id": Uuid::now_v7(), "outlet_id": self.outlet, "channel": "kiosk",
               "created_at_client": Utc::now(), "items": [line]})
    }
}

#[tokio::test]
async fn order_refusals_name_the_line_and_why() {
    let s = &shop().await;
    let place = |line: Value| async move {
        let r = s.app.post("/api/v1/orders", Some(&s.kiosk), s.kiosk_order(line)).await.expect(422);
        problem(&r)
    };
    let p = place(json!({"menu_item_id": s.snack, "qty": 100})).await;
    assert_eq!(field_codes(&p, "items[0].qty"), [CodedError::qty_out_of_range(1, 99)]);
    let p = place(json!({"menu_item_id": s.snack, "qty": 1, "shown_unit_price_minor": 15_000})).await;
    assert_eq!(field_codes(&p, "items[0].shown_unit_price_minor"), [CodedError::price_changed(18_000, 15_000)]);
    assert_eq!(
        p.field_messages(Locale::Id)["items[0].shown_unit_price_minor"],
        ["harganya sekarang 18000, bukan 15000"]
    );
    let p = place(json!({"menu_item_id": Uuid::now_v7(), "qty": 1})).await;
    assert_eq!(field_codes(&p, "items[0].menu_item_id")[0].code, Code::ItemNotFound);

    let override_path = format!("/api/v1/outlets/{}/menu-items/{}", s.outlet, s.snack);
    s.app.patch(&override_path, &s.owner, json!({"available": false})).await.expect(200);
    let p = place(json!({"menu_item_id": s.snack, "qty": 1})).await;
    assert_eq!(field_codes(&p, "items[0].menu_item_id")[0].code, Code::ItemSoldOut);
    assert_eq!(p.errors["items[0].menu_item_id"], ["this item is sold out"], "old kiosks read the same words");
    assert_eq!(p.field_messages(Locale::Id)["items[0].menu_item_id"], ["item ini sedang habis"]);

    s.app.patch(&override_path, &s.owner, json!({"available": true})).await.expect(200);
    s.app.patch(&format!("/api/v1/outlets/{}", s.outlet), &s.owner, json!({"is_open": false})).await.expect(200);
    let p = place(json!({"menu_item_id": s.snack, "qty": 1})).await;
    assert_eq!(field_codes(&p, "outlet_id")[0].code, Code::OutletClosed);
    let orders = s.app.get("/api/v1/orders", &s.owner).await.expect(200);
    assert_eq!(orders.body["items"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn sync_push_rejections_carry_codes_per_order() {
    let s = shop().await;
    let good = s.kiosk_order(json!({"menu_item_id": s.snack, "qty": 1, "shown_unit_price_minor": 18_000}));
    let bad_qty = s.kiosk_order(json!({"menu_item_id": s.snack, "qty": 0}));
    // A price the item never had (a tampered tablet).
    let free = s.kiosk_order(json!({"menu_item_id": s.snack, "qty": 1, "shown_unit_price_minor": 0}));
    let too_old = {
        let mut o = s.kiosk_order(json!({"menu_item_id": s.snack, "qty": 1}));
        o["created_at_client"] = json!(Utc::now() - Duration::days(10));
        o
    };
    let malformed = json!({"client_order_id": Uuid::now_v7(), "items": "nope"});
    let mut conflicting = good.clone();
    conflicting["items"][0]["qty"] = json!(2);
    let batch = json!({"device_id": s.device, "orders": [good, bad_qty, free, too_old, malformed, conflicting]});
    let r = s.app.post("/api/v1/sync/push", Some(&s.kiosk), batch).await.expect(200);
    let results = r.body["results"].as_array().unwrap();
    let outcomes: Vec<&str> = results.iter().map(|x| x["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["created", "rejected", "rejected", "rejected", "rejected", "conflict"]);
    let error = |i: usize| -> Problem { serde_json::from_value(results[i]["error"].clone()).unwrap() };

    let p = error(1);
    assert_eq!(p.code, Some(Code::ValidationFailed));
    assert_eq!(field_codes(&p, "items[0].qty"), [CodedError::qty_out_of_range(1, 99)]);
    assert!(p.detail.as_deref().unwrap().starts_with("Not accepted: items[0].qty:"), "{p:?}");

    let p = error(2);
    assert_eq!(
        field_codes(&p, "items[0].shown_unit_price_minor"),
        [CodedError::price_not_offered("Pisang Goreng", 0, 72)]
    );
    assert!(p.field_messages(Locale::Id)["items[0].shown_unit_price_minor"][0].contains("tidak pernah berharga 0"));

    assert_eq!(field_codes(&error(3), "created_at_client"), [CodedError::order_too_old(72)]);
    assert_eq!(field_codes(&error(4), "items")[0].code, Code::InvalidValue);
    assert_eq!(error(5).code, Some(Code::ClientOrderIdReused));

    let r = s.app.post("/api/v1/sync/push", Some(&s.owner), json!({"device_id": s.device, "orders": []})).await;
    assert_eq!(problem(&r.expect(403)).code, Some(Code::PushDeviceTokensOnly));
}

#[tokio::test]
async fn the_openapi_document_lists_every_code_and_the_problem_shape() {
    let app = TestApp::spawn().await;
    let r = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    let doc: Value = r.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let listed: Vec<&str> = schemas["Code"]["enum"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all);
    let description = schemas["Code"]["description"].as_str().unwrap();
    assert!(description.contains("- `price_not_offered` (item, shown_minor, window_hours):"), "{description}");
    for field in ["code", "params", "error_codes", "errors", "detail"] {
        assert!(schemas["Problem"]["properties"].get(field).is_some(), "Problem.{field}");
    }
    assert_eq!(schemas["CodedError"]["properties"]["code"]["$ref"], "#/components/schemas/Code");
}
