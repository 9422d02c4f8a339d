//! Start-up rules, tried on the real binary: development secrets only when
//! `POS_ENV` asks for them, and no demo brand in production.

use std::process::{Command, Output};

use pos_tests::ServerProcess;

/// Runs `pos-server args` with the test environment minus `remove`, plus `set`.
fn run(args: &[&str], remove: &[&str], set: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(ServerProcess::binary());
    cmd.args(args).env("POS_BIND", "127.0.0.1:0");
    for k in remove {
        cmd.env_remove(k);
    }
    for (k, v) in set {
        cmd.env(k, v);
    }
    cmd.output().expect("run pos-server")
}

const SECRETS: [&str; 4] = ["POS_JWT_KEYS", "POS_JWT_CURRENT_KID", "POS_TOKEN_SECRET", "POS_SESSION_SECRET"];

#[tokio::test]
async fn without_pos_env_the_server_refuses_development_secrets() {
    let mut remove = SECRETS.to_vec();
    remove.push("POS_ENV");
    let out = run(&["serve"], &remove, &[]);
    assert!(!out.status.success(), "it must not start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("POS_ENV is not set") && err.contains("POS_JWT_KEYS"), "{err}");
    // Said explicitly, development starts with its defaults.
    let dev = ServerProcess::start(&[("POS_ENV", "development".into())]).await;
    assert_eq!(reqwest::get(dev.url("/healthz")).await.unwrap().status(), 200);
}

#[tokio::test]
async fn seed_demo_refuses_production() {
    let secret = "s".repeat(40);
    let set = [
        ("POS_ENV", "production".to_string()),
        ("POS_JWT_KEYS", pos_backend::config::generate_jwt_key_line("k1")),
        ("POS_TOKEN_SECRET", secret.clone()),
        ("POS_SESSION_SECRET", secret),
    ];
    let out = run(&["seed-demo"], &["POS_JWT_CURRENT_KID"], &set);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("seed-demo refuses to run in production"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("nusantara-demo"), "no logins were printed");
    // Unset counts as production too.
    let out = run(&["seed-demo"], &["POS_ENV", "POS_JWT_CURRENT_KID"], &set[1..]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("seed-demo refuses"), "{out:?}");
}

#[tokio::test]
async fn the_command_line_lists_its_commands_and_refuses_bad_ones() {
    let help = run(&["--help"], &[], &[]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "seed-demo", "prune-events", "gen-keys", "healthcheck"] {
        assert!(text.contains(command), "{command} missing from --help: {text}");
    }
    let prune = String::from_utf8_lossy(&run(&["prune-events", "--help"], &[], &[]).stdout).into_owned();
    assert!(["--keep-days", "--keep-last", "--outlet"].iter().all(|f| prune.contains(f)), "{prune}");
    // Mistakes are refused before anything runs (clap's usage error: exit 2).
    for bad in [&["bogus"][..], &["prune-events", "--keep-days", "x"], &["prune-events", "--outlet", "nope"]] {
        let out = run(bad, &[], &[]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("error:"), "{bad:?}");
    }
    let keys = String::from_utf8_lossy(&run(&["gen-keys"], &[], &[]).stdout).into_owned();
    assert!(
        ["POS_JWT_KEYS=k1:", "POS_TOKEN_SECRET=", "POS_SESSION_SECRET="].iter().all(|k| keys.contains(k)),
        "{keys}"
    );
}
