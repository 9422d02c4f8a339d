// First-load benchmark of each screen's bundle, run by hand (same
// environment as run.sh; build kiosk-pwa/dist first):
//
//   cd kiosk-pwa/tests && node bench-load.mjs [--runs 5] [--mbit 20] [--screens kds,board]
//
// For each screen (kiosk, KDS, pickup board, till) prints its bundle's size
// (raw, gzip -9 and Brotli, from dist/) and, in headless Chromium with a fresh
// profile each run (no HTTP cache, no service worker), the bytes the page
// downloaded for the WASM and the time from navigation start until the app
// has mounted its first screen (`data-ready` on <html>, set by the app right
// after mounting; unpaired, that screen is the pairing form). Twice: on
// loopback, and with the network throttled to --mbit Mbit/s down and 20 ms
// latency (a shop's Wi-Fi), where the download size shows. Figures only,
// no assertions.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

import { Device, REPO_ROOT, Server } from "./support/harness.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg("--runs", 5);
const MBIT = arg("--mbit", 20);
const only = process.argv.includes("--screens") ? process.argv[process.argv.indexOf("--screens") + 1].split(",") : null;
const SCREENS = [
  ["kiosk", "/kiosk/"],
  ["kds", "/kds/"],
  ["board", "/kds/board"],
  ["till", "/pos/"],
].filter(([screen]) => !only || only.includes(screen));

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One cold load of `url`: ms until the app mounted, and the WASM's transfer size. */
async function coldLoad(url, mbit) {
  const device = new Device("bench-load");
  try {
    const page = await device.launch();
    if (mbit) {
      const cdp = await device.context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 20,
        downloadThroughput: (mbit * 1e6) / 8,
        uploadThroughput: (mbit * 1e6) / 8,
      });
    }
    // Timed in the page (not by the driver's polling): the moment the app
    // sets the attribute, in ms since navigation start.
    // (An unpaired device's first screen is the pairing form: builds from
    // before `data-ready` are timed by it, for comparison.)
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.documentElement?.hasAttribute("data-ready") || document.getElementById("pairing-code")) {
          window.__posReadyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, childList: true, subtree: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__posReadyAt !== undefined, null, { timeout: 60000 });
    return await page.evaluate(() => {
      const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith("_bg.wasm"));
      return { ready: window.__posReadyAt, wasmBytes: wasm ? wasm.transferSize : 0 };
    });
  } finally {
    await device.close();
  }
}

const server = await new Server().start();
const rows = [];
try {
  for (const [screen, route] of SCREENS) {
    const dir = path.join(REPO_ROOT, "kiosk-pwa/dist/app", screen);
    const wasm = readFileSync(path.join(dir, "pos_kiosk_pwa_bg.wasm"));
    const brPath = path.join(dir, "pos_kiosk_pwa_bg.wasm.br");
    const js = readFileSync(path.join(dir, "pos_kiosk_pwa.js"));
    const row = {
      screen,
      raw: wasm.length,
      gzip: zlib.gzipSync(wasm, { level: 9 }).length,
      // (No Brotli copy: built without it, and the server sends gzip.)
      brotli: existsSync(brPath) ? readFileSync(brPath).length : 0,
      jsGzip: zlib.gzipSync(js, { level: 9 }).length,
    };
    for (const [key, mbit] of [
      ["loopback", 0],
      ["throttled", MBIT],
    ]) {
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const { ready, wasmBytes } = await coldLoad(`${server.base}${route}`, mbit);
        times.push(ready);
        row.wire = wasmBytes;
      }
      row[key] = times;
    }
    rows.push(row);
    console.log(`${screen}: done`);
  }
} finally {
  await server.stop();
}

const ms = (xs) => `${Math.round(median(xs))} ms`;
console.log(
  `\nFirst load, cold (fresh profile), navigation start -> app mounted; median of ${RUNS}; throttled = ${MBIT} Mbit/s, 20 ms latency\n`,
);
console.log("| screen | wasm raw | wasm gzip -9 | wasm Brotli | wasm over the wire | js glue gzip | loopback | throttled |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.screen} | ${kib(r.raw)} | ${kib(r.gzip)} | ${r.brotli ? kib(r.brotli) : "—"} | ${kib(r.wire)} | ${kib(r.jsGzip)} | ${ms(r.loopback)} | ${ms(r.throttled)} |`,
  );
}
for (const r of rows) console.log(`${r.screen} runs: loopback ${r.loopback.map(Math.round).join(", ")}; throttled ${r.throttled.map(Math.round).join(", ")}`);
