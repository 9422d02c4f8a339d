//! Support for the fault tests (`main.rs`): the processes they kill: `pos-server` (restartable on the same
//! port, its output kept in a file) and a private PostgreSQL cluster, so a
//! restart never disturbs the database the other tests share.

use std::{
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use pos_tests::{free_port, pos_server_binary, wait_until_up};
use uuid::Uuid;

/// A directory under the system temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("pos-faults-{name}-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        // Other users (postgres, nobody) must be able to enter it.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        Scratch(dir)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// True when this test runs as root (then it can act as other users).
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}

/// The uid and gid of a system account, from /etc/passwd.
pub fn account(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.first() == Some(&name) && f.len() > 3)
            .then(|| (f[2].parse().ok(), f[3].parse().ok()))
            .and_then(|(u, g)| Some((u?, g?)))
    })
}

/// Builds the command of a server process for a port.
type MakeCommand = Box<dyn Fn(u16) -> Command + Send + Sync>;

/// A `pos-server serve` process that a test can SIGKILL and restart on the
/// same port; stdout and stderr go to a log file the test can read.
pub struct Server {
    pub base: String,
    port: u16,
    make: MakeCommand,
    child: Option<Child>,
    log: PathBuf,
    _scratch: Scratch,
}

impl Server {
    /// The server built next to this test, with the test command's
    /// environment plus `env`.
    pub async fn start(env: &[(&str, String)]) -> Server {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        Server::start_with(move |port| {
            let mut cmd = Command::new(pos_server_binary());
            cmd.arg("serve").env("POS_BIND", format!("127.0.0.1:{port}")).env("POS_LOG", "info");
            // These servers may share the API tests' database, which runs at
            // the same time: their mail worker and payment reconciliation
            // would take those tests' mails and charges. A test that wants
            // either sets it in `env`.
            cmd.env_remove("POS_SMTP_URL").env("POS_PAYMENT_RECONCILE_MS", "86400000");
            cmd.envs(env.iter().map(|(k, v)| (k, v)));
            cmd
        })
        .await
    }

    /// A server from a command of the test's making (it must serve on the port given).
    pub async fn start_with(make: impl Fn(u16) -> Command + Send + Sync + 'static) -> Server {
        let scratch = Scratch::new("server");
        let port = free_port();
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            port,
            make: Box::new(make),
            child: None,
            log: scratch.path("server.log"),
            _scratch: scratch,
        };
        server.restart().await;
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Starts the process again (on the same port) and waits until it answers.
    pub async fn restart(&mut self) {
        self.kill_9();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        let child =
            (self.make)(self.port).stdout(log.try_clone().unwrap()).stderr(log).spawn().expect("start pos-server");
        self.child = Some(child);
        assert!(wait_until_up(&self.base).await, "pos-server did not come up on {}:\n{}", self.base, self.log());
    }

    /// SIGKILL: no shutdown, no flushing, no goodbye.
    pub fn kill_9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Everything the process (and its earlier lives) printed.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill_9();
    }
}

/// A private PostgreSQL 15 cluster on a free port with the roles and a
/// migrated `pos` database, stopped and removed on drop.
pub struct PgCluster {
    pub port: u16,
    data: PathBuf,
    bin: PathBuf,
    _scratch: Scratch,
}

const OWNER_PW: &str = "faults_owner";
const APP_PW: &str = "faults_app";

impl PgCluster {
    pub async fn start() -> PgCluster {
        let bin = PathBuf::from(std::env::var("PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into()));
        assert!(bin.join("initdb").exists(), "PostgreSQL 15 server binaries are missing in {}", bin.display());
        let scratch = Scratch::new("pg");
        let data = scratch.path("pgdata");
        let cluster = PgCluster { port: free_port(), data, bin, _scratch: scratch };
        if let Some((uid, gid)) = is_root().then(|| account("postgres").expect("a postgres OS user")) {
            std::os::unix::fs::chown(&cluster._scratch.0, Some(uid), Some(gid)).unwrap();
        }
        cluster.pg_command("initdb", |c| {
            c.args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ])
            .arg("-D")
            .arg(&cluster.data);
        });
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\nfsync = off\nmax_connections = 100\n",
            cluster.port,
            cluster.data.display()
        );
        let mut file = std::fs::OpenOptions::new().append(true).open(cluster.data.join("postgresql.conf")).unwrap();
        std::io::Write::write_all(&mut file, conf.as_bytes()).unwrap();
        cluster.start_server();
        let bootstrap = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/sql/bootstrap-roles.sql");
        let status = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "db=pos"])
            .args(["-v", &format!("owner_pw={OWNER_PW}"), "-v", &format!("app_pw={APP_PW}")])
            .arg(format!("host={} port={} user=postgres dbname=postgres", cluster.data.display(), cluster.port))
            .args(["-f", bootstrap])
            .stdout(Stdio::null())
            .status()
            .expect("psql (postgresql-client-15)");
        assert!(status.success(), "bootstrapping the roles failed");
        let migrated = Command::new(pos_server_binary())
            .arg("migrate")
            .env("POS_DATABASE_URL", cluster.app_url())
            .env("POS_OWNER_DATABASE_URL", cluster.url("pos_owner", OWNER_PW))
            .env("POS_LOG", "warn")
            .status()
            .unwrap();
        assert!(migrated.success(), "pos-server migrate failed");
        cluster
    }

    fn url(&self, user: &str, password: &str) -> String {
        format!("postgres://{user}:{password}@127.0.0.1:{}/pos", self.port)
    }

    /// The app role's URL (what the server connects with).
    pub fn app_url(&self) -> String {
        self.url("pos_app", APP_PW)
    }

    /// Runs a PostgreSQL server program, as the postgres OS user when we are root.
    fn pg_command(&self, program: &str, args: impl FnOnce(&mut Command)) {
        let mut cmd = Command::new(self.bin.join(program));
        args(&mut cmd);
        if is_root() {
            let (uid, gid) = account("postgres").expect("a postgres OS user");
            cmd.uid(uid).gid(gid);
        }
        let out = cmd.stdin(Stdio::null()).output().unwrap();
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start_server(&self) {
        let log = self.data.join("server.log");
        self.pg_command("pg_ctl", |c| {
            c.arg("-D").arg(&self.data).arg("-l").arg(&log).args(["-w", "-t", "60", "start"]);
        });
    }

    /// Stops the server (fast: open sessions are terminated) and waits until it is gone.
    pub fn stop_server(&self) {
        self.pg_command("pg_ctl", |c| {
            c.arg("-D").arg(&self.data).args(["-m", "fast", "-w", "-t", "60", "stop"]);
        });
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let mut cmd = Command::new(self.bin.join("pg_ctl"));
        cmd.arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]);
        if let Some((uid, gid)) = is_root().then(|| account("postgres")).flatten() {
            cmd.uid(uid).gid(gid);
        }
        let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// Polls `check` every 20 ms until it returns true or `limit` passes.
pub async fn eventually(limit: Duration, mut check: impl AsyncFnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
