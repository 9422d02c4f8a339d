// Service worker of one screen (kiosk, kitchen display, pickup board or
// till): they must start with no network at all. build.sh stamps a copy per
// screen; index.html registers it as /kiosk/sw.js (scope /kiosk/), /kds/sw.js
// (scope /kds/), /kds/board/sw.js (scope /kds/board) or /pos/sw.js (scope
// /pos/). A page it controls has all its requests pass through it, /app/ and
// /media/ included.
//
// - The app shell (the page, its screen's JS/WASM, the CSS, icons, manifest)
//   is precached at install, per build (build.sh stamps VERSION), and served
//   cache-first: one consistent version at a time, the next one taking over
//   (skipWaiting + clients.claim) when the server has a new build. Only this
//   screen's bundle: the other screens' bundles are never downloaded here.
// - Menu pictures (/media/) are served from cache, refreshed in the background.
// - The API and the live event stream are never cached here: the app keeps
//   its own offline data in IndexedDB.

const VERSION = "__BUILD_VERSION__";
const SCREEN = "__SCREEN__"; // "kiosk", "kds", "board" or "till"
const BASE = "__BASE__"; // where this worker and the manifest are served
const SCOPE = new URL(self.registration.scope).pathname; // "/kiosk/", "/kds/", "/kds/board" or "/pos/"
const SHELL_PREFIX = "pos-shell:" + SCOPE + ":";
const SHELL_CACHE = SHELL_PREFIX + VERSION;
const MEDIA_CACHE = "pos-media";
const MEDIA_LIMIT = 300;
// The pickup board's pages lie inside the kitchen display's scope but are
// another screen, with a worker of their own.
const BOARD_PAGES = /^\/kds\/board(\/|$)/;

// The page, then every file of the screen's build (listed by build.sh).
const SHELL = [SCOPE, BASE + "manifest.webmanifest", ...__SHELL_FILES__];

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
    if (SCREEN !== "board" && BOARD_PAGES.test(url.pathname)) return;
    // Every path of the screen is the same page (the app routes itself).
    event.respondWith(fromShell(SCOPE, request));
  } else if (SHELL.includes(url.pathname)) {
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
