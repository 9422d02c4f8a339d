//! Support for the deployment tests (`main.rs`): the processes of the
//! production topology on loopback. PostgreSQL primaries and streaming hot
//! standbys, nginx running the product's site (`docker/nginx/pos-proxy.conf`
//! as shipped), and PgBouncer from Debian; plus the clients the tests drive
//! through them (kiosks that resend until an order is taken, kitchen
//! displays that reconnect with `Last-Event-ID`).

use std::{
    collections::BTreeSet,
    os::unix::process::CommandExt,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use pos_fault_tests::{Scratch, account, is_root};
use pos_tests::{SseClient, free_port, pos_server_binary};
use serde_json::Value;

/// The repository (for the shipped nginx site and backup scripts).
pub const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const OWNER_PW: &str = "cluster_owner";
pub const APP_PW: &str = "cluster_app";

/// Runs `cmd` as the postgres OS user when we are root (PostgreSQL's
/// programs refuse root).
pub fn as_postgres(cmd: &mut Command) -> &mut Command {
    if is_root() {
        let (uid, gid) = account("postgres").expect("a postgres OS user");
        cmd.uid(uid).gid(gid);
    }
    cmd
}

/// Runs `cmd` to its end; its standard output, or a panic with everything it said.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    assert!(out.status.success(), "{cmd:?} failed: {}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// A scratch directory the postgres OS user owns.
pub fn postgres_scratch(name: &str) -> Scratch {
    let scratch = Scratch::new(name);
    if let Some((uid, gid)) = is_root().then(|| account("postgres").expect("a postgres OS user")) {
        std::os::unix::fs::chown(&scratch.0, Some(uid), Some(gid)).unwrap();
    }
    scratch
}

/// One PostgreSQL 15 server (a primary or a streaming standby) on a free
/// loopback port, stopped and removed on drop.
pub struct PgNode {
    pub port: u16,
    pub data: PathBuf,
    bin: PathBuf,
    scratch: Scratch,
}

impl PgNode {
    fn bin() -> PathBuf {
        let bin = PathBuf::from(std::env::var("PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into()));
        assert!(bin.join("initdb").exists(), "PostgreSQL 15 server binaries are missing in {}", bin.display());
        bin
    }

    fn program(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(name));
        as_postgres(&mut cmd);
        cmd
    }

    /// Where this node's scratch files may go (owned by postgres).
    pub fn scratch_path(&self, rel: &str) -> PathBuf {
        self.scratch.path(rel)
    }

    /// A new primary: the roles and a migrated `pos` database, replication
    /// allowed from loopback, and `conf` appended to its configuration.
    pub async fn primary(conf: &str) -> PgNode {
        let scratch = postgres_scratch("pg");
        let node = PgNode { port: free_port(), data: scratch.path("pgdata"), bin: Self::bin(), scratch };
        run(node.program("initdb").args(["-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256"]).args([
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-D",
            node.data.to_str().unwrap(),
        ]));
        // The superuser (tests, replication, backups) comes from loopback
        // without a password; the roles the server uses need theirs.
        let hba = "local all all trust\nlocal replication all trust\nhost all postgres 127.0.0.1/32 trust\n\
                   host replication postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n";
        std::fs::write(node.data.join("pg_hba.conf"), hba).unwrap();
        node.configure(&format!("fsync = off\nmax_connections = 150\nwal_keep_size = '256MB'\n{conf}"));
        node.start();
        let bootstrap = format!("{REPO}/migrations/sql/bootstrap-roles.sql");
        run(Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "db=pos"])
            .args(["-v", &format!("owner_pw={OWNER_PW}"), "-v", &format!("app_pw={APP_PW}")])
            .arg(node.conninfo("postgres"))
            .args(["-f", &bootstrap]));
        let migrated = Command::new(pos_server_binary())
            .arg("migrate")
            .env("POS_DATABASE_URL", node.app_url())
            .env("POS_OWNER_DATABASE_URL", node.url("pos_owner", OWNER_PW))
            .env("POS_LOG", "warn")
            .status()
            .unwrap();
        assert!(migrated.success(), "pos-server migrate failed");
        node
    }

    /// A cluster something else made in `scratch` (at `rel`) and serves on
    /// `port`: stopped and removed on drop like the others.
    pub fn adopt(scratch: Scratch, rel: &str, port: u16) -> PgNode {
        PgNode { port, data: scratch.path(rel), bin: Self::bin(), scratch }
    }

    /// A streaming hot standby of `primary`, cloned with pg_basebackup,
    /// started, and known to the primary as `name` (its cluster_name, which
    /// `synchronous_standby_names` can name).
    pub fn standby_of(primary: &PgNode, name: &str) -> PgNode {
        let scratch = postgres_scratch("standby");
        let node = PgNode { port: free_port(), data: scratch.path("pgdata"), bin: Self::bin(), scratch };
        run(node.program("pg_basebackup").args(["-h", "127.0.0.1", "-p", &primary.port.to_string()]).args([
            "-U",
            "postgres",
            "-D",
            node.data.to_str().unwrap(),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ]));
        node.configure(&format!("cluster_name = '{name}'\nhot_standby_feedback = on\n"));
        node.start();
        node
    }

    /// Appends to postgresql.conf (later lines win), with this node's port
    /// and socket directory.
    fn configure(&self, extra: &str) {
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n{extra}\n",
            self.port,
            self.data.display()
        );
        let mut file = std::fs::OpenOptions::new().append(true).open(self.data.join("postgresql.conf")).unwrap();
        std::io::Write::write_all(&mut file, conf.as_bytes()).unwrap();
    }

    pub fn start(&self) {
        let log = self.data.join("server.log");
        run(self.program("pg_ctl").arg("-D").arg(&self.data).arg("-l").arg(&log).args(["-w", "-t", "60", "start"]));
    }

    /// Stops the server: `fast` (sessions ended, a clean shutdown) or
    /// `immediate` (as a crash: no checkpoint, no goodbye to standbys).
    pub fn stop(&self, mode: &str) {
        run(self.program("pg_ctl").arg("-D").arg(&self.data).args(["-m", mode, "-w", "-t", "60", "stop"]));
    }

    /// Promotes a standby to primary (the drill of docker/README.md) and
    /// waits until it accepts writes.
    pub fn promote(&self) {
        run(self.program("pg_ctl").arg("-D").arg(&self.data).args(["-w", "-t", "60", "promote"]));
    }

    /// libpq conninfo of `user` over the node's socket.
    pub fn conninfo(&self, db: &str) -> String {
        format!("host={} port={} user=postgres dbname={db}", self.data.display(), self.port)
    }

    /// Runs `sql` as the superuser in database `db`; its rows, unaligned.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        run(Command::new("psql")
            .args(["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"])
            .arg(self.conninfo(db))
            .args(["-c", sql]))
        .trim()
        .to_string()
    }

    pub fn url(&self, user: &str, password: &str) -> String {
        format!("postgres://{user}:{password}@127.0.0.1:{}/pos", self.port)
    }

    /// The app role's URL (what the server connects with).
    pub fn app_url(&self) -> String {
        self.url("pos_app", APP_PW)
    }

    pub fn in_recovery(&self) -> bool {
        self.psql("postgres", "SELECT pg_is_in_recovery()") == "t"
    }

    /// Waits until this standby has replayed everything `primary` has written so far.
    pub async fn caught_up_with(&self, primary: &PgNode) -> bool {
        let target = primary.psql("postgres", "SELECT pg_current_wal_lsn()");
        for _ in 0..200 {
            let sql = format!("SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn");
            if self.psql("postgres", &sql) == "t" {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// The server's own log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.join("server.log")).unwrap_or_default()
    }
}

impl Drop for PgNode {
    fn drop(&mut self) {
        let mut cmd = self.program("pg_ctl");
        cmd.arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]);
        let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// Signals one process we started, by its id.
fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill").args([sig, &pid.to_string()]).stderr(Stdio::null()).status();
}

/// nginx serving the product's site (`docker/nginx/pos-proxy.conf` as
/// shipped) on a loopback port, in front of the given pos-server ports.
/// Each response names the server that answered in `X-Pos-Upstream` (a test
/// addition, not in the shipped site).
pub struct Nginx {
    pub port: u16,
    child: Child,
    scratch: Scratch,
}

impl Nginx {
    pub async fn start(upstreams: &[u16]) -> Nginx {
        let scratch = Scratch::new("nginx");
        let port = free_port();
        let dir = scratch.0.display().to_string();
        for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            let path = scratch.path(temp);
            std::fs::create_dir_all(&path).unwrap();
            // Written by the worker processes, whoever they run as.
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
        }
        let servers: String =
            upstreams.iter().map(|p| format!("        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n")).collect();
        let user = if is_root() { "user root;\n" } else { "" };
        let conf = format!(
            "{user}worker_processes 1;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log info;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n\
             access_log {dir}/access.log;\n\
             client_body_temp_path {dir}/body;\n    proxy_temp_path {dir}/proxy;\n\
             fastcgi_temp_path {dir}/fastcgi;\n    uwsgi_temp_path {dir}/uwsgi;\n    scgi_temp_path {dir}/scgi;\n\
             upstream pos_servers {{\n        least_conn;\n{servers}        keepalive 16;\n    }}\n\
             server {{\n        listen 127.0.0.1:{port};\n        set $pos_assets {REPO};\n\
             add_header X-Pos-Upstream $upstream_addr always;\n\
             include {REPO}/docker/nginx/pos-proxy.conf;\n    }}\n}}\n"
        );
        std::fs::write(scratch.path("nginx.conf"), conf).unwrap();
        let child = Command::new("nginx")
            .args(["-p", &dir, "-c", &format!("{dir}/nginx.conf"), "-e", &format!("{dir}/error.log")])
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx (apt-get install nginx-light)");
        let nginx = Nginx { port, child, scratch };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("nginx did not start:\n{}", nginx.error_log());
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.scratch.path("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // The master stops its workers on SIGTERM.
        signal(self.child.id(), "-TERM");
        let _ = self.child.wait();
    }
}

/// PgBouncer (Debian's package) in transaction mode in front of `pg`'s
/// `pos` database, with at most `pool_size` server connections.
pub struct PgBouncer {
    pub port: u16,
    child: Child,
    scratch: Scratch,
}

impl PgBouncer {
    /// `settings` are extra `[pgbouncer]` lines.
    pub async fn start(pg: &PgNode, pool_size: u32, settings: &str) -> PgBouncer {
        let scratch = postgres_scratch("pgbouncer");
        let port = free_port();
        let dir = scratch.0.display().to_string();
        std::fs::write(scratch.path("userlist.txt"), format!("\"pos_app\" \"{APP_PW}\"\n")).unwrap();
        let ini = format!(
            "[databases]\npos = host=127.0.0.1 port={} dbname=pos\n\n[pgbouncer]\n\
             listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
             auth_type = scram-sha-256\nauth_file = {dir}/userlist.txt\n\
             pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 500\n\
             ignore_startup_parameters = extra_float_digits\n\
             logfile = {dir}/pgbouncer.log\npidfile = {dir}/pgbouncer.pid\n{settings}\n",
            pg.port
        );
        std::fs::write(scratch.path("pgbouncer.ini"), ini).unwrap();
        if let Some((uid, gid)) = is_root().then(|| account("postgres").unwrap()) {
            for file in ["userlist.txt", "pgbouncer.ini"] {
                std::os::unix::fs::chown(scratch.path(file), Some(uid), Some(gid)).unwrap();
            }
        }
        let child = as_postgres(&mut Command::new("pgbouncer"))
            .arg(scratch.path("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pgbouncer (apt-get install pgbouncer)");
        let bouncer = PgBouncer { port, child, scratch };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return bouncer;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("pgbouncer did not start:\n{}", bouncer.log());
    }

    /// The app role's URL through PgBouncer, with `params` (`a=b&c=d`).
    pub fn app_url(&self, params: &str) -> String {
        format!("postgres://pos_app:{APP_PW}@127.0.0.1:{}/pos?{params}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.scratch.path("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of a `http://127.0.0.1:PORT` base.
pub fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).expect("a base URL with a port")
}

/// The sum of a Prometheus counter's series at `base`/metrics whose labels include `labels`.
pub async fn metric_sum(base: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    let text = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .filter(|l| labels.iter().all(|(k, v)| l.contains(&format!("{k}=\"{v}\""))))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .fold(0.0, |sum, v| sum + v)
}

/// The `client_order_id` of every stored order of the outlet, read at `base`.
pub async fn stored_orders(base: &str, token: &str, outlet: uuid::Uuid) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let url = format!("{base}/api/v1/orders?outlet_id={outlet}&limit=200{cursor}");
        let page: Value = client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        out.extend(page["items"].as_array().unwrap().iter().map(|o| o["client_order_id"].as_str().unwrap().into()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return out,
        }
    }
}

/// An order a client sent, and when it was taken.
#[derive(Debug, Clone)]
pub struct Taken {
    pub client_order_id: String,
    pub at: Instant,
    /// Answers before it was taken (5xx, no answer).
    pub failures: usize,
}

/// POSTs `order` to `url()` until it is taken (201, or 200 for a replay),
/// resending the same body after a failure (a 5xx or no answer), as a
/// device does; panics on any other answer or after `patience`.
pub async fn place_until_taken(
    client: &reqwest::Client,
    url: impl Fn() -> String,
    token: &str,
    order: &Value,
    patience: Duration,
) -> Taken {
    let started = Instant::now();
    let mut failures = 0;
    loop {
        match client.post(url()).bearer_auth(token).json(order).send().await {
            Ok(r) if matches!(r.status().as_u16(), 200 | 201) => {
                let client_order_id = order["client_order_id"].as_str().unwrap().to_string();
                return Taken { client_order_id, at: Instant::now(), failures };
            }
            Ok(r) if r.status().is_server_error() => failures += 1,
            Ok(r) => panic!("order refused: {} {}", r.status(), r.text().await.unwrap_or_default()),
            Err(_) => failures += 1,
        }
        assert!(started.elapsed() < patience, "an order was not taken within {patience:?} ({failures} failures)");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What a kitchen display saw on its event stream, over all its connections.
#[derive(Debug, Default, Clone)]
pub struct Watched {
    /// (sequence, event type, data) in arrival order.
    pub events: Vec<(i64, String, Value)>,
    /// The `X-Pos-Upstream` of each connection (the server that answered).
    pub upstreams: Vec<String>,
    /// Connection attempts that got no stream.
    pub refused: usize,
}

impl Watched {
    /// The `client_order_id`s of its `order.created` events, in order.
    pub fn created(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|(_, kind, _)| kind == "order.created")
            .map(|(_, _, data)| data["client_order_id"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A kitchen display on `url`: reads the stream, and whenever it ends
/// reconnects with the last id it saw, until `stop` is set. What it saw is
/// in the returned handle.
pub fn watch_events(url: String, token: String, stop: Arc<std::sync::atomic::AtomicBool>) -> Arc<Mutex<Watched>> {
    let seen = Arc::new(Mutex::new(Watched::default()));
    let out = seen.clone();
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut last: Option<i64> = None;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let mut req = client.get(&url).bearer_auth(&token);
            if let Some(id) = last {
                req = req.header("last-event-id", id.to_string());
            }
            let mut stream = match SseClient::try_open(req).await {
                Ok(stream) => stream,
                Err(_) => {
                    seen.lock().unwrap().refused += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let upstream = stream.header("x-pos-upstream").unwrap_or_default().to_string();
            seen.lock().unwrap().upstreams.push(upstream);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match stream.next(Duration::from_millis(200)).await {
                    Some(e) => {
                        if let Some(id) = e.id.as_ref().and_then(|id| id.parse().ok()) {
                            last = Some(id);
                            seen.lock().unwrap().events.push((id, e.event, e.data));
                        }
                    }
                    None if stream.ended() => break,
                    None => {}
                }
            }
        }
    });
    out
}

/// True when `ids` rise by exactly one each time (nothing skipped, nothing twice).
pub fn contiguous(ids: &[i64]) -> bool {
    ids.windows(2).all(|w| w[1] == w[0] + 1)
}

/// Each item of `list` once, and the set.
pub fn once_each(list: &[String]) -> Option<BTreeSet<String>> {
    let set: BTreeSet<String> = list.iter().cloned().collect();
    (set.len() == list.len()).then_some(set)
}
