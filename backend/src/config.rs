//! Configuration, read once at start-up from the environment (and an optional
//! `.env`). The development defaults (a published JWT key and secrets) apply
//! only when `POS_ENV` says `development` or `test` explicitly: unset, the
//! production rules apply and the server refuses to start without real secrets.

use std::{fmt, net::SocketAddr, str::FromStr, time::Duration};

use anyhow::{Context, bail};

/// A value that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    Development,
    Test,
    Production,
}

/// One signing key of the JWT keyring: an Ed25519 seed and its id.
#[derive(Debug, Clone)]
pub struct JwtKeyConfig {
    pub kid: String,
    pub seed: Secret<[u8; 32]>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: RunMode,
    pub bind: SocketAddr,
    /// The app role's connection (RLS applies): what the server uses.
    pub database_url: Secret<String>,
    /// The owner role's connection, for migrations only.
    pub owner_database_url: Option<Secret<String>>,
    /// The app role on a read replica (a streaming hot standby): lag-tolerant
    /// reads may run there (see `db::replica`).
    pub replica_database_url: Option<Secret<String>>,
    pub db_max_connections: u32,
    pub redis_url: Option<Secret<String>>,
    pub jwt_keys: Vec<JwtKeyConfig>,
    pub jwt_current_kid: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// A refresh retried within this window gets the same new pair instead
    /// of tripping reuse detection (a tablet that lost the first response).
    pub refresh_grace: Duration,
    pub device_token_ttl: Duration,
    pub pairing_code_ttl: Duration,
    /// Keys refresh-token hashing and derivation.
    pub token_secret: Secret<Vec<u8>>,
    /// Keys admin session cookies.
    pub session_secret: Secret<Vec<u8>>,
    /// Wrong passwords per email (every brand's account of it) per window.
    pub login_limit_per_account: u32,
    /// Failed sign-ins per client address (an IPv6 /64) per window;
    /// successful ones do not count, so a whole shop can sign in behind one NAT.
    pub login_limit_per_ip: u32,
    pub login_limit_window: Duration,
    /// The largest request body read into memory (uploads aside).
    pub json_body_limit: usize,
    /// How long a client may take to send a request body (then 408).
    pub body_timeout: Duration,
    /// How long a client may take to send an upload (then 408).
    pub upload_timeout: Duration,
    /// How long a client may take to send a request's headers (then 408).
    pub header_timeout: Duration,
    /// Live event streams one device may hold open at once (then 429).
    pub sse_streams_per_device: usize,
    /// Live event streams one staff member may hold open at once (then 429).
    pub sse_streams_per_user: usize,
    /// Wrong pairing codes per client address per window.
    pub pair_limit_per_ip: u32,
    /// Wrong pairing codes from everyone together per window: what a
    /// botnet can try however many addresses it has.
    pub pair_limit_global: u32,
    pub pair_limit_window: Duration,
    /// An admin session ends after this long without a request...
    pub admin_session_idle: Duration,
    /// ...and this long after sign-in, whatever happens.
    pub admin_session_lifetime: Duration,
    /// How often each process re-checks the credentials of its open event
    /// streams (revoked, expired, deactivated, signed out).
    pub stream_recheck_interval: Duration,
    /// The proxies whose `X-Forwarded-For` is believed (CIDRs). The client is
    /// the rightmost address in that header that is not one of them; with
    /// none configured, the TCP peer is the client and the header is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub log_json: bool,
    /// Where uploaded images are stored (served at `/media/`).
    pub media_dir: std::path::PathBuf,
    /// How often each process re-reads the event log of outlets it streams,
    /// to deliver events a publish lost (Redis away, a crashed publisher).
    pub event_sweep_interval: Duration,
    /// How often a live stream sends its keep-alive comment and `ping` event.
    pub sse_heartbeat: Duration,
    /// How long an order taken offline may take to reach the server, and how
    /// far back its shown prices may be honoured.
    pub offline_order_window: Duration,
    /// The payment gateway (Midtrans Core API, or the local stand-in): its
    /// base URL and server key. QRIS is offered only when both are set.
    pub midtrans_base_url: Option<String>,
    pub midtrans_server_key: Option<Secret<String>>,
    /// Sent with each charge as `X-Override-Notification`: where the gateway
    /// posts its notifications (this server's webhook as the world reaches it).
    pub payment_notification_url: Option<String>,
    /// How often the reconciliation job runs (on one server at a time).
    pub payment_reconcile_interval: Duration,
    /// Where mail goes (`smtp://host:port`, `smtps://user:pass@host`, or
    /// `smtp://host?tls=required`); none: mails wait in the outbox.
    pub smtp_url: Option<Secret<String>>,
    /// The sender of every mail.
    pub mail_from: String,
    /// The address links in mails point at (`https://pos.example.com`).
    pub public_url: String,
    /// How often the mail worker looks for mails to send.
    pub mail_poll_interval: Duration,
    /// The event-log trim job keeps this many days of each outlet's events
    /// (at least 1) and at least its newest `event_keep_last` (at least 5,000).
    pub event_keep_days: i32,
    pub event_keep_last: i64,
    /// An outlet's daily summary is mailed this long after its day ends
    /// (orders taken offline that day have time to arrive).
    pub daily_summary_grace: Duration,
    /// A QRIS charge still pending this long is asked about at the gateway
    /// (its webhook may have been lost).
    pub payment_pending_check_after: Duration,
}

/// The development keyring. Public knowledge: production refuses to start with it.
pub const DEV_JWT_SEED: [u8; 32] = *b"pos-dev-jwt-seed-not-for-prod!!!";
const DEV_TOKEN_SECRET: &str = "pos-dev-token-secret-not-for-production";
const DEV_SESSION_SECRET: &str = "pos-dev-session-secret-not-for-production";

impl Settings {
    /// Reads `.env` (if present) and the environment.
    pub fn from_env() -> anyhow::Result<Settings> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Settings> {
        let var = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let mode = match var("POS_ENV").as_deref().map(str::trim) {
            Some("development" | "dev") => RunMode::Development,
            Some("test") => RunMode::Test,
            // Unset is production: development secrets are never a default.
            Some("production" | "prod") | None => RunMode::Production,
            Some(other) => bail!("POS_ENV must be development, test or production, not {other:?}"),
        };
        if var("POS_TRUST_PROXY").is_some() {
            bail!(
                "POS_TRUST_PROXY is gone: set POS_TRUSTED_PROXIES to the addresses of your proxies \
                 (CIDRs, e.g. 10.0.0.0/8,127.0.0.1/32)"
            );
        }
        let parse = |k: &str, default: u64| -> anyhow::Result<u64> {
            match var(k) {
                Some(v) => v.trim().parse().with_context(|| format!("{k} must be a whole number")),
                None => Ok(default),
            }
        };
        let secs = |k: &str, default: u64| parse(k, default).map(Duration::from_secs);

        let bind = var("POS_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = SocketAddr::from_str(&bind).with_context(|| format!("POS_BIND {bind:?}"))?;

        let (jwt_keys, jwt_current_kid) = match var("POS_JWT_KEYS") {
            Some(spec) => {
                let keys = parse_jwt_keys(&spec)?;
                let current = var("POS_JWT_CURRENT_KID").unwrap_or_else(|| keys[0].kid.clone());
                (keys, current)
            }
            None => (vec![JwtKeyConfig { kid: "dev".into(), seed: Secret::new(DEV_JWT_SEED) }], "dev".to_string()),
        };
        if !jwt_keys.iter().any(|k| k.kid == jwt_current_kid) {
            bail!("POS_JWT_CURRENT_KID {jwt_current_kid:?} is not in POS_JWT_KEYS");
        }

        let settings = Settings {
            mode,
            bind,
            database_url: Secret::new(
                var("POS_DATABASE_URL").unwrap_or_else(|| "postgres://pos_app:pos_app@127.0.0.1:5432/pos".into()),
            ),
            owner_database_url: var("POS_OWNER_DATABASE_URL").map(Secret::new),
            replica_database_url: var("POS_REPLICA_DATABASE_URL").map(Secret::new),
            db_max_connections: parse("POS_DB_MAX_CONNECTIONS", 16)? as u32,
            redis_url: var("POS_REDIS_URL").map(Secret::new),
            jwt_keys,
            jwt_current_kid,
            jwt_issuer: var("POS_JWT_ISSUER").unwrap_or_else(|| "pos".into()),
            jwt_audience: var("POS_JWT_AUDIENCE").unwrap_or_else(|| "pos-api".into()),
            access_token_ttl: secs("POS_ACCESS_TOKEN_TTL_SECS", 900)?,
            refresh_token_ttl: secs("POS_REFRESH_TOKEN_TTL_SECS", 30 * 24 * 3600)?,
            refresh_grace: secs("POS_REFRESH_GRACE_SECS", 30)?,
            device_token_ttl: secs("POS_DEVICE_TOKEN_TTL_SECS", 365 * 24 * 3600)?,
            pairing_code_ttl: secs("POS_PAIRING_CODE_TTL_SECS", 15 * 60)?,
            token_secret: Secret::new(var("POS_TOKEN_SECRET").unwrap_or_else(|| DEV_TOKEN_SECRET.into()).into_bytes()),
            session_secret: Secret::new(
                var("POS_SESSION_SECRET").unwrap_or_else(|| DEV_SESSION_SECRET.into()).into_bytes(),
            ),
            login_limit_per_account: parse("POS_LOGIN_LIMIT_PER_ACCOUNT", 10)? as u32,
            login_limit_per_ip: parse("POS_LOGIN_LIMIT_PER_IP", 60)? as u32,
            login_limit_window: secs("POS_LOGIN_LIMIT_WINDOW_SECS", 15 * 60)?,
            pair_limit_per_ip: parse("POS_PAIR_LIMIT_PER_IP", 20)? as u32,
            pair_limit_global: parse("POS_PAIR_LIMIT_GLOBAL", 1000)? as u32,
            pair_limit_window: secs("POS_PAIR_LIMIT_WINDOW_SECS", 15 * 60)?,
            admin_session_idle: secs("POS_ADMIN_SESSION_IDLE_SECS", 4 * 3600)?,
            admin_session_lifetime: secs("POS_ADMIN_SESSION_MAX_SECS", 12 * 3600)?,
            stream_recheck_interval: Duration::from_millis(parse("POS_STREAM_RECHECK_MS", 2000)?.max(100)),
            json_body_limit: parse("POS_JSON_BODY_LIMIT", 256 * 1024)? as usize,
            body_timeout: Duration::from_millis(parse("POS_BODY_TIMEOUT_MS", 10_000)?.max(1)),
            upload_timeout: Duration::from_millis(parse("POS_UPLOAD_TIMEOUT_MS", 60_000)?.max(1)),
            header_timeout: Duration::from_millis(parse("POS_HEADER_TIMEOUT_MS", 5_000)?.max(1)),
            sse_streams_per_device: parse("POS_SSE_STREAMS_PER_DEVICE", 4)?.max(1) as usize,
            sse_streams_per_user: parse("POS_SSE_STREAMS_PER_USER", 8)?.max(1) as usize,
            trusted_proxies: parse_cidrs(var("POS_TRUSTED_PROXIES").as_deref().unwrap_or(""))?,
            log_json: !matches!(var("POS_LOG_FORMAT").as_deref(), Some("pretty")),
            media_dir: var("POS_MEDIA_DIR").map(Into::into).unwrap_or_else(|| {
                let base = var("XDG_DATA_HOME")
                    .or_else(|| var("HOME").map(|h| format!("{h}/.local/share")))
                    .unwrap_or_else(|| "/tmp".into());
                std::path::PathBuf::from(base).join("pos/media")
            }),
            event_sweep_interval: Duration::from_millis(parse("POS_EVENT_SWEEP_MS", 1000)?),
            sse_heartbeat: Duration::from_millis(parse("POS_SSE_HEARTBEAT_MS", 15_000u64)?.max(100)),
            offline_order_window: secs("POS_OFFLINE_ORDER_WINDOW_SECS", 72 * 3600)?.max(Duration::from_secs(60)),
            midtrans_base_url: var("POS_MIDTRANS_BASE_URL").map(|u| u.trim().trim_end_matches('/').to_string()),
            midtrans_server_key: var("POS_MIDTRANS_SERVER_KEY").map(|k| Secret::new(k.trim().to_string())),
            // A server on loopback (the demo, the tests) is its own webhook's address.
            payment_notification_url: var("POS_PAYMENT_NOTIFICATION_URL").map(|u| u.trim().to_string()).or_else(|| {
                bind.ip().is_loopback().then(|| format!("http://{bind}/api/v1/payments/webhooks/midtrans"))
            }),
            payment_reconcile_interval: Duration::from_millis(parse("POS_PAYMENT_RECONCILE_MS", 30_000)?.max(100)),
            payment_pending_check_after: secs("POS_PAYMENT_PENDING_CHECK_SECS", 120)?,
            smtp_url: var("POS_SMTP_URL").map(|u| Secret::new(u.trim().to_string())),
            mail_from: var("POS_MAIL_FROM").unwrap_or_else(|| "POS <no-reply@pos.localhost>".into()),
            public_url: var("POS_PUBLIC_URL")
                .map(|u| u.trim().trim_end_matches('/').to_string())
                .unwrap_or_else(|| format!("http://{bind}")),
            mail_poll_interval: Duration::from_millis(parse("POS_MAIL_POLL_MS", 1_000)?.max(50)),
            event_keep_days: parse("POS_EVENT_KEEP_DAYS", 7)?.clamp(1, 3650) as i32,
            event_keep_last: parse("POS_EVENT_KEEP_LAST", 20_000)?.max(5_000) as i64,
            daily_summary_grace: secs("POS_DAILY_SUMMARY_GRACE_SECS", 3_600)?,
        };
        settings.refuse_dev_secrets_in_production(var("POS_ENV").is_none())?;
        Ok(settings)
    }

    fn refuse_dev_secrets_in_production(&self, env_unset: bool) -> anyhow::Result<()> {
        if self.mode != RunMode::Production {
            return Ok(());
        }
        let mut problems = Vec::new();
        if self.jwt_keys.iter().any(|k| k.seed.expose() == &DEV_JWT_SEED) {
            problems.push("POS_JWT_KEYS is unset or holds the development key");
        }
        if self.token_secret.expose().as_slice() == DEV_TOKEN_SECRET.as_bytes() || self.token_secret.expose().len() < 32
        {
            problems.push("POS_TOKEN_SECRET is unset, the development value, or shorter than 32 bytes");
        }
        if self.session_secret.expose().as_slice() == DEV_SESSION_SECRET.as_bytes()
            || self.session_secret.expose().len() < 32
        {
            problems.push("POS_SESSION_SECRET is unset, the development value, or shorter than 32 bytes");
        }
        if self.database_url.expose().contains("pos_app:pos_app@") {
            problems.push("POS_DATABASE_URL is unset or uses the development password");
        }
        if problems.is_empty() {
            return Ok(());
        }
        if env_unset {
            bail!(
                "POS_ENV is not set, so the production rules apply and {}. Set POS_ENV=development (or test) \
                 to use the development defaults, or give real secrets (`pos-server gen-keys` prints them)",
                problems.join("; ")
            );
        }
        bail!("refusing to start in production: {}", problems.join("; "))
    }
}

/// `10.0.0.0/8, 127.0.0.1, ::1/128`: networks, or single addresses.
fn parse_cidrs(spec: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    let mut nets = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let net = match part.parse::<ipnet::IpNet>() {
            Ok(net) => net,
            Err(_) => part
                .parse::<std::net::IpAddr>()
                .map(ipnet::IpNet::from)
                .with_context(|| format!("POS_TRUSTED_PROXIES: {part:?} is not an address or CIDR"))?,
        };
        nets.push(net.trunc());
    }
    Ok(nets)
}

/// `kid:base64url-seed[,kid:base64url-seed...]`; the seed is 32 bytes.
fn parse_jwt_keys(spec: &str) -> anyhow::Result<Vec<JwtKeyConfig>> {
    use base64::Engine;
    let mut keys = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kid, b64) = part.split_once(':').context("POS_JWT_KEYS entries look like kid:base64url-seed")?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64.trim().trim_end_matches('='))
            .with_context(|| format!("POS_JWT_KEYS key {kid:?} is not base64url"))?;
        let seed: [u8; 32] =
            bytes.try_into().map_err(|_| anyhow::anyhow!("POS_JWT_KEYS key {kid:?} must decode to 32 bytes"))?;
        keys.push(JwtKeyConfig { kid: kid.trim().to_string(), seed: Secret::new(seed) });
    }
    if keys.is_empty() {
        bail!("POS_JWT_KEYS holds no key");
    }
    Ok(keys)
}

/// A fresh `kid:seed` line for `POS_JWT_KEYS`.
pub fn generate_jwt_key_line(kid: &str) -> String {
    use base64::Engine;
    let seed: [u8; 32] = rand::random();
    format!("{kid}:{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(seed))
}

/// A fresh 32-byte secret, hex encoded, for `POS_TOKEN_SECRET` and `POS_SESSION_SECRET`.
pub fn generate_secret_hex() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> anyhow::Result<Settings> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn development_defaults_need_an_explicit_pos_env() {
        let s = settings(&[("POS_ENV", "development")]).unwrap();
        assert_eq!(s.mode, RunMode::Development);
        assert_eq!(s.jwt_current_kid, "dev");
        assert_eq!(settings(&[("POS_ENV", "test")]).unwrap().mode, RunMode::Test);
        let err = settings(&[]).unwrap_err().to_string();
        assert!(err.contains("POS_ENV is not set") && err.contains("POS_JWT_KEYS"), "{err}");
    }

    #[test]
    fn trusted_proxies_are_networks_and_the_old_switch_is_refused() {
        let s =
            settings(&[("POS_ENV", "test"), ("POS_TRUSTED_PROXIES", "10.1.2.3/8, 127.0.0.1 ,::1,fd00::/8")]).unwrap();
        let nets: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.0/8", "127.0.0.1/32", "::1/128", "fd00::/8"]);
        assert!(settings(&[("POS_ENV", "test"), ("POS_TRUSTED_PROXIES", "10.0.0.0/33")]).is_err());
        assert!(settings(&[("POS_ENV", "test"), ("POS_TRUSTED_PROXIES", "proxy.local")]).is_err());
        let err = settings(&[("POS_ENV", "test"), ("POS_TRUST_PROXY", "1")]).unwrap_err().to_string();
        assert!(err.contains("POS_TRUSTED_PROXIES"), "{err}");
        assert!(settings(&[("POS_ENV", "test")]).unwrap().trusted_proxies.is_empty());
    }

    #[test]
    fn production_refuses_dev_secrets() {
        let err = settings(&[("POS_ENV", "production")]).unwrap_err().to_string();
        assert!(err.contains("POS_JWT_KEYS"), "{err}");
        assert!(err.contains("POS_TOKEN_SECRET"), "{err}");
        assert!(err.contains("POS_DATABASE_URL"), "{err}");
    }

    #[test]
    fn production_starts_with_real_secrets() {
        let line = generate_jwt_key_line("k1");
        let long = "x".repeat(40);
        let s = settings(&[
            ("POS_ENV", "production"),
            ("POS_JWT_KEYS", &line),
            ("POS_TOKEN_SECRET", &long),
            ("POS_SESSION_SECRET", &long),
            ("POS_DATABASE_URL", "postgres://pos_app:s3cret@db/pos"),
        ])
        .unwrap();
        assert_eq!(s.jwt_current_kid, "k1");
        assert!(!format!("{s:?}").contains("s3cret"), "secrets must not print");
    }

    #[test]
    fn a_loopback_server_is_its_own_webhook() {
        let s = settings(&[("POS_ENV", "test"), ("POS_BIND", "127.0.0.1:9000")]).unwrap();
        assert_eq!(
            s.payment_notification_url.as_deref(),
            Some("http://127.0.0.1:9000/api/v1/payments/webhooks/midtrans")
        );
        assert!(s.midtrans_base_url.is_none() && s.midtrans_server_key.is_none());
        let public = settings(&[("POS_ENV", "test"), ("POS_BIND", "0.0.0.0:8080")]).unwrap();
        assert_eq!(public.payment_notification_url, None, "behind a proxy the address must be given");
        let s = settings(&[
            ("POS_ENV", "test"),
            ("POS_MIDTRANS_BASE_URL", "https://api.sandbox.midtrans.com/"),
            ("POS_MIDTRANS_SERVER_KEY", "SB-key"),
            ("POS_PAYMENT_NOTIFICATION_URL", "https://pos.example/api/v1/payments/webhooks/midtrans"),
        ])
        .unwrap();
        assert_eq!(s.midtrans_base_url.as_deref(), Some("https://api.sandbox.midtrans.com"));
        assert!(!format!("{s:?}").contains("SB-key"), "the server key never prints");
        assert_eq!(
            s.payment_notification_url.as_deref(),
            Some("https://pos.example/api/v1/payments/webhooks/midtrans")
        );
    }

    #[test]
    fn bad_keyring_is_refused() {
        assert!(settings(&[("POS_ENV", "test"), ("POS_JWT_KEYS", "k1:short")]).is_err());
        let line = generate_jwt_key_line("k1");
        assert!(settings(&[("POS_ENV", "test"), ("POS_JWT_KEYS", &line), ("POS_JWT_CURRENT_KID", "k2")]).is_err());
    }
}
