// Test harness: the server process, API helpers (owner side), a seeded
// brand, pairing codes, and Chromium profiles for devices.
//
// Environment: POS_DATABASE_URL, POS_OWNER_DATABASE_URL, POS_REDIS_URL
// (exported, database migrated), POS_SERVER_BIN or CARGO_TARGET_DIR.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, "../../..");
export const ARTIFACTS = process.env.POS_ARTIFACTS || "/tmp/pos-artifacts";
mkdirSync(ARTIFACTS, { recursive: true });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A free loopback port for a child process to bind later. Not one the
 * kernel hands out itself (to a listener on port 0 or an outgoing
 * connection): between this check and the child's bind, the run's other
 * suites may be given that very port ("Address already in use"). So: a port
 * at random below the kernel's ephemeral range, where it never lands on its
 * own, checked free by listening on it (as tests/support/lib.rs does).
 */
export async function freePort() {
  let below = 32768;
  try {
    below = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || below;
  } catch {}
  const from = 20000;
  below = Math.max(below, from + 1000);
  for (let i = 0; i < 100; i++) {
    const port = from + Math.floor(Math.random() * (below - from));
    if (await listens(port)) return port;
  }
  return listens(0);
}

/** Listens on `port` (0: one the kernel picks) and closes: the port, or null if it was taken. */
function listens(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(null));
    srv.listen(port, "127.0.0.1", () => {
      const { port: bound } = srv.address();
      srv.close(() => resolve(bound));
    });
  });
}

function serverBin() {
  if (process.env.POS_SERVER_BIN) return process.env.POS_SERVER_BIN;
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO_ROOT, "target");
  return path.join(target, "debug", "pos-server");
}

/**
 * A child process serving HTTP on a loopback port, its output kept for
 * failure messages; `stop()` and `start()` again keep the port.
 */
class LocalService {
  constructor(name, port) {
    this.name = name;
    this.proc = null;
    this.port = port;
    this.log = [];
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Runs `bin` with `env` and waits until `readyPath` answers 2xx. */
  async spawn(bin, args, env, readyPath) {
    this.proc = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk) => {
      this.log.push(chunk.toString());
      if (this.log.length > 400) this.log.shift();
    };
    this.proc.stdout.on("data", keep);
    this.proc.stderr.on("data", keep);
    const exited = new Promise((resolve) => this.proc.once("exit", resolve));
    for (let i = 0; i < 300; i++) {
      try {
        const r = await fetch(`${this.base}${readyPath}`);
        if (r.ok) return this;
      } catch {}
      const gone = await Promise.race([exited.then(() => true), sleep(100).then(() => false)]);
      if (gone) throw new Error(`${this.name} (${bin}) exited early:\n${this.log.join("")}`);
    }
    throw new Error(`${this.name} did not become ready:\n${this.log.join("")}`);
  }

  async stop() {
    if (!this.proc) return;
    const proc = this.proc;
    this.proc = null;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    const done = await Promise.race([exited.then(() => true), sleep(15000).then(() => false)]);
    if (!done) {
      proc.kill("SIGKILL");
      await exited;
    }
  }
}

/** The pos-server process on a free loopback port; `stop()` and `start()` again keep the port. */
export class Server extends LocalService {
  /**
   * `env`: more environment for the server (e.g. a payment gateway's;
   * `undefined` removes a variable); `port`: one chosen beforehand.
   */
  constructor({ env = {}, port = null } = {}) {
    super("pos-server", port);
    this.env = env;
  }

  async start() {
    this.port ??= await freePort();
    const env = {
      ...process.env,
      POS_BIND: `127.0.0.1:${this.port}`,
      POS_ASSETS_DIR: REPO_ROOT,
      POS_ENV: process.env.POS_ENV || "test",
      POS_LOG: process.env.POS_LOG || "warn",
      POS_MEDIA_DIR: process.env.POS_MEDIA_DIR || path.join(os.tmpdir(), "pos-kiosk-tests-media"),
      // Every brand here signs up and pairs from 127.0.0.1, and the limits'
      // counters live in Redis, shared with the rest of the test run.
      POS_LOGIN_LIMIT_PER_IP: process.env.POS_LOGIN_LIMIT_PER_IP || "100000",
      POS_LOGIN_LIMIT_PER_ACCOUNT: process.env.POS_LOGIN_LIMIT_PER_ACCOUNT || "100000",
      ...this.env,
    };
    // `undefined` in `env` removes the variable (e.g. a gateway the whole run configures).
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    return this.spawn(serverBin(), ["serve"], env, "/healthz");
  }
}

/**
 * The payment gateway stand-in (`pos-gateway-standin`, built next to
 * pos-server) on a free loopback port, notifying a server's webhook, and the
 * environment that points that server at it. Its control API plays the
 * paying customer (`pay`, `expire`, `deny`).
 */
export class Standin extends LocalService {
  constructor({ qrLifetimeSecs = 900 } = {}) {
    super("pos-gateway-standin", null);
    this.qrLifetimeSecs = qrLifetimeSecs;
    this.serverKey = `SB-Mid-server-kiosk-tests-${Date.now()}`;
  }

  static webhook(serverPort) {
    return `http://127.0.0.1:${serverPort}/api/v1/payments/webhooks/midtrans`;
  }

  /** What the server on `serverPort` needs to use this stand-in as its gateway. */
  serverEnv(serverPort) {
    return {
      POS_MIDTRANS_BASE_URL: this.base,
      POS_MIDTRANS_SERVER_KEY: this.serverKey,
      POS_PAYMENT_NOTIFICATION_URL: Standin.webhook(serverPort),
    };
  }

  async start(serverPort) {
    this.port ??= await freePort();
    const env = {
      ...process.env,
      STANDIN_BIND: `127.0.0.1:${this.port}`,
      STANDIN_SERVER_KEY: this.serverKey,
      STANDIN_NOTIFICATION_URL: Standin.webhook(serverPort),
      STANDIN_QR_LIFETIME_SECS: String(this.qrLifetimeSecs),
      STANDIN_RETRY_BASE_MS: "200",
      STANDIN_LOG: process.env.STANDIN_LOG || "warn",
    };
    return this.spawn(path.join(path.dirname(serverBin()), "pos-gateway-standin"), [], env, "/_standin/charges");
  }

  async charges() {
    const r = await fetch(`${this.base}/_standin/charges`);
    return (await r.json()).charges;
  }

  /** The one pending charge of `grossAmount` (waits for it). */
  async pendingCharge(grossAmount, timeoutMs = 10000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const pending = (await this.charges()).filter(
        (c) => c.transaction_status === "pending" && Number(c.gross_amount) === grossAmount,
      );
      if (pending.length === 1) return pending[0];
      if (pending.length > 1) throw new Error(`several pending charges of ${grossAmount}: ${JSON.stringify(pending)}`);
      if (Date.now() > until) throw new Error(`no pending charge of ${grossAmount}: ${JSON.stringify(await this.charges())}`);
      await sleep(100);
    }
  }

  /** `pay`, `expire` or `deny` a charge through the control API (notifying the server). */
  async act(orderId, action) {
    const r = await fetch(`${this.base}/_standin/charges/${encodeURIComponent(orderId)}/${action}`, { method: "POST" });
    if (!r.ok) throw new Error(`stand-in ${action} ${orderId} -> ${r.status}: ${await r.text()}`);
    return r.json();
  }
}

/** JSON API calls with a bearer token; throws with the problem document on failure. */
export class Api {
  constructor(base, token) {
    this.base = base;
    this.token = token;
  }

  async call(method, url, body, { raw = false, headers = {} } = {}) {
    const init = { method, headers: { ...headers } };
    if (this.token) init.headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) {
      if (Buffer.isBuffer(body)) {
        init.body = body;
      } else {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
    }
    const response = await fetch(this.base + url, init);
    if (raw) return response;
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const err = new Error(`${method} ${url} -> ${response.status}: ${text}`);
      err.status = response.status;
      err.body = json;
      throw err;
    }
    return json;
  }

  get(url) {
    return this.call("GET", url);
  }
  post(url, body) {
    return this.call("POST", url, body ?? {});
  }
  patch(url, body) {
    return this.call("PATCH", url, body);
  }
}

/** A small PNG: a plate of `rgb` on a warm background, for menu pictures. */
export function platePng(rgb, size = 160) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const dx = x - size / 2;
      const dy = y - size / 2;
      const d = Math.sqrt(dx * dx + dy * dy) / (size / 2);
      let px = [236, 226, 206];
      if (d < 0.82) px = [250, 250, 247];
      if (d < 0.62) px = rgb.map((c, i) => Math.max(0, Math.min(255, c + ((x * 7 + y * 3 + i * 11) % 23) - 11)));
      row.push(...px);
    }
    rows.push(Buffer.from(row));
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A brand with one outlet (tax 10%, the restaurant tax PB1; service 5%), two categories on two
 * stations, and items with modifier groups. Returns the owner API and ids.
 */
export async function seedBrand(base, { pictures = true } = {}) {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = `owner-${stamp}@kiosk-tests.example`;
  const password = "kiosk-tests-password-1";
  const signup = await new Api(base).post("/api/v1/auth/signup", {
    brand_name: `Warung Uji ${stamp}`,
    owner_name: "Tes Pemilik",
    email,
    password,
  });
  const owner = new Api(base, signup.access_token);
  owner.login = async () => {
    const session = await new Api(base).post("/api/v1/auth/login", { email, password });
    owner.token = session.access_token;
  };
  const outlet = await owner.post("/api/v1/outlets", {
    name: "Warung Uji Kemang",
    timezone: "Asia/Jakarta",
    tax_rate_bp: 1000,
    service_charge_bp: 500,
    is_open: true,
  });
  const food = await owner.post("/api/v1/categories", { name: "Makanan", position: 1, station: "kitchen" });
  const drinks = await owner.post("/api/v1/categories", { name: "Minuman", position: 2, station: "bar" });
  const picture = async (rgb) => {
    if (!pictures) return null;
    const r = await owner.call("POST", "/api/v1/images", platePng(rgb), { headers: { "Content-Type": "image/png" } });
    return r.url;
  };
  const item = async (category, name, price, groups = [], rgb = [200, 120, 40], description = "") =>
    owner.post("/api/v1/menu-items", {
      category_id: category.id,
      name,
      description,
      price_minor: price,
      image_url: await picture(rgb),
      modifier_groups: groups,
    });
  const nasiGoreng = await item(
    food,
    "Nasi Goreng",
    35000,
    [
      {
        name: "Tingkat pedas",
        min: 1,
        max: 1,
        options: [
          { name: "Tidak pedas", price_minor: 0 },
          { name: "Pedas", price_minor: 0 },
          { name: "Extra pedas", price_minor: 2000 },
        ],
      },
      {
        name: "Tambahan",
        min: 0,
        max: 2,
        options: [
          { name: "Telur mata sapi", price_minor: 5000 },
          { name: "Kerupuk", price_minor: 3000 },
          { name: "Sate ayam", price_minor: 12000 },
        ],
      },
    ],
    [196, 122, 44],
    "Nasi goreng kampung dengan bawang goreng",
  );
  const mieAyam = await item(food, "Mie Ayam", 28000, [], [214, 170, 80], "Mie ayam jamur");
  const sate = await item(food, "Sate Ayam", 30000, [], [150, 80, 40], "10 tusuk dengan bumbu kacang");
  const esTeh = await item(
    drinks,
    "Es Teh Manis",
    8000,
    [{ name: "Gula", min: 1, max: 1, options: [{ name: "Normal", price_minor: 0 }, { name: "Sedikit", price_minor: 0 }] }],
    [120, 60, 20],
  );
  const kopi = await item(drinks, "Kopi Susu", 18000, [], [160, 110, 70]);
  return {
    owner,
    credentials: { email, password },
    outlet,
    categories: { food, drinks },
    items: { nasiGoreng, mieAyam, sate, esTeh, kopi },
  };
}

export async function pairingCode(owner, outletId, kind, name) {
  const r = await owner.post(`/api/v1/outlets/${outletId}/devices`, { kind, name: name || `${kind} ${Date.now()}` });
  return r.pairing_code;
}

/** All orders of the outlet the owner can see (every page). */
export async function allOrders(owner, outletId) {
  const orders = [];
  let cursor = null;
  do {
    const q = new URLSearchParams({ outlet_id: outletId, limit: "100" });
    if (cursor) q.set("cursor", cursor);
    const page = await owner.get(`/api/v1/orders?${q}`);
    orders.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return orders;
}

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

/**
 * One device: a Chromium profile of its own (fresh user-data-dir), so its
 * localStorage, IndexedDB and service worker are its own, and survive
 * `restart()` as they would a browser restart.
 */
export class Device {
  constructor(name, { viewport = { width: 1280, height: 800 } } = {}) {
    this.name = name;
    this.viewport = viewport;
    this.dir = mkdtempSync(path.join(os.tmpdir(), `pos-${name}-`));
    this.context = null;
    this.page = null;
    this.consoleLog = [];
  }

  async launch() {
    this.context = await chromium.launchPersistentContext(this.dir, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
      viewport: this.viewport,
      serviceWorkers: "allow",
    });
    this.page = this.context.pages()[0] || (await this.context.newPage());
    this.page.on("console", (m) => this.consoleLog.push(`[${m.type()}] ${m.text()}`));
    this.page.on("pageerror", (e) => this.consoleLog.push(`[pageerror] ${e.message}`));
    if (process.env.DEBUG_TESTS) {
      const t0 = Date.now();
      const note = (what) => (r) => {
        if (!r.url().includes("/api/")) return;
        const answer = what === "finished" ? r.response().then((x) => x?.status()) : Promise.resolve(r.failure()?.errorText ?? "");
        answer.then((status) => this.consoleLog.push(`${Date.now() - t0} ${what} ${r.method()} ${r.url()} ${status ?? ""}`));
      };
      this.context.on("request", note("request"));
      this.context.on("requestfailed", note("failed"));
      this.context.on("requestfinished", note("finished"));
    }
    return this.page;
  }

  /**
   * Cuts the device off the network (`context.setOffline`: requests fail,
   * `navigator.onLine` is false, `offline` fires). Beware: right after a
   * reload, Chromium's emulation has been seen to let a request through;
   * tests that need "unreachable" across a reload stop the server instead.
   */
  async goOffline() {
    await this.context.setOffline(true);
  }

  async goOnline() {
    await this.context.setOffline(false);
  }

  /** Closes the browser and opens it again on the same profile. */
  async restart() {
    await this.context.close();
    return this.launch();
  }

  async screenshot(name) {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close() {
    if (this.context) await this.context.close().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Holds back the answer to the next request matching `pattern` once armed:
 * the request reaches the server at once (so the answer is the server as it
 * was then) but the page gets it only after `release()`. For races between
 * a reload and live events.
 */
export async function holdNextAnswer(page, pattern) {
  let armed = false;
  let caught;
  const fetched = new Promise((r) => (caught = r));
  let release;
  const released = new Promise((r) => (release = r));
  await page.route(pattern, async (route) => {
    if (!armed) return route.continue();
    armed = false;
    const response = await route.fetch();
    const json = await response.json();
    caught();
    await released;
    await route.fulfill({ response, json }).catch(() => {});
  });
  return {
    arm: () => {
      armed = true;
    },
    fetched,
    release: () => release(),
    done: () => {
      release();
      return page.unrouteAll({ behavior: "ignoreErrors" });
    },
  };
}

/** Polls `fn` until it returns a truthy value (returned), or throws after `timeout` ms. */
export async function eventually(fn, { timeout = 10000, interval = 50, what = "condition" } = {}) {
  const start = Date.now();
  let last;
  while (Date.now() - start < timeout) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last})`);
}

/** Reads every row of an IndexedDB store of the page's `pos` database. */
export async function idbRows(page, store) {
  return page.evaluate(
    (store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("pos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            return resolve([]);
          }
          const req = db.transaction(store, "readonly").objectStore(store).getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

/** Writes rows into a store of the page's `pos` database, in one transaction. */
export async function idbPut(page, store, rows) {
  await page.evaluate(
    ({ store, rows }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("pos");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, "readwrite");
          for (const row of rows) tx.objectStore(store).put(row);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { store, rows },
  );
}

/** A queued order as the kiosk keeps it (see src/queue.rs), for tests that fill the queue directly. */
export function queuedOrder({ id, outletId, item, number, qty = 1, customer = "Tamu", at = Date.now(), shown = item.price_minor }) {
  return {
    client_order_id: id,
    state: "pending",
    body: {
      client_order_id: id,
      outlet_id: outletId,
      channel: "kiosk",
      customer_name: customer,
      table: null,
      created_at_client: new Date(at).toISOString(),
      items: [
        {
          menu_item_id: item.id,
          qty,
          modifier_option_ids: [],
          note: null,
          shown_unit_price_minor: shown,
          shown_name: item.name,
        },
      ],
      number,
    },
    shown_total_minor: shown * qty,
    currency: "IDR",
    queued_at_ms: at,
    attempts: 0,
    order: null,
    outcome: null,
    problem: null,
  };
}
