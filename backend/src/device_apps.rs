//! The device screens (built into `kiosk-pwa/dist` by `kiosk-pwa/build.sh`),
//! one bundle per screen so each device downloads only its own: the
//! screen's page at its path (every sub-path, for client-side routing), its
//! service worker and web manifest next to it, and the code at `/app/`
//! (`/app/<screen>/` for each screen's bundle, the shared CSS and icons).

use std::path::{Path, PathBuf};

use actix_web::{
    HttpResponse,
    http::header,
    middleware::{Compress, DefaultHeaders},
    web,
};

/// A screen: its directory under `dist/` and the path it is served at.
/// The pickup board comes before the kitchen display, whose `/kds/…` paths
/// would otherwise take it.
const SCREENS: [(&str, &str); 4] = [("board", "/kds/board"), ("kds", "/kds"), ("kiosk", "/kiosk"), ("till", "/pos")];

/// The worker lives under the screen's path but may control more than its
/// folder (the board's scope, `/kds/board`, is above its `/kds/board/sw.js`).
const WORKER: &[(&str, &str)] = &[("Service-Worker-Allowed", "/")];

pub fn routes(cfg: &mut web::ServiceConfig, assets: &Path) {
    let dist = assets.join("kiosk-pwa/dist");
    for (screen, prefix) in SCREENS {
        let dir = dist.join(screen);
        file_route(cfg, &format!("{prefix}/sw.js"), dir.join("sw.js"), "application/javascript; charset=utf-8", WORKER);
        file_route(
            cfg,
            &format!("{prefix}/manifest.webmanifest"),
            dir.join("manifest.webmanifest"),
            "application/manifest+json",
            &[],
        );
        let page = dir.join("index.html");
        for path in [prefix.to_string(), format!("{prefix}/"), format!("{prefix}/{{rest:.*}}")] {
            let page = page.clone();
            cfg.route(&path, web::get().to(move || shell(page.clone())));
        }
    }
    if dist.join("app").is_dir() {
        cfg.service(
            web::scope("/app")
                // The WASM bundle is a third of its size gzipped (pictures are never compressed).
                .wrap(Compress::default())
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-cache")))
                .service(actix_files::Files::new("", dist.join("app")).use_etag(true)),
        );
    }
}

/// The screen's page, never cached without asking (a new build names new files).
async fn shell(page: PathBuf) -> HttpResponse {
    match tokio::fs::read(&page).await {
        Ok(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html),
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("The kiosk app is not built: run kiosk-pwa/build.sh"),
    }
}

/// Serves one built file at `path`, always revalidated.
fn file_route(
    cfg: &mut web::ServiceConfig,
    path: &str,
    file: PathBuf,
    content_type: &'static str,
    extra: &'static [(&'static str, &'static str)],
) {
    cfg.route(
        path,
        web::get().to(move || {
            let file = file.clone();
            async move {
                match tokio::fs::read(&file).await {
                    Ok(body) => {
                        let mut response = HttpResponse::Ok();
                        response.content_type(content_type).insert_header((header::CACHE_CONTROL, "no-cache"));
                        for &header in extra {
                            response.insert_header(header);
                        }
                        response.body(body)
                    }
                    Err(_) => HttpResponse::NotFound().finish(),
                }
            }
        }),
    );
}
