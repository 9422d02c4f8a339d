// The service worker starts the kiosk with the server stopped (the shell
// and menu from the device), an order taken then survives a browser
// restart, and it reaches the server once the server is back.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Device, Server, allOrders, eventually, idbRows, pairingCode, seedBrand } from "../support/harness.mjs";
import { addItem, pairKiosk, startOrder } from "../support/screens.mjs";

let server;
let brand;
let kiosk;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base);
  kiosk = new Device("kiosk-sw", { viewport: { width: 800, height: 1280 } });
  await kiosk.launch();
  await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
  await kiosk.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(kiosk.consoleLog.join("\n"));
  await kiosk?.close();
  await server?.stop();
});

test("the manifest and worker are served for the kiosk, with icons", async () => {
  const manifest = await (await fetch(`${server.base}/kiosk/manifest.webmanifest`)).json();
  assert.equal(manifest.display, "standalone");
  assert.equal(manifest.start_url, "/kiosk/");
  for (const icon of manifest.icons) {
    const r = await fetch(new URL(icon.src, `${server.base}/kiosk/`));
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get("content-type"), "image/png");
  }
  const sw = await fetch(`${server.base}/kiosk/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get("content-type"), /javascript/);
  assert.doesNotMatch(await sw.text(), /__BUILD_VERSION__/);
  // The kiosk's own bundle travels gzipped to a browser that accepts it.
  const wasm = await fetch(`${server.base}/app/kiosk/pos_kiosk_pwa_bg.wasm`, { headers: { "accept-encoding": "gzip" } });
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-encoding"), "gzip");
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
});

test("with the server stopped the kiosk still starts, takes an order, and keeps it across a browser restart", async () => {
  const page = kiosk.page;
  await server.stop();
  await page.reload();
  await page.locator(".start-button").waitFor({ timeout: 15000 });
  await kiosk.screenshot("kiosk-server-down-portrait");
  await startOrder(page);
  await addItem(page, "Kopi Susu", { category: "Minuman" });
  // Portrait: the cart is folded under its summary bar.
  await page.locator(".cart-summary").click();
  await kiosk.screenshot("kiosk-portrait-cart");
  await page.locator(".checkout-button").click();
  await page.locator("#pickup-name").fill("Wati");
  await page.locator(".place-order").click();
  await page.locator('.confirmation[data-state="saved"]').waitFor();
  const number = (await page.locator(".pickup-number").textContent()).trim();

  // Close the browser and open it again, server still down.
  const restarted = await kiosk.restart();
  await restarted.goto(`${server.base}/kiosk/`);
  await restarted.locator(".start-button").waitFor({ timeout: 15000 });
  assert.equal((await idbRows(restarted, "orders")).filter((o) => o.state === "pending").length, 1);

  await server.start();
  await eventually(async () => (await allOrders(brand.owner, brand.outlet.id)).length === 1, {
    timeout: 90000,
    interval: 500,
    what: "the order on the server after it came back",
  });
  const [order] = await allOrders(brand.owner, brand.outlet.id);
  assert.equal(order.number, number);
  await eventually(async () => (await idbRows(restarted, "orders")).every((o) => o.state === "confirmed"), {
    what: "order confirmed on the kiosk",
  });
});

test("the kitchen display and the pickup board each install their own worker with their own bundle, and start offline", async () => {
  // One browser profile with both screens, as on a device that shows one
  // then the other: /kds/board lies inside the kitchen display's scope.
  const device = new Device("kds-board-sw");
  const page = await device.launch();
  try {
    const controller = () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? "");
    const loadedBundles = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType("resource")
          .map((e) => new URL(e.name).pathname)
          .filter((p) => p.endsWith("_bg.wasm")),
      );
    const titled = (re) => page.waitForFunction((source) => new RegExp(source).test(document.title), re.source);
    const cachedAppFiles = () =>
      page.evaluate(async () => {
        const urls = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls.filter((p) => p.startsWith("/app/"));
      });

    await page.goto(`${server.base}/kds/`);
    await page.locator("html[data-ready]").waitFor();
    assert.deepEqual(await loadedBundles(), ["/app/kds/pos_kiosk_pwa_bg.wasm"]);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    assert.match(await controller(), /\/kds\/sw\.js$/);
    let cached = await cachedAppFiles();
    assert.ok(cached.includes("/app/kds/pos_kiosk_pwa_bg.wasm"), cached.join(" "));
    assert.deepEqual(cached.filter((p) => /^\/app\/(kiosk|board|till)\//.test(p)), [], "only the kitchen display's bundle");

    await page.goto(`${server.base}/kds/board`);
    await page.locator("html[data-ready]").waitFor();
    assert.deepEqual(await loadedBundles(), ["/app/board/pos_kiosk_pwa_bg.wasm"]);
    await page.waitForFunction(() => /\/kds\/board\/sw\.js$/.test(navigator.serviceWorker.controller?.scriptURL ?? ""), null, {
      timeout: 15000,
    });
    await titled(/Papan Pengambilan|Pickup Board/);
    cached = await cachedAppFiles();
    assert.ok(cached.includes("/app/board/pos_kiosk_pwa_bg.wasm"), cached.join(" "));
    assert.deepEqual(cached.filter((p) => /^\/app\/(kiosk|till)\//.test(p)), [], "no kiosk or till bundle");

    // Server gone: each path still starts its own screen, from its own worker.
    await server.stop();
    try {
      for (const [path, title] of [
        ["/kds/board", /Papan Pengambilan|Pickup Board/],
        ["/kds/", /Layar Dapur|Kitchen Display/],
        ["/kds/board", /Papan Pengambilan|Pickup Board/],
      ]) {
        await page.goto(`${server.base}${path}`);
        await page.locator("html[data-ready]").waitFor({ timeout: 15000 });
        await titled(title);
      }
    } finally {
      await server.start();
    }
  } finally {
    await device.close();
  }
});
