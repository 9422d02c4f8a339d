//! Test support: spawns the real server (API and admin) on a random port
//! against the database the test command prepared, and gives per-endpoint
//! helpers. Each test signs up its own tenants, so tests are independent and
//! run in parallel on one fresh database.

pub mod fixtures;
pub mod paying;

use std::net::TcpListener;

use actix_web::web;
use pos_backend::{config::Settings, startup, state::AppState};
use pos_wire::{Channel, CreateMenuItem, CreateOrder, DeviceKind, Role};
use reqwest::{Method, StatusCode};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery";
/// The server key the tests' gateway stand-ins and servers share.
pub const GATEWAY_KEY: &str = "SB-Mid-server-test-key";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: web::Data<AppState>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A signed-up tenant and its owner's tokens.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub tenant_id: Uuid,
    pub owner_id: Uuid,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with settings from the environment, adjusted by `adjust`;
    /// without a payment gateway (see [`TestApp::spawn_with_gateway`]).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        Self::spawn_on(TcpListener::bind("127.0.0.1:0").unwrap(), |s| {
            s.midtrans_base_url = None;
            s.midtrans_server_key = None;
            adjust(s);
        })
        .await
    }

    /// Spawns with a payment gateway stand-in of its own (in this process),
    /// which sends its notifications to this server's webhook; returns the
    /// app and the stand-in's base URL.
    pub async fn spawn_with_gateway(adjust: impl FnOnce(&mut Settings)) -> (TestApp, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let webhook = format!("http://{}/api/v1/payments/webhooks/midtrans", listener.local_addr().unwrap());
        let mut config = pos_gateway_standin::Config::new(GATEWAY_KEY);
        config.notification_url = Some(webhook.clone());
        config.retry_base = std::time::Duration::from_millis(200);
        let standin = pos_gateway_standin::spawn(config).expect("the gateway stand-in");
        let base = standin.clone();
        let app = Self::spawn_on(listener, move |s| {
            s.midtrans_base_url = Some(base);
            s.midtrans_server_key = Some(pos_backend::config::Secret::new(GATEWAY_KEY.into()));
            s.payment_notification_url = Some(webhook);
            adjust(s);
        })
        .await;
        (app, standin)
    }

    async fn spawn_on(listener: TcpListener, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        pos_backend::telemetry::init(false);
        let mut settings = Settings::from_env().expect("settings from the environment");
        // Every test logs in and pairs from 127.0.0.1: limits are tested on their own.
        settings.login_limit_per_ip = 1_000_000;
        settings.login_limit_per_account = 1_000;
        settings.pair_limit_per_ip = 1_000_000;
        settings.pair_limit_global = 1_000_000;
        // Test servers share one database but not one gateway: a job on one
        // would settle another test's charges with the wrong gateway. Tests
        // run the job themselves, for their own tenant.
        settings.payment_reconcile_interval = std::time::Duration::from_secs(24 * 3600);
        // Likewise for mail: tests send their own tenant's (see `deliver_mail`).
        settings.smtp_url = None;
        adjust(&mut settings);
        let state = startup::build_state(settings).await.expect("state (is the test database up?)");
        let port = listener.local_addr().unwrap().port();
        let server = startup::server(state.clone(), listener, pos_web_admin::MOUNT).unwrap();
        tokio::spawn(server);
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            state,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `method path` with an optional bearer token and JSON body.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::read(req.send().await.expect("request sent")).await
    }

    pub async fn read(res: reqwest::Response) -> Reply {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, body, text }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    /// `body` is a pos-wire request type (see [`fixtures`]), or `json!` for
    /// what a well-behaved client would never send.
    pub async fn post(&self, path: &str, token: Option<&str>, body: impl Serialize) -> Reply {
        self.call(Method::POST, path, token, Some(as_json(body))).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: impl Serialize) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(as_json(body))).await
    }

    pub async fn put(&self, path: &str, token: &str, body: impl Serialize) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(as_json(body))).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Signs up a new brand with a unique owner email.
    pub async fn signup(&self) -> Tenant {
        let email = format!("owner-{}@test.example", Uuid::now_v7().simple());
        let r = self.post("/api/v1/auth/signup", None, fixtures::signup(&email, PASSWORD)).await.expect(201);
        Tenant {
            tenant_id: r.body["tenant_id"].as_str().unwrap().parse().unwrap(),
            owner_id: r.body["user_id"].as_str().unwrap().parse().unwrap(),
            email,
            token: r.body["access_token"].as_str().unwrap().into(),
            refresh_token: r.body["refresh_token"].as_str().unwrap().into(),
        }
    }

    pub async fn create_outlet(&self, token: &str, name: &str) -> Uuid {
        let r = self.post("/api/v1/outlets", Some(token), fixtures::outlet(name)).await.expect(201);
        r.body["id"].as_str().unwrap().parse().unwrap()
    }

    /// Creates a staff member and logs them in; returns (user id, access token).
    pub async fn create_staff(&self, token: &str, role: &str, outlets: &[Uuid]) -> (Uuid, String) {
        let email = format!("{role}-{}@test.example", Uuid::now_v7().simple());
        let body = fixtures::user(&email, role, Role::parse(role).expect("a role"), outlets);
        let r = self.post("/api/v1/users", Some(token), body).await.expect(201);
        let id = r.body["id"].as_str().unwrap().parse().unwrap();
        (id, self.login(&email).await["access_token"].as_str().unwrap().to_string())
    }

    pub async fn login(&self, email: &str) -> Value {
        self.post("/api/v1/auth/login", None, fixtures::login(email, PASSWORD)).await.expect(200).body
    }

    /// Signs in through the admin's login form (see [`admin_sign_in`]).
    pub async fn admin_sign_in(&self, email: &str, password: &str) -> Result<String, Reply> {
        admin_sign_in(&self.client, &self.base, email, password).await
    }

    /// Creates and pairs a device; returns (device id, device token).
    pub async fn pair_device(&self, token: &str, outlet: Uuid, kind: &str) -> (Uuid, String) {
        let kind = DeviceKind::parse(kind).expect("a device kind");
        let code = self
            .post(&format!("/api/v1/outlets/{outlet}/devices"), Some(token), fixtures::device(kind, "Tablet"))
            .await
            .expect(201);
        let pairing = fixtures::pairing(code.body["pairing_code"].as_str().unwrap());
        let r = self.post("/api/v1/devices/pair", None, pairing).await.expect(200);
        (r.body["device_id"].as_str().unwrap().parse().unwrap(), r.body["device_token"].as_str().unwrap().into())
    }

    /// A transaction of the app role scoped to all of `tenant_id`, for
    /// looking at (or changing) what the API does not show.
    pub async fn tenant_tx(&self, tenant_id: Uuid) -> pos_backend::db::ScopedTx {
        use pos_backend::db::{OutletScope, PrincipalId};
        self.state.db.begin_scoped(tenant_id, OutletScope::All, PrincipalId::System).await.expect("scoped transaction")
    }

    /// A direct connection as the app role (RLS applies), for SQL-level tests.
    pub async fn app_role_connection(&self) -> sea_orm::DatabaseConnection {
        let url = std::env::var("POS_DATABASE_URL").expect("POS_DATABASE_URL");
        sea_orm::Database::connect(url).await.expect("connect as app role")
    }
}

fn as_json(body: impl Serialize) -> Value {
    serde_json::to_value(body).expect("a request body as JSON")
}

/// Creates a category (with a kitchen `station`, if given) and an item
/// without options in it; returns the item id.
pub async fn plain_menu_item(app: &TestApp, token: &str, name: &str, price: i64, station: Option<&str>) -> Uuid {
    item_in_new_category(app, token, station, fixtures::item(Uuid::nil(), name, price)).await
}

/// Creates a category named after the item, then the item (`item` is its
/// body, its category left to fill in); returns the item id.
async fn item_in_new_category(app: &TestApp, token: &str, station: Option<&str>, mut item: CreateMenuItem) -> Uuid {
    let name = format!("{} {}", item.name, Uuid::now_v7().simple());
    let cat = app.post("/api/v1/categories", Some(token), fixtures::category(&name, station)).await.expect(201);
    item.category_id = cat.body["id"].as_str().unwrap().parse().unwrap();
    let r = app.post("/api/v1/menu-items", Some(token), item).await.expect(201);
    r.body["id"].as_str().unwrap().parse().unwrap()
}

/// Whether the row `id` of `table` (`admin_sessions` by its user, `devices`
/// by its id) was last used more than half an hour ago, as `tx` sees it.
pub async fn last_use_is_stale(tx: &pos_backend::db::ScopedTx, table: &str, id: Uuid) -> bool {
    let key = if table == "admin_sessions" { "user_id" } else { "id" };
    let sql = format!("SELECT (now() - last_seen_at > interval '30 minutes') AS stale FROM {table} WHERE {key} = $1");
    let rows = tx.query_raw(&sql, [id.into()]).await.expect("query");
    pos_backend::db::opt_row(&rows, "stale").expect("stale").expect("the row")
}

/// Scopes the transaction `c` to `tenant` (every outlet), as the server does.
pub async fn scope_to<C: sea_orm::ConnectionTrait>(c: &C, tenant: Uuid) {
    c.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.outlet_ids', '*', true)",
        [tenant.to_string().into()],
    ))
    .await
    .unwrap();
}

/// Moves a brand's price history back by `by`, as if every price it has had
/// so far had been set that long ago (the test cannot wait days). Through
/// the owner's connection: the server's role cannot write price history.
pub async fn backdate_prices(tenant_id: Uuid, by: chrono::Duration) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
    let url = std::env::var("POS_OWNER_DATABASE_URL").expect("POS_OWNER_DATABASE_URL");
    let owner = sea_orm::Database::connect(url).await.expect("connect as owner");
    let tx = owner.begin().await.unwrap();
    scope_to(&tx, tenant_id).await;
    for table in ["item_price_history", "outlet_price_history"] {
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "UPDATE {table} SET valid_from = valid_from - make_interval(secs => $1), \
                                    valid_to = valid_to - make_interval(secs => $1)"
            ),
            [(by.num_seconds() as f64).into()],
        ))
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Signs in at `base` through the admin's login form, as a browser does (the
/// form's CSRF cookie and token included); returns the `Cookie` header value
/// of the session, or the refused response. `client` must not follow redirects.
pub async fn admin_sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> Result<String, Reply> {
    let form = client.get(format!("{base}/admin/login")).send().await.unwrap();
    let seed = set_cookie(&form, pos_web_admin::LOGIN_COOKIE).expect("the login form sets its CSRF cookie");
    let token = csrf_field(&form.text().await.unwrap()).expect("the login form carries a CSRF token");
    let res = client
        .post(format!("{base}/admin/login"))
        .header("cookie", seed)
        .form(&[("email", email), ("password", password), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    match set_cookie(&res, pos_backend::auth::admin_session::COOKIE) {
        Some(session) if res.status() == 303 => Ok(session),
        _ => Err(TestApp::read(res).await),
    }
}

/// The value of the first `csrf_token` field of an admin page.
pub fn csrf_field(html: &str) -> Option<String> {
    html.split("name=\"csrf_token\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).map(str::to_string)
}

/// `name=value` of the cookie `name` that `res` sets, if it does.
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.split_once('=').is_some_and(|(n, v)| n == name && !v.is_empty()))
        .map(str::to_string)
}

/// The ids of a list response's items.
pub fn ids(reply: &Reply) -> Vec<Uuid> {
    reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", reply.text))
        .iter()
        .map(|i| i["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// Creates a category (named after the item) and an item in it at 25,000
/// with a required Size group (Regular +0, Large +5,000); returns the item id.
pub async fn menu_item(app: &TestApp, token: &str, name: &str) -> Uuid {
    let item =
        CreateMenuItem { modifier_groups: vec![fixtures::size_group()], ..fixtures::item(Uuid::nil(), name, 25000) };
    item_in_new_category(app, token, None, item).await
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct SseEvent {
    /// The stream's last event ID once this event has arrived, as a
    /// browser's `lastEventId` (an event without `id:` leaves it as it was);
    /// None until the server has sent one.
    pub id: Option<String>,
    pub event: String,
    pub data: Value,
}

type EventStream = std::pin::Pin<
    Box<
        dyn futures_util::Stream<
                Item = Result<eventsource_stream::Event, eventsource_stream::EventStreamError<reqwest::Error>>,
            > + Send,
    >,
>;

/// An SSE client over reqwest (parsing by `eventsource-stream`), for tests.
pub struct SseClient {
    events: EventStream,
    headers: reqwest::header::HeaderMap,
    /// The server ended the stream (or the connection broke).
    ended: bool,
}

impl SseClient {
    /// Connects to `url` with a bearer token and optional `Last-Event-ID`.
    pub async fn connect(url: &str, token: &str, last_event_id: Option<i64>) -> SseClient {
        let mut req = reqwest::Client::new().get(url).bearer_auth(token);
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        Self::open(req).await
    }

    /// Connects with `req` as built (a query token, a cookie...); asserts a 200 stream.
    pub async fn open(req: reqwest::RequestBuilder) -> SseClient {
        Self::try_open(req).await.unwrap_or_else(|why| panic!("SSE status: not a 200 event stream: {why}"))
    }

    /// Connects with `req`, as a device that retries does: the stream, or
    /// why there is none (no answer, or an answer that is not a stream).
    pub async fn try_open(req: reqwest::RequestBuilder) -> Result<SseClient, String> {
        let response = req.header("accept", "text/event-stream").send().await.map_err(|e| e.to_string())?;
        let is_stream = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        if response.status() != 200 || !is_stream {
            return Err(format!("{}: {}", response.status(), response.text().await.unwrap_or_default()));
        }
        Ok(SseClient::of(response))
    }

    /// Reads the events of a stream already answered.
    pub fn of(response: reqwest::Response) -> SseClient {
        use eventsource_stream::Eventsource;
        let headers = response.headers().clone();
        SseClient { events: Box::pin(response.bytes_stream().eventsource()), headers, ended: false }
    }

    /// A header of the stream's response.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// True once the stream has ended (as [`SseClient::next`] found).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// True when the server ends the stream within `wait` (whatever it
    /// sends before), false when it is still open then.
    pub async fn closed_within(&mut self, wait: std::time::Duration) -> bool {
        use futures_util::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.events.next()).await {
                Err(_) => return false,
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_)) | None) => return true,
            }
        }
    }

    /// The next event (comments skipped), or None when `wait` passes first or the stream ends.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<SseEvent> {
        use futures_util::StreamExt;
        match tokio::time::timeout(wait, self.events.next()).await {
            Err(_) => None,
            Ok(Some(Ok(e))) => {
                let data = serde_json::from_str(&e.data).unwrap_or(Value::String(e.data));
                Some(SseEvent { id: Some(e.id).filter(|id| !id.is_empty()), event: e.event, data })
            }
            Ok(Some(Err(_)) | None) => {
                self.ended = true;
                None
            }
        }
    }

    /// The (sequence, pickup number) of the next `order.created` events, up
    /// to `n`, each waited for at most `wait`; other events are skipped.
    pub async fn created_numbers(&mut self, n: usize, wait: std::time::Duration) -> Vec<(i64, String)> {
        let mut out = Vec::new();
        while out.len() < n {
            let Some(e) = self.next(wait).await else { break };
            if e.event == "order.created" {
                out.push((e.id.unwrap().parse().unwrap(), e.data["number"].as_str().unwrap().to_string()));
            }
        }
        out
    }

    /// Every event until `wait` passes with nothing new.
    pub async fn drain(&mut self, wait: std::time::Duration) -> Vec<SseEvent> {
        let mut out = Vec::new();
        while let Some(e) = self.next(wait).await {
            out.push(e);
        }
        out
    }
}

/// A counter order body for `item` with the first option of each required group.
pub async fn order_body(app: &TestApp, token: &str, outlet: Uuid, item: Uuid, qty: i32) -> CreateOrder {
    let detail: pos_wire::MenuItem = app.get(&format!("/api/v1/menu-items/{item}"), token).await.expect(200).json();
    let options: Vec<Uuid> =
        detail.modifier_groups.iter().filter(|g| g.min > 0).filter_map(|g| g.options[0].id).collect();
    fixtures::counter_order(outlet, vec![fixtures::line_with(item, qty, &options)])
}

/// `n` kiosk orders made from `template` (an [`order_body`]), each with a
/// fresh `client_order_id` and the kiosk's own pickup number `K1-1`...
pub fn kiosk_orders(template: &CreateOrder, n: usize) -> Vec<CreateOrder> {
    (1..=n)
        .map(|i| CreateOrder {
            client_order_id: Uuid::now_v7(),
            channel: Channel::Kiosk,
            number: Some(format!("K1-{i}")),
            ..template.clone()
        })
        .collect()
}

/// A `pos-server serve` child process on a free port, killed on drop.
pub struct ServerProcess {
    pub base: String,
    child: std::process::Child,
    /// Its standard output, line by line, when started with [`ServerProcess::start_logged`].
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// A free loopback port for a child process to bind later. Not one the
/// kernel hands out itself (to a listener on port 0, or to an outgoing
/// connection): between this check and the child's bind, the run's other
/// suites, connecting all the time, may be given that very port ("Address
/// already in use"). So: a port at random below the kernel's ephemeral
/// range, where it never lands on its own, checked free by binding it.
pub fn free_port() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let below = ephemeral_ports_from().max(FIXED_PORTS_FROM + 1_000);
    for _ in 0..100 {
        let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
        let port = FIXED_PORTS_FROM + (random % u64::from(below - FIXED_PORTS_FROM)) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Where [`free_port`] starts: above the ports services usually claim.
const FIXED_PORTS_FROM: u16 = 20_000;

/// The first port of the kernel's ephemeral range (Linux's default 32768
/// when it cannot be read).
fn ephemeral_ports_from() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .unwrap_or(32_768)
}

/// The `pos-server` binary built next to the running test.
pub fn pos_server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(|d| d.parent()).unwrap().join("pos-server");
    assert!(bin.exists(), "{} is missing: build the workspace first", bin.display());
    bin
}

/// Waits (up to 10 s) for `/healthz` at `base` to answer 200.
pub async fn wait_until_up(base: &str) -> bool {
    for _ in 0..100 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

impl ServerProcess {
    /// The `pos-server` binary built next to this test.
    pub fn binary() -> std::path::PathBuf {
        pos_server_binary()
    }

    /// Starts the server binary built next to this test, with extra environment.
    pub async fn start(env: &[(&str, String)]) -> ServerProcess {
        Self::spawn(env, false).await
    }

    /// [`ServerProcess::start`], keeping what it writes to standard output (its log).
    pub async fn start_logged(env: &[(&str, String)]) -> ServerProcess {
        Self::spawn(env, true).await
    }

    /// The lines of its log so far (with [`ServerProcess::start_logged`]).
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    async fn spawn(env: &[(&str, String)], keep_log: bool) -> ServerProcess {
        let port = free_port();
        let mut cmd = std::process::Command::new(Self::binary());
        cmd.arg("serve").env("POS_BIND", format!("127.0.0.1:{port}")).env("POS_LOG", "warn");
        // The shared test database is every test's: a child's background jobs
        // (the mail worker, payment reconciliation) would take other tests'
        // mails and charges. A test that wants them sets them itself.
        cmd.env_remove("POS_SMTP_URL").env("POS_PAYMENT_RECONCILE_MS", "86400000");
        for (k, v) in env {
            cmd.env(k, v);
        }
        if keep_log {
            cmd.stdout(std::process::Stdio::piped());
        }
        let base = format!("http://127.0.0.1:{port}");
        // Owned at once, so every path (a panic included) kills and reaps it.
        let mut server = ServerProcess {
            base: base.clone(),
            child: cmd.spawn().expect("start pos-server"),
            log: Default::default(),
        };
        if let Some(stdout) = server.child.stdout.take() {
            let log = server.log.clone();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line);
                }
            });
        }
        assert!(wait_until_up(&base).await, "pos-server did not come up on {base}");
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private `redis-server` on a free port that a test can stop and start.
pub struct RedisProcess {
    pub port: u16,
    child: Option<std::process::Child>,
}

impl RedisProcess {
    pub async fn start() -> RedisProcess {
        let mut r = RedisProcess { port: free_port(), child: None };
        r.restart().await;
        r
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub async fn restart(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string(), "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server (apt-get install redis-server)");
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("redis-server did not start");
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for RedisProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Sends the due mails of `tenant` through the SMTP server of the
/// environment (`POS_SMTP_URL`, the test command's sink), as the worker of
/// a server would; returns what it did.
pub async fn deliver_mail(app: &TestApp, tenant: Uuid) -> pos_backend::email::worker::Round {
    let settings = Settings::from_env().expect("settings");
    let mailer = pos_backend::email::transport::Mailer::from_settings(&settings)
        .expect("POS_SMTP_URL")
        .expect("POS_SMTP_URL (the test command starts an SMTP sink)");
    pos_backend::email::worker::send_due_for(&app.state, &mailer, Some(tenant)).await.expect("send the due mails")
}
