// Service worker of the kiosk, kitchen and till screens: they must start
// with no network at all. Registered by index.html as /kiosk/sw.js (scope
// /kiosk/), /kds/sw.js (scope /kds/) or /pos/sw.js (scope /pos/); a page it controls has all its requests pass
// through it, /app/ and /media/ included.
//
// - The app shell (the page, its JS/WASM/CSS, icons, manifest) is precached
//   at install, per build (build.sh stamps VERSION), and served cache-first:
//   one consistent version at a time, the next one taking over (skipWaiting
//   + clients.claim) when the server has a new build.
// - Menu pictures (/media/) are served from cache, refreshed in the background.
// - The API and the live event stream are never cached here: the app keeps
//   its own offline data in IndexedDB.

const VERSION = "__BUILD_VERSION__";
const SCOPE = new URL(self.registration.scope).pathname; // "/kiosk/", "/kds/" or "/pos/"
const SHELL_PREFIX = "pos-shell:" + SCOPE + ":";
const SHELL_CACHE = SHELL_PREFIX + VERSION;
const MEDIA_CACHE = "pos-media";
const MEDIA_LIMIT = 300;

const SHELL = [
  SCOPE,
  SCOPE + "manifest.webmanifest",
  "/app/pos_kiosk_pwa.js",
  "/app/pos_kiosk_pwa_bg.wasm",
  "/app/app.css",
  "/app/icons/icon-192.png",
  "/app/icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(SHELL_PREFIX) && n !== SHELL_CACHE).map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    // Every path of the screen is the same page (the app routes itself).
    event.respondWith(fromShell(SCOPE, request));
  } else if (url.pathname.startsWith("/app/") || url.pathname === SCOPE + "manifest.webmanifest") {
    event.respondWith(fromShell(url.pathname, request));
  } else if (url.pathname.startsWith("/media/")) {
    event.respondWith(staleWhileRevalidate(request));
  }
});

/// The precached copy; the network only if it is missing (then cached).
async function fromShell(key, request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(key, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && request.mode !== "navigate") cache.put(key, response.clone());
  return response;
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(MEDIA_CACHE);
  const cached = await cache.match(request);
  const refresh = fetch(request)
    .then(async (response) => {
      if (response.ok) {
        await cache.put(request, response.clone());
        trim(cache);
      }
      return response;
    })
    .catch(() => undefined);
  if (cached) return cached;
  const response = await refresh;
  return response || new Response("", { status: 504, statusText: "offline" });
}

async function trim(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - MEDIA_LIMIT; i++) await cache.delete(keys[i]);
}
