//! The device screens are served one bundle per screen (issue 12 §9): each
//! screen's paths get its own page, service worker and manifest, and the
//! page loads that screen's bundle only. The pickup board's paths lie
//! inside the kitchen display's (`/kds/board`) and still get the board's.

use pos_backend::startup::assets_dir;
use pos_tests::TestApp;
use reqwest::Method;

/// Every screen, a few of its paths, and its directory under `/app/`.
const SCREENS: [(&str, &[&str]); 4] = [
    ("kiosk", &["/kiosk", "/kiosk/", "/kiosk/anything"]),
    ("kds", &["/kds", "/kds/", "/kds/boards", "/kds/x/y"]),
    ("board", &["/kds/board", "/kds/board/", "/kds/board/x"]),
    ("till", &["/pos", "/pos/", "/pos/tables"]),
];

/// Where each screen's worker and manifest are served.
fn base(screen: &str) -> &'static str {
    match screen {
        "kiosk" => "/kiosk/",
        "kds" => "/kds/",
        "board" => "/kds/board/",
        _ => "/pos/",
    }
}

fn bundle(screen: &str) -> String {
    format!("/app/{screen}/pos_kiosk_pwa.js")
}

#[tokio::test]
async fn each_screens_paths_get_its_own_page_worker_and_manifest() {
    let app = TestApp::spawn().await;
    for (screen, paths) in SCREENS {
        for path in paths {
            let r = app.call(Method::GET, path, None, None).await;
            // 503 when the app is not built (tests/run.sh builds it first).
            assert!(matches!(r.status.as_u16(), 200 | 503), "{path}: {}", r.status);
            if r.status == 503 {
                assert!(r.text.contains("kiosk-pwa/build.sh"), "{path}: {}", r.text);
                continue;
            }
            assert_eq!(r.header("cache-control"), Some("no-cache"), "{path}");
            assert!(r.text.contains(&bundle(screen)), "{path}: {screen}'s bundle");
            for (other, _) in SCREENS.iter().filter(|(s, _)| *s != screen) {
                assert!(!r.text.contains(&bundle(other)), "{path}: not {other}'s bundle");
            }
            assert!(r.text.contains(&format!("{}manifest.webmanifest", base(screen))), "{path}: its manifest");
        }

        let sw = app.call(Method::GET, &format!("{}sw.js", base(screen)), None, None).await;
        if sw.status == 404 {
            continue; // not built
        }
        assert_eq!(sw.status, 200, "{screen}'s worker");
        assert!(sw.header("content-type").is_some_and(|t| t.contains("javascript")), "{screen}");
        assert_eq!(sw.header("service-worker-allowed"), Some("/"), "{screen}");
        for placeholder in ["__BUILD_VERSION__", "__SCREEN__", "__BASE__", "__SHELL_FILES__"] {
            assert!(!sw.text.contains(placeholder), "{screen}'s worker is stamped by build.sh: {placeholder}");
        }
        // It precaches its own screen's bundle and no other.
        assert!(sw.text.contains(&format!("\"/app/{screen}/pos_kiosk_pwa_bg.wasm\"")), "{screen}");
        for (other, _) in SCREENS.iter().filter(|(s, _)| *s != screen) {
            assert!(!sw.text.contains(&format!("/app/{other}/")), "{screen}'s worker caches {other}'s bundle");
        }

        let manifest = app.call(Method::GET, &format!("{}manifest.webmanifest", base(screen)), None, None).await;
        assert_eq!(manifest.status, 200, "{screen}'s manifest");
        let start = manifest.body["start_url"].as_str().unwrap_or_default();
        assert!(start.starts_with(base(screen).trim_end_matches('/')), "{screen}: starts at {start}");

        let wasm = app.call(Method::GET, &format!("/app/{screen}/pos_kiosk_pwa_bg.wasm"), None, None).await;
        assert_eq!(wasm.status, 200, "{screen}'s bundle");
        assert_eq!(wasm.header("content-type"), Some("application/wasm"), "{screen}");
        assert_eq!(wasm.header("content-encoding"), None, "{screen}: not asked for gzip");
        assert!(wasm.text.starts_with("\0asm"), "{screen}");

        // A browser gets the form build.sh stored that it prefers, Brotli
        // where it names both alike; nothing is compressed again.
        let stored = assets_dir().join(format!("kiosk-pwa/dist/app/{screen}/pos_kiosk_pwa_bg.wasm"));
        let stored = stored.display();
        for (accept, encoding, file) in [
            ("gzip, deflate, br", Some("br"), ".br"),
            ("br;q=0.2, gzip;q=0.9", Some("gzip"), ".gz"),
            ("gzip;q=0.5, br", Some("br"), ".br"),
            ("gzip", Some("gzip"), ".gz"),
            ("br;q=0, gzip", Some("gzip"), ".gz"),
            ("identity", None, ""),
        ] {
            let r = app
                .client
                .get(app.url(&format!("/app/{screen}/pos_kiosk_pwa_bg.wasm")))
                .header("accept-encoding", accept)
                .send()
                .await
                .expect("request sent");
            assert_eq!(r.status(), 200, "{screen}, {accept}");
            let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            assert_eq!(header("content-encoding").as_deref(), encoding, "{screen}, {accept}");
            assert_eq!(header("content-type").as_deref(), Some("application/wasm"), "{screen}, {accept}");
            assert_eq!(header("vary").as_deref(), Some("accept-encoding"), "{screen}, {accept}");
            let body = r.bytes().await.expect("body");
            let want = std::fs::read(format!("{stored}{file}")).expect("build.sh stored it");
            assert!(body == want, "{screen}, {accept}: {} bytes, not its {file} file's {}", body.len(), want.len());
        }
        let [brotli, gzip] =
            [".br", ".gz"].map(|file| std::fs::metadata(format!("{stored}{file}")).expect("stored").len());
        assert!(brotli < gzip, "{screen}: Brotli {brotli} bytes, gzip {gzip}");
    }

    let unknown = app.call(Method::GET, "/app/nothing/pos_kiosk_pwa_bg.wasm", None, None).await;
    assert_eq!(unknown.status, 404);
}
