//! The Docker image's conditions, proven without Docker: the test reads
//! `docker/Dockerfile` (its final stage's ENV, USER, VOLUME, HEALTHCHECK and
//! the account it creates) and runs the real binary the way the image does,
//! as an unprivileged user whose home is not writable, in a scratch copy of
//! the image's file layout. It starts, is ready, keeps an uploaded image in
//! the volume directory, and passes its own health check; without
//! `POS_MEDIA_DIR` it refuses to start and says why.

use std::{
    collections::BTreeMap,
    os::unix::{fs::MetadataExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use pos_tests::{TestApp, pos_server_binary};

use pos_fault_tests::{Scratch, Server, account, is_root};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// What the final stage of the Dockerfile says about how the server runs.
#[derive(Debug, Default)]
struct Image {
    env: BTreeMap<String, String>,
    user: String,
    workdir: String,
    volumes: Vec<String>,
    healthcheck: Vec<String>,
    runs: Vec<String>,
}

impl Image {
    fn read() -> Image {
        let text = std::fs::read_to_string(format!("{REPO}/docker/Dockerfile")).unwrap();
        // Instructions with their continuation lines joined, comments dropped.
        let mut instructions: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in text.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
            match line.strip_suffix('\\') {
                Some(part) => current.push_str(part),
                None => {
                    current.push_str(line);
                    if !current.trim().is_empty() {
                        instructions.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
            }
        }
        let last_from = instructions.iter().rposition(|i| i.starts_with("FROM ")).expect("a FROM");
        let mut image = Image::default();
        for instruction in &instructions[last_from + 1..] {
            let (word, rest) = instruction.split_once(' ').unwrap_or((instruction, ""));
            let rest = rest.trim();
            match word {
                "ENV" => {
                    for pair in rest.split_whitespace() {
                        let (k, v) = pair.split_once('=').expect("ENV KEY=value");
                        image.env.insert(k.into(), v.trim_matches('"').into());
                    }
                }
                "USER" => image.user = rest.into(),
                "WORKDIR" => image.workdir = rest.into(),
                "VOLUME" => {
                    image.volumes = match serde_json::from_str::<Vec<String>>(rest) {
                        Ok(list) => list,
                        Err(_) => rest.split_whitespace().map(String::from).collect(),
                    }
                }
                "HEALTHCHECK" => {
                    let cmd = rest.split_once("CMD").expect("HEALTHCHECK ... CMD").1.trim();
                    image.healthcheck = serde_json::from_str(cmd).expect("HEALTHCHECK CMD in exec form");
                }
                "RUN" => image.runs.push(rest.into()),
                _ => {}
            }
        }
        image
    }

    /// The home directory `useradd` gives the image's user.
    fn home(&self) -> String {
        let useradd = self.runs.iter().find(|r| r.contains("useradd")).expect("the image creates its user");
        let words: Vec<&str> = useradd.split_whitespace().collect();
        let at = words.iter().position(|w| *w == "--home-dir" || *w == "-d").expect("useradd --home-dir");
        words[at + 1].to_string()
    }
}

/// `path` (absolute, inside the image) under the scratch root.
fn rebased(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

/// The block of service `name` in compose.yaml, as text.
fn compose_service(name: &str) -> String {
    let text = std::fs::read_to_string(format!("{REPO}/docker/compose.yaml")).unwrap();
    // `  app1: &app` (a YAML anchor) counts as the service's first line.
    let mut lines = text.lines().skip_while(|l| *l != format!("  {name}:") && !l.starts_with(&format!("  {name}: &")));
    lines.next().unwrap_or_else(|| panic!("compose has no {name} service"));
    lines.take_while(|l| l.is_empty() || l.starts_with("    ")).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn the_image_runs_as_its_unprivileged_user_and_keeps_uploads_on_its_volume() {
    let image = Image::read();
    let media = image.env.get("POS_MEDIA_DIR").expect("the image sets POS_MEDIA_DIR").clone();
    let home = image.home();
    assert!(!image.user.is_empty() && image.user != "root" && image.user != "0", "USER is a non-root user");
    assert!(image.volumes.contains(&media), "POS_MEDIA_DIR ({media}) is a VOLUME: {:?}", image.volumes);
    assert!(!media.starts_with(&home), "uploads do not go under the home directory");
    assert!(
        image.runs.iter().any(|r| r.contains(&media) && r.contains(&format!("-o {}", image.user))),
        "the image creates {media} owned by {}, so a new volume is too",
        image.user
    );
    assert_eq!(image.healthcheck.first().map(String::as_str), Some("pos-server"), "{:?}", image.healthcheck);
    // Both servers are one definition (app2: *app).
    let app_service = compose_service("app1");
    let compose = std::fs::read_to_string(format!("{REPO}/docker/compose.yaml")).unwrap();
    assert!(compose.contains("\n  app1: &app\n") && compose.contains("\n  app2: *app\n"), "app2 is app1");
    assert!(app_service.contains(&format!(":{media}")), "compose mounts a volume at {media}:\n{app_service}");
    assert!(app_service.contains("healthcheck:"), "compose health-checks the app:\n{app_service}");
    let compose_check =
        format!("[\"CMD\", {}]", image.healthcheck.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", "));
    assert!(app_service.contains(&compose_check), "compose runs the image's check {compose_check}:\n{app_service}");

    // The image's layout under a scratch root: the binary, a home the user
    // cannot write, and the volume directory the user owns.
    let scratch = Scratch::new("image");
    let root = scratch.path("rootfs");
    let bin = rebased(&root, "/usr/local/bin/pos-server");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::copy(pos_server_binary(), &bin).unwrap();
    for dir in [rebased(&root, &home), rebased(&root, &image.workdir), rebased(&root, &media)] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let (uid, gid) = if is_root() {
        let (uid, gid) = account("nobody").expect("a `nobody` account");
        std::os::unix::fs::chown(rebased(&root, &media), Some(uid), Some(gid)).unwrap();
        (uid, gid)
    } else {
        // Not root: we are the unprivileged user; take away our own write access to home.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(rebased(&root, &home), std::fs::Permissions::from_mode(0o555)).unwrap();
        let me = std::fs::metadata(&scratch.0).unwrap();
        (me.uid(), me.gid())
    };
    assert_ne!(uid, 0);

    // The image's environment (paths rebased), plus what compose adds;
    // POS_BIND goes to a free loopback port.
    let mut env: Vec<(String, String)> = Vec::new();
    for (k, v) in &image.env {
        match k.as_str() {
            "POS_MEDIA_DIR" => env.push((k.clone(), rebased(&root, v).display().to_string())),
            // The image copies these from the source tree.
            "POS_ASSETS_DIR" => env.push((k.clone(), REPO.to_string())),
            "POS_BIND" => {}
            _ => env.push((k.clone(), v.clone())),
        }
    }
    env.push(("HOME".into(), rebased(&root, &home).display().to_string()));
    env.push(("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()));
    for k in ["POS_ENV", "POS_DATABASE_URL", "POS_REDIS_URL"] {
        if let Ok(v) = std::env::var(k) {
            env.push((k.into(), v));
        }
    }
    // The API tests share that database at the same time: no scheduled jobs
    // here (their first tick is one interval after start), so none of them
    // claims those tests' daily summaries or charges.
    env.push(("POS_PAYMENT_RECONCILE_MS".into(), "86400000".into()));
    let command = {
        let (bin, workdir) = (bin.clone(), rebased(&root, &image.workdir));
        move |args: &[&str], env: &[(String, String)], port: u16| {
            let mut cmd = Command::new(&bin);
            cmd.args(args).env_clear().envs(env.iter().cloned()).env("POS_BIND", format!("127.0.0.1:{port}"));
            cmd.current_dir(&workdir).uid(uid).gid(gid);
            cmd
        }
    };

    let server = {
        let (command, env) = (command.clone(), env.clone());
        Server::start_with(move |port| command(&["serve"], &env, port)).await
    };
    let port: u16 = server.base.rsplit(':').next().unwrap().parse().unwrap();
    let ready = reqwest::get(server.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200, "{}", server.log());
    let healthcheck = |expect_ok: bool| {
        let args: Vec<&str> = image.healthcheck[1..].iter().map(String::as_str).collect();
        let out = command(&args, &env, port).stdin(Stdio::null()).output().unwrap();
        assert_eq!(out.status.success(), expect_ok, "health check: {}", String::from_utf8_lossy(&out.stderr));
    };
    healthcheck(true);

    // An uploaded image lands in the volume directory, owned by the user.
    let app = TestApp::spawn().await;
    let owner = app.signup().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-image-conditions".to_vec();
    let uploaded = reqwest::Client::new()
        .post(server.url("/api/v1/images"))
        .bearer_auth(&owner.token)
        .header("content-type", "image/png")
        .body(png.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201, "{}", server.log());
    let url = uploaded.json::<serde_json::Value>().await.unwrap()["url"].as_str().unwrap().to_string();
    let stored = rebased(&root, &media).join(url.trim_start_matches("/media/"));
    assert_eq!(std::fs::read(&stored).unwrap(), png, "stored in the volume at {}", stored.display());
    assert_eq!(std::fs::metadata(&stored).unwrap().uid(), uid, "written by the image's user");
    let served = reqwest::get(server.url(&url)).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().to_vec(), png);
    assert_eq!(std::fs::read_dir(rebased(&root, &home)).unwrap().count(), 0, "nothing written in the home directory");

    drop(server);
    healthcheck(false);

    // Without POS_MEDIA_DIR the default is under the home: refused, clearly.
    let without_media: Vec<(String, String)> = env.iter().filter(|(k, _)| k != "POS_MEDIA_DIR").cloned().collect();
    let mut child = command(&["serve"], &without_media, pos_tests::free_port())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut exited = None;
    for _ in 0..150 {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let Some(status) = exited else {
        let _ = child.kill();
        panic!("the server started without a writable media directory");
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(stderr.contains("POS_MEDIA_DIR"), "the message names the setting: {stderr}");
    let default_dir = rebased(&root, &home).join(".local/share/pos/media");
    assert!(stderr.contains(&default_dir.display().to_string()), "and the path it tried: {stderr}");
}
