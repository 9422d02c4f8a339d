//! The device screens (built into `kiosk-pwa/dist` by `kiosk-pwa/build.sh`),
//! one bundle per screen so each device downloads only its own: the
//! screen's page at its path (every sub-path, for client-side routing), its
//! service worker and web manifest next to it, and the code at `/app/`
//! (`/app/<screen>/` for each screen's bundle, the shared CSS and icons).

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, AcceptEncoding, ContentEncoding, Encoding, Header},
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
        let app = dist.join("app");
        let bundles = app.clone();
        cfg.service(
            web::scope("/app")
                // The WASM bundle is a third of its size gzipped (pictures are never compressed).
                .wrap(Compress::default())
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-cache")))
                .route(
                    "/{screen}/pos_kiosk_pwa_bg.wasm",
                    web::get().to(move |req: HttpRequest, screen: web::Path<String>| {
                        bundle_wasm(req, bundles.clone(), screen.into_inner())
                    }),
                )
                .service(actix_files::Files::new("", app).use_etag(true)),
        );
    }
}

/// The forms build.sh stores each screen's WASM in besides the file itself:
/// Brotli (`-q 11`, a fifth smaller than gzip -9) and gzip (`-9`, a fifth
/// smaller than what the `Compress` middleware's fast gzip makes of it).
fn precompressed() -> [(&'static str, Encoding, ContentEncoding); 2] {
    [("wasm.br", Encoding::brotli(), ContentEncoding::Brotli), ("wasm.gz", Encoding::gzip(), ContentEncoding::Gzip)]
}

/// A screen's WASM in the form of build.sh's the browser prefers (by its
/// `Accept-Encoding` qualities; Brotli before gzip where they tie), else the
/// file itself.
async fn bundle_wasm(req: HttpRequest, app: PathBuf, screen: String) -> actix_web::Result<HttpResponse> {
    if !SCREENS.iter().any(|(name, _)| *name == screen) {
        return Ok(HttpResponse::NotFound().finish());
    }
    let wasm = app.join(&screen).join("pos_kiosk_pwa_bg.wasm");
    let mut stored = Vec::new();
    for (extension, encoding, content_encoding) in precompressed() {
        if let Ok(file) = NamedFile::open_async(wasm.with_extension(extension)).await {
            stored.push((encoding, content_encoding, file));
        }
    }
    let chosen = AcceptEncoding::parse(&req).ok().and_then(|accepts| accepts.negotiate(stored.iter().map(|(e, ..)| e)));
    let file = match stored.into_iter().find(|(encoding, ..)| Some(encoding) == chosen.as_ref()) {
        Some((_, content_encoding, file)) => file.set_content_encoding(content_encoding),
        None => NamedFile::open_async(&wasm).await?,
    };
    let mut response = file
        .set_content_type(actix_files::file_extension_to_mime("wasm"))
        .disable_content_disposition()
        .use_etag(true)
        .into_response(&req);
    response.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-encoding"));
    Ok(response)
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
